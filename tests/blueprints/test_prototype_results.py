"""A prototype's results (issue 12, item 3): what it reached, took and cost, what it
measured, cost per family reached, a decision that rests on a result, and the answers to
the questions it tested, recorded in the one prototype form; every bad input a message at
its field with nothing saved."""

import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blueprints import services
from blueprints.models import Prototype, PrototypeMeasure
from tests.blueprints.factories import (
    BlueprintFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
)
from tests.roles import CONTENT_EDITORS, READERS, ROLES

pytestmark = pytest.mark.django_db


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def to(name, blueprint, *more):
    return reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk, *more])


@pytest.fixture
def challenge(blueprint):
    return DeliveryChallengeFactory(
        blueprint=blueprint, questions=["Will dads come on a Saturday?", "Who should cook?"]
    )


@pytest.fixture
def questions(challenge):
    return list(challenge.questions.order_by("position"))


@pytest.fixture
def finished(blueprint, questions):
    """A finished, undecided prototype testing both questions."""
    return PrototypeFactory(
        blueprint=blueprint,
        title="Saturday brunch",
        status=Prototype.Status.FINISHED,
        learning="Dads came when given a job to do.",
        questions=questions,
    )


def form_data(prototype=None, measures=(), **changes) -> dict:
    """What the prototype form posts: the plan as it stands, the results and measure rows
    (with the formset's management form), then `changes`."""
    data = {
        "title": prototype.title if prototype else "Saturday brunch",
        "hypothesis": "",
        "method": "",
        "cost": "0",
        "risk": "low",
        "starts_on": "",
        "ends_on": "",
        "status": prototype.status if prototype else "planned",
        "learning": prototype.learning if prototype else "",
        "decision": prototype.decision if prototype else "undecided",
        "questions": [q.pk for q in prototype.questions.all()] if prototype else [],
        "families_reached": "",
        "hardest_to_reach": "",
        "staff_hours": "",
        "volunteer_hours": "",
        "cash_cost": "",
        "in_kind_description": "",
        "in_kind_value": "",
        "income": "",
        "measures-TOTAL_FORMS": str(len(measures)),
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(measures):
        for name in ("name", "unit", "baseline", "target", "actual"):
            data[f"measures-{n}-{name}"] = row.get(name, "")
    data.update(changes)
    return data


def decide(prototype, **changes) -> dict:
    return form_data(prototype, decision="adopt", families_reached="14", **changes)


# Cost per family -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("families", "cash", "in_kind", "income", "expected"),
    [
        (10, "100", "50", "30", Decimal("12.00")),  # (100 + 50 - 30) / 10
        (3, "100", None, None, Decimal("33.33")),
        (4, None, None, "20", Decimal("-5.00")),  # income beyond cost: a saving per family
        (0, "100", None, None, None),  # nobody reached: no division
        (None, "100", None, None, None),
        (5, None, None, None, None),  # no cost recorded
    ],
)
def test_cost_per_family(blueprint, families, cash, in_kind, income, expected):
    prototype = PrototypeFactory(
        blueprint=blueprint,
        families_reached=families,
        cash_cost=None if cash is None else Decimal(cash),
        in_kind_value=None if in_kind is None else Decimal(in_kind),
        income=None if income is None else Decimal(income),
    )
    assert prototype.cost_per_family == expected


