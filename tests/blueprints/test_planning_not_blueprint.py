"""Planning is not the blueprint (issue 12, item 4): questions, prototype plans and results
leave an approved blueprint approved, through the pages as through the services; the forms
that change the blueprint's content still return it to draft, and say so before saving."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, ReviewTransition
from blueprints.review import actions as review_actions
from tests.blueprints.factories import CardFactory, DeliveryChallengeFactory, PrototypeFactory

pytestmark = pytest.mark.django_db

WARNING = "This blueprint is approved:"


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def to(name, blueprint, *more):
    return reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk, *more])


def state(blueprint) -> str:
    return Blueprint.objects.get(pk=blueprint.pk).review_state


@pytest.fixture
def world(blueprint, editor):
    card = CardFactory(blueprint=blueprint, title="Hears about it")
    challenge = DeliveryChallengeFactory(
        blueprint=blueprint, title="Dads rarely come", questions=["Will dads come?"], cards=[card]
    )
    prototype = PrototypeFactory(
        blueprint=blueprint,
        title="Saturday brunch",
        status="finished",
        learning="They came.",
        questions=list(challenge.questions.all()),
    )
    return {
        "card": card,
        "challenge": challenge,
        "question": challenge.questions.get(),
        "prototype": prototype,
    }


@pytest.fixture
def approved(blueprint, world, editor, reviewer):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.approve(blueprint=blueprint, by=reviewer, note="Ready to prototype.")
    assert state(blueprint) == "approved"
    return blueprint


def prototype_post(prototype, **changes) -> dict:
    data = {
        "title": prototype.title,
        "cost": "0",
        "risk": "low",
        "status": "finished",
        "learning": prototype.learning,
        "decision": "undecided",
        "questions": [q.pk for q in prototype.questions.all()],
        "measures-TOTAL_FORMS": "1",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "1000",
        "measures-0-name": "Dads who came",
        "measures-0-actual": "13",
    }
    data.update(changes)
    return data


# Planning leaves it approved -----------------------------------------------------------


def test_recording_results_and_a_decision_leaves_it_approved(client_for, editor, approved, world):
    prototype, question = world["prototype"], world["question"]
    response = client_for(editor).post(
        to("prototype-update", approved, prototype.pk),
        prototype_post(
            prototype,
            decision="adopt",
            families_reached="14",
            cash_cost="380",
            **{
                f"question-{question.pk}-status": "answered",
                f"question-{question.pk}-answer": "Yes.",
            },
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    question.refresh_from_db()
    assert question.status == "answered"  # the question was edited too
    assert state(approved) == "approved"
    assert list(
        ReviewTransition.objects.filter(blueprint=approved).values_list("to_state", flat=True)
    ) == [
        "submitted",
        "approved",
    ]


def test_planning_a_new_prototype_leaves_it_approved(client_for, editor, approved):
    response = client_for(editor).post(
        to("prototype-create", approved),
        {
            "title": "Leaflets",
            "cost": "0",
            "risk": "low",
            "status": "planned",
            "decision": "undecided",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert state(approved) == "approved"


def test_renaming_a_challenge_leaves_it_approved(client_for, editor, approved, world):
    response = client_for(editor).post(
        to("challenge-update", approved, world["challenge"].pk),
        {"theme": "engaging_families", "title": "Fathers rarely come", "cards": [world["card"].pk]},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert state(approved) == "approved"


def test_the_prototype_form_says_saving_leaves_it_approved_and_warns_of_nothing(
    client_for, editor, approved, world
):
    text = words(client_for(editor).get(to("prototype-update", approved, world["prototype"].pk)))
    assert "saving them leaves it approved" in text
    assert WARNING not in text


# Content still reopens it, with the warning first ----------------------------------------


def test_editing_a_card_warns_first_then_returns_it_to_draft(client_for, editor, approved, world):
    client = client_for(editor)
    card = world["card"]
    form = words(client.get(to("card-update", approved, card.pk)))
    assert f"{WARNING} saving this card returns it to draft" in form
    card.refresh_from_db()
    response = client.post(
        to("card-update", approved, card.pk),
        {"title": "Hears from a neighbour", "kind": "step", "version": card.version},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert state(approved) == "draft"


def test_changing_a_challenges_cards_warns_first_then_returns_it_to_draft(
    client_for, editor, approved, world
):
    client = client_for(editor)
    address = to("challenge-update", approved, world["challenge"].pk)
    text = words(client.get(address))
    assert f"{WARNING} changing this challenge's theme or cards returns it to draft" in text
    assert "A new title alone, and its questions, leave it approved." in text
    response = client.post(address, {"theme": "volunteering", "title": "Dads rarely come"})
    assert response.status_code == HTTPStatus.FOUND
    assert state(approved) == "draft"


@pytest.mark.parametrize(
    ("page", "part", "said"),
    [
        ("card-create", None, "saving this card"),
        ("card-delete", "card", "deleting this card"),
        ("structure", None, "renaming, reordering, adding or removing a phase or lane"),
        ("phase-add", None, "saving this phase"),
        ("phase-edit", "phase", "saving this phase"),
        ("lane-delete", "lane", "removing this lane"),
        ("challenge-create", None, "adding a delivery challenge"),
        ("challenge-delete", "challenge", "deleting a delivery challenge"),
    ],
)
def test_every_content_form_warns_before_saving_on_an_approved_blueprint_only(
    client_for, editor, blueprint, world, reviewer, page, part, said
):
    parts = {
        "card": world["card"].pk,
        "phase": blueprint.phases.first().pk,
        "lane": blueprint.lanes.last().pk,
        "challenge": world["challenge"].pk,
    }
    address = to(page, blueprint, *([parts[part]] if part else []))
    if page == "card-create":
        address += f"?phase={parts['phase']}&lane={blueprint.lanes.first().pk}"
    client = client_for(editor)
    draft = client.get(address)
    assert draft.status_code == HTTPStatus.OK
    assert WARNING not in words(draft)
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.approve(blueprint=blueprint, by=reviewer, note="Fine.")
    assert f"{WARNING} {said} returns it to draft" in words(client_for(editor).get(address))


def test_a_viewer_reading_the_structure_of_an_approved_blueprint_is_not_warned(
    client_for, viewer, approved
):
    assert WARNING not in words(client_for(viewer).get(to("structure", approved)))


# The review page lists planning since approval -----------------------------------------


def test_the_review_page_lists_what_changed_in_planning_since_approval(
    client_for, editor, reviewer, approved, world
):
    prototype, question = world["prototype"], world["question"]
    client_for(editor).post(
        to("prototype-update", approved, prototype.pk),
        prototype_post(
            prototype,
            decision="adopt",
            families_reached="14",
            **{
                f"question-{question.pk}-status": "answered",
                f"question-{question.pk}-answer": "Yes.",
            },
        ),
    )
    client_for(editor).post(
        to("challenge-update", approved, world["challenge"].pk),
        {"theme": "engaging_families", "title": "Fathers rarely come", "cards": [world["card"].pk]},
    )
    assert state(approved) == "approved"
    text = words(client_for(reviewer).get(to("review", approved)))
    assert "Planning since approval" in text
    start = text.index("Planning since approval")
    listed = text[start : text.index("History", start)]
    assert "Delivery challenge “Fathers rarely come” changed" in listed
    assert "Prototype “Saturday brunch” changed" in listed
    assert "Question “Will dads come?” changed" in listed
    # What was planned before the approval is not listed.
    assert "added" not in listed
    assert "“Dads rarely come”" not in listed


def test_nothing_changed_since_approval_says_so(client_for, viewer, approved):
    text = words(client_for(viewer).get(to("review", approved)))
    assert "Planning since approval" in text
    assert "Nothing has changed in planning since then." in text


def test_no_planning_list_before_approval(client_for, editor, blueprint, world):
    assert "Planning since approval" not in words(client_for(editor).get(to("review", blueprint)))


def test_a_reopened_blueprint_lists_no_planning_changes(client_for, editor, approved, world):
    card = world["card"]
    client_for(editor).post(
        to("card-update", approved, card.pk),
        {"title": "Renamed", "kind": "step", "version": card.version},
    )
    assert state(approved) == "draft"
    assert "Planning since approval" not in words(client_for(editor).get(to("review", approved)))


def test_the_planning_list_costs_the_same_queries_however_long(
    client_for, editor, reviewer, approved, world, django_assert_max_num_queries
):
    client = client_for(reviewer)
    counts, done = [], 0
    for changes in (1, 60):
        for n in range(done, changes):
            services.update_prototype(prototype=world["prototype"], title=f"Brunch {n}", by=editor)
        with django_assert_max_num_queries(30) as captured:
            response = client.get(to("review", approved))
        text = words(response)
        assert f"Prototype “Brunch {changes - 1}” changed" in text
        counts.append(len(captured))
        done = changes
    assert "And 10 earlier changes." in text  # 60 changes, 50 shown
    assert counts[0] == counts[1]
