"""The portfolio: every site side by side, for reviewers and superusers only."""

import csv
import io
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from blueprints.models import DeliveryChallenge, Prototype, ReviewTransition
from blueprints.portfolio import build_portfolio
from blueprints.review import actions as review_actions
from localities.models import Locality
from tests.blueprints.factories import BlueprintFactory, PrototypeFactory
from tests.blueprints.test_admin_progress import build_site, queries_for
from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db

T = DeliveryChallenge.Theme
D = Prototype.Decision


def page():
    return reverse("portfolio:index")


def export():
    return reverse("portfolio:export")


# Who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["reviewer", "superuser"])
@pytest.mark.parametrize("url", [page, export])
def test_reviewers_and_superusers_see_the_portfolio(name, url, users, client_for):
    assert client_for(users[name]).get(url()).status_code == HTTPStatus.OK


@pytest.mark.parametrize("name", ["lead", "editor", "viewer", "outsider"])
@pytest.mark.parametrize("url", [page, export])
def test_locality_members_get_404(name, url, users, client_for):
    assert client_for(users[name]).get(url()).status_code == HTTPStatus.NOT_FOUND


def test_staff_outside_the_reviewers_group_get_404(client_for, django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    assert client_for(staff).get(page()).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("url", [page, export])
def test_anonymous_people_are_sent_to_log_in(url, client_for):
    response = client_for(None).get(url())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


# The figures ---------------------------------------------------------------------------


@pytest.fixture
def four_sites(superuser):
    """Engaging families at three sites (common), volunteering at two, space at one."""
    a, _ = build_site(LocalityFactory(name="Alder"), themes=[T.ENGAGING_FAMILIES] * 2)
    b, _ = build_site(LocalityFactory(name="Birch"), themes=[T.ENGAGING_FAMILIES, T.VOLUNTEERING])
    c, _ = build_site(
        LocalityFactory(name="Cedar"),
        themes=[T.ENGAGING_FAMILIES, T.VOLUNTEERING, T.USE_OF_SPACE],
    )
    d = LocalityFactory(name="Dale")  # nothing yet
    return a, b, c, d


def theme_row(portfolio, theme):
    return next(row for row in portfolio.themes if row.theme == theme)


def test_the_theme_table_counts_challenges_by_theme_and_site(four_sites):
    portfolio = build_portfolio(Locality.objects.all())
    assert [site.locality.name for site in portfolio.sites] == ["Alder", "Birch", "Cedar", "Dale"]
    assert theme_row(portfolio, T.ENGAGING_FAMILIES).counts == [2, 1, 1, 0]
    assert theme_row(portfolio, T.VOLUNTEERING).counts == [0, 1, 1, 0]
    assert theme_row(portfolio, T.USE_OF_SPACE).counts == [0, 0, 1, 0]
    assert theme_row(portfolio, T.OTHER).counts == [0, 0, 0, 0]


def test_a_theme_met_by_three_sites_is_common_and_two_is_not(four_sites):
    portfolio = build_portfolio(Locality.objects.all())
    assert [row.theme for row in portfolio.common_themes] == [T.ENGAGING_FAMILIES]
    assert theme_row(portfolio, T.ENGAGING_FAMILIES).site_count == 3
    assert not theme_row(portfolio, T.VOLUNTEERING).common


def test_the_page_marks_common_themes_in_words(four_sites, client_for, reviewer):
    content = client_for(reviewer).get(page()).content.decode()
    assert "Common to 3 or more sites: <strong>Engaging with families</strong> (3 sites)" in content
    assertInHTML('<span class="badge text-bg-dark">common</span>', content, count=1)


def test_prototypes_are_counted_by_status_and_decision(locality):
    _, blueprint = build_site(locality, decisions=[D.ADOPT, D.ADOPT, D.DROP])
    PrototypeFactory(blueprint=blueprint, status=Prototype.Status.RUNNING)
    site = build_portfolio(Locality.objects.all()).sites[0]
    assert site.prototypes_by_decision == {"undecided": 1, "adopt": 2, "adapt": 0, "drop": 1}
    assert site.prototypes_by_status == {"planned": 0, "running": 1, "finished": 3}
    assert site.decisions_summary == "4 prototypes: 2 adopt, 1 drop, 1 undecided"


def test_steps_done_follow_the_method(locality, other_locality):
    build_site(locality, decisions=[D.ADOPT], themes=[T.OTHER])
    sites = build_portfolio(Locality.objects.all()).sites
    assert [(s.locality.name, s.steps_done, s.steps_total) for s in sites] == [
        ("Northgate", 8, 9),
        ("Riverside", 0, 9),
    ]


def test_a_submitted_blueprint_shows_days_since_its_latest_submission(locality, editor, lead):
    _, blueprint = build_site(locality)
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.withdraw(blueprint=blueprint, by=lead)
    review_actions.submit(blueprint=blueprint, by=editor)
    first, _, latest = ReviewTransition.objects.filter(blueprint=blueprint).order_by("pk")
    now = timezone.now()
    ReviewTransition.objects.filter(pk=first.pk).update(at=now - timedelta(days=20))
    ReviewTransition.objects.filter(pk=latest.pk).update(at=now - timedelta(days=6, hours=1))
    site = build_portfolio(Locality.objects.all(), now=now).sites[0]
    assert site.blueprint_state_label == "Submitted"
    assert site.pending_days == 6


def test_a_blueprint_not_submitted_has_no_pending_age(locality, editor, reviewer):
    _, blueprint = build_site(locality)
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.request_changes(
        blueprint=blueprint, by=reviewer, note="More on the first visit."
    )
    site = build_portfolio(Locality.objects.all()).sites[0]
    assert site.blueprint_state_label == "Changes requested"
    assert site.pending_days is None


def test_the_state_is_the_top_ideas_blueprints_not_a_later_one(locality, editor):
    _, blueprint = build_site(locality)
    review_actions.submit(blueprint=blueprint, by=editor)
    BlueprintFactory(locality=locality, title="A later draft")
    site = build_portfolio(Locality.objects.all()).sites[0]
    assert site.blueprint_state == "submitted"


def test_the_page_shows_the_pending_age(locality, editor, client_for, reviewer):
    _, blueprint = build_site(locality)
    review_actions.submit(blueprint=blueprint, by=editor)
    ReviewTransition.objects.update(at=timezone.now() - timedelta(days=9, hours=2))
    content = client_for(reviewer).get(page()).content.decode()
    assert "9 days" in content


# CSV -----------------------------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_locality_with_the_figures(four_sites, client_for, reviewer):
    rows = read_csv(client_for(reviewer).get(export()))
    assert [row["locality"] for row in rows] == ["Alder", "Birch", "Cedar", "Dale"]
    alder = rows[0]
    assert alder["steps done"] == "7"  # no prototypes yet
    assert alder["top idea"] == "Alder idea"
    assert alder["blueprint state"] == "Draft"
    assert alder["delivery challenges: Engaging with families"] == "2"
    assert rows[3]["blueprint state"] == "no blueprint yet"


def test_the_csv_gives_days_pending_and_decisions(locality, editor, client_for, reviewer):
    _, blueprint = build_site(locality, decisions=[D.ADAPT])
    review_actions.submit(blueprint=blueprint, by=editor)
    ReviewTransition.objects.update(at=timezone.now() - timedelta(days=3, hours=1))
    row = read_csv(client_for(reviewer).get(export()))[0]
    assert row["days since submitted"] == "3"
    assert row["decision adapt"] == "1"
    assert row["prototypes finished"] == "1"


def test_the_csv_keeps_formulas_as_text(client_for, reviewer):
    LocalityFactory(name="=HYPERLINK(1)", area="+44 area")
    row = read_csv(client_for(reviewer).get(export()))[0]
    assert row["locality"] == "'=HYPERLINK(1)"
    assert row["area"] == "'+44 area"


# Queries -------------------------------------------------------------------------------


def test_the_portfolio_costs_the_same_queries_for_2_or_50_localities(
    client_for, reviewer, superuser, django_assert_max_num_queries
):
    """The page and its export over the same sites: building 48 is most of the time."""
    client = client_for(reviewer)
    for _ in range(2):
        locality, _ = build_site(
            decisions=[D.ADOPT], themes=[T.VOLUNTEERING], state="submitted", editor=superuser
        )
    few = {}
    for url in (page, export):
        with django_assert_max_num_queries(8):
            few[url] = queries_for(client, url(), shows=locality.name)
    for _ in range(48):
        locality, _ = build_site(
            decisions=[D.ADOPT], themes=[T.VOLUNTEERING], state="submitted", editor=superuser
        )
    for url in (page, export):
        with django_assert_max_num_queries(8):
            many = queries_for(client, url(), shows=locality.name)
        assert few[url] == many, url.__name__


def test_a_submission_of_today_waits_under_a_day(locality, editor, client_for, reviewer):
    _, blueprint = build_site(locality)
    review_actions.submit(blueprint=blueprint, by=editor)
    content = client_for(reviewer).get(page()).content.decode()
    assert "under a day" in content
