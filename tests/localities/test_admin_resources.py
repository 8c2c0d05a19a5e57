"""The admin for community resources: reviewers read every site's, only superusers change
them, and a role's months are checked in the admin as on the resources page."""

import datetime
from html import escape
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from localities.models import Contribution, Opening, Space, VolunteerMonth
from localities.permissions import REVIEWER_GROUP
from tests.localities.factories import PartnerFactory, SpaceFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db

MODELS = ["space", "partner", "contribution", "volunteerrole", "volunteermonth"]


@pytest.fixture
def records(locality):
    partner = PartnerFactory(locality=locality)
    role = VolunteerRoleFactory(locality=locality)
    return {
        "space": SpaceFactory(locality=locality),
        "partner": partner,
        "contribution": Contribution.objects.create(
            partner=partner, kind="money", value=50, status_on=datetime.date(2026, 11, 1)
        ),
        "volunteerrole": role,
        "volunteermonth": VolunteerMonth.objects.create(
            role=VolunteerRoleFactory(locality=locality),
            month=datetime.date(2026, 10, 1),
            trained=2,
            active=2,
        ),
    }


def test_the_reviewer_group_may_view_resources_and_not_change_them():
    codenames = set(
        Group.objects.get(name=REVIEWER_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {f"view_{model}" for model in MODELS} <= codenames
    assert not {"change_space", "add_partner", "delete_volunteerrole"} & codenames


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("who", ["reviewer", "superuser"])
def test_staff_read_the_changelist_and_change_page(client_for, users, records, model, who):
    client = client_for(users[who])
    changelist = client.get(reverse(f"admin:localities_{model}_changelist"))
    assert changelist.status_code == HTTPStatus.OK
    # A contribution's row leads with its partner, a month's with its role.
    leads = {"contribution": records["partner"], "volunteermonth": records["volunteermonth"].role}
    shown = leads.get(model, records[model])
    assert escape(str(shown)) in changelist.content.decode()
    change = client.get(reverse(f"admin:localities_{model}_change", args=[records[model].pk]))
    assert change.status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", MODELS)
def test_a_reviewer_cannot_add_resources(client_for, users, model):
    response = client_for(users["reviewer"]).get(reverse(f"admin:localities_{model}_add"))
    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("who", ["lead", "editor", "viewer"])
def test_members_do_not_reach_the_admin(client_for, users, who):
    response = client_for(users[who]).get(reverse("admin:localities_space_changelist"))
    assert response.status_code == HTTPStatus.FOUND


def test_the_admin_refuses_a_month_with_more_active_than_trained(client_for, users, records):
    role = records["volunteerrole"]
    data = {
        "locality": role.locality.pk,
        "name": role.name,
        "tasks": role.tasks,
        "hours_needed": "12",
        "training": "",
        "supervision": "",
        "months-TOTAL_FORMS": "1",
        "months-INITIAL_FORMS": "0",
        "months-MIN_NUM_FORMS": "0",
        "months-MAX_NUM_FORMS": "1000",
        "months-0-month": "2026-10",
        "months-0-trained": "1",
        "months-0-active": "3",
        **{
            f"months-0-{name}": "0"
            for name in (
                "interested",
                "checked",
                "former_users",
                *VolunteerMonth.LEFT_FIELDS,
            )
        },
    }
    response = client_for(users["superuser"]).post(
        reverse("admin:localities_volunteerrole_change", args=[role.pk]), data
    )
    assert response.status_code == HTTPStatus.OK
    assert "At most 1 can be active" in response.content.decode()
    assert not VolunteerMonth.objects.filter(role=role).exists()


# Every kind listed by locality and filtered by what sorts it -------------------------------


@pytest.fixture
def two_sites(locality, other_locality):
    """One of everything in Northgate and in Riverside, told apart by their names."""
    riverside = other_locality
    made = {}
    for site, word in ((locality, "North"), (riverside, "River")):
        late = SpaceFactory(locality=site, name=f"{word} hall", kind="community_hall")
        Opening.objects.create(
            space=late,
            day=5,
            opens=datetime.time(18),
            closes=datetime.time(20),
            out_of_hours=True,
        )
        SpaceFactory(locality=site, name=f"{word} library", kind="library")
        partner = PartnerFactory(locality=site, organisation=f"{word} health", kind="health")
        for status in ("pledged", "delivered"):
            Contribution.objects.create(
                partner=partner,
                kind="money",
                value=100,
                description=f"{word} grant {status}",
                status=status,
                status_on=datetime.date(2026, 9, 1),
            )
        role = VolunteerRoleFactory(locality=site, name=f"{word} guide")
        for month, active in ((datetime.date(2026, 9, 1), 2), (datetime.date(2026, 10, 1), 3)):
            VolunteerMonth.objects.create(role=role, month=month, trained=3, active=active)
        made[word] = site
    # Riverside's hall has someone to open it; Northgate's has nobody named.
    Space.objects.filter(name="River hall").update(out_of_hours_staffed_by="Keyholder")
    return made


def listed(client, model, query=""):
    response = client.get(reverse(f"admin:localities_{model}_changelist") + query)
    assert response.status_code == HTTPStatus.OK
    return response.context["cl"].result_list


@pytest.mark.parametrize(
    ("model", "locality_filter"),
    [
        ("space", "locality__id__exact"),
        ("partner", "locality__id__exact"),
        ("contribution", "partner__locality__id__exact"),
        ("volunteerrole", "locality__id__exact"),
        ("volunteermonth", "role__locality__id__exact"),
    ],
)
def test_every_resource_lists_its_locality_and_filters_by_it(
    client_for, users, two_sites, model, locality_filter
):
    client = client_for(users["reviewer"])
    everything = listed(client, model)
    page = client.get(reverse(f"admin:localities_{model}_changelist")).content.decode()
    assert "Riverside" in page
    assert "Northgate" in page
    river = two_sites["River"]
    only = listed(client, model, f"?{locality_filter}={river.pk}")
    assert 0 < len(only) < len(everything)
    assert {str(row) for row in only} == {str(row) for row in everything if "River" in str(row)}


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        ("space", "?kind__exact=library", {"North library", "River library"}),
        ("space", "?out_of_hours=yes", {"North hall", "River hall"}),
        ("space", "?out_of_hours=unstaffed", {"North hall"}),
        ("space", "?out_of_hours=no", {"North library", "River library"}),
        ("partner", "?kind__exact=health", {"North health", "River health"}),
        ("partner", "?contributions__status__exact=pledged", {"North health", "River health"}),
        ("partner", "?contributions__status__exact=asked", set()),
        ("contribution", "?status__exact=pledged", {"North grant pledged", "River grant pledged"}),
        ("contribution", "?kind__exact=space", set()),
    ],
)
def test_resources_filter_by_kind_status_and_out_of_hours(
    client_for, users, two_sites, model, query, expected
):
    rows = listed(client_for(users["reviewer"]), model, query)
    names = {getattr(row, "description", None) or str(row) for row in rows}
    assert names == expected


