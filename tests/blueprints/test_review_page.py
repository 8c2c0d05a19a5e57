"""The review page and its POST endpoints, per role: who reads, who moves, who comments."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints.models import Blueprint, Comment, ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from blueprints.review import states as review_states
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    CommentFactory,
    with_review_state,
)
from tests.roles import READERS, ROLES

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND, BAD = (
    HTTPStatus.OK,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.BAD_REQUEST,
)


def url(name, blueprint, **kwargs):
    return reverse(
        f"blueprints:{name}", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk, **kwargs}
    )


def page(blueprint):
    return url("review", blueprint)


def move(blueprint, action):
    return url("review-transition", blueprint, action=action)


def state_of(blueprint):
    return Blueprint.objects.get(pk=blueprint.pk).review_state


# Reading ------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in(client, blueprint):
    response = client.get(page(blueprint))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_who_may_read_the_review_page(client_for, users, blueprint, role):
    response = client_for(users[role]).get(page(blueprint))
    assert response.status_code == READERS[role]


def test_a_blueprint_of_another_locality_is_not_found_under_this_one(
    client_for, lead, locality, other_locality
):
    elsewhere = BlueprintFactory(locality=other_locality)
    response = client_for(lead).get(
        reverse("blueprints:review", kwargs={"slug": locality.slug, "pk": elsewhere.pk})
    )
    assert response.status_code == NOT_FOUND


def test_the_page_shows_the_state_in_words(client_for, viewer, blueprint):
    with_review_state(blueprint, "changes_requested")
    response = client_for(viewer).get(page(blueprint))
    assert "Changes requested" in response.content.decode()


BUTTONS = {
    "submit": "Submit for review",
    "withdraw": "Withdraw to edit",
    "request_changes": "Request changes",
    "approve": "Approve",
}


@pytest.mark.parametrize(
    ("role", "state", "shown"),
    [
        ("editor", "draft", {"submit"}),
        ("lead", "submitted", {"withdraw"}),
        ("editor", "submitted", {"withdraw"}),
        ("viewer", "submitted", set()),
        ("viewer", "draft", set()),
        ("reviewer", "draft", set()),
        ("reviewer", "submitted", {"request_changes", "approve"}),
        ("superuser", "submitted", {"withdraw", "request_changes", "approve"}),
        ("lead", "changes_requested", {"submit"}),
        ("editor", "approved", set()),
    ],
)
def test_the_page_offers_only_the_moves_the_user_may_make_now(
    client_for, users, blueprint, role, state, shown
):
    with_review_state(blueprint, state)
    response = client_for(users[role]).get(page(blueprint))
    actions = {rule.action for rule, _ in response.context["moves"]}
    assert actions == shown
    content = response.content.decode()
    for action in BUTTONS:
        assert (move(blueprint, action) in content) is (action in shown)


def test_an_editor_is_warned_that_editing_an_approved_blueprint_returns_it_to_draft(
    client_for, editor, blueprint
):
    with_review_state(blueprint, "approved")
    response = client_for(editor).get(page(blueprint))
    assert "changing it returns it to draft" in response.content.decode()


def test_no_warning_while_the_blueprint_is_not_approved(client_for, editor, blueprint):
    response = client_for(editor).get(page(blueprint))
    assert "changing it returns it to draft" not in response.content.decode()


def test_the_page_lists_the_history_and_open_comments_first(
    client_for, editor, reviewer, blueprint
):
    card = CardFactory(blueprint=blueprint, title="Hears about the walks")
    review_actions.submit(blueprint=blueprint, by=editor, note="Please look at the exit phase.")
    closed = review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="First, now resolved"
    )
    review_comments.resolve_comment(comment=closed, by=reviewer)
    review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Still open", card=card)
    response = client_for(editor).get(page(blueprint))
    content = response.content.decode()
    assert "Please look at the exit phase." in content
    assert [thread.body for thread in response.context["threads"]] == [
        "Still open",
        "First, now resolved",
    ]
    assert "on the card “Hears about the walks”" in content
    assert response.context["open_count"] == 1


def test_a_comment_on_a_deleted_card_still_names_it(client_for, editor, reviewer, blueprint):
    from blueprints import services

    card = CardFactory(blueprint=blueprint, title="Hears about the walks")
    review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Where?", card=card)
    services.delete_card(card=card, expected_version=card.version, by=editor)
    content = client_for(editor).get(page(blueprint)).content.decode()
    assert "“Hears about the walks”" in content
    assert "deleted since" in content


def test_a_card_chosen_in_the_address_starts_the_comment_on_it(client_for, editor, blueprint):
    card = CardFactory(blueprint=blueprint)
    response = client_for(editor).get(page(blueprint) + f"?card={card.pk}")
    assert response.context["comment_form"]["card"].value() == str(card.pk)


def test_a_viewer_gets_no_comment_form(client_for, viewer, blueprint):
    response = client_for(viewer).get(page(blueprint))
    assert response.context["comment_form"] is None
    assert url("comment-create", blueprint) not in response.content.decode()


def fill(blueprint, *, editor, reviewer, size):
    """`size` conversations (each with a reply, on cards) and review rounds."""
    cards = [CardFactory(blueprint=blueprint) for _ in range(min(size, 5))]
    for index in range(size):
        top = review_comments.add_comment(
            blueprint=blueprint, by=reviewer, body=f"Question {index}", card=cards[index % 5]
        )
        review_comments.add_comment(blueprint=blueprint, by=editor, body="An answer", parent=top)
        if index % 2:
            review_comments.resolve_comment(comment=top, by=reviewer)
        review_actions.submit(blueprint=blueprint, by=editor, note=f"Round {index}")
        review_actions.request_changes(blueprint=blueprint, by=reviewer, note="More, please.")


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == OK
    assert "Comments" in response.text
    return len(queries)


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_the_page_costs_the_same_queries_with_few_or_many_comments(
    client_for, users, locality, role, django_assert_max_num_queries
):
    editor, reviewer = users["editor"], users["reviewer"]
    small = BlueprintFactory(locality=locality)
    large = BlueprintFactory(locality=locality)
    fill(small, editor=editor, reviewer=reviewer, size=1)
    fill(large, editor=editor, reviewer=reviewer, size=12)
    client = client_for(users[role])
    client.get(page(small))  # warm the session
    # 12: a reviewer's pages also read their group's permissions once (the Portfolio link).
    with django_assert_max_num_queries(12):
        few = count_queries(client, page(small))
    with django_assert_max_num_queries(12):
        many = count_queries(client, page(large))
    assert few == many


# Moving between states -------------------------------------------------------------------


def test_an_anonymous_post_is_sent_to_log_in(client, blueprint):
    response = client.post(move(blueprint, "submit"))
    assert response.status_code == HTTPStatus.FOUND
    assert state_of(blueprint) == "draft"


@pytest.mark.parametrize(
    ("role", "action", "state", "status"),
    [
        ("viewer", "submit", "draft", FORBIDDEN),
        ("reviewer", "submit", "draft", FORBIDDEN),
        ("outsider", "submit", "draft", NOT_FOUND),
        ("viewer", "withdraw", "submitted", FORBIDDEN),
        ("reviewer", "withdraw", "submitted", FORBIDDEN),
        ("outsider", "withdraw", "submitted", NOT_FOUND),
        ("editor", "approve", "submitted", FORBIDDEN),
        ("lead", "request_changes", "submitted", FORBIDDEN),
        ("viewer", "approve", "draft", FORBIDDEN),  # who comes before what state
        ("outsider", "approve", "submitted", NOT_FOUND),
    ],
)
def test_a_move_refused_for_the_role_answers_403_or_404_and_changes_nothing(
    client_for, users, blueprint, role, action, state, status
):
    with_review_state(blueprint, state)
    response = client_for(users[role]).post(move(blueprint, action), {"note": "A note."})
    assert response.status_code == status
    assert state_of(blueprint) == state
    assert not ReviewTransition.objects.exists()


def test_approving_a_draft_shows_why_not(client_for, reviewer, blueprint):
    response = client_for(reviewer).post(move(blueprint, "approve"), {"note": "Good."})
    assert response.status_code == BAD
    assert (
        "Only a submitted blueprint can be approved; this one is a draft."
        in response.content.decode()
    )
    assert state_of(blueprint) == "draft"


def test_approving_without_a_note_asks_for_one(client_for, reviewer, blueprint):
    with_review_state(blueprint, "submitted")
    response = client_for(reviewer).post(move(blueprint, "approve"), {"note": "  "})
    assert response.status_code == BAD
    form = dict(response.context["moves"])[review_states.RULES["approve"]]
    assert form.errors["note"] == ["Write a note for the team: approving needs one."]
    assert state_of(blueprint) == "submitted"


@pytest.mark.parametrize(
    ("role", "action", "state", "after"),
    [
        ("editor", "submit", "draft", "submitted"),
        ("lead", "submit", "changes_requested", "submitted"),
        ("lead", "withdraw", "submitted", "draft"),
        ("editor", "withdraw", "submitted", "draft"),
        ("reviewer", "request_changes", "submitted", "changes_requested"),
        ("reviewer", "approve", "submitted", "approved"),
        ("superuser", "approve", "submitted", "approved"),
    ],
)
def test_an_allowed_move_is_made_and_the_page_shown_again(
    client_for, users, blueprint, role, action, state, after
):
    with_review_state(blueprint, state)
    response = client_for(users[role]).post(move(blueprint, action), {"note": "A note."})
    assert response.status_code == HTTPStatus.FOUND
    # Withdrawn to edit: back to the editor; every other move: the review page again.
    expected = (
        reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])
        if action == "withdraw"
        else page(blueprint)
    )
    assert response.url == expected
    assert state_of(blueprint) == after
    transition = ReviewTransition.objects.get()
    assert (transition.by, transition.note) == (users[role], "A note.")


def test_an_unknown_move_is_not_found(client_for, superuser, blueprint):
    response = client_for(superuser).post(move(blueprint, "reopen"), {"note": "x"})
    assert response.status_code == NOT_FOUND


def test_a_move_cannot_be_made_by_get(client_for, editor, blueprint):
    response = client_for(editor).get(move(blueprint, "submit"))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert state_of(blueprint) == "draft"


# Comments -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("lead", HTTPStatus.FOUND),
        ("editor", HTTPStatus.FOUND),
        ("reviewer", HTTPStatus.FOUND),
        ("superuser", HTTPStatus.FOUND),
        ("viewer", FORBIDDEN),
        ("outsider", NOT_FOUND),
    ],
)
def test_who_may_comment_on_the_page(client_for, users, blueprint, role, status):
    response = client_for(users[role]).post(url("comment-create", blueprint), {"body": "Who?"})
    assert response.status_code == status
    assert Comment.objects.count() == (1 if status == HTTPStatus.FOUND else 0)


def test_a_comment_lands_on_its_conversation(client_for, reviewer, blueprint):
    card = CardFactory(blueprint=blueprint)
    response = client_for(reviewer).post(
        url("comment-create", blueprint), {"body": "Who?", "card": card.pk}
    )
    comment = Comment.objects.get()
    assert comment.card == card
    assert response.url == page(blueprint) + f"#comment-{comment.pk}"


def test_a_comment_on_a_card_of_another_blueprint_is_refused(
    client_for, reviewer, blueprint, locality
):
    elsewhere = CardFactory(blueprint=BlueprintFactory(locality=locality))
    response = client_for(reviewer).post(
        url("comment-create", blueprint), {"body": "Who?", "card": elsewhere.pk}
    )
    assert response.status_code == BAD
    assert response.context["comment_form"].errors["card"] == ["Choose a card of this blueprint."]
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused(client_for, editor, blueprint):
    response = client_for(editor).post(url("comment-create", blueprint), {"body": "   "})
    assert response.status_code == BAD
    assert "body" in response.context["comment_form"].errors
    assert not Comment.objects.exists()


def test_a_reply_on_the_page(client_for, editor, reviewer, blueprint):
    question = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Who?")
    response = client_for(editor).post(
        url("comment-create", blueprint), {"body": "Sam.", "parent": question.pk}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.endswith(f"#comment-{question.pk}")
    assert question.replies.get().body == "Sam."


def test_a_reply_to_a_comment_of_another_blueprint_is_refused(
    client_for, editor, blueprint, locality
):
    other = CommentFactory(blueprint=BlueprintFactory(locality=locality))
    response = client_for(editor).post(
        url("comment-create", blueprint), {"body": "Hm.", "parent": other.pk}
    )
    assert response.status_code == BAD
    assert "Reply to a comment of this blueprint." in response.content.decode()
    assert Comment.objects.count() == 1


def test_an_empty_reply_reopens_its_form_with_the_error(client_for, editor, reviewer, blueprint):
    question = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Who?")
    response = client_for(editor).post(
        url("comment-create", blueprint), {"body": "", "parent": question.pk}
    )
    assert response.status_code == BAD
    (thread,) = response.context["threads"]
    assert "body" in thread.reply_form.errors
    assert 'details class="flex-grow-1" open' in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("lead", FORBIDDEN),  # issue 14: the team marks it addressed instead
        ("editor", FORBIDDEN),
        ("reviewer", HTTPStatus.FOUND),
        ("superuser", HTTPStatus.FOUND),
        ("viewer", FORBIDDEN),
        ("outsider", NOT_FOUND),
    ],
)
def test_who_may_resolve_on_the_page(client_for, users, blueprint, role, status):
    question = review_comments.add_comment(blueprint=blueprint, by=users["reviewer"], body="Who?")
    response = client_for(users[role]).post(
        url("comment-resolve", blueprint, comment_pk=question.pk)
    )
    assert response.status_code == status
    question.refresh_from_db()
    assert question.is_open is (status != HTTPStatus.FOUND)


def test_resolving_a_comment_of_another_blueprint_is_not_found(
    client_for, editor, blueprint, locality
):
    other = CommentFactory(blueprint=BlueprintFactory(locality=locality))
    response = client_for(editor).post(url("comment-resolve", blueprint, comment_pk=other.pk))
    assert response.status_code == NOT_FOUND
    other.refresh_from_db()
    assert other.is_open


def test_reopening_on_the_page(client_for, editor, reviewer, blueprint):
    question = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Who?")
    review_comments.resolve_comment(comment=question, by=reviewer)
    response = client_for(reviewer).post(url("comment-reopen", blueprint, comment_pk=question.pk))
    assert response.status_code == HTTPStatus.FOUND
    question.refresh_from_db()
    assert question.is_open
