"""The blueprint PDF's "Capacity" section (issue 15, item 5): the shortfalls in words, read
back from the PDF, and a chart tagged as a figure with the figures as its alternative text;
the headings stay in order, and a change to the site's volunteers is not hidden by the cache.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from localities.models import VolunteerMonth
from tests.blueprints.test_capacity import needing, open_on, role_with, set_limit
from tests.blueprints.test_exports_pdf_tagged import blueprint_pdf, heading_levels, structure
from tests.localities.factories import SpaceFactory

pytestmark = pytest.mark.django_db

SHORTFALL = "Volunteering: 30 hours a week needed, 24 available — 6 short."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def short_blueprint(blueprint):
    set_limit(blueprint.locality, Decimal(6))
    needing(blueprint, role_with(blueprint.locality, active=4), 10, 20)
    hall = SpaceFactory(locality=blueprint.locality, name="St Mark's hall")
    open_on(hall, out_of_hours=True)
    card = blueprint.cards.first()
    card.space = hall
    card.save()
    return blueprint


def text_of(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


@pytest.mark.parametrize("paper", ["a3", "a4"])
def test_the_pdf_says_the_shortfall_in_words(client, viewer, short_blueprint, paper):
    text = text_of(blueprint_pdf(client, viewer, short_blueprint, paper))
    assert "Capacity" in text
    assert SHORTFALL in text
    assert "St Mark's hall, open out of hours: no one named to staff it" in text


def test_the_chart_is_a_figure_whose_alternative_text_gives_the_figures(
    client, viewer, short_blueprint
):
    content = blueprint_pdf(client, viewer, short_blueprint)
    figures = [element for element in structure(content) if element["type"] == "Figure"]
    alts = [figure["alt"] for figure in figures if "Capacity" in (figure["alt"] or "")]
    assert len(alts) == 1
    assert alts[0].startswith("Capacity, needed against available: Welcome walk guides: 30")
    assert "24 available (4 active × 6 hours) — 6 short" in alts[0]


def test_the_capacity_heading_keeps_the_headings_in_order(client, viewer, short_blueprint):
    levels = heading_levels(blueprint_pdf(client, viewer, short_blueprint))
    assert levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def test_a_blueprint_naming_nothing_says_so_quietly(client, viewer, blueprint):
    text = text_of(blueprint_pdf(client, viewer, blueprint))
    assert "No volunteer roles, spaces or partners are named" in text
    assert "hours a week needed" not in text


def test_new_volunteer_figures_make_a_new_pdf_not_the_cached_one(client, viewer, short_blueprint):
    assert SHORTFALL in text_of(blueprint_pdf(client, viewer, short_blueprint))
    role = short_blueprint.cards.exclude(volunteer_role=None).first().volunteer_role
    VolunteerMonth.objects.create(
        role=role, month=datetime.date(2026, 11, 1), trained=1, active=5
    )  # the blueprint's version does not move
    text = text_of(blueprint_pdf(client, viewer, short_blueprint))
    assert "Volunteering: 30 hours a week needed, 30 available — enough." in text
