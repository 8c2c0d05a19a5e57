"""Versions: a snapshot on every submission, and restoring one gives back exactly its
content, as the current draft, with the restore recorded."""

import pytest

from blueprints import services
from blueprints.interchange.json_export import export_document, strip_ids
from blueprints.models import Blueprint, BlueprintVersion, Card, Lane, ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review import states as review_states
from blueprints.versions import restore
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
    with_review_state,
)
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db

State = Blueprint.ReviewState


def content(document: dict) -> dict:
    """A snapshot without what differs between two equal blueprints: ids and timestamps."""
    stripped = strip_ids(document)  # a question's id sits inside its challenge
    del stripped["exported_at"], stripped["source"]
    return stripped


@pytest.fixture
def blueprint(locality, editor):
    """A blueprint with cards in several cells, insights, a link, a challenge, a prototype."""
    blueprint = BlueprintFactory(locality=locality, by=editor)
    insight = InsightFactory(locality=locality, statement="Families trust the school gate.")
    first = CardFactory(blueprint=blueprint, title="Hears of the group", insights=[insight])
    second = CardFactory(blueprint=blueprint, title="Comes to a session", emotion=1)
    staff = CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 1),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        title="Greets the family",
        details="By name.",
    )
    services.link_cards(from_card=staff, to_card=second, by=editor)
    challenge = DeliveryChallengeFactory(blueprint=blueprint, cards=[first])
    PrototypeFactory(blueprint=blueprint, cards=[second], delivery_challenges=[challenge])
    services.rename_phase(phase=phase(blueprint, 2), name="Leaving well", by=editor)
    blueprint.refresh_from_db()
    return blueprint


def test_each_submission_stores_the_next_numbered_snapshot(blueprint, editor, reviewer):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.request_changes(blueprint=blueprint, by=reviewer, note="More on exit.")
    review_actions.submit(blueprint=blueprint, by=editor)

    numbers = list(blueprint.versions.values_list("number", "reason", "created_by"))
    assert numbers == [(1, "submitted", editor.pk), (2, "submitted", editor.pk)]


def test_a_snapshot_holds_the_content_as_submitted(blueprint, editor):
    review_actions.submit(blueprint=blueprint, by=editor)

    version = blueprint.versions.get()
    assert content(version.data) == content(export_document(blueprint))
    assert version.blueprint_version == blueprint.version
    assert {card["id"] for card in version.data["cards"]} == set(
        blueprint.cards.values_list("pk", flat=True)
    )


def test_a_refused_submission_stores_no_snapshot(blueprint, viewer):
    with pytest.raises(review_states.NotAllowed):
        review_actions.submit(blueprint=blueprint, by=viewer)

    assert not BlueprintVersion.objects.exists()


def test_snapshots_are_numbered_per_blueprint(blueprint, locality, editor):
    other = BlueprintFactory(locality=locality, by=editor)
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.submit(blueprint=other, by=editor)

    assert other.versions.get().number == 1


def change_everything(blueprint: Blueprint, editor) -> None:
    card = blueprint.cards.get(title="Hears of the group")
    services.update_card(
        card=card, expected_version=card.version, by=editor, title="Sees a poster", insights=[]
    )
    gone = blueprint.cards.get(title="Comes to a session")
    services.delete_card(card=gone, expected_version=gone.version, by=editor)
    CardFactory(blueprint=blueprint, title="Brand new card")
    services.rename_phase(phase=phase(blueprint, 0), name="Finding out", by=editor)
    services.delete_lane(lane=lane(blueprint, Lane.Role.SUPPORT), by=editor)
    for challenge in blueprint.delivery_challenges.all():
        services.delete_delivery_challenge(challenge=challenge, by=editor)
    services.update_blueprint(blueprint=blueprint, title="Another title", by=editor)


def test_restoring_a_version_gives_back_exactly_its_content(blueprint, editor):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.withdraw(blueprint=blueprint, by=editor)  # to edit (issue 14)
    version = blueprint.versions.get()
    change_everything(blueprint, editor)
    assert content(export_document(Blueprint.objects.get(pk=blueprint.pk))) != content(version.data)

    restore.restore_version(version=version, by=editor)

    restored = Blueprint.objects.select_related("locality", "idea").get(pk=blueprint.pk)
    assert content(export_document(restored)) == content(version.data)


def test_restore_keeps_insight_links_by_id(blueprint, editor):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.withdraw(blueprint=blueprint, by=editor)  # to edit (issue 14)
    version = blueprint.versions.get()
    change_everything(blueprint, editor)

    result = restore.restore_version(version=version, by=editor)

    card = Card.objects.get(blueprint=blueprint, title="Hears of the group")
    assert list(card.insights.values_list("statement", flat=True)) == [
        "Families trust the school gate."
    ]
    assert result.dropped_insights == 0


def test_restore_drops_links_to_insights_deleted_since(blueprint, editor):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.withdraw(blueprint=blueprint, by=editor)  # to edit (issue 14)
    version = blueprint.versions.get()
    blueprint.locality.insights.all().delete()

    result = restore.restore_version(version=version, by=editor)

    assert result.dropped_insights == 1
    assert not Card.objects.get(blueprint=blueprint, title="Hears of the group").insights.exists()


def test_restore_makes_the_blueprint_a_draft_and_records_it(blueprint, editor, reviewer):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.approve(blueprint=blueprint, by=reviewer, note="Good.")

    restore.restore_version(version=blueprint.versions.get(), by=editor)

    blueprint.refresh_from_db()
    assert blueprint.review_state == State.DRAFT
    last = ReviewTransition.objects.filter(blueprint=blueprint).latest("pk")
    assert (last.from_state, last.to_state, last.note, last.by) == (
        State.APPROVED,
        State.DRAFT,
        "Restored version 1",
        editor,
    )
    assert not ReviewTransition.objects.filter(note=review_states.REOPEN_NOTE).exists()


def test_restore_of_a_draft_records_no_state_change(blueprint, editor):
    review_actions.submit(blueprint=blueprint, by=editor)
    with_review_state(blueprint, State.DRAFT)
    moves = ReviewTransition.objects.count()

    restore.restore_version(version=blueprint.versions.get(), by=editor)

    assert ReviewTransition.objects.count() == moves


def test_restore_stores_a_snapshot_saying_so(blueprint, editor):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.withdraw(blueprint=blueprint, by=editor)  # to edit (issue 14)
    change_everything(blueprint, editor)

    result = restore.restore_version(version=blueprint.versions.get(number=1), by=editor)

    assert (result.version.number, result.version.reason) == (2, "restored from version 1")
    assert content(result.version.data) == content(blueprint.versions.get(number=1).data)


@pytest.mark.parametrize("role", ["viewer", "reviewer", "outsider"])
def test_restore_is_refused_to_those_who_may_not_edit_and_changes_nothing(
    blueprint, editor, users, role
):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.withdraw(blueprint=blueprint, by=editor)  # to edit (issue 14)
    change_everything(blueprint, editor)
    before = content(export_document(Blueprint.objects.get(pk=blueprint.pk)))

    with pytest.raises(review_states.NotAllowed):
        restore.restore_version(version=blueprint.versions.get(), by=users[role])

    assert content(export_document(Blueprint.objects.get(pk=blueprint.pk))) == before
    assert blueprint.versions.count() == 1
