"""Addressed versus resolved (issue 14, item 4): the team marks a conversation addressed and
its author hears; only a reviewer, a superuser or the author resolves or reopens it. Both
ways for every role, on the review page and from the card."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from blueprints.models import Comment
from blueprints.review import comments as review_comments
from blueprints.review import queries as review_queries
from blueprints.review import states as review_states
from tests.blueprints.factories import CardFactory

pytestmark = pytest.mark.django_db

FOUND, FORBIDDEN, NOT_FOUND = HTTPStatus.FOUND, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND
MAY_ADDRESS = [("lead", FOUND), ("editor", FOUND), ("superuser", FOUND)]
MAY_NOT_ADDRESS = [("reviewer", FORBIDDEN), ("viewer", FORBIDDEN), ("outsider", NOT_FOUND)]
MAY_RESOLVE = [("reviewer", FOUND), ("superuser", FOUND)]
MAY_NOT_RESOLVE = [
    ("lead", FORBIDDEN),
    ("editor", FORBIDDEN),
    ("viewer", FORBIDDEN),
    ("outsider", NOT_FOUND),
]


@pytest.fixture
def card(blueprint):
    return CardFactory(blueprint=blueprint, title="Hears about the walks")


@pytest.fixture
def question(users, card):
    return review_comments.add_comment(
        blueprint=card.blueprint, by=users["reviewer"], body="Which school?", card=card
    )


def on_card(action, comment):
    card = comment.card
    return reverse(
        f"blueprints:card-comment-{action}",
        args=[card.blueprint.locality.slug, card.blueprint_id, card.pk, comment.pk],
    )


def on_review_page(action, comment):
    name = {"address": "comment-address", "resolve": "comment-resolve", "reopen": "comment-reopen"}
    return reverse(
        f"blueprints:{name[action]}",
        args=[comment.blueprint.locality.slug, comment.blueprint_id, comment.pk],
    )


WHERE = [on_card, on_review_page]


# Addressing, both ways --------------------------------------------------------------------


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize(("role", "status"), MAY_ADDRESS + MAY_NOT_ADDRESS)
def test_who_may_mark_a_conversation_addressed(client_for, users, question, where, role, status):
    response = client_for(users[role]).post(where("address", question))
    assert response.status_code == status
    question.refresh_from_db()
    assert (question.addressed_at is not None) is (status == FOUND)
    if status == FOUND:
        assert question.addressed_by == users[role]
        assert question.is_open  # addressed is not resolved


@pytest.mark.parametrize("where", WHERE)
def test_an_anonymous_visitor_may_not_mark_addressed(client, question, where):
    response = client.post(where("address", question))
    assert response["Location"].startswith(reverse("login"))
    question.refresh_from_db()
    assert question.addressed_at is None


def test_taking_back_addressed(client_for, editor, lead, question):
    review_comments.address_comment(comment=question, by=editor)
    response = client_for(lead).post(on_card("unaddress", question))
    assert response.status_code == FOUND
    question.refresh_from_db()
    assert question.addressed_at is None
    assert question.addressed_by is None


def test_a_reviewer_may_not_take_back_addressed(client_for, editor, reviewer, question):
    review_comments.address_comment(comment=question, by=editor)
    response = client_for(reviewer).post(on_card("unaddress", question))
    assert response.status_code == FORBIDDEN
    question.refresh_from_db()
    assert question.addressed_by == editor


def test_a_reply_cannot_be_addressed_on_its_own(editor, reviewer, card, question):
    reply = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Also…", parent=question
    )
    with pytest.raises(review_states.ReviewRefused):
        review_comments.address_comment(comment=reply, by=editor)
    reply.refresh_from_db()
    assert reply.addressed_at is None


def test_the_database_refuses_addressed_on_a_reply(reviewer, card, question):
    reply = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Also…", parent=question
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=reply.pk).update(addressed_at=timezone.now())


def test_a_resolved_conversation_cannot_be_addressed(client_for, reviewer, editor, question):
    review_comments.resolve_comment(comment=question, by=reviewer)
    response = client_for(editor).post(on_card("address", question))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "resolved already" in response.text
    question.refresh_from_db()
    assert question.addressed_at is None


def test_addressing_from_the_panel_redraws_it(client_for, editor, question):
    response = client_for(editor).post(on_card("address", question), headers={"HX-Request": "true"})
    assert response.status_code == HTTPStatus.OK
    assert response.templates[0].name == "blueprints/editor/_card_panel.html"
    assert "Addressed" in response.text
    assert "Not addressed yet" in response.text


def test_addressing_without_javascript_returns_to_the_conversation(client_for, editor, question):
    response = client_for(editor).post(on_card("address", question))
    card = question.card
    assert response["Location"] == (
        reverse(
            "blueprints:card-detail",
            args=[card.blueprint.locality.slug, card.blueprint_id, card.pk],
        )
        + f"#comment-{question.pk}"
    )


# Addressed is cleared when the team has something to answer again ----------------------------


def test_a_reviewers_reply_after_addressed_clears_it(editor, reviewer, card, question):
    review_comments.address_comment(comment=question, by=editor)
    review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Not quite.", parent=question
    )
    question.refresh_from_db()
    assert question.addressed_at is None


def test_the_teams_own_reply_keeps_it_addressed(editor, lead, card, question):
    review_comments.address_comment(comment=question, by=editor)
    review_comments.add_comment(blueprint=card.blueprint, by=lead, body="See v3.", parent=question)
    question.refresh_from_db()
    assert question.addressed_by == editor


def test_reopening_clears_addressed(editor, reviewer, question):
    review_comments.address_comment(comment=question, by=editor)
    review_comments.resolve_comment(comment=question, by=reviewer)
    review_comments.reopen_comment(comment=question, by=reviewer)
    question.refresh_from_db()
    assert question.is_open
    assert question.addressed_at is None


# Email to the author ---------------------------------------------------------------------------


def test_addressing_tells_the_conversations_author_only(
    users, card, question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.address_comment(comment=question, by=users["editor"])
    (message,) = mail.outbox
    assert message.to == ["reviewer@example.org"]
    assert "addressed" in message.subject
    assert "> Which school?" in message.body
    assert f"#comment-{question.pk}" in message.body


def test_addressing_ones_own_comment_sends_nothing(
    editor, card, django_capture_on_commit_callbacks
):
    mine = review_comments.add_comment(blueprint=card.blueprint, by=editor, body="Hm?", card=card)
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.address_comment(comment=mine, by=editor)
    assert mail.outbox == []


def test_addressing_twice_tells_the_author_once(
    editor, lead, question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.address_comment(comment=question, by=editor)
        review_comments.address_comment(comment=question, by=lead)
    assert len(mail.outbox) == 1
    question.refresh_from_db()
    assert question.addressed_by == editor


# Resolving and reopening, both ways -----------------------------------------------------------


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize(("role", "status"), MAY_RESOLVE + MAY_NOT_RESOLVE)
def test_who_may_resolve(client_for, users, question, where, role, status):
    response = client_for(users[role]).post(where("resolve", question))
    assert response.status_code == status
    question.refresh_from_db()
    assert question.is_open is (status != FOUND)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize(("role", "status"), MAY_RESOLVE + MAY_NOT_RESOLVE)
def test_who_may_reopen(client_for, users, question, where, role, status):
    review_comments.resolve_comment(comment=question, by=users["reviewer"])
    response = client_for(users[role]).post(where("reopen", question))
    assert response.status_code == status
    question.refresh_from_db()
    assert question.is_open is (status == FOUND)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("action", ["resolve", "reopen"])
def test_an_anonymous_visitor_may_not_resolve_or_reopen(client, question, where, action):
    response = client.post(where(action, question))
    assert response["Location"].startswith(reverse("login"))


def test_an_editor_resolves_their_own_conversation(client_for, editor, card):
    mine = review_comments.add_comment(blueprint=card.blueprint, by=editor, body="Hm?", card=card)
    response = client_for(editor).post(on_card("resolve", mine))
    assert response.status_code == FOUND
    mine.refresh_from_db()
    assert not mine.is_open


def test_the_panel_offers_editors_addressed_not_resolve(client_for, editor, question):
    card = question.card
    page = reverse(
        "blueprints:card-detail", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )
    text = client_for(editor).get(page).text
    assert on_card("address", question) in text
    assert on_card("resolve", question) not in text


def test_the_panel_offers_reviewers_resolve_not_addressed(client_for, reviewer, question):
    card = question.card
    page = reverse(
        "blueprints:card-detail", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )
    text = client_for(reviewer).get(page).text
    assert on_card("resolve", question) in text
    assert on_card("address", question) not in text


# Counts: to answer and addressed apart ---------------------------------------------------------


def test_the_cards_count_is_what_the_team_has_to_answer(editor, reviewer, card, question):
    second = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="And when?", card=card
    )
    assert review_queries.open_comment_counts(card.blueprint) == {card.pk: 2}
    review_comments.address_comment(comment=second, by=editor)
    assert review_queries.open_comment_counts(card.blueprint) == {card.pk: 1}


def test_the_panel_counts_to_answer_and_addressed_apart(client_for, editor, reviewer, question):
    card = question.card
    second = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="And when?", card=card
    )
    review_comments.address_comment(comment=second, by=editor)
    page = reverse(
        "blueprints:card-detail", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )
    response = client_for(editor).get(page)
    assert response.context["tally"] == {"to_answer": 1, "addressed": 1, "resolved": 0}
    assert "1 to answer, 1 addressed" in response.text


# The admin -------------------------------------------------------------------------------------


def test_the_comment_admin_lists_addressed(client_for, superuser, editor, question):
    review_comments.address_comment(comment=question, by=editor)
    response = client_for(superuser).get(
        reverse("admin:blueprints_comment_changelist") + "?status=addressed"
    )
    assert response.status_code == HTTPStatus.OK
    assert "addressed by editor" in response.text


def test_the_editors_card_badge_leaves_out_addressed_conversations(
    client_for, editor, reviewer, question
):
    card = question.card
    editor_url = reverse(
        "blueprints:detail", args=[card.blueprint.locality.slug, card.blueprint_id]
    )
    assert "1 comment to answer" in client_for(editor).get(editor_url).text
    review_comments.address_comment(comment=question, by=editor)
    assert "to answer" not in client_for(editor).get(editor_url).text


def test_after_addressing_in_the_panel_focus_goes_to_the_conversation(client_for, editor, question):
    response = client_for(editor).post(on_card("address", question), headers={"HX-Request": "true"})
    assert f'data-bp-focus="comment-{question.pk}"' in response.text
    assert f'data-control="comment-{question.pk}"' in response.text


def test_after_resolving_in_the_panel_focus_goes_to_the_comments_heading(
    client_for, reviewer, question
):
    response = client_for(reviewer).post(
        on_card("resolve", question), headers={"HX-Request": "true"}
    )
    assert 'data-bp-focus="comments"' in response.text