def test_months_filter_by_month(client_for, users, two_sites):
    rows = listed(
        client_for(users["reviewer"]), "volunteermonth", "?month__year=2026&month__month=10"
    )
    assert sorted((row.role.name, row.active) for row in rows) == [
        ("North guide", 3),
        ("River guide", 3),
    ]


def test_a_role_lists_its_latest_month_and_active(client_for, users, two_sites):
    page = client_for(users["reviewer"]).get(reverse("admin:localities_volunteerrole_changelist"))
    assert "October 2026" in page.content.decode()
    rows = page.context["cl"].result_list
    assert {(row.name, row._latest_active) for row in rows} == {
        ("North guide", 3),
        ("River guide", 3),
    }


@pytest.mark.parametrize("action", ["add", "change", "delete"])
def test_months_are_changed_on_their_roles_page_only(client_for, users, records, action):
    month = records["volunteermonth"]
    args = [] if action == "add" else [month.pk]
    client = client_for(users["superuser"])
    response = client.get(reverse(f"admin:localities_volunteermonth_{action}", args=args))
    if action == "change":  # the superuser may look, as reviewers do, but not save
        assert response.status_code == HTTPStatus.OK
        assert "Save" not in response.content.decode()
        client.post(
            reverse("admin:localities_volunteermonth_change", args=[month.pk]),
            {"active": "9"},
        )
        month.refresh_from_db()
        assert month.active == 2
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN
