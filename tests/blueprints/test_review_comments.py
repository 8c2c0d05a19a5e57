"""Comments: who may comment and resolve, both ways; replies one level deep; cards."""

import pytest
from django.core.exceptions import ValidationError

from blueprints import services
from blueprints.models import Comment
from blueprints.review import comments as review_comments
from blueprints.review import queries as review_queries
from blueprints.review import states as review_states
from localities.models import Membership
from tests.blueprints.factories import BlueprintFactory, CardFactory, CommentFactory

pytestmark = pytest.mark.django_db

MAY_COMMENT = ["lead", "editor", "reviewer", "superuser"]
MAY_NOT_COMMENT = ["viewer", "outsider"]
# Issue 14: the team marks a reviewer's conversation addressed; only reviewers (and the
# conversation's author) resolve it.
MAY_RESOLVE = ["reviewer", "superuser"]
MAY_NOT_RESOLVE = ["lead", "editor", "viewer", "outsider"]


@pytest.fixture
def card(blueprint):
    return CardFactory(blueprint=blueprint, title="Hears about the walks")


@pytest.mark.parametrize("role", MAY_COMMENT)
def test_these_roles_may_comment(users, blueprint, role):
    comment = review_comments.add_comment(
        blueprint=blueprint, by=users[role], body=" Who leads it? "
    )
    assert (comment.author, comment.body, comment.blueprint) == (
        users[role],
        "Who leads it?",
        blueprint,
    )
    assert comment.is_open


@pytest.mark.parametrize("role", MAY_NOT_COMMENT)
def test_these_roles_may_not_comment(users, blueprint, role):
    with pytest.raises(review_states.NotAllowed):
        review_comments.add_comment(blueprint=blueprint, by=users[role], body="Who leads it?")
    assert not Comment.objects.exists()


def test_an_anonymous_visitor_may_not_comment(blueprint):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(review_states.NotAllowed):
        review_comments.add_comment(blueprint=blueprint, by=AnonymousUser(), body="Hello")


@pytest.mark.parametrize("body", ["", "   ", "x" * 4001])
def test_an_empty_or_overlong_comment_is_refused(editor, blueprint, body):
    with pytest.raises(ValidationError) as refused:
        review_comments.add_comment(blueprint=blueprint, by=editor, body=body)
    assert "body" in refused.value.error_dict
    assert not Comment.objects.exists()


def test_a_comment_on_a_card_keeps_its_title(reviewer, blueprint, card):
    comment = review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="Where?", card=card
    )
    assert (comment.card, comment.card_title) == (card, "Hears about the walks")


def test_a_comment_on_a_card_of_another_blueprint_is_refused(reviewer, blueprint, locality):
    elsewhere = CardFactory(blueprint=BlueprintFactory(locality=locality))
    with pytest.raises(ValidationError) as refused:
        review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Where?", card=elsewhere)
    assert "card" in refused.value.error_dict
    assert not Comment.objects.exists()


def test_a_comment_outlives_its_card(reviewer, editor, blueprint, card):
    comment = review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="Where?", card=card
    )
    services.delete_card(card=card, expected_version=card.version, by=editor)
    comment.refresh_from_db()
    assert comment.card is None
    assert comment.card_title == "Hears about the walks"
    assert comment.card_deleted
    assert comment.is_on_card


def test_a_reply_joins_the_conversation_and_its_card(reviewer, editor, blueprint, card):
    top = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Where?", card=card)
    reply = review_comments.add_comment(
        blueprint=blueprint, by=editor, body="At the school.", parent=top
    )
    assert (reply.parent, reply.card, reply.card_title) == (top, card, card.title)


def test_a_reply_to_a_reply_attaches_to_the_top_comment(reviewer, editor, blueprint):
    top = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Where?")
    reply = review_comments.add_comment(blueprint=blueprint, by=editor, body="School.", parent=top)
    again = review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="Which?", parent=reply
    )
    assert again.parent == top
    assert list(top.replies.all()) == [reply, again]


def test_a_reply_to_a_comment_of_another_blueprint_is_refused(reviewer, blueprint, locality):
    other = CommentFactory(blueprint=BlueprintFactory(locality=locality))
    with pytest.raises(ValidationError) as refused:
        review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Hm.", parent=other)
    assert "parent" in refused.value.error_dict
    assert Comment.objects.count() == 1


def test_a_reply_about_another_card_is_refused(reviewer, blueprint, card):
    top = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Where?", card=card)
    other_card = CardFactory(blueprint=blueprint)
    with pytest.raises(ValidationError):
        review_comments.add_comment(
            blueprint=blueprint, by=reviewer, body="Hm.", parent=top, card=other_card
        )
    assert Comment.objects.count() == 1


