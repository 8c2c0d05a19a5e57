"""The reviewers group holds exactly the declared permissions, and keeps them after a
flush (which a transactional test does, and which emits post_migrate)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from localities.permissions import REVIEWER_GROUP
from localities.reviewer_grants import REVIEWER_PERMISSIONS

DECLARED = {
    (app, codename) for app, codenames in REVIEWER_PERMISSIONS.items() for codename in codenames
}


def held() -> set[tuple[str, str]]:
    group = Group.objects.get(name=REVIEWER_GROUP)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.django_db
def test_the_migrations_grant_what_is_declared():
    assert held() == DECLARED


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gives_reviewers_their_permissions_again():
    call_command("flush", interactive=False, verbosity=0)
    assert held() == DECLARED
