"""Let the innovation unit reviewers read blueprints and everything in them in the admin.

As in localities 0002, permissions are created here first, since Django only makes them
after the whole migrate run and the group needs them now on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Innovation unit reviewers"
CODENAMES = [
    "view_blueprint",
    "view_phase",
    "view_lane",
    "view_card",
    "view_cardlink",
    "view_deliverychallenge",
    "view_prototype",
]


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
            *Permission.objects.filter(
                content_type__app_label="blueprints", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("blueprints", "0001_initial"),
        ("localities", "0002_reviewer_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