def test_a_reply_reopens_a_resolved_conversation(reviewer, editor, blueprint):
    top = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Where?")
    review_comments.resolve_comment(comment=top, by=reviewer)
    review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="Wait, which school?", parent=top
    )
    top.refresh_from_db()
    assert top.is_open
    assert top.resolved_by is None


# Resolving --------------------------------------------------------------------------------


@pytest.fixture
def conversation(blueprint, reviewer):
    return review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Where?")


@pytest.mark.parametrize("role", MAY_RESOLVE)
def test_these_roles_may_resolve_a_conversation(users, conversation, role):
    review_comments.resolve_comment(comment=conversation, by=users[role])
    conversation.refresh_from_db()
    assert not conversation.is_open
    assert conversation.resolved_by == users[role]
    assert conversation.resolved_at is not None


@pytest.mark.parametrize("role", MAY_NOT_RESOLVE)
def test_these_roles_may_not_resolve_a_conversation(users, conversation, role):
    with pytest.raises(review_states.NotAllowed):
        review_comments.resolve_comment(comment=conversation, by=users[role])
    conversation.refresh_from_db()
    assert conversation.is_open


def test_the_author_who_became_a_viewer_may_still_resolve_their_own(editor, blueprint):
    mine = review_comments.add_comment(blueprint=blueprint, by=editor, body="Check the bus times.")
    Membership.objects.filter(user=editor).update(role=Membership.Role.VIEWER)
    editor.__dict__.pop("_roles", None)
    review_comments.resolve_comment(comment=mine, by=editor)
    mine.refresh_from_db()
    assert not mine.is_open


def test_a_viewer_may_not_resolve_someone_elses_even_if_they_wrote_a_reply(
    editor, viewer, blueprint, conversation
):
    review_comments.add_comment(blueprint=blueprint, by=editor, body="School.", parent=conversation)
    with pytest.raises(review_states.NotAllowed):
        review_comments.resolve_comment(comment=conversation, by=viewer)


def test_a_reply_cannot_be_resolved_on_its_own(editor, reviewer, blueprint, conversation):
    reply = review_comments.add_comment(
        blueprint=blueprint, by=editor, body="School.", parent=conversation
    )
    with pytest.raises(review_states.ReviewRefused):
        review_comments.resolve_comment(comment=reply, by=reviewer)
    reply.refresh_from_db()
    assert reply.resolved_at is None


def test_resolving_twice_keeps_the_first_resolution(reviewer, superuser, conversation):
    review_comments.resolve_comment(comment=conversation, by=reviewer)
    review_comments.resolve_comment(comment=conversation, by=superuser)
    conversation.refresh_from_db()
    assert conversation.resolved_by == reviewer


def test_reopening_a_conversation(reviewer, superuser, conversation):
    review_comments.resolve_comment(comment=conversation, by=reviewer)
    review_comments.reopen_comment(comment=conversation, by=superuser)
    conversation.refresh_from_db()
    assert conversation.is_open
    assert conversation.resolved_by is None


@pytest.mark.parametrize("role", MAY_NOT_RESOLVE)
def test_these_roles_may_not_reopen_a_conversation(users, reviewer, conversation, role):
    review_comments.resolve_comment(comment=conversation, by=reviewer)
    with pytest.raises(review_states.NotAllowed):
        review_comments.reopen_comment(comment=conversation, by=users[role])
    conversation.refresh_from_db()
    assert not conversation.is_open


# Counts for the editor ----------------------------------------------------------------------


def test_open_comment_counts_are_per_card_and_count_open_conversations_only(
    reviewer, editor, blueprint, card, django_assert_num_queries
):
    other_card = CardFactory(blueprint=blueprint)
    first = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="One", card=card)
    review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Two", card=card)
    review_comments.add_comment(blueprint=blueprint, by=editor, body="A reply", parent=first)
    closed = review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="Three", card=other_card
    )
    review_comments.resolve_comment(comment=closed, by=reviewer)
    review_comments.add_comment(blueprint=blueprint, by=reviewer, body="On the whole blueprint")
    CommentFactory(card=CardFactory(), body="Another blueprint's")
    with django_assert_num_queries(1):
        counts = review_queries.open_comment_counts(blueprint)
    assert counts == {card.pk: 2}


def test_open_comment_counts_of_a_blueprint_without_comments_are_empty(blueprint):
    assert review_queries.open_comment_counts(blueprint) == {}
