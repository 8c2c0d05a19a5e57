"""Issue 12 in the comparison of two versions: a question's words, status and answer, and a
prototype's results and measures, as a reader follows them; snapshots from before issue 12
(questions as text, no results) still compare."""

import copy
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, DeliveryChallenge, Prototype
from blueprints.review import actions as review_actions
from blueprints.services import MeasureRow
from blueprints.versions.diff import FieldChange, ItemChange, diff_versions
from tests.blueprints.factories import BlueprintFactory, with_review_state
from tests.blueprints.test_versions_diff import old  # noqa: F401


def question(pk, text, **fields):
    return {
        "ref": f"question-{pk}",
        "id": pk,
        "text": text,
        "status": fields.get("status", "open"),
        "owner": None,
        "answer": fields.get("answer", ""),
        "answered_on": fields.get("answered_on"),
        "insights": [],
        "ideas": [],
    }


@pytest.fixture
def now(old):  # noqa: F811
    """The hand-built snapshot as issue 12 writes it: questions as objects, results."""
    document = copy.deepcopy(old)
    document["delivery_challenges"][0]["questions"] = [question(50, "Who?"), question(51, "Where?")]
    document["prototypes"][0].update(
        questions=[],
        families_reached=None,
        hardest_to_reach=None,
        staff_hours=None,
        volunteer_hours=None,
        cash_cost=None,
        in_kind_description="",
        in_kind_value=None,
        income=None,
        measures=[],
    )
    return document


def test_identical_versions_with_questions_have_no_difference(now):
    assert diff_versions(now, copy.deepcopy(now)).is_empty


def test_an_answered_question_shows_its_status_answer_and_date(now):
    new = copy.deepcopy(now)
    new["delivery_challenges"][0]["questions"][0].update(
        status="answered", answer="Dads, mostly.", answered_on="2026-05-01"
    )
    diff = diff_versions(now, new)
    assert diff.questions.changed == [
        ItemChange(
            "Who?",
            [
                FieldChange("status", "open", "answered"),
                FieldChange("answer", "", "Dads, mostly."),
                FieldChange("answered_on", None, "2026-05-01"),
            ],
        )
    ]
    assert not diff.challenges
    assert not diff.is_empty


def test_questions_added_removed_and_reworded(now):
    new = copy.deepcopy(now)
    held = new["delivery_challenges"][0]["questions"]
    held[0]["text"] = "Who exactly?"
    del held[1]
    held.append(question(52, "When?"))
    diff = diff_versions(now, new)
    assert diff.questions.added == ["When?"]
    assert diff.questions.removed == ["Where?"]
    assert diff.questions.changed == [
        ItemChange("Who exactly?", [FieldChange("text", "Who?", "Who exactly?")])
    ]


def test_a_snapshot_from_before_compares_its_questions_by_their_words(old, now):  # noqa: F811
    diff = diff_versions(old, now)  # old holds "Who?" as text, now "Who?" and "Where?"
    assert diff.questions.added == ["Where?"]
    assert diff.questions.removed == []
    assert diff.questions.changed == []
    assert not diff.prototypes  # no results before is no results now


def test_a_prototypes_results_and_measures_are_compared(now):
    new = copy.deepcopy(now)
    new["prototypes"][0].update(families_reached=10, cash_cost="300.00")
    new["prototypes"][0]["measures"] = [
        {
            "name": "Came back",
            "unit": "families",
            "baseline": "2.00",
            "target": "6.00",
            "actual": "8.00",
        }
    ]
    diff = diff_versions(now, new)
    assert diff.prototypes.changed == [
        ItemChange(
            "Navigator",
            [
                FieldChange("families_reached", None, 10),
                FieldChange("cash_cost", None, "300.00"),
                FieldChange(
                    "measures",
                    "",
                    "Came back (families): baseline 2.00, target 6.00, actual 8.00",
                ),
            ],
        )
    ]


@pytest.mark.django_db
def test_the_comparison_page_shows_questions_and_results_in_words(
    client_for, viewer, editor, locality
):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    challenge = services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        title="Keeping volunteers",
        questions=["Why do they leave?"],
        by=editor,
    )
    prototype = services.create_prototype(
        blueprint=blueprint, title="Ten walks", status=Prototype.Status.FINISHED, by=editor
    )
    review_actions.submit(blueprint=blueprint, by=editor)
    with_review_state(blueprint, Blueprint.ReviewState.DRAFT)
    services.update_delivery_question(
        question=challenge.questions.get(),
        status="answered",
        answer="The rota is too heavy.",
        answered_on=date(2026, 5, 2),
        by=editor,
    )
    services.update_prototype(prototype=prototype, families_reached=0, by=editor)
    services.set_prototype_measures(
        prototype=prototype, measures=[MeasureRow("Came back", actual=Decimal(8))], by=editor
    )
    review_actions.submit(blueprint=Blueprint.objects.get(pk=blueprint.pk), by=editor)
    url = reverse("blueprints:versions-compare", args=[locality.slug, blueprint.pk])
    html = client_for(viewer).get(url + "?old=1&new=2").content.decode()
    assert "Delivery questions" in html
    assert "question: Why do they leave?" in html
    assert "The rota is too heavy." in html
    assert "Families reached" in html
    assert "Came back: baseline –, target –, actual 8.00" in html