@pytest.mark.parametrize(
    ("families", "shown"),
    [
        ("10", "£12.00"),
        ("0", "not reached (no family was reached)"),
        ("", "not recorded (families reached not recorded)"),
    ],
)
def test_the_page_shows_cost_per_family_in_words_when_no_family_was_reached(
    client_for, editor, viewer, blueprint, finished, families, shown
):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(
            finished, families_reached=families, cash_cost="100", in_kind_value="50", income="30"
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    page = client_for(viewer).get(to("prototype-detail", blueprint, finished.pk))
    assert page.status_code == HTTPStatus.OK
    assert re.search(r'id="cost-per-family">\s*(.*?)\s*</dd>', page.content.decode()).group(1) == (
        shown
    )


# Recording results ---------------------------------------------------------------------


def test_editor_records_results_and_measures_then_reads_them(
    client_for, editor, viewer, blueprint, finished
):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(
            finished,
            families_reached="14",
            hardest_to_reach="5",
            staff_hours="12.5",
            volunteer_hours="30",
            cash_cost="380",
            in_kind_description="The hub's kitchen, given by the council.",
            in_kind_value="120",
            income="0",
            measures=[
                {
                    "name": "Dads who came",
                    "unit": "dads",
                    "baseline": "0",
                    "target": "8",
                    "actual": "13",
                },
                {"name": "Came back", "unit": "dads", "target": "4"},
            ],
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    finished.refresh_from_db()
    assert (finished.families_reached, finished.hardest_to_reach, finished.staff_hours) == (
        14,
        5,
        Decimal("12.5"),
    )
    assert list(finished.measures.values_list("name", "target", "actual")) == [
        ("Dads who came", Decimal("8"), Decimal("13")),
        ("Came back", Decimal("4"), None),
    ]
    text = words(client_for(viewer).get(to("prototype-detail", blueprint, finished.pk)))
    assert "14, of them 5 among the hardest to reach" in text
    assert "Cost per family reached £35.71" in text  # (380 + 120) / 14
    assert "Dads who came dads 0.00 8.00 13.00" in text
    assert "Came back dads – 4.00 not yet" in text


def test_the_form_shows_saved_measures_and_removes_one_when_asked(
    client_for, editor, blueprint, finished
):
    services.set_prototype_measures(
        prototype=finished,
        measures=[services.MeasureRow("Dads", actual=Decimal(3)), services.MeasureRow("Kids")],
        by=editor,
    )
    client = client_for(editor)
    formset = client.get(to("prototype-update", blueprint, finished.pk)).context["measure_formset"]
    assert [form.initial["name"] for form in formset.forms if form.initial] == ["Dads", "Kids"]
    data = form_data(finished, measures=[{"name": "Dads", "actual": "3"}, {"name": "Kids"}])
    data.update({"measures-INITIAL_FORMS": "2", "measures-1-DELETE": "on"})
    assert client.post(to("prototype-update", blueprint, finished.pk), data).status_code == 302
    assert list(finished.measures.values_list("name", flat=True)) == ["Dads"]


def test_a_plan_posted_without_the_measure_rows_keeps_them(client_for, editor, blueprint, finished):
    services.set_prototype_measures(
        prototype=finished, measures=[services.MeasureRow("Dads")], by=editor
    )
    data = {k: v for k, v in form_data(finished, title="Renamed").items() if "measures" not in k}
    response = client_for(editor).post(to("prototype-update", blueprint, finished.pk), data)
    assert response.status_code == HTTPStatus.FOUND
    assert list(finished.measures.values_list("name", flat=True)) == ["Dads"]


# A decision needs a result -------------------------------------------------------------


def test_a_decision_without_a_result_is_refused_at_the_decision(
    client_for, editor, blueprint, finished
):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk), form_data(finished, decision="adopt")
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["decision"] == [
        "A decision needs a result: record the families reached, or what a measure actually "
        "came to, before deciding."
    ]
    assert "A decision needs a result" in words(response)
    finished.refresh_from_db()
    assert finished.decision == "undecided"


def test_a_new_prototype_decided_without_a_result_is_refused(client_for, editor, blueprint):
    response = client_for(editor).post(
        to("prototype-create", blueprint),
        form_data(status="finished", learning="It worked.", decision="drop"),
    )
    assert "decision" in response.context["form"].errors
    assert not Prototype.objects.exists()


def test_a_measure_without_an_actual_is_no_result(client_for, editor, blueprint, finished):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(finished, decision="adapt", measures=[{"name": "Dads", "target": "8"}]),
    )
    assert "decision" in response.context["form"].errors
    assert not PrototypeMeasure.objects.exists()


@pytest.mark.parametrize(
    "result",
    [
        {"families_reached": "0"},  # nobody came: a result too
        {"measures": [{"name": "Dads who came", "actual": "13"}]},
    ],
)
def test_families_reached_or_a_measures_actual_is_a_result(
    client_for, editor, blueprint, finished, result
):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(finished, decision="drop", **result),
    )
    assert response.status_code == HTTPStatus.FOUND
    finished.refresh_from_db()
    assert finished.decision == "drop"


def test_the_service_refuses_a_decision_without_a_result(editor, finished):
    with pytest.raises(ValidationError) as refused:
        services.update_prototype(prototype=finished, decision="adopt", by=editor)
    assert list(refused.value.message_dict) == ["decision"]
    with pytest.raises(ValidationError):
        services.update_prototype(
            prototype=finished,
            decision="adopt",
            measures=[services.MeasureRow("Dads", target=Decimal(8))],
            by=editor,
        )
    finished.refresh_from_db()
    assert (finished.decision, finished.measures.count()) == ("undecided", 0)
    decided = services.update_prototype(
        prototype=finished,
        decision="adopt",
        measures=[services.MeasureRow("Dads", actual=Decimal(13))],
        by=editor,
    )
    assert decided.decision == "adopt"


