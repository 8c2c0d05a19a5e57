"""The capacity check where people read it (issue 15, item 5): in the editor's header and on
the prototypes page, in words and a chart, to everyone who can read the blueprint."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.blueprints.factories import BlueprintFactory, PrototypeFactory
from tests.blueprints.test_capacity import money, named_everything, needing, role_with, set_limit
from tests.blueprints.test_editor_grid import MAX_EDITOR_QUERIES
from tests.localities.factories import PartnerFactory

pytestmark = pytest.mark.django_db

SHORTFALL = "Volunteering: 30 hours a week needed, 24 available — 6 short"


def editor_url(blueprint):
    return reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])


def prototypes_url(blueprint):
    return reverse("blueprints:prototype-list", args=[blueprint.locality.slug, blueprint.pk])


@pytest.fixture
def short_blueprint(blueprint):
    """30 volunteer hours a week needed of 4 active volunteers with a 6-hour limit."""
    set_limit(blueprint.locality, Decimal(6))
    needing(blueprint, role_with(blueprint.locality, active=4), 10, 20)
    return blueprint


@pytest.mark.parametrize("role", ["viewer", "editor", "lead", "reviewer", "superuser"])
@pytest.mark.parametrize("url", [editor_url, prototypes_url], ids=["editor", "prototypes"])
def test_everyone_who_reads_the_blueprint_sees_its_shortfall(
    client_for, users, role, url, short_blueprint
):
    response = client_for(users[role]).get(url(short_blueprint))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert SHORTFALL in page
    assert "6 volunteer hours a week short" in page


@pytest.mark.parametrize("url", [editor_url, prototypes_url], ids=["editor", "prototypes"])
def test_an_outsider_gets_404_and_no_figures(client_for, outsider, url, short_blueprint):
    response = client_for(outsider).get(url(short_blueprint))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "hours a week needed" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, short_blueprint):
    response = client.get(editor_url(short_blueprint))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/accounts/login/")


def test_the_editor_shows_the_check_as_a_one_line_disclosure_with_a_chart(
    client_for, viewer, short_blueprint
):
    page = client_for(viewer).get(editor_url(short_blueprint)).content.decode()
    header = page[page.index('class="bp-header') : page.index("</dl>")]
    assert '<details class="bp-capacity">' in header
    assert '<span class="bp-capacity-short">6 volunteer hours a week short</span>' in header
    assert 'role="img" aria-labelledby="bp-capacity-chart-title"' in header
    assert (
        '<title id="bp-capacity-chart-title">Capacity, needed against available: '
        "Welcome walk guides: 30 hours a week needed, 24 available" in header
    )


def test_a_blueprint_naming_no_resources_adds_nothing_to_the_editor(client_for, viewer, blueprint):
    page = client_for(viewer).get(editor_url(blueprint)).content.decode()
    # Only the empty holder a card's change may fill (hidden by the stylesheet while empty).
    assert '<div id="bp-capacity" class="bp-capacity-fact"></div>' in page
    assert '<details class="bp-capacity">' not in page
    assert "<dt>Capacity</dt>" not in page


def test_a_blueprint_without_shortfalls_says_so_in_its_one_line(client_for, viewer, blueprint):
    school = PartnerFactory(locality=blueprint.locality)
    money(school, "delivered", "500")
    PrototypeFactory(blueprint=blueprint, cost=Decimal(100)).partners.add(school)
    page = client_for(viewer).get(editor_url(blueprint)).content.decode()
    assert "<summary>No shortfalls</summary>" in page
    assert "— covered" in page


def test_what_resources_are_called_is_text(client_for, viewer, blueprint):
    set_limit(blueprint.locality, Decimal(6))
    role = role_with(blueprint.locality, active=1, name="<b>Guides</b> & co")
    needing(blueprint, role, 10)
    page = client_for(viewer).get(editor_url(blueprint)).content.decode()
    assert "<b>Guides</b>" not in page
    assert "&lt;b&gt;Guides&lt;/b&gt; &amp; co: 10 hours a week needed" in page


def test_the_editor_with_its_check_costs_the_same_queries_at_10_and_300_cards(
    client_for, editor, locality, django_assert_max_num_queries
):
    client = client_for(editor)
    small, large = (BlueprintFactory(locality=locality) for _ in range(2))
    named_everything(small, 10)
    named_everything(large, 300)
    client.get(editor_url(small))  # warm the session
    with django_assert_max_num_queries(MAX_EDITOR_QUERIES) as few:
        response = client.get(editor_url(small))
    assert response.status_code == HTTPStatus.OK
    assert "Volunteering: 20 hours a week needed" in response.content.decode()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(editor_url(large))
    assert "Volunteering: 600 hours a week needed" in response.content.decode()


def test_the_prototypes_page_says_quietly_when_nothing_is_named(client_for, viewer, blueprint):
    page = client_for(viewer).get(prototypes_url(blueprint)).content.decode()
    assert "No volunteer roles, spaces or partners are named" in page
