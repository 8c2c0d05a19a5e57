"""The portfolio's community resources (issue 15, item 6): every site's volunteering,
partners and spaces side by side, for reviewers only, with CSV, in a fixed number of
queries."""

import csv
import datetime
import io
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from localities.models import Contribution, Opening, VolunteerMonth
from tests.localities.factories import (
    LocalityFactory,
    PartnerFactory,
    SpaceFactory,
    VolunteerRoleFactory,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("portfolio:resources")
CSV = reverse("portfolio:resources-export")
OCTOBER = datetime.date(2026, 10, 1)


def volunteering(locality, *, needed, active, limit):
    locality.volunteer_hours_limit = limit
    locality.save()
    role = VolunteerRoleFactory(locality=locality, hours_needed=needed)
    VolunteerMonth.objects.create(role=role, month=OCTOBER, trained=active, active=active)
    return role


def contribution(locality, kind, status, value):
    return Contribution.objects.create(
        partner=PartnerFactory(locality=locality),
        kind=kind,
        value=value,
        status=status,
        status_on=OCTOBER,
    )


def row_of(response, name):
    rows = {row.locality.name: row for row in response.context["sites"]}
    return rows[name]


@pytest.mark.parametrize("path", [PAGE, CSV])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("reviewer", HTTPStatus.OK),
        ("superuser", HTTPStatus.OK),
        ("lead", HTTPStatus.NOT_FOUND),
        ("editor", HTTPStatus.NOT_FOUND),
        ("viewer", HTTPStatus.NOT_FOUND),
    ],
)
def test_only_reviewers_and_superusers_see_the_resources(client_for, users, path, who, status):
    assert client_for(users[who]).get(path).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/accounts/login/")


def test_a_site_needing_30_hours_from_4_volunteers_of_6_hours_is_short_by_6(
    client_for, reviewer, locality
):
    volunteering(locality, needed=Decimal(30), active=4, limit=Decimal(6))
    response = client_for(reviewer).get(PAGE)
    site = row_of(response, "Northgate")
    assert (site.hours_available, site.shortfall) == (Decimal(24), Decimal(6))
    assert "Short by 6.0 hours" in response.content.decode()


def test_a_site_with_no_volunteers_says_so_not_zero_capacity(client_for, reviewer, locality):
    locality.volunteer_hours_limit = Decimal(6)
    locality.save()
    VolunteerRoleFactory(locality=locality, hours_needed=Decimal(10))
    response = client_for(reviewer).get(PAGE)
    site = row_of(response, "Northgate")
    assert (site.hours_available, site.shortfall) == (None, None)
    assert "No volunteers recorded" in response.content.decode()


def test_a_site_without_a_limit_has_unknown_hours(client_for, reviewer, locality):
    volunteering(locality, needed=Decimal(10), active=3, limit=None)
    response = client_for(reviewer).get(PAGE)
    assert row_of(response, "Northgate").hours_available is None
    assert "no limit of hours per volunteer set" in response.content.decode()


def test_only_each_roles_latest_month_counts_as_active(client_for, reviewer, locality):
    role = volunteering(locality, needed=Decimal(12), active=3, limit=Decimal(4))
    VolunteerMonth.objects.create(
        role=role, month=datetime.date(2026, 11, 1), trained=0, active=2, left_moved=1
    )
    site = row_of(client_for(reviewer).get(PAGE), "Northgate")
    assert (site.active, site.left, site.hours_available) == (2, 1, Decimal(8))


def test_partner_money_is_summed_by_status_and_in_kind_apart(client_for, reviewer, locality):
    contribution(locality, "money", "pledged", Decimal("500"))
    contribution(locality, "money", "pledged", Decimal("250.50"))
    contribution(locality, "money", "delivered", Decimal("100"))
    contribution(locality, "money", "asked", Decimal("900"))
    contribution(locality, "in_kind", "delivered", Decimal("40"))
    contribution(locality, "in_kind", "asked", Decimal("1000"))
    site = row_of(client_for(reviewer).get(PAGE), "Northgate")
    assert site.money == {
        "asked": Decimal("900"),
        "pledged": Decimal("750.50"),
        "delivered": Decimal("100"),
    }
    assert (site.in_kind, site.partners) == (Decimal("40"), 6)


def test_spaces_open_out_of_hours_are_counted(client_for, reviewer, locality):
    late = SpaceFactory(locality=locality)
    for start in (9, 18):
        Opening.objects.create(
            space=late,
            day=2,
            opens=datetime.time(start),
            closes=datetime.time(start + 2),
            out_of_hours=start == 18,
        )
    SpaceFactory(locality=locality)
    site = row_of(client_for(reviewer).get(PAGE), "Northgate")
    assert (site.spaces, site.out_of_hours_spaces) == (2, 1)


def test_the_csv_has_a_row_per_site_with_the_figures(client_for, reviewer, locality):
    volunteering(locality, needed=Decimal(30), active=4, limit=Decimal(6))
    contribution(locality, "money", "delivered", Decimal("120"))
    LocalityFactory(name="=Riverside")
    response = client_for(reviewer).get(CSV)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_name = {row["locality"]: row for row in rows}
    northgate = by_name["Northgate"]
    assert northgate["volunteer hours a week available"] == "24.0"
    assert northgate["shortfall in hours a week"] == "6.0"
    assert northgate["money delivered (£)"] == "120.00"
    # A name that a spreadsheet would run as a formula is kept as text.
    assert "'=Riverside" in by_name


def test_the_page_costs_the_same_queries_for_6_or_150_sites(
    client_for, reviewer, django_assert_max_num_queries
):
    def sites(count):
        for _ in range(count):
            locality = LocalityFactory()
            volunteering(locality, needed=Decimal(8), active=2, limit=Decimal(3))
            contribution(locality, "money", "pledged", Decimal(10))
            SpaceFactory(locality=locality)

    client = client_for(reviewer)
    sites(6)
    with django_assert_max_num_queries(12) as few:
        response = client.get(PAGE)
    assert response.status_code == HTTPStatus.OK
    sites(144)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(PAGE)
    assert len(response.context["sites"]) == 150
