"""@mentions in comments (issue 14, item 4): who may be mentioned, the refusal naming the
handle (nothing saved), one email per mentioned person (merged with the usual comment
email), mentions shown as text."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from blueprints.models import Comment
from blueprints.review import comments as review_comments
from blueprints.review import states as review_states
from tests.blueprints.factories import CardFactory
from tests.localities.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(blueprint):
    return CardFactory(blueprint=blueprint, title="Hears about the walks")


def comment_url(card):
    return reverse(
        "blueprints:card-comment", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )


def card_page(card):
    return reverse(
        "blueprints:card-detail", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )


def to(address):
    return [message for message in mail.outbox if message.to == [address]]


# Parsing ----------------------------------------------------------------------------------


def test_handles_are_found_once_each_and_addresses_are_not_handles():
    body = "@ann and @bob.smith, then @ann again; write to carol@example.org. @dan."
    assert review_comments.handles(body) == ["ann", "bob.smith", "dan"]


def test_a_body_splits_into_text_and_mentions():
    parts = review_comments.body_parts("Hi @ann, see <b>this</b>")
    assert [(p.text, p.mention) for p in parts] == [
        ("Hi ", False),
        ("@ann", True),
        (", see <b>this</b>", False),
    ]


# Who may be mentioned, both ways ------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "editor", "viewer", "reviewer"])
def test_members_of_any_role_and_reviewers_may_be_mentioned(users, card, who):
    comment = review_comments.add_comment(
        blueprint=card.blueprint, by=users["editor"], body=f"Over to @{who}.", card=card
    )
    assert list(comment.mentions.all()) == [users[who]]


@pytest.mark.parametrize("who", ["outsider", "admin", "nobody"])
def test_anyone_else_is_refused_naming_the_handle_and_nothing_is_saved(users, card, who):
    with pytest.raises(ValidationError) as refused:
        review_comments.add_comment(
            blueprint=card.blueprint, by=users["reviewer"], body=f"Ask @{who}.", card=card
        )
    assert refused.value.error_dict["body"][0].message == (
        f"@{who} is not on this blueprint's team or a reviewer."
    )
    assert not Comment.objects.exists()


def test_an_inactive_member_may_not_be_mentioned(locality, editor, card):
    from tests.localities.factories import MembershipFactory

    MembershipFactory(locality=locality, user=UserFactory(username="gone", is_active=False))
    with pytest.raises(ValidationError):
        review_comments.add_comment(blueprint=card.blueprint, by=editor, body="@gone?", card=card)
    assert not Comment.objects.exists()


def test_a_handle_matches_whatever_its_case(users, card):
    comment = review_comments.add_comment(
        blueprint=card.blueprint, by=users["reviewer"], body="@Editor?", card=card
    )
    assert list(comment.mentions.all()) == [users["editor"]]


# Who may mention: whoever may comment, both ways -------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("lead", HTTPStatus.FOUND),
        ("editor", HTTPStatus.FOUND),
        ("reviewer", HTTPStatus.FOUND),
        ("superuser", HTTPStatus.FOUND),
        ("viewer", HTTPStatus.FORBIDDEN),
        ("outsider", HTTPStatus.NOT_FOUND),
    ],
)
def test_who_may_mention(client_for, users, card, role, status, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users[role]).post(comment_url(card), {"body": "Ask @viewer."})
    assert response.status_code == status
    mentioned = Comment.objects.filter(mentions=users["viewer"]).exists()
    assert mentioned is (status == HTTPStatus.FOUND)
    assert len(to("viewer@example.org")) == (1 if status == HTTPStatus.FOUND else 0)


def test_an_anonymous_visitor_may_not_mention(client, card):
    response = client.post(comment_url(card), {"body": "Ask @viewer."})
    assert response["Location"].startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_the_page_refuses_an_outsiders_handle_at_the_field(client_for, reviewer, outsider, card):
    response = client_for(reviewer).post(comment_url(card), {"body": "Ask @outsider."})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "@outsider is not on this blueprint&#x27;s team or a reviewer." in response.text
    assert f'id="id_card_{card.pk}_comment_body_error"' in response.text
    assert not Comment.objects.exists()


def test_a_refused_mention_on_the_review_page_saves_nothing(client_for, reviewer, card):
    address = reverse(
        "blueprints:comment-create", args=[card.blueprint.locality.slug, card.blueprint_id]
    )
    response = client_for(reviewer).post(address, {"body": "Ask @nobody.", "card": card.pk})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "@nobody is not on this blueprint" in response.text
    assert not Comment.objects.exists()


# Email -------------------------------------------------------------------------------------


def test_a_mention_emails_the_mentioned_member_once(
    users, card, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = review_comments.add_comment(
            blueprint=card.blueprint,
            by=users["reviewer"],
            body="@viewer, and again @viewer: <b>which</b> school?",
            card=card,
        )
    (message,) = to("viewer@example.org")
    assert "mentioned you" in message.subject
    assert "> @viewer, and again @viewer: <b>which</b> school?" in message.body
    assert f"{card_page(card)}#comment-{comment.pk}\n" in message.body
    assert message.content_subtype == "plain"


def test_only_the_mentioned_get_a_mention_email(users, card, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.add_comment(
            blueprint=card.blueprint, by=users["reviewer"], body="@viewer?", card=card
        )
    mention_emails = [m for m in mail.outbox if "mentioned you" in m.subject]
    assert [m.to for m in mention_emails] == [["viewer@example.org"]]
    assert not to("outsider@example.org")
    assert not to("admin@example.org")


def test_a_mentioned_editor_gets_one_email_not_two(users, card, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.add_comment(
            blueprint=card.blueprint, by=users["reviewer"], body="@editor, which school?", card=card
        )
    (message,) = to("editor@example.org")
    assert "mentioned you" in message.subject
    assert "because you were mentioned" in message.body
    (lead_message,) = to("lead@example.org")  # the team still hears, as before
    assert "mentioned you" not in lead_message.subject


def test_mentioning_oneself_sends_no_email_to_oneself(
    users, card, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.add_comment(
            blueprint=card.blueprint, by=users["reviewer"], body="Note to @reviewer.", card=card
        )
    assert not to("reviewer@example.org")


def test_a_refused_mention_sends_no_email(users, card, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        review_comments.add_comment(
            blueprint=card.blueprint, by=users["reviewer"], body="@viewer @nobody", card=card
        )
    assert mail.outbox == []


def test_a_viewer_may_still_not_comment_by_mentioning(users, card):
    with pytest.raises(review_states.NotAllowed):
        review_comments.add_comment(
            blueprint=card.blueprint, by=users["viewer"], body="@editor?", card=card
        )


# Shown as text -------------------------------------------------------------------------------


def test_a_mention_is_highlighted_and_escaped(client_for, users, card):
    review_comments.add_comment(
        blueprint=card.blueprint, by=users["reviewer"], body="@editor <i>now</i>", card=card
    )
    text = client_for(users["editor"]).get(card_page(card)).text
    assert '<span class="bp-mention">@editor</span> &lt;i&gt;now&lt;/i&gt;' in text


def test_the_form_lists_who_can_be_mentioned(client_for, users, card):
    text = client_for(users["editor"]).get(card_page(card)).text
    help_line = text[text.index("Mention someone with @") :]
    help_line = help_line[: help_line.index("</p>")]
    for name in ("@editor", "@lead", "@viewer", "@reviewer"):
        assert name in help_line
    assert "@outsider" not in help_line


def test_the_admin_refuses_an_unknown_mention_at_the_field(client_for, superuser, card):
    response = client_for(superuser).post(
        reverse("admin:blueprints_comment_add") + f"?blueprint={card.blueprint_id}",
        {"blueprint": card.blueprint_id, "card": card.pk, "body": "Ask @nobody."},
    )
    assert response.status_code == HTTPStatus.OK
    assert "@nobody is not on this blueprint" in response.text
    assert not Comment.objects.exists()
