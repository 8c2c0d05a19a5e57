"""The admin for community resources: reviewers read every site's, only superusers change
them, and a role's months are checked in the admin as on the resources page."""

import datetime
from html import escape
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from localities.models import Contribution, VolunteerMonth
from localities.permissions import REVIEWER_GROUP
from tests.localities.factories import PartnerFactory, SpaceFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db

MODELS = ["space", "partner", "contribution", "volunteerrole"]


@pytest.fixture
def records(locality):
    partner = PartnerFactory(locality=locality)
    return {
        "space": SpaceFactory(locality=locality),
        "partner": partner,
        "contribution": Contribution.objects.create(
            partner=partner, kind="money", value=50, status_on=datetime.date(2026, 11, 1)
        ),
        "volunteerrole": VolunteerRoleFactory(locality=locality),
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
    # A contribution's row leads with its partner.
    shown = records["partner"] if model == "contribution" else records[model]
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
    assert not VolunteerMonth.objects.exists()
