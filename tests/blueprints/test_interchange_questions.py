"""Issue 12 in the JSON file: a delivery challenge's questions travel as pieces of work
(status, owner, answer, evidence) and a prototype's results, measures and the questions it
tested travel with it; a round trip gives them back. Files from before keep importing."""

import copy
import json
from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints import services
from blueprints.content_fields import RESULT_FIELDS
from blueprints.interchange import json_export
from blueprints.interchange.json_import import import_blueprint
from blueprints.interchange.problems import ImportProblems
from blueprints.interchange.schema import json_schema, parse_document
from blueprints.models import Blueprint, DeliveryQuestion, Prototype, PrototypeMeasure
from blueprints.services import MeasureRow
from consultations.models import Idea
from tests.blueprints.test_exports_json import (  # noqa: F401
    as_upload,
    blueprint,
    import_url,
    normalised,
)
from tests.blueprints.test_interchange_schema import conforms
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(blueprint, editor, locality):  # noqa: F811
    """The exports' blueprint with its questions worked on and a prototype's results."""
    challenge = blueprint.delivery_challenges.get(title="Keeping volunteers")
    leave, stay = challenge.questions.order_by("position")
    trust = locality.insights.get(statement="Parents trust other parents")
    services.update_delivery_question(
        question=leave,
        status=DeliveryQuestion.Status.ANSWERED,
        owner=editor,
        answer="They leave when the rota is too heavy.",
        answered_on=date(2026, 5, 2),
        insights=[trust],
        ideas=[blueprint.idea],
        by=editor,
    )
    services.update_delivery_question(
        question=stay, status=DeliveryQuestion.Status.TESTING, by=editor
    )
    walks = blueprint.prototypes.get(title="Ten walks")
    services.update_prototype(
        prototype=walks,
        questions=[leave, stay],
        families_reached=10,
        hardest_to_reach=3,
        staff_hours=Decimal("12.5"),
        volunteer_hours=Decimal("30"),
        cash_cost=Decimal("450.50"),
        in_kind_description="A room at the library",
        in_kind_value=Decimal("60"),
        income=Decimal("10"),
        by=editor,
    )
    services.set_prototype_measures(
        prototype=walks,
        measures=[
            MeasureRow(
                "Families at a first session", "families", Decimal(2), Decimal(6), Decimal(8)
            ),
            MeasureRow("Change in waiting time", "days", None, Decimal("-3"), Decimal("-4.5")),
        ],
        by=editor,
    )
    return Blueprint.objects.select_related("locality", "idea").get(pk=blueprint.pk)


def challenge_of(document, title="Keeping volunteers"):
    return next(c for c in document["delivery_challenges"] if c["title"] == title)


def prototype_of(document, title="Ten walks"):
    return next(p for p in document["prototypes"] if p["title"] == title)


def test_questions_export_as_pieces_of_work(worked):
    document = json_export.export_document(worked)
    leave, stay = challenge_of(document)["questions"]
    assert leave == {
        "ref": leave["ref"],
        "text": "Why do they leave?",
        "status": "answered",
        "owner": "editor",
        "answer": "They leave when the rota is too heavy.",
        "answered_on": "2026-05-02",
        "insights": ["Parents trust other parents"],
        "ideas": ["Welcome walks"],
    }
    assert stay["status"] == "testing"
    assert stay["owner"] is None
    assert challenge_of(document, "Space")["questions"] == []


def test_prototype_exports_its_results_measures_and_questions(worked):
    document = json_export.export_document(worked)
    refs = [q["ref"] for q in challenge_of(document)["questions"]]
    walks = prototype_of(document)
    assert walks["questions"] == refs
    assert walks["families_reached"] == 10
    assert walks["hardest_to_reach"] == 3
    assert walks["staff_hours"] == "12.5"
    assert walks["cash_cost"] == "450.50"
    assert walks["in_kind_description"] == "A room at the library"
    assert walks["income"] == "10.00"
    assert walks["measures"][1] == {
        "name": "Change in waiting time",
        "unit": "days",
        "baseline": None,
        "target": "-3.00",
        "actual": "-4.50",
    }
    leaflets = prototype_of(document, "Leaflets")
    assert leaflets["questions"] == []
    assert leaflets["measures"] == []
    assert leaflets["families_reached"] is None


