"""Review states: every move allowed and refused, per role and starting state; a refused
move changes nothing; editing an approved blueprint returns it to draft."""

import pytest
from django.db import transaction

from blueprints import services
from blueprints.models import Blueprint, Lane, ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review import queries as review_queries
from blueprints.review import states as review_states
from tests.blueprints.factories import CardFactory, phase, with_review_state

pytestmark = pytest.mark.django_db

State = Blueprint.ReviewState
ROLES = ["lead", "editor", "viewer", "outsider", "reviewer", "superuser"]
STATES = [State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.APPROVED]
# Written out here rather than read from review_states.RULES, so that the table is checked.
MAY = {
    "submit": {"lead", "editor", "superuser"},
    # Issue 14: whoever may submit may withdraw (a submission freezes the content).
    "withdraw": {"lead", "editor", "superuser"},
    "request_changes": {"reviewer", "superuser"},
    "approve": {"reviewer", "superuser"},
}
MOVES = {
    "submit": ({State.DRAFT, State.CHANGES_REQUESTED}, State.SUBMITTED),
    "withdraw": ({State.SUBMITTED}, State.DRAFT),
    "request_changes": ({State.SUBMITTED}, State.CHANGES_REQUESTED),
    "approve": ({State.SUBMITTED}, State.APPROVED),
}
SERVICES = {
    "submit": review_actions.submit,
    "withdraw": review_actions.withdraw,
    "request_changes": review_actions.request_changes,
    "approve": review_actions.approve,
}
CASES = [(role, action, state) for role in ROLES for action in MOVES for state in STATES]
ALLOWED = [case for case in CASES if case[0] in MAY[case[1]] and case[2] in MOVES[case[1]][0]]
REFUSED_FOR_ROLE = [case for case in CASES if case[0] not in MAY[case[1]]]
REFUSED_FOR_STATE = [
    case for case in CASES if case[0] in MAY[case[1]] and case[2] not in MOVES[case[1]][0]
]


def stored(blueprint) -> tuple[str, int]:
    fresh = Blueprint.objects.get(pk=blueprint.pk)
    return fresh.review_state, ReviewTransition.objects.filter(blueprint=blueprint).count()


def test_the_cases_cover_every_role_action_and_state():
    assert len(CASES) == 6 * 4 * 4
    assert len(ALLOWED) + len(REFUSED_FOR_ROLE) + len(REFUSED_FOR_STATE) == len(CASES)


def test_a_new_blueprint_is_a_draft(blueprint):
    assert blueprint.review_state == State.DRAFT
    assert stored(blueprint) == (State.DRAFT, 0)


@pytest.mark.parametrize(("role", "action", "state"), ALLOWED)
def test_an_allowed_move_changes_the_state_and_records_it(users, blueprint, role, action, state):
    with_review_state(blueprint, state)
    version = Blueprint.objects.get(pk=blueprint.pk).version
    transition = SERVICES[action](blueprint=blueprint, by=users[role], note="  A note.  ")
    target = MOVES[action][1]
    assert stored(blueprint) == (target, 1)
    assert blueprint.review_state == target
    assert (transition.from_state, transition.to_state) == (state, target)
    assert transition.by == users[role]
    assert transition.note == "A note."
    assert transition.blueprint_version == version
    assert transition.at is not None


@pytest.mark.parametrize(("role", "action", "state"), REFUSED_FOR_ROLE)
def test_a_move_refused_for_the_role_changes_nothing(users, blueprint, role, action, state):
    with_review_state(blueprint, state)
    with pytest.raises(review_states.NotAllowed):
        SERVICES[action](blueprint=blueprint, by=users[role], note="A note.")
    assert stored(blueprint) == (state, 0)


@pytest.mark.parametrize(("role", "action", "state"), REFUSED_FOR_STATE)
def test_a_move_refused_for_the_state_changes_nothing(users, blueprint, role, action, state):
    with_review_state(blueprint, state)
    with pytest.raises(review_states.ReviewRefused) as refused:
        SERVICES[action](blueprint=blueprint, by=users[role], note="A note.")
    assert not isinstance(refused.value, review_states.NotAllowed)
    assert refused.value.code == "wrong_state"
    assert stored(blueprint) == (state, 0)


