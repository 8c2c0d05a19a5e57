"""Demo review data: blueprints in every review state, made through the review services.

The tests read one seeding of the whole demo, shared by the module (`seeded_demo`)."""

import pytest

from blueprints.demo import seed_reviews
from blueprints.models import Blueprint, Comment, ReviewTransition

pytestmark = pytest.mark.django_db

State = Blueprint.ReviewState


@pytest.fixture
def demo(seeded_demo):
    """The whole demo, seeded once for this module (tests/conftest.py)."""
    return seeded_demo


def states():
    return sorted(Blueprint.objects.values_list("review_state", flat=True))


def test_the_demo_has_blueprints_in_every_review_state(demo):
    assert states().count(State.SUBMITTED) == 2
    assert states().count(State.CHANGES_REQUESTED) == 1
    assert states().count(State.APPROVED) == 1
    assert State.DRAFT in states()


def test_the_approved_blueprint_was_submitted_twice_with_an_edit_between(demo):
    approved = Blueprint.objects.get(review_state=State.APPROVED)
    moves = list(approved.transitions.order_by("at", "pk"))
    assert [m.to_state for m in moves] == [
        State.SUBMITTED,
        State.CHANGES_REQUESTED,
        State.SUBMITTED,
        State.APPROVED,
    ]
    assert moves[2].blueprint_version > moves[0].blueprint_version
    assert moves[3].by.username == "reviewer"


def test_the_sent_back_blueprint_has_comments_on_it_and_a_card_with_a_reply(demo):
    sent_back = Blueprint.objects.get(review_state=State.CHANGES_REQUESTED)
    comments = list(Comment.objects.filter(blueprint=sent_back).select_related("author"))
    assert any(c.card_id is None and c.parent_id is None for c in comments)
    on_card = next(c for c in comments if c.card_id and c.parent_id is None)
    reply = next(c for c in comments if c.parent_id == on_card.pk)
    assert on_card.author.username == "reviewer"
    assert reply.author.username.endswith("-editor")
    note = sent_back.transitions.get(to_state=State.CHANGES_REQUESTED).note
    assert note


def test_seeding_the_reviews_again_adds_nothing(demo):
    before = (ReviewTransition.objects.count(), Comment.objects.count(), states())
    seed_reviews()
    assert (ReviewTransition.objects.count(), Comment.objects.count(), states()) == before