def test_export_then_import_reproduces_questions_links_and_results(client, worked, editor):
    client.force_login(editor)
    response = client.post(import_url(), {"file": as_upload(json_export.export_document(worked))})
    assert response.status_code == HTTPStatus.FOUND
    imported = Blueprint.objects.exclude(pk=worked.pk).get()
    assert normalised(imported) == normalised(worked)
    walks = imported.prototypes.get(title="Ten walks")
    assert walks.cost_per_family == Decimal("50.05")
    assert {q.text for q in walks.questions.all()} == {
        "Why do they leave?",
        "What helps them stay?",
    }
    assert all(q.challenge.blueprint_id == imported.pk for q in walks.questions.all())
    answered = DeliveryQuestion.objects.get(
        challenge__blueprint=imported, status=DeliveryQuestion.Status.ANSWERED
    )
    assert answered.owner == editor
    assert answered.answered_on == date(2026, 5, 2)
    assert answered.published_at is None  # publishing is each site's own choice


def test_import_elsewhere_leaves_out_owners_and_ideas_it_cannot_find(
    client, worked, other_locality, outsider
):
    IdeaFactory(locality=other_locality, title="Something else")
    client.force_login(outsider)
    response = client.post(
        import_url("riverside"),
        {"file": as_upload(json_export.export_document(worked))},
        follow=True,
    )
    page = response.content.decode()
    assert "not a member of Riverside (editor) have no owner yet" in page
    assert "1 idea cited by questions in the file is not recorded in Riverside" in page
    answered = DeliveryQuestion.objects.get(
        challenge__blueprint__locality=other_locality, status=DeliveryQuestion.Status.ANSWERED
    )
    assert answered.owner is None
    assert not answered.ideas.exists()
    assert answered.answer == "They leave when the rota is too heavy."


def test_import_matches_question_evidence_by_text_in_the_locality(worked, other_locality, outsider):
    trust = InsightFactory(locality=other_locality, statement="Parents trust other parents")
    idea = IdeaFactory(
        locality=other_locality, title="Welcome walks", status=Idea.Status.SHORTLISTED
    )
    document = parse_document(json_export.export_document(worked))
    result = import_blueprint(locality=other_locality, document=document, by=outsider)
    answered = DeliveryQuestion.objects.get(
        challenge__blueprint=result.blueprint, status=DeliveryQuestion.Status.ANSWERED
    )
    assert list(answered.insights.all()) == [trust]
    assert list(answered.ideas.all()) == [idea]
    assert result.unmatched_ideas == []


# Files from before issue 12 ------------------------------------------------------------


def older_file(blueprint) -> dict:  # noqa: F811
    """The blueprint's export as version 1 wrote it before issue 12."""
    document = json_export.export_document(blueprint)
    for challenge in document["delivery_challenges"]:
        challenge["questions"] = "\n".join(q["text"] for q in challenge["questions"])
    for prototype in document["prototypes"]:
        for name in ("questions", "measures", *RESULT_FIELDS):
            del prototype[name]
    return document


def without_prototypes(document: dict) -> dict:
    return {name: part for name, part in document.items() if name != "prototypes"}


def test_a_file_from_before_with_questions_as_lines_still_imports(client, blueprint, editor):  # noqa: F811
    document = older_file(blueprint)
    challenge_of(document)["questions"] = "Why do they leave?\n\n  What helps them stay?  \n"
    client.force_login(editor)
    response = client.post(import_url(), {"file": as_upload(document)})
    assert response.status_code == HTTPStatus.FOUND
    imported = Blueprint.objects.exclude(pk=blueprint.pk).get()
    # The same but for the prototypes: "Ten walks" is decided with no result in this file
    # (see test_a_decision_without_a_result_in_the_file_imports_undecided).
    assert without_prototypes(normalised(imported)) == without_prototypes(normalised(blueprint))
    texts = list(
        DeliveryQuestion.objects.filter(challenge__blueprint=imported).values_list("text", "status")
    )
    assert texts == [("Why do they leave?", "open"), ("What helps them stay?", "open")]


def test_a_file_from_before_conforms_to_the_schema(blueprint):  # noqa: F811
    schema = json_schema(schema_id="https://example.org/schema")
    assert conforms(older_file(blueprint), schema, schema) == []