def test_approving_a_draft_says_why_not(reviewer, blueprint):
    with pytest.raises(review_states.ReviewRefused) as refused:
        review_actions.approve(blueprint=blueprint, by=reviewer, note="Fine.")
    assert refused.value.message == (
        "Only a submitted blueprint can be approved; this one is a draft."
    )


def test_an_editor_approving_is_told_who_may(editor, blueprint):
    with_review_state(blueprint, State.SUBMITTED)
    with pytest.raises(review_states.NotAllowed) as refused:
        review_actions.approve(blueprint=blueprint, by=editor, note="Fine.")
    assert str(refused.value) == "Only innovation-unit reviewers can approve."


def test_submitting_twice_says_it_is_submitted_already(editor, blueprint):
    review_actions.submit(blueprint=blueprint, by=editor)
    with pytest.raises(review_states.ReviewRefused, match="this one is submitted already"):
        review_actions.submit(blueprint=blueprint, by=editor)
    assert stored(blueprint) == (State.SUBMITTED, 1)


@pytest.mark.parametrize("action", ["request_changes", "approve"])
@pytest.mark.parametrize("note", ["", "   \n "])
def test_a_decision_without_a_note_is_refused(reviewer, blueprint, action, note):
    with_review_state(blueprint, State.SUBMITTED)
    with pytest.raises(review_states.ReviewRefused) as refused:
        SERVICES[action](blueprint=blueprint, by=reviewer, note=note)
    assert refused.value.code == "note_required"
    assert stored(blueprint) == (State.SUBMITTED, 0)


def test_a_note_longer_than_4000_characters_is_refused(editor, blueprint):
    with pytest.raises(review_states.ReviewRefused) as refused:
        review_actions.submit(blueprint=blueprint, by=editor, note="x" * 4001)
    assert refused.value.code == "note_too_long"
    assert stored(blueprint) == (State.DRAFT, 0)


def test_submitting_needs_no_note(editor, blueprint):
    transition = review_actions.submit(blueprint=blueprint, by=editor)
    assert transition.note == ""


def test_an_inactive_editor_may_not_submit(editor, blueprint):
    editor.is_active = False
    editor.save()
    with pytest.raises(review_states.NotAllowed):
        review_actions.submit(blueprint=blueprint, by=editor)
    assert stored(blueprint) == (State.DRAFT, 0)


def test_nobody_at_all_may_submit(blueprint):
    with pytest.raises(review_states.NotAllowed):
        review_actions.submit(blueprint=blueprint, by=None)


def test_a_reviewer_who_is_also_the_lead_may_submit_and_approve(lead, blueprint):
    from tests.localities.factories import ReviewerFactory

    both = ReviewerFactory(username="lead-and-reviewer")
    blueprint.locality.memberships.create(user=both, role="lead")
    review_actions.submit(blueprint=blueprint, by=both)
    review_actions.approve(blueprint=blueprint, by=both, note="Good.")
    assert stored(blueprint) == (State.APPROVED, 2)


def test_the_whole_round_is_recorded_in_order(editor, lead, reviewer, blueprint):
    review_actions.submit(blueprint=blueprint, by=editor, note="Ready.")
    review_actions.request_changes(blueprint=blueprint, by=reviewer, note="Add the exit phase.")
    review_actions.submit(blueprint=blueprint, by=lead, note="Done.")
    review_actions.withdraw(blueprint=blueprint, by=lead, note="One more thing.")
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.approve(blueprint=blueprint, by=reviewer, note="Lovely.")
    steps = [
        (t.from_state, t.to_state, t.by.username) for t in review_queries.transitions(blueprint)
    ]
    assert steps == [
        ("draft", "submitted", "editor"),
        ("submitted", "changes_requested", "reviewer"),
        ("changes_requested", "submitted", "lead"),
        ("submitted", "draft", "lead"),
        ("draft", "submitted", "editor"),
        ("submitted", "approved", "reviewer"),
    ]


