"""Issue 12 on paper: the blueprint PDF and the locality report show each delivery
challenge's questions with their status and answer, and each prototype's results (reach,
hours, cost, cost per family or "not reached", measures, decision), in a number of queries
that does not grow with them."""

from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse

from blueprints import services
from blueprints.exports import pdf
from blueprints.models import DeliveryQuestion, Prototype
from blueprints.services import MeasureRow
from tests.blueprints.test_exports_pdf import (  # noqa: F401
    blueprint,
    pages_text,
    pdf_url,
    queries_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def results(blueprint, editor):  # noqa: F811
    """The PDF's blueprint with an answered question and a prototype's results."""
    challenge = blueprint.delivery_challenges.get()
    question = challenge.questions.get()
    services.update_delivery_question(
        question=question,
        status=DeliveryQuestion.Status.ANSWERED,
        answer="Being thanked by name at the end of each term.",
        answered_on=date(2026, 6, 1),
        owner=editor,
        by=editor,
    )
    services.create_delivery_question(challenge=challenge, text="Who trains the guides?", by=editor)
    visits = blueprint.prototypes.get()
    services.update_prototype(
        prototype=visits,
        questions=[question],
        families_reached=10,
        hardest_to_reach=4,
        staff_hours=Decimal("22.5"),
        volunteer_hours=Decimal("40"),
        cash_cost=Decimal("300"),
        in_kind_value=Decimal("150"),
        income=Decimal("50"),
        in_kind_description="The library's community room",
        by=editor,
    )
    services.set_prototype_measures(
        prototype=visits,
        measures=[
            MeasureRow("Came to a first session", "families", Decimal(2), Decimal(6), Decimal(8))
        ],
        by=editor,
    )
    services.create_prototype(
        blueprint=blueprint,
        title="Stalls at the market",
        status=Prototype.Status.FINISHED,
        families_reached=0,
        cash_cost=Decimal("80"),
        by=editor,
    )
    blueprint.refresh_from_db()
    return blueprint


def pdf_text(client, blueprint) -> str:  # noqa: F811
    response = client.get(pdf_url(blueprint))
    assert response.status_code == HTTPStatus.OK
    return " ".join(pages_text(response.content))


def test_pdf_shows_questions_with_their_status_and_answer(client, results, editor, viewer):
    client.force_login(viewer)
    text = pdf_text(client, results)
    for expected in (
        "Answered: What would make a parent volunteer again?",
        "Answer, 1 Jun 2026: Being thanked by name at the end of each term.",
        "Open: Who trains the guides?",
        f"(owner: {editor.get_full_name()})",
    ):
        assert expected in text, expected


def test_pdf_shows_a_prototypes_results_and_cost_per_family(client, results, viewer):
    client.force_login(viewer)
    text = pdf_text(client, results)
    for expected in (
        "Questions tested: What would make a parent volunteer again? (answered)",
        "Families reached: 10, of them 4 hardest to reach",
        "Hours: 22.5 staff, 40 volunteer",
        "£300.00 cash, £150.00 in kind, less £50.00 income: £400.00 net",
        "Cost per family: £40.00",
        "Given in kind: The library's community room",
        "Came to a first session (families) 2 6 8",
        "Decision: Adapt",
    ):
        assert expected in text, expected


def test_pdf_says_not_reached_when_no_family_was_reached(client, results, viewer):
    client.force_login(viewer)
    text = pdf_text(client, results)
    market = text[text.index("Stalls at the market") :]
    assert "Families reached: 0" in market
    assert "Cost per family: not reached" in market


def test_a_planned_prototype_shows_no_results(client, blueprint, editor, viewer):  # noqa: F811
    services.create_prototype(blueprint=blueprint, title="Leaflets in the GP surgery", by=editor)
    client.force_login(viewer)
    text = pdf_text(client, blueprint)
    start = text.index("Leaflets in the GP surgery")
    leaflets = text[start : text.index("Parent guide visits for ten families", start)]
    assert "Decision: Undecided" in leaflets
    assert "Cost per family" not in leaflets


def test_pdf_query_count_does_not_grow_with_questions_and_measures(
    client, results, editor, viewer, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(pdf, "RENDER_SECONDS", pdf.WORKER_RENDER_SECONDS)
    client.force_login(viewer)
    queries_for(client, results)  # the first request also reads what the process keeps
    small = queries_for(client, results)
    challenge = results.delivery_challenges.get()
    visits = results.prototypes.get(title="Parent guide visits for ten families")
    for n in range(15):
        question = services.create_delivery_question(
            challenge=challenge, text=f"Question {n}", owner=editor, by=editor
        )
        services.update_prototype(
            prototype=visits, questions=[*visits.questions.all(), question], by=editor
        )
    services.set_prototype_measures(
        prototype=visits, measures=[MeasureRow(f"Measure {n}") for n in range(12)], by=editor
    )
    cache.clear()
    with django_assert_max_num_queries(small) as big:
        response = client.get(pdf_url(results))
    assert response.status_code == HTTPStatus.OK
    assert "Question 14" in " ".join(pages_text(response.content))
    assert len(big) == small


def test_the_locality_report_shows_questions_and_results(client, results, viewer):
    client.force_login(viewer)
    response = client.get(reverse("blueprints:locality-report-pdf", args=["northgate"]))
    assert response.status_code == HTTPStatus.OK
    text = " ".join(pages_text(response.content))
    for expected in (
        "Answered: What would make a parent volunteer again?",
        "Being thanked by name at the end of each term.",
        "Cost per family: £40.00",
        "Cost per family: not reached",
        "Came to a first session",
    ):
        assert expected in text, expected
