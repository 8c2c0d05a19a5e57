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

from blueprints.models import Card
from consultations.models import Idea
from localities.models import Contribution, Opening, VolunteerMonth
from tests.blueprints.factories import BlueprintFactory, fill_grid
from tests.consultations.factories import IdeaFactory
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


def blueprint_needing(locality, role, *hours, **fields):
    """A blueprint of the locality whose cards need these volunteer hours a week of `role`."""
    blueprint = BlueprintFactory(locality=locality, **fields)
    cards = fill_grid(blueprint, len(hours))
    for card, figure in zip(cards, hours, strict=True):
        card.volunteer_role, card.volunteer_hours = role, Decimal(figure)
    Card.objects.bulk_update(cards, ["volunteer_role", "volunteer_hours"])
    return blueprint


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
    assert "Short by 6 hours" in response.content.decode()


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


def test_what_partners_give_besides_money_and_in_kind_is_counted_by_kind(
    client_for, reviewer, locality
):
    contribution(locality, "referrals", "delivered", None)
    contribution(locality, "referrals", "pledged", None)
    contribution(locality, "staff_time", "asked", None)
    contribution(locality, "money", "pledged", Decimal("10"))
    client = client_for(reviewer)
    page = client.get(PAGE)
    assert "also referrals (2), staff time (1)" in page.text
    rows = list(csv.DictReader(io.StringIO(client.get(CSV).content.decode("utf-8-sig"))))
    northgate = next(row for row in rows if row["locality"] == "Northgate")
    assert northgate["other contributions"] == "referrals (2), staff time (1)"


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
            role = volunteering(locality, needed=Decimal(8), active=2, limit=Decimal(3))
            blueprint_needing(locality, role, 4, 5)
            contribution(locality, "money", "pledged", Decimal(10))
            SpaceFactory(locality=locality)

    client = client_for(reviewer)
    sites(6)
    with django_assert_max_num_queries(13) as few:
        response = client.get(PAGE)
    assert response.status_code == HTTPStatus.OK
    sites(144)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(PAGE)
    assert len(response.context["sites"]) == 150
    assert response.context["sites"][-1].blueprint_shortfall == Decimal(3)


# What each site's blueprint needs -------------------------------------------------------


def test_a_sites_blueprint_needing_30_hours_of_4_volunteers_of_6_is_short_by_6(
    client_for, reviewer, locality
):
    role = volunteering(locality, needed=Decimal(12), active=4, limit=Decimal(6))
    blueprint_needing(locality, role, 10, 20, title="Welcome walks")
    response = client_for(reviewer).get(PAGE)
    site = row_of(response, "Northgate")
    assert (site.blueprint_title, site.blueprint_hours_needed) == ("Welcome walks", Decimal(30))
    assert site.blueprint_shortfall == Decimal(6)
    assert site.shortfall == Decimal(0)  # the roles' own figure (12) is met
    page = response.content.decode()
    assert "short by 6</strong>" in page
    assert "Leans most on volunteers: <strong>Northgate</strong>" in page


def test_the_top_ideas_blueprint_speaks_for_the_site_over_a_later_one(
    client_for, reviewer, locality
):
    role = volunteering(locality, needed=Decimal(12), active=4, limit=Decimal(6))
    chosen = IdeaFactory(locality=locality, status=Idea.Status.CHOSEN)
    blueprint_needing(locality, role, 8, title="Top idea's walks", idea=chosen)
    blueprint_needing(locality, role, 40, title="A later draft")
    site = row_of(client_for(reviewer).get(PAGE), "Northgate")
    assert (site.blueprint_title, site.blueprint_of_top_idea) == ("Top idea's walks", True)
    assert site.blueprint_hours_needed == Decimal(8)


def test_without_a_top_idea_the_latest_blueprint_speaks_for_the_site(
    client_for, reviewer, locality
):
    role = volunteering(locality, needed=Decimal(12), active=4, limit=Decimal(6))
    blueprint_needing(locality, role, 8, title="First draft")
    blueprint_needing(locality, role, 40, title="Second draft")
    response = client_for(reviewer).get(PAGE)
    site = row_of(response, "Northgate")
    assert (site.blueprint_title, site.blueprint_of_top_idea) == ("Second draft", False)
    assert (site.blueprint_hours_needed, site.blueprint_shortfall) == (Decimal(40), Decimal(16))
    assert "Second draft</a> (the latest)" in response.content.decode()


def test_a_blueprint_need_of_a_role_without_volunteers_is_unknown_not_zero(
    client_for, reviewer, locality
):
    locality.volunteer_hours_limit = Decimal(6)
    locality.save()
    blueprint_needing(locality, VolunteerRoleFactory(locality=locality), 10)
    response = client_for(reviewer).get(PAGE)
    assert row_of(response, "Northgate").blueprint_shortfall is None
    assert "unknown: no volunteers recorded" in response.content.decode()


def test_the_csv_names_each_sites_blueprint_with_its_need_and_shortfall(
    client_for, reviewer, locality
):
    role = volunteering(locality, needed=Decimal(12), active=4, limit=Decimal(6))
    blueprint_needing(locality, role, 30, title="=Welcome walks")
    LocalityFactory(name="Riverside")
    response = client_for(reviewer).get(CSV)
    rows = {
        row["locality"]: row
        for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    }
    northgate = rows["Northgate"]
    assert northgate["blueprint"] == "'=Welcome walks"
    assert northgate["volunteer hours a week its blueprint needs"] == "30.0"
    assert northgate["blueprint's shortfall in hours a week"] == "6.0"
    assert rows["Riverside"]["blueprint"] == ""