def test_an_export_with_results_conforms_to_the_schema(worked):
    schema = json_schema(schema_id="https://example.org/schema")
    assert conforms(json_export.export_document(worked), schema, schema) == []


def test_a_decision_from_before_on_an_unfinished_prototype_imports_undecided(
    client,
    blueprint,  # noqa: F811
    editor,
):
    document = older_file(blueprint)
    prototype_of(document, "Leaflets")["decision"] = "adopt"  # planned, and decided
    prototype_of(document)["families_reached"] = 8  # "Ten walks" decided, with a result
    client.force_login(editor)
    response = client.post(import_url(), {"file": as_upload(document)}, follow=True)
    assert "so these are undecided: Leaflets." in response.content.decode()
    imported = Blueprint.objects.exclude(pk=blueprint.pk).get()
    assert imported.prototypes.get(title="Leaflets").decision == Prototype.Decision.UNDECIDED
    assert imported.prototypes.get(title="Ten walks").decision == Prototype.Decision.ADOPT


def test_a_decision_without_a_result_in_the_file_imports_undecided(
    client,
    blueprint,  # noqa: F811
    editor,
):
    """A decision needs a result (the families reached, or a measure's actual): a file
    from before results deciding a finished prototype imports it undecided, and says so."""
    document = older_file(blueprint)
    client.force_login(editor)
    response = client.post(import_url(), {"file": as_upload(document)}, follow=True)
    page = response.content.decode()
    assert "a result (the families reached, or what a measure came to)" in page
    assert "so these are undecided: Ten walks." in page
    imported = Blueprint.objects.exclude(pk=blueprint.pk).get()
    walks = imported.prototypes.get(title="Ten walks")
    assert (walks.decision, walks.learning) == (Prototype.Decision.UNDECIDED, "Eight of ten came.")


def test_a_decision_resting_on_a_measure_alone_imports_decided(worked, client, editor):
    document = json_export.export_document(worked)
    walks = prototype_of(document)
    walks["families_reached"] = walks["hardest_to_reach"] = None
    client.force_login(editor)
    response = client.post(import_url(), {"file": as_upload(document)}, follow=True)
    assert "so these are undecided" not in response.content.decode()
    imported = Blueprint.objects.exclude(pk=worked.pk).get().prototypes.get(title="Ten walks")
    assert imported.decision == Prototype.Decision.ADOPT
    assert imported.families_reached is None
    assert imported.measures.filter(actual__isnull=False).count() == 2


# Bad files -----------------------------------------------------------------------------


def changed(worked, change) -> dict:
    document = copy.deepcopy(json_export.export_document(worked))
    change(document)
    return document


