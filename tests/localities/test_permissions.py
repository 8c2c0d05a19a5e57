"""The permission matrix over every locality URL (DESIGN section 4), each role both ways."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from localities.models import Membership
from tests.roles import MANAGERS, READERS, ROLES

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND, FOUND = (
    HTTPStatus.OK,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.FOUND,
)


@pytest.fixture
def target(locality, lead, editor):
    """A second editor, the member that member-management URLs act on."""
    return Membership.objects.create(
        locality=locality,
        user=type(editor).objects.create(username="target"),
        role=Membership.Role.VIEWER,
    )


def member_urls(slug, target_pk):
    return {
        "detail": reverse("localities:detail", args=[slug]),
        "members": reverse("localities:members", args=[slug]),
        "member-add": reverse("localities:member-add", args=[slug]),
        "member-role": reverse("localities:member-role", args=[slug, target_pk]),
        "member-remove": reverse("localities:member-remove", args=[slug, target_pk]),
    }


READ_EXPECTED = {
    "detail": READERS,
    "members": READERS,
    "member-add": MANAGERS,
    "member-role": MANAGERS,
    "member-remove": MANAGERS,
}


@pytest.mark.parametrize("page", list(READ_EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_get_locality_pages_by_role(client_for, users, target, page, role):
    url = member_urls("northgate", target.pk)[page]
    response = client_for(users[role]).get(url)
    assert response.status_code == READ_EXPECTED[page][role]


@pytest.mark.parametrize("page", list(READ_EXPECTED))
def test_anonymous_is_sent_to_login(client, target, page):
    url = member_urls("northgate", target.pk)[page]
    response = client.get(url)
    assert response.status_code == FOUND
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url_name", ["dashboard", "localities:list", "password_change"])
def test_anonymous_is_sent_to_login_from_personal_pages(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == FOUND
    assert response.url == f"{reverse('login')}?next={reverse(url_name)}"


@pytest.mark.parametrize("url_name", ["dashboard", "localities:list", "password_change"])
@pytest.mark.parametrize("role", ROLES)
def test_personal_pages_open_to_every_signed_in_user(client_for, users, url_name, role):
    assert client_for(users[role]).get(reverse(url_name)).status_code == OK


def test_unknown_locality_is_404_even_for_superuser(client_for, superuser):
    assert client_for(superuser).get("/localities/nowhere/").status_code == NOT_FOUND


def memberships_snapshot(locality):
    return sorted(locality.memberships.values_list("user__username", "role"))


WRITES = {
    "member-add": {"identifier": "newcomer", "role": "editor"},
    "member-role": {"role": "lead"},
    "member-remove": {},
}


@pytest.mark.parametrize("action", list(WRITES))
@pytest.mark.parametrize("role", ["editor", "viewer", "outsider", "reviewer"])
def test_refused_writes_change_nothing(client_for, users, target, locality, action, role):
    type(target.user).objects.create(username="newcomer")
    before = memberships_snapshot(locality)
    response = client_for(users[role]).post(
        member_urls("northgate", target.pk)[action], WRITES[action]
    )
    assert response.status_code == MANAGERS[role]
    assert memberships_snapshot(locality) == before


@pytest.mark.parametrize("action", list(WRITES))
def test_anonymous_writes_change_nothing(client, target, locality, action):
    type(target.user).objects.create(username="newcomer")
    before = memberships_snapshot(locality)
    response = client.post(member_urls("northgate", target.pk)[action], WRITES[action])
    assert response.status_code == FOUND
    assert memberships_snapshot(locality) == before


@pytest.mark.parametrize("role", ["lead", "superuser"])
def test_lead_and_superuser_can_add_a_member(client_for, users, locality, target, role):
    type(target.user).objects.create(username="newcomer")
    response = client_for(users[role]).post(
        reverse("localities:member-add", args=["northgate"]),
        {"identifier": "newcomer", "role": "editor"},
    )
    assert response.status_code == FOUND
    assert locality.memberships.get(user__username="newcomer").role == "editor"


@pytest.mark.parametrize("role", ["lead", "superuser"])
def test_lead_and_superuser_can_change_a_role(client_for, users, target, role):
    client_for(users[role]).post(
        reverse("localities:member-role", args=["northgate", target.pk]), {"role": "editor"}
    )
    target.refresh_from_db()
    assert target.role == "editor"


@pytest.mark.parametrize("role", ["lead", "superuser"])
def test_lead_and_superuser_can_remove_a_member(client_for, users, target, role):
    client_for(users[role]).post(reverse("localities:member-remove", args=["northgate", target.pk]))
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_member_of_another_locality_cannot_act_on_its_members(
    client_for, lead, other_locality, outsider
):
    """A lead's power stops at their own locality: a membership elsewhere is 404."""
    theirs = other_locality.memberships.get(user=outsider)
    response = client_for(lead).post(
        reverse("localities:member-role", args=["northgate", theirs.pk]), {"role": "viewer"}
    )
    assert response.status_code == NOT_FOUND
    theirs.refresh_from_db()
    assert theirs.role == "lead"


def test_locality_list_shows_only_own_localities_to_members(client_for, outsider, locality):
    response = client_for(outsider).get(reverse("localities:list"))
    assert [loc.slug for loc in response.context["localities"]] == ["riverside"]


def test_reviewer_sees_every_locality_in_list(client_for, reviewer, locality, other_locality):
    response = client_for(reviewer).get(reverse("localities:list"))
    assert {loc.slug for loc in response.context["localities"]} == {"northgate", "riverside"}


def test_dashboard_shows_member_role(client_for, editor, other_locality):
    response = client_for(editor).get(reverse("dashboard"))
    [shown] = response.context["localities"]
    assert (shown.slug, shown.my_role) == ("northgate", "Editor")
    assert b"Your role: Editor" in response.content


def test_inactive_reviewer_sees_nothing(client_for, reviewer, locality):
    reviewer.is_active = False
    reviewer.save()
    response = client_for(reviewer).get(reverse("localities:detail", args=["northgate"]))
    assert response.status_code == FOUND


def test_staff_without_reviewer_group_sees_only_memberships(client_for, db, locality):
    from tests.localities.factories import UserFactory

    staff = UserFactory(username="staffer", is_staff=True)
    response = client_for(staff).get(reverse("localities:detail", args=["northgate"]))
    assert response.status_code == NOT_FOUND


@pytest.mark.parametrize(
    ("role", "expected"),
    [("reviewer", OK), ("superuser", OK), ("lead", FOUND), ("editor", FOUND)],
)
def test_admin_is_for_staff(client_for, users, role, expected):
    assert client_for(users[role]).get(reverse("admin:index")).status_code == expected


def test_reviewer_can_read_localities_in_admin_but_not_change(client_for, reviewer, locality):
    client = client_for(reviewer)
    assert client.get(reverse("admin:localities_locality_changelist")).status_code == OK
    response = client.post(
        reverse("admin:localities_locality_change", args=[locality.pk]),
        {"name": "Renamed", "slug": "northgate", "area": "x"},
    )
    assert response.status_code == FORBIDDEN
    locality.refresh_from_db()
    assert locality.name == "Northgate"
