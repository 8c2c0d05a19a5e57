"""Let the innovation-unit reviewers read ideas, consultations and responses in the admin.

The group is made by localities' 0002_reviewer_group; permissions are normally created
after migrations run, so create them here first (as that migration does).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Innovation unit reviewers"
CODENAMES = ["view_idea", "view_consultation", "view_response"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("consultations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="consultations", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="consultations", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0002_idea_chosen_by"),
        ("localities", "0002_reviewer_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