DECIDED = {"title": "Dads' breakfast", "status": "finished", "learning": "Dads came."}


def test_a_new_prototype_decided_without_a_result_is_refused_by_the_service(editor, blueprint):
    """`create_prototype`, as the form, the demo files and the JSON import call it: refused
    at the decision, and nothing saved (not the prototype, not a new version)."""
    version = blueprint.version
    measures = [services.MeasureRow("Dads", target=Decimal(8))]  # a target is no result
    for given in ({}, {"measures": measures}):
        with pytest.raises(ValidationError) as refused:
            services.create_prototype(
                blueprint=blueprint, decision="adapt", by=editor, **DECIDED, **given
            )
        assert refused.value.message_dict == {"decision": [services.DECISION_NEEDS_RESULT]}
    assert not Prototype.objects.exists()
    assert not PrototypeMeasure.objects.exists()
    blueprint.refresh_from_db()
    assert blueprint.version == version


@pytest.mark.parametrize(
    "result",
    [
        {"families_reached": 0},
        {"measures": [services.MeasureRow("Dads", actual=Decimal(13))]},
    ],
)
def test_a_new_prototype_decided_with_a_result_is_saved(editor, blueprint, result):
    created = services.create_prototype(
        blueprint=blueprint, decision="drop", by=editor, **DECIDED, **result
    )
    assert Prototype.objects.get(pk=created.pk).decision == "drop"


def test_a_new_undecided_prototype_needs_no_result(editor, blueprint):
    created = services.create_prototype(blueprint=blueprint, by=editor, **DECIDED)
    assert (created.decision, created.families_reached) == ("undecided", None)


def test_a_decided_prototype_cannot_lose_its_result(editor, finished):
    services.update_prototype(prototype=finished, decision="adopt", families_reached=9, by=editor)
    with pytest.raises(ValidationError) as refused:
        services.update_prototype(prototype=finished, families_reached=None, by=editor)
    assert "decision" in refused.value.message_dict
    services.set_prototype_measures(
        prototype=finished, measures=[services.MeasureRow("Dads", actual=Decimal(9))], by=editor
    )
    services.update_prototype(prototype=finished, families_reached=None, by=editor)
    with pytest.raises(ValidationError):
        services.set_prototype_measures(prototype=finished, measures=[], by=editor)
    assert finished.measures.count() == 1


def test_a_decision_recorded_before_the_rule_does_not_block_other_edits(editor, blueprint):
    """Decided prototypes stored without results before the rule can still be renamed;
    the rule is asked when a decision or a result changes."""
    old = PrototypeFactory(
        blueprint=blueprint, status="finished", learning="Eight of ten families came."
    )
    Prototype.objects.filter(pk=old.pk).update(decision="adopt")  # as stored before the rule
    old.refresh_from_db()
    assert (old.decision, old.families_reached) == ("adopt", None)
    renamed = services.update_prototype(prototype=old, title="Renamed", by=editor)
    assert renamed.title == "Renamed"


# Other bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("families_reached", "Families reached cannot be negative; enter 0 if none."),
        ("staff_hours", "Staff hours cannot be negative; enter 0 if none."),
        ("volunteer_hours", "Volunteer hours cannot be negative; enter 0 if none."),
        ("cash_cost", "The cash cost cannot be negative; enter 0 if none."),
        (
            "in_kind_value",
            "The value of what was given in kind cannot be negative; enter 0 if none.",
        ),
        ("income", "Income cannot be negative; enter 0 if none."),
    ],
)
def test_negative_hours_or_costs_are_refused_at_their_field(
    client_for, editor, blueprint, finished, field, message
):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(finished, title="Changed", **{field: "-1"}),
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors[field] == [message]
    finished.refresh_from_db()
    assert finished.title == "Saturday brunch"


@pytest.mark.parametrize("value", ["lots", "NaN", "1,5", "Infinity"])
@pytest.mark.parametrize("field", ["actual", "baseline", "target"])
def test_measure_values_that_are_not_numbers_are_refused_at_the_field(
    client_for, editor, blueprint, finished, field, value
):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(finished, title="Changed", measures=[{"name": "Dads", field: value}]),
    )
    assert response.status_code == HTTPStatus.OK
    formset = response.context["measure_formset"]
    assert formset.forms[0].errors[field] == ["Enter a number, e.g. 12 or 3.5."]
    assert "Please correct what was measured below; nothing has been saved yet." in words(response)
    finished.refresh_from_db()
    assert (finished.title, finished.measures.count()) == ("Saturday brunch", 0)


