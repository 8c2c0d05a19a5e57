"""Let the innovation unit reviewers read blueprint versions in the admin (as in 0004)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Innovation unit reviewers"
CODENAMES = ["view_blueprintversion"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("blueprints")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="blueprints", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="blueprints", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("blueprints", "0005_blueprint_versions")]

    operations = [migrations.RunPython(grant, revoke)]
