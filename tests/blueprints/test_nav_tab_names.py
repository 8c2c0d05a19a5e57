"""The blueprint's first tab is named for what the person may do there (issue 14): "Editor"
for those who may change the blueprint, "Blueprint" for those who only read it."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.blueprints.factories import BlueprintFactory
from tests.roles import CONTENT_EDITORS, READERS

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="Sections of this blueprint".*?</nav>', re.S)
TAB = re.compile(r'<a [^>]*href="(?P<href>[^"]+)"[^>]*>(?P<name>[^<]+)</a>')


@pytest.fixture
def blueprint(locality, editor):
    return BlueprintFactory(locality=locality, title="Welcome walks", by=editor)


def first_tab(response) -> tuple[str, str]:
    nav = NAV.search(response.content.decode())
    assert nav, "no blueprint navigation on the page"
    tab = TAB.search(nav.group(0))
    return tab["name"], tab["href"]


PAGES = ["blueprints:detail", "blueprints:text", "blueprints:challenge-list"]
READING_ROLES = [role for role, status in READERS.items() if status == HTTPStatus.OK]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", READING_ROLES)
def test_the_grid_tab_is_named_for_what_the_user_may_do(client_for, users, blueprint, role, page):
    editor_url = reverse("blueprints:detail", args=["northgate", blueprint.pk])
    response = client_for(users[role]).get(reverse(page, args=["northgate", blueprint.pk]))
    assert response.status_code == HTTPStatus.OK
    expected = "Editor" if CONTENT_EDITORS[role] == HTTPStatus.OK else "Blueprint"
    assert first_tab(response) == (expected, editor_url)


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_readers_never_see_an_editor_tab(client_for, users, blueprint, role):
    response = client_for(users[role]).get(
        reverse("blueprints:text", args=["northgate", blueprint.pk])
    )
    assert ">Editor</a>" not in NAV.search(response.content.decode()).group(0)


@pytest.mark.parametrize("role", ["lead", "editor", "superuser"])
def test_writers_never_see_a_blueprint_tab(client_for, users, blueprint, role):
    response = client_for(users[role]).get(
        reverse("blueprints:text", args=["northgate", blueprint.pk])
    )
    assert ">Blueprint</a>" not in NAV.search(response.content.decode()).group(0)


def test_another_localitys_member_gets_404_not_a_tab(client_for, outsider, blueprint):
    response = client_for(outsider).get(
        reverse("blueprints:detail", args=["northgate", blueprint.pk])
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_anonymous_is_sent_to_log_in(client, blueprint):
    response = client.get(reverse("blueprints:detail", args=["northgate", blueprint.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
