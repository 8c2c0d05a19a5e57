"""A migration operation that gives the innovation-unit reviewers group some permissions.

Each app's migrations grant the reviewers what they may do with that app's models. On a
fresh database Django creates permissions only after the whole migrate run, so the
operation creates the app's permissions first. Migrations import this module, so its
behaviour must stay as it is: write a new function rather than change this one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

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


# What the reviewers group holds, declared once. The migrations above granted these one
# app at a time; `sync_reviewer_permissions` (connected to post_migrate) makes sure the
# group and every one of them exist after any migrate or flush, so a database emptied by a
# test or restored from an old dump still gives reviewers their admin.
REVIEWER_PERMISSIONS: dict[str, list[str]] = {
    "localities": [
        "view_locality",
        "view_membership",
        "view_tag",
        "view_insight",
        "view_challenge",
        "view_space",
        "view_opening",
        "view_partner",
        "view_contribution",
        "view_volunteerrole",
        "view_volunteermonth",
    ],
    "consultations": ["view_idea", "view_consultation", "view_response"],
    "blueprints": [
        "view_blueprint",
        "view_phase",
        "view_lane",
        "view_card",
        "view_cardlink",
        "view_deliverychallenge",
        "view_prototype",
        "view_reviewtransition",
        "view_comment",
        "add_comment",
        "view_blueprintversion",
        # Issue 12: reviewers read the questions and results, and keep the programme's
        # library of starter questions (a site's copy of one is its own).
        "view_deliveryquestion",
        "view_prototypemeasure",
        "view_starterquestion",
        "add_starterquestion",
        "change_starterquestion",
        "delete_starterquestion",
    ],
    "axes": ["view_accessattempt", "delete_accessattempt"],
}


def sync_reviewer_permissions(*, using: str = "default", **kwargs) -> None:
    """Add to the reviewers group whichever declared permissions it lacks (never removes:
    an administrator may have given it more)."""
    from django.contrib.auth.models import Group, Permission  # models load after this module

    wanted = Q()
    for app_label, codenames in REVIEWER_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    missing = Permission.objects.using(using).filter(wanted).exclude(group=group)
    group.permissions.add(*missing)