def test_a_move_rolled_back_with_its_transaction_leaves_nothing(editor, blueprint):
    def submit_then_fail():
        with transaction.atomic():
            review_actions.submit(blueprint=blueprint, by=editor)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        submit_then_fail()
    assert stored(blueprint) == (State.DRAFT, 0)


def test_a_review_move_is_not_a_content_change(editor, blueprint):
    before = Blueprint.objects.get(pk=blueprint.pk)
    review_actions.submit(blueprint=blueprint, by=editor)
    after = Blueprint.objects.get(pk=blueprint.pk)
    assert (after.version, after.updated_at) == (before.version, before.updated_at)
    assert blueprint.history.count() == 1  # the creation only


# Editing after approval ------------------------------------------------------------------


@pytest.fixture
def approved(blueprint):
    CardFactory(blueprint=blueprint, title="Hears about the walks")
    return with_review_state(Blueprint.objects.get(pk=blueprint.pk), State.APPROVED)


def assert_reopened_by(blueprint, user):
    state, count = stored(blueprint)
    assert (state, count) == (State.DRAFT, 1)
    transition = ReviewTransition.objects.get(blueprint=blueprint)
    assert (transition.from_state, transition.to_state) == (State.APPROVED, State.DRAFT)
    assert transition.note == "Edited after approval"
    assert transition.by == user


def test_will_reopen_only_an_approved_blueprint(blueprint):
    for state in STATES:
        with_review_state(blueprint, state)
        assert review_states.will_reopen(blueprint) is (state == State.APPROVED)


def test_editing_a_card_of_an_approved_blueprint_returns_it_to_draft(editor, approved):
    card = approved.cards.get()
    services.update_card(card=card, expected_version=card.version, by=editor, title="New")
    assert_reopened_by(approved, editor)


def test_adding_a_card_to_an_approved_blueprint_returns_it_to_draft(editor, approved):
    services.add_card(
        blueprint=approved,
        phase=phase(approved),
        lane=approved.lanes.get(role=Lane.Role.FRONTLINE),
        title="Walk leader meets the family",
        kind="step",
        by=editor,
    )
    assert_reopened_by(approved, editor)
    assert approved.review_state == State.DRAFT  # the caller's copy knows too


def test_renaming_an_approved_blueprint_returns_it_to_draft(lead, approved):
    services.update_blueprint(blueprint=approved, title="Welcome walks, second go", by=lead)
    assert_reopened_by(approved, lead)


def test_the_return_to_draft_records_the_edited_version(editor, approved):
    card = approved.cards.get()
    services.update_card(card=card, expected_version=card.version, by=editor, title="New")
    transition = ReviewTransition.objects.get(blueprint=approved)
    assert transition.blueprint_version == Blueprint.objects.get(pk=approved.pk).version


# Submitted is left out: its content is frozen (issue 14, tests/blueprints/test_review_freeze.py).
@pytest.mark.parametrize("state", [State.DRAFT, State.CHANGES_REQUESTED])
def test_editing_a_blueprint_that_is_not_approved_leaves_its_state(editor, blueprint, state):
    card = CardFactory(blueprint=blueprint)
    with_review_state(blueprint, state)
    services.update_card(card=card, expected_version=card.version, by=editor, title="New")
    assert stored(blueprint) == (state, 0)


def test_a_failed_edit_leaves_an_approved_blueprint_approved(editor, approved):
    card = approved.cards.get()
    with pytest.raises(services.VersionConflict):
        services.update_card(card=card, expected_version=card.version + 5, by=editor, title="X")
    assert stored(approved) == (State.APPROVED, 0)


def test_reopen_if_approved_leaves_any_other_state_alone(editor, blueprint):
    with_review_state(blueprint, State.SUBMITTED)
    assert review_states.reopen_if_approved(blueprint=blueprint, by=editor) is None
    assert stored(blueprint) == (State.SUBMITTED, 0)


def test_the_database_refuses_an_unknown_state(blueprint):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Blueprint.objects.filter(pk=blueprint.pk).update(review_state="published")
