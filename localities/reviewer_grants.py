"""A migration operation that gives the innovation-unit reviewers group some permissions.

Each app's migrations grant the reviewers what they may do with that app's models. On a
fresh database Django creates permissions only after the whole migrate run, so the
operation creates the app's permissions first. Migrations import this module, so its
behaviour must stay as it is: write a new function rather than change this one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from localities.permissions import REVIEWER_GROUP as GROUP


def reviewer_grant(app_label: str, codenames: list[str]) -> migrations.RunPython:
    """Grant (and, migrating backwards, revoke) `codenames` of `app_label` to the group."""

    def permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
        group.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor):
        for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
            group.permissions.remove(*permissions(apps))

    return migrations.RunPython(grant, revoke)