def test_a_measure_with_numbers_but_no_name_is_refused(client_for, editor, blueprint, finished):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(finished, measures=[{"actual": "4"}]),
    )
    assert response.context["measure_formset"].forms[0].errors["name"] == [
        "Name what was measured; to add nothing, leave the row blank (or tick “Delete” "
        "on a saved one)."
    ]
    assert not PrototypeMeasure.objects.exists()


def test_more_hardest_to_reach_than_reached_is_refused(client_for, editor, blueprint, finished):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(finished, families_reached="3", hardest_to_reach="4"),
    )
    assert response.context["form"].errors["hardest_to_reach"] == [
        "This cannot be more than the families reached."
    ]
    finished.refresh_from_db()
    assert finished.families_reached is None


def test_a_question_of_another_blueprint_is_refused(client_for, editor, blueprint, finished):
    theirs = DeliveryChallengeFactory(
        blueprint=BlueprintFactory(locality=blueprint.locality)
    ).questions.first()
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(finished, questions=[theirs.pk], families_reached="3"),
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["questions"] == [
        "Choose questions of this blueprint's delivery challenges only."
    ]
    finished.refresh_from_db()
    assert (finished.families_reached, finished.questions.count()) == (None, 2)


def test_the_service_refuses_a_question_of_another_blueprint(editor, blueprint, finished):
    theirs = DeliveryChallengeFactory().questions.first()
    with pytest.raises(ValidationError) as refused:
        services.update_prototype(prototype=finished, questions=[theirs], by=editor)
    assert list(refused.value.message_dict) == ["questions"]


# Answering the questions it tested -----------------------------------------------------


def test_deciding_answers_one_question_and_leaves_the_other(
    client_for, editor, viewer, blueprint, finished, questions
):
    first, second = questions
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        decide(
            finished,
            **{
                f"question-{first.pk}-status": "answered",
                f"question-{first.pk}-answer": "Yes, when they are given a job to do.",
                f"question-{second.pk}-status": "open",
                f"question-{second.pk}-answer": "",
            },
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.answer, first.decided_by) == (
        "answered",
        "Yes, when they are given a job to do.",
        editor,
    )
    assert first.answered_on is not None
    assert (second.status, second.history.count()) == ("open", 1)  # untouched
    text = words(client_for(viewer).get(to("prototype-detail", blueprint, finished.pk)))
    assert "Will dads come on a Saturday? (" in text
    assert "answered) Answer: Yes, when they are given a job to do." in text


def test_a_decided_prototype_reopens_a_question(client_for, editor, blueprint, finished, questions):
    first = questions[0]
    services.update_prototype(prototype=finished, decision="adopt", families_reached=3, by=editor)
    services.update_delivery_question(question=first, status="answered", answer="Yes.", by=editor)
    finished.refresh_from_db()
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(
            finished,
            families_reached="3",
            **{f"question-{first.pk}-status": "open", f"question-{first.pk}-answer": "Yes."},
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    first.refresh_from_db()
    assert first.status == "open"


def test_an_answer_without_words_is_refused_at_that_question_and_nothing_is_saved(
    client_for, editor, blueprint, finished, questions
):
    first = questions[0]
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        decide(finished, **{f"question-{first.pk}-status": "answered"}),
    )
    assert response.status_code == HTTPStatus.OK
    answer_form = next(f for f in response.context["answer_forms"] if f.question == first)
    assert answer_form.errors["answer"] == ["Say what the answer is."]
    assert "Please correct the answers below; nothing has been saved yet." in words(response)
    finished.refresh_from_db()
    first.refresh_from_db()
    assert (finished.decision, finished.families_reached, first.status) == (
        "undecided",
        None,
        "open",
    )


def test_questions_are_answered_only_once_the_prototype_is_decided(
    client_for, editor, blueprint, finished, questions
):
    first = questions[0]
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk),
        form_data(
            finished,
            families_reached="5",
            **{f"question-{first.pk}-status": "answered", f"question-{first.pk}-answer": "Yes"},
        ),
    )
    assert response.context["form"].errors["decision"] == [
        "Decide the prototype before answering the questions it tested."
    ]
    finished.refresh_from_db()
    first.refresh_from_db()
    assert (finished.families_reached, first.status) == (None, "open")


