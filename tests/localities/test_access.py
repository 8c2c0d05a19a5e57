"""Access in one place (issue 10, item 6): the rules module imports no models and names the
roles the models store, and templates ask its predicates, so the Portfolio link shows
exactly when /portfolio/ answers 200, for every kind of user."""

import ast
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.test.html import parse_html
from django.urls import reverse

from config.context_processors import access
from localities import permissions
from localities.models import Membership
from tests.localities.factories import ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db

PORTFOLIO_URL = "/portfolio/"


def test_the_rules_module_imports_nothing_of_the_project():
    source = Path(permissions.__file__).read_text()
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    project = ("localities", "consultations", "blueprints", "config")
    assert imported, "the parse found no imports at all"
    assert [name for name in imported if name and name.startswith(project)] == []


def test_the_role_names_are_the_ones_memberships_store():
    assert set(permissions.ROLES) == set(Membership.Role.values)
    assert permissions.LEAD == Membership.Role.LEAD
    assert permissions.EDITOR == Membership.Role.EDITOR
    assert permissions.VIEWER == Membership.Role.VIEWER


def test_only_leads_manage_and_only_leads_and_editors_change_content():
    assert permissions.MANAGER_ROLES == (permissions.LEAD,)
    assert set(permissions.CONTENT_ROLES) == {permissions.LEAD, permissions.EDITOR}


@pytest.fixture
def staff_not_reviewer(db):
    """Staff, outside the reviewers' group, yet holding view_blueprint directly: the link
    used to show for them (is_staff and the permission) though the page answers 404."""
    user = UserFactory(username="staff", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_blueprint"))
    return user


@pytest.fixture
def superuser_not_staff(db):
    """A superuser without is_staff: the portfolio answers, so the link must show."""
    return UserFactory(username="root", is_superuser=True, is_staff=False)


@pytest.fixture
def people(users, staff_not_reviewer, superuser_not_staff):
    return {
        **users,
        "staff non-reviewer": staff_not_reviewer,
        "superuser not staff": superuser_not_staff,
    }


PORTFOLIO_ANSWERS = {
    "lead": HTTPStatus.NOT_FOUND,
    "editor": HTTPStatus.NOT_FOUND,
    "viewer": HTTPStatus.NOT_FOUND,
    "outsider": HTTPStatus.NOT_FOUND,
    "staff non-reviewer": HTTPStatus.NOT_FOUND,
    "reviewer": HTTPStatus.OK,
    "superuser": HTTPStatus.OK,
    "superuser not staff": HTTPStatus.OK,
}


def portfolio_links(html: str) -> int:
    """How many links to the portfolio the page's main navigation holds."""
    link = parse_html(f'<a class="nav-link" href="{PORTFOLIO_URL}">Portfolio</a>')
    active = parse_html(
        f'<a class="nav-link active" aria-current="page" href="{PORTFOLIO_URL}">Portfolio</a>'
    )
    page = parse_html(html)
    return page.count(link) + page.count(active)


def test_the_portfolio_url_is_the_one_the_link_names():
    assert reverse("portfolio:index") == PORTFOLIO_URL


@pytest.mark.parametrize("who", list(PORTFOLIO_ANSWERS))
def test_the_portfolio_answers_as_the_rules_say(who, people, client_for):
    response = client_for(people[who]).get(PORTFOLIO_URL)
    assert response.status_code == PORTFOLIO_ANSWERS[who]


@pytest.mark.parametrize("who", list(PORTFOLIO_ANSWERS))
def test_the_portfolio_link_shows_exactly_when_the_portfolio_answers(who, people, client_for):
    client = client_for(people[who])
    page = client.get(reverse("localities:list"))
    assert page.status_code == HTTPStatus.OK
    assert "Signed in as" in page.text  # the navigation is there to hold the link
    answers = client.get(PORTFOLIO_URL).status_code == HTTPStatus.OK
    assert portfolio_links(page.text) == (1 if answers else 0)


@pytest.mark.parametrize("who", ["reviewer", "superuser"])
def test_the_portfolio_link_is_marked_current_on_the_portfolio(who, people, client_for):
    page = client_for(people[who]).get(PORTFOLIO_URL)
    assert page.status_code == HTTPStatus.OK
    assert portfolio_links(page.text) == 1
    assert 'aria-current="page" href="/portfolio/"' in page.text


def test_anonymous_people_see_no_portfolio_link_and_the_portfolio_sends_them_to_log_in(client):
    login = client.get(reverse("login"))
    assert login.status_code == HTTPStatus.OK
    assert portfolio_links(login.text) == 0
    response = client.get(PORTFOLIO_URL)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_a_reviewer_whose_group_lost_its_permissions_still_sees_the_link(client_for):
    """The link follows the portfolio's rule (the group), not model permissions."""
    reviewer = ReviewerFactory(username="bare-reviewer")
    reviewer.groups.get().permissions.clear()
    client = client_for(reviewer)
    assert client.get(PORTFOLIO_URL).status_code == HTTPStatus.OK
    assert portfolio_links(client.get(reverse("localities:list")).text) == 1


def test_the_access_context_asks_the_rules_module(rf, reviewer, viewer):
    for user, expected in ((reviewer, True), (viewer, False)):
        request = rf.get("/")
        request.user = user
        assert access(request)["access"].sees_every_locality is expected