BAD = {
    "a prototype tests a question not in the file": (
        lambda d: prototype_of(d)["questions"].append("question-99"),
        "Prototype {n}'s questions refers to a question that is not in the file: question-99.",
    ),
    "an answered question without its answer": (
        lambda d: challenge_of(d)["questions"][0].update(answer=" "),
        "is answered, so it needs its answer and the date answered.",
    ),
    "negative hours": (
        lambda d: prototype_of(d).update(staff_hours="-2"),
        "Prototype {n}'s staff hours should be from 0 to 999,999.9.",
    ),
    "a cost that is not a number": (
        lambda d: prototype_of(d).update(cash_cost="lots"),
        "Prototype {n}'s cash cost should be an amount such as",
    ),
    "a measure's actual that is not a number": (
        lambda d: prototype_of(d)["measures"][0].update(actual="eight"),
        "Prototype {n}'s measures (item 1), “actual” should be an amount such as",
    ),
    "more hardest to reach than reached": (
        lambda d: prototype_of(d).update(hardest_to_reach=11),
        "Prototype {n}'s hardest to reach is more than the families reached.",
    ),
    "families reached not a whole number": (
        lambda d: prototype_of(d).update(families_reached=2.5),
        "Prototype {n}'s families reached should be a whole number, 0 or more, or null.",
    ),
    "a question ref used twice": (
        lambda d: challenge_of(d)["questions"][1].update(
            ref=challenge_of(d)["questions"][0]["ref"]
        ),
        "is used twice.",
    ),
    "questions that are neither text nor a list": (
        lambda d: challenge_of(d).update(questions=7),
        "questions should be a list of questions.",
    ),
    "a question in two lines": (
        lambda d: challenge_of(d)["questions"][0].update(text="Why\nnot?"),
        "contains a line break or other control character",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_question_or_result_is_told_and_saves_nothing(client, worked, editor, case):
    change, message = BAD[case]
    before = (
        Blueprint.objects.count(),
        DeliveryQuestion.objects.count(),
        PrototypeMeasure.objects.count(),
    )
    client.force_login(editor)
    response = client.post(import_url(), {"file": as_upload(changed(worked, change))})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert "nothing has been saved" in page
    # Prototypes are in start-date order, and databases put "no date" first or last.
    titles = [p["title"] for p in json_export.export_document(worked)["prototypes"]]
    message = message.format(n=titles.index("Ten walks") + 1)
    assert message in page, page[-2000:]
    after = (
        Blueprint.objects.count(),
        DeliveryQuestion.objects.count(),
        PrototypeMeasure.objects.count(),
    )
    assert after == before


def test_the_parsed_problem_names_the_question(worked):
    document = changed(worked, lambda d: challenge_of(d)["questions"][1].update(status="done"))
    with pytest.raises(ImportProblems) as problems:
        parse_document(document)
    # The challenge is then not read, so what refers to it says so too, as for a card.
    assert problems.value.problems[0] == (
        "Delivery challenge 1's questions (item 2), “status” should be one of "
        "open, testing, answered, parked."
    )


# Cost ----------------------------------------------------------------------------------


def test_export_query_count_does_not_grow_with_questions(client, worked, editor, viewer):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("blueprints:export-json", args=["northgate", worked.pk]))
        assert response.status_code == HTTPStatus.OK
        json.loads(response.content)
        return len(queries)

    client.force_login(viewer)
    small = count_queries()
    challenge = worked.delivery_challenges.first()
    walks = worked.prototypes.get(title="Ten walks")
    for n in range(12):
        question = services.create_delivery_question(
            challenge=challenge, text=f"Question {n}", owner=editor, by=editor
        )
        services.update_delivery_question(question=question, ideas=[worked.idea], by=editor)
        services.update_prototype(
            prototype=walks, questions=[*walks.questions.all(), question], by=editor
        )
    services.set_prototype_measures(
        prototype=walks, measures=[MeasureRow(f"M{n}") for n in range(10)], by=editor
    )
    assert count_queries() == small


# The schema ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("definition", "field", "model"),
    [
        ("QuestionItem", "text", DeliveryQuestion),
        ("QuestionItem", "answer", DeliveryQuestion),
        ("MeasureItem", "name", PrototypeMeasure),
        ("MeasureItem", "unit", PrototypeMeasure),
        ("PrototypeItem", "in_kind_description", Prototype),
    ],
)
def test_the_new_lengths_are_the_models_lengths(definition, field, model):
    schema = json_schema(schema_id="https://example.org/schema")
    declared = schema["$defs"][definition]["properties"][field]
    assert declared["maxLength"] == model._meta.get_field(field).max_length


def test_a_questions_status_is_one_of_the_models(worked):
    schema = json_schema(schema_id="https://example.org/schema")
    status = schema["$defs"]["QuestionItem"]["properties"]["status"]
    assert status["enum"] == list(DeliveryQuestion.Status.values)


def test_the_schema_allows_a_challenges_questions_in_either_form():
    schema = json_schema(schema_id="https://example.org/schema")
    questions = schema["$defs"]["DeliveryChallengeItem"]["properties"]["questions"]
    kinds = [option.get("type") for option in questions["anyOf"]]
    assert kinds == ["array", "string"]


def test_older_questions_with_tabs_import_as_one_line_each(blueprint, locality, editor):  # noqa: F811
    document = older_file(blueprint)
    challenge_of(document)["questions"] = "Who\tcomes?\r\n\n  Who   stays?"
    result = import_blueprint(locality=locality, document=parse_document(document), by=editor)
    texts = DeliveryQuestion.objects.filter(challenge__blueprint=result.blueprint).values_list(
        "text", flat=True
    )
    assert list(texts) == ["Who comes?", "Who stays?"]