def test_the_service_answers_only_questions_the_prototype_tests(editor, blueprint, finished):
    untested = DeliveryChallengeFactory(blueprint=blueprint).questions.first()
    with pytest.raises(ValidationError) as refused:
        services.update_prototype(
            prototype=finished,
            decision="adopt",
            families_reached=4,
            answers=[services.QuestionAnswer(untested, "answered", "Yes.")],
            by=editor,
        )
    assert list(refused.value.message_dict) == ["questions"]
    finished.refresh_from_db()
    untested.refresh_from_db()
    assert (finished.decision, untested.status) == ("undecided", "open")


def test_the_answer_forms_come_only_on_a_prototype_that_tests_questions(
    client_for, editor, blueprint, finished
):
    client = client_for(editor)
    assert (
        len(client.get(to("prototype-update", blueprint, finished.pk)).context["answer_forms"]) == 2
    )
    other = PrototypeFactory(blueprint=blueprint)
    response = client.get(to("prototype-update", blueprint, other.pk))
    assert response.context["answer_forms"] == []
    assert "The questions it tested" not in words(response)


# Who may record results ----------------------------------------------------------------


def test_an_anonymous_visitor_recording_results_is_sent_to_log_in(client, blueprint, finished):
    response = client.post(to("prototype-update", blueprint, finished.pk), decide(finished))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))
    finished.refresh_from_db()
    assert finished.decision == "undecided"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_record_results_and_answers(
    client_for, users, blueprint, finished, questions, role
):
    first = questions[0]
    response = client_for(users[role]).post(
        to("prototype-update", blueprint, finished.pk),
        decide(
            finished,
            **{f"question-{first.pk}-status": "answered", f"question-{first.pk}-answer": "Yes."},
        ),
    )
    expected = CONTENT_EDITORS[role]
    assert response.status_code == (HTTPStatus.FOUND if expected == HTTPStatus.OK else expected)
    finished.refresh_from_db()
    first.refresh_from_db()
    saved = expected == HTTPStatus.OK
    assert (finished.decision == "adopt", first.status == "answered") == (saved, saved)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_the_results(client_for, users, blueprint, finished, role):
    response = client_for(users[role]).get(to("prototype-detail", blueprint, finished.pk))
    assert response.status_code == READERS[role]
    if response.status_code == HTTPStatus.OK:
        assert "Cost per family reached" in words(response)


# Query budget --------------------------------------------------------------------------


def _with_results(blueprint, editor, count: int) -> Prototype:
    challenge = DeliveryChallengeFactory(
        blueprint=blueprint, questions=[f"Question {n}?" for n in range(count)]
    )
    prototype = PrototypeFactory(
        blueprint=blueprint,
        status="finished",
        learning="Learned.",
        questions=list(challenge.questions.all()),
        families_reached=count,
        cash_cost=Decimal(100),
    )
    services.set_prototype_measures(
        prototype=prototype,
        measures=[services.MeasureRow(f"Measure {n}", actual=Decimal(n)) for n in range(count)],
        by=editor,
    )
    return prototype


@pytest.mark.parametrize("page", ["prototype-detail", "prototype-update"])
def test_the_pages_cost_the_same_queries_with_few_or_many_results(
    client_for, editor, blueprint, django_assert_max_num_queries, page
):
    small = _with_results(blueprint, editor, 1)
    large = _with_results(BlueprintFactory(locality=blueprint.locality), editor, 25)
    client = client_for(editor)
    counts = []
    for prototype in (small, large):
        with django_assert_max_num_queries(30) as captured:
            response = client.get(to(page, prototype.blueprint, prototype.pk))
        assert response.status_code == HTTPStatus.OK
        assert "Measure 0" in response.content.decode()
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("status", ["planned", "running"])
def test_a_decision_on_an_unfinished_prototype_is_refused_at_the_decision(
    client_for, editor, blueprint, finished, status
):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk), decide(finished, status=status)
    )
    assert response.status_code == HTTPStatus.OK
    assert (
        "Decide once the prototype has finished" in response.context["form"].errors["decision"][0]
    )
    finished.refresh_from_db()
    assert (finished.status, finished.decision, finished.families_reached) == (
        "finished",
        "undecided",
        None,
    )


def test_a_decision_without_what_was_learned_is_refused(client_for, editor, blueprint, finished):
    response = client_for(editor).post(
        to("prototype-update", blueprint, finished.pk), decide(finished, learning="")
    )
    assert response.context["form"].errors["learning"] == [
        "Say what the prototype taught before deciding."
    ]
    finished.refresh_from_db()
    assert finished.decision == "undecided"
