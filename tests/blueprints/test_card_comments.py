"""Comments where the work is (issue 14, items 1 and 3): commenting on a card from its panel
(htmx, redrawn in place) or its page (plain POST, redirected back to the conversation), the
card's conversations and replies in the panel, the text view and the review page."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints.models import Comment
from blueprints.review import comments as review_comments
from tests.blueprints.factories import CardFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ROLES_STATUS = [
    ("lead", HTTPStatus.FOUND),
    ("editor", HTTPStatus.FOUND),
    ("reviewer", HTTPStatus.FOUND),
    ("superuser", HTTPStatus.FOUND),
    ("viewer", HTTPStatus.FORBIDDEN),
    ("outsider", HTTPStatus.NOT_FOUND),
]


@pytest.fixture
def card(blueprint):
    return CardFactory(blueprint=blueprint, title="Hears about the walks")


def card_page(card):
    return reverse(
        "blueprints:card-detail", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )


def comment_url(card):
    return reverse(
        "blueprints:card-comment", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )


def text_url(blueprint):
    return reverse("blueprints:text", args=[blueprint.locality.slug, blueprint.pk])


def review_page(blueprint):
    return reverse("blueprints:review", args=[blueprint.locality.slug, blueprint.pk])


# Who may comment on a card, and reply, both ways ----------------------------------------


@pytest.mark.parametrize(("role", "status"), ROLES_STATUS)
def test_who_may_comment_on_a_card(client_for, users, card, role, status):
    response = client_for(users[role]).post(comment_url(card), {"body": "Which school?"})
    assert response.status_code == status
    saved = Comment.objects.filter(card=card, body="Which school?")
    assert saved.exists() is (status == HTTPStatus.FOUND)
    if status == HTTPStatus.FOUND:
        assert saved.get().author == users[role]


def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_is_saved(client, card):
    response = client.post(comment_url(card), {"body": "Which school?"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
    assert not Comment.objects.exists()


@pytest.mark.parametrize(("role", "status"), ROLES_STATUS)
def test_who_may_reply_on_a_card(client_for, users, card, role, status):
    top = review_comments.add_comment(
        blueprint=card.blueprint, by=users["reviewer"], body="Where?", card=card
    )
    response = client_for(users[role]).post(
        comment_url(card), {"body": "At the school.", "parent": top.pk}
    )
    assert response.status_code == status
    assert top.replies.filter(body="At the school.").exists() is (status == HTTPStatus.FOUND)


def test_an_anonymous_visitor_may_not_reply(client, reviewer, card):
    top = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Where?", card=card
    )
    response = client.post(comment_url(card), {"body": "Here.", "parent": top.pk})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
    assert not top.replies.exists()


# Without JavaScript: a plain POST and a redirect back --------------------------------------


def test_without_javascript_a_comment_redirects_to_the_card_at_the_conversation(
    client_for, reviewer, card
):
    response = client_for(reviewer).post(comment_url(card), {"body": "Which school?"})
    comment = Comment.objects.get()
    assert response["Location"] == f"{card_page(card)}#comment-{comment.pk}"
    page = client_for(reviewer).get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert f'id="comment-{comment.pk}"' in page.text
    assert "Which school?" in page.text


def test_a_reply_redirects_to_its_conversation(client_for, reviewer, editor, card):
    top = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Where?", card=card
    )
    response = client_for(editor).post(comment_url(card), {"body": "Here.", "parent": top.pk})
    assert response["Location"] == f"{card_page(card)}#comment-{top.pk}"


def test_an_empty_comment_is_refused_at_the_field_and_nothing_is_saved(client_for, reviewer, card):
    response = client_for(reviewer).post(comment_url(card), {"body": "   "})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "This field is required." in response.text or "Write the comment" in response.text
    assert f'id="id_card_{card.pk}_comment_body_error"' in response.text
    assert not Comment.objects.exists()


def test_an_overlong_comment_is_refused_not_cut(client_for, reviewer, card):
    response = client_for(reviewer).post(comment_url(card), {"body": "x" * 4001})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "4000 characters; it has 4001." in response.text
    assert not Comment.objects.exists()


def test_a_reply_to_a_conversation_on_another_card_is_refused(client_for, reviewer, card):
    elsewhere = CardFactory(blueprint=card.blueprint)
    top = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Where?", card=elsewhere
    )
    response = client_for(reviewer).post(comment_url(card), {"body": "Hm.", "parent": top.pk})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Reply to a conversation on this card." in response.text
    assert not top.replies.exists()


@pytest.mark.parametrize("parent", ["abc", "999999999", ""])
def test_a_reply_to_no_such_conversation_is_refused_without_error(
    client_for, reviewer, card, parent
):
    response = client_for(reviewer).post(comment_url(card), {"body": "Hm.", "parent": parent})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not Comment.objects.exists()


def test_a_card_of_another_blueprint_is_not_found(client_for, reviewer, card, locality):
    from tests.blueprints.factories import BlueprintFactory

    other = CardFactory(blueprint=BlueprintFactory(locality=locality))
    address = reverse("blueprints:card-comment", args=[locality.slug, card.blueprint_id, other.pk])
    response = client_for(reviewer).post(address, {"body": "Hm."})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Comment.objects.exists()


# With htmx: the panel, redrawn in place -----------------------------------------------------


def test_with_htmx_the_panel_comes_back_with_the_new_comment(client_for, reviewer, card):
    response = client_for(reviewer).post(comment_url(card), {"body": "Which school?"}, headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert response.templates[0].name == "blueprints/editor/_card_panel.html"
    assert "Which school?" in response.text
    assert "Comment added." in response.text
    assert 'hx-target="#bp-panel"' in response.text


def test_with_htmx_an_empty_comment_comes_back_in_the_panel_with_the_message(
    client_for, reviewer, card
):
    response = client_for(reviewer).post(comment_url(card), {"body": ""}, headers=HTMX)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.templates[0].name == "blueprints/editor/_card_panel.html"
    assert "bp-errors" in response.text
    assert not Comment.objects.exists()


# What the panel shows ------------------------------------------------------------------------


def test_the_panel_shows_open_conversations_first_with_replies_and_resolved_collapsed(
    client_for, reviewer, editor, card
):
    closed = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Old question", card=card
    )
    review_comments.resolve_comment(comment=closed, by=reviewer)
    open_one = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="New question", card=card
    )
    review_comments.add_comment(
        blueprint=card.blueprint, by=editor, body="An answer to it", parent=open_one
    )
    review_comments.add_comment(blueprint=card.blueprint, by=reviewer, body="Not this card")
    response = client_for(editor).get(card_page(card), headers=HTMX)
    text = response.text
    assert [t.body for t in response.context["open_threads"]] == ["New question"]
    assert [t.body for t in response.context["resolved_threads"]] == ["Old question"]
    assert (
        text.index("New question")
        < text.index("An answer to it")
        < text.index("Resolved conversations (1)")
        < text.index("Old question")
    )
    assert "Not this card" not in text


def test_a_viewer_reads_the_conversation_but_gets_no_form(client_for, viewer, reviewer, card):
    review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Which school?", card=card
    )
    response = client_for(viewer).get(card_page(card), headers=HTMX)
    assert "Which school?" in response.text
    assert response.context["comment_form"] is None
    assert comment_url(card) not in response.text


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_the_panel_costs_the_same_queries_with_few_or_many_comments(
    client_for, users, blueprint, role, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reviewer, editor = users["reviewer"], users["editor"]
    small, large = CardFactory(blueprint=blueprint), CardFactory(blueprint=blueprint)
    for card, size in ((small, 1), (large, 12)):
        for index in range(size):
            top = review_comments.add_comment(
                blueprint=blueprint, by=reviewer, body=f"Q{index} @editor", card=card
            )
            review_comments.add_comment(blueprint=blueprint, by=editor, body="A", parent=top)
            if index % 3 == 1:
                review_comments.resolve_comment(comment=top, by=reviewer)
            if index % 3 == 2:
                review_comments.address_comment(comment=top, by=editor)
    client = client_for(users[role])
    client.get(card_page(small), headers=HTMX)  # once first: a first visit's one-off reads
    counts = []
    for card in (small, large):
        address = card_page(card)  # outside the count: it reads the card's locality
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address, headers=HTMX)
        assert response.status_code == HTTPStatus.OK
        assert "Q0" in response.text
        counts.append(len(queries))
    assert counts[0] == counts[1]
    address = card_page(large)
    with django_assert_max_num_queries(counts[0]):
        response = client.get(address, headers=HTMX)
        assert "Q11" in response.text


# The text view and the review page --------------------------------------------------------------


def test_the_text_view_shows_each_cards_conversations_with_replies_and_a_link(
    client_for, reviewer, editor, card
):
    top = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Which school?", card=card
    )
    review_comments.add_comment(
        blueprint=card.blueprint, by=editor, body="Riverside Primary", parent=top
    )
    response = client_for(editor).get(text_url(card.blueprint))
    text = response.text
    assert text.index("Hears about the walks") < text.index("Which school?")
    assert text.index("Which school?") < text.index("Riverside Primary")
    assert f'href="{card_page(card)}#card-comments"' in text


def test_the_text_view_costs_the_same_queries_with_many_comments(
    client_for, reviewer, editor, blueprint
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(editor)
    cards = [CardFactory(blueprint=blueprint) for _ in range(3)]
    review_comments.add_comment(blueprint=blueprint, by=reviewer, body="One", card=cards[0])
    address = text_url(blueprint)
    client.get(address)  # once first: a first visit's one-off reads (the session's)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == HTTPStatus.OK
    for card in cards:
        for index in range(4):
            top = review_comments.add_comment(
                blueprint=blueprint, by=reviewer, body=f"Q{index}", card=card
            )
            review_comments.add_comment(blueprint=blueprint, by=editor, body="A", parent=top)
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)
    assert response.text.count("Q3") == 3
    assert len(many) == len(few)


def test_replies_show_under_their_conversation_on_the_review_page(
    client_for, reviewer, editor, card
):
    top = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Which school?", card=card
    )
    review_comments.add_comment(
        blueprint=card.blueprint, by=editor, body="Riverside Primary", parent=top
    )
    text = client_for(reviewer).get(review_page(card.blueprint)).text
    article = text[text.index(f'id="comment-{top.pk}"') :]
    article = article[: article.index("</article>")]
    assert "Which school?" in article
    assert "Riverside Primary" in article


# Text stays text --------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["<script>alert(1)</script>", "@<b>x</b> hello"])
def test_what_a_user_types_is_shown_as_text(client_for, reviewer, card, body):
    client = client_for(reviewer)
    client.post(comment_url(card), {"body": body})
    assert Comment.objects.get().body == body
    for address in (card_page(card), text_url(card.blueprint), review_page(card.blueprint)):
        text = client.get(address).text
        assert body not in text
        assert body.replace("<", "&lt;").replace(">", "&gt;") in text


def test_a_refused_reply_comes_back_open_under_its_conversation_with_the_message(
    client_for, reviewer, editor, card
):
    top = review_comments.add_comment(
        blueprint=card.blueprint, by=reviewer, body="Where?", card=card
    )
    response = client_for(editor).post(
        comment_url(card), {"body": "Ask @nobody.", "parent": top.pk}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "@nobody is not on this blueprint" in response.text
    assert f'id="id_reply_{top.pk}_body_error"' in response.text
    assert '<details class="flex-grow-1" open>' in response.text
    assert not top.replies.exists()


def test_the_cards_count_in_the_grid_follows_a_comment_from_the_panel(client_for, reviewer, card):
    response = client_for(reviewer).post(comment_url(card), {"body": "Which school?"}, headers=HTMX)
    assert 'hx-swap-oob="true"' in response.text
    assert "1 comment to answer" in response.text
