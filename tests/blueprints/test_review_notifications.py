"""Review email: exactly the right people, never the one who acted, only after commit."""

import pytest
from django.core import mail
from django.db import transaction

from blueprints import services
from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from blueprints.review import states as review_states
from localities.models import Membership
from tests.blueprints.factories import CardFactory, with_review_state
from tests.localities.factories import MembershipFactory, ReviewerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(users, other_locality):
    """The usual users plus the ones who must never be told: a reviewer without email, an
    inactive reviewer, staff outside the reviewers group, a former editor, and the editor
    of another locality."""
    ReviewerFactory(username="no-email", email="")
    ReviewerFactory(username="retired-reviewer", is_active=False)
    UserFactory(username="staff-not-reviewer", is_staff=True)
    MembershipFactory(
        locality=users["lead"].memberships.get().locality,
        role=Membership.Role.EDITOR,
        user=UserFactory(username="former-editor", is_active=False),
    )
    MembershipFactory(
        locality=other_locality,
        role=Membership.Role.EDITOR,
        user=UserFactory(username="elsewhere-editor"),
    )
    return users


def recipients() -> list[str]:
    addresses = []
    for message in mail.outbox:
        assert len(message.to) == 1  # one email each: no one sees the others' addresses
        addresses.extend(message.to)
    return sorted(addresses)


def test_submitting_tells_the_reviewers(everyone, blueprint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.submit(blueprint=blueprint, by=everyone["editor"], note="Exit phase first.")
    assert recipients() == ["reviewer@example.org"]


def test_a_second_reviewer_is_told_too_but_not_the_reviewer_who_submits(
    everyone, locality, blueprint, django_capture_on_commit_callbacks
):
    ReviewerFactory(username="second-reviewer")
    both = ReviewerFactory(username="reviewer-and-editor")
    MembershipFactory(locality=locality, user=both, role=Membership.Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.submit(blueprint=blueprint, by=both)
    assert recipients() == ["reviewer@example.org", "second-reviewer@example.org"]


@pytest.mark.parametrize("action", ["request_changes", "approve"])
def test_a_decision_tells_the_leads_and_editors(
    everyone, blueprint, action, django_capture_on_commit_callbacks
):
    with_review_state(blueprint, "submitted")
    service = {
        "request_changes": review_actions.request_changes,
        "approve": review_actions.approve,
    }[action]
    with django_capture_on_commit_callbacks(execute=True):
        service(blueprint=blueprint, by=everyone["reviewer"], note="See the exit phase.")
    assert recipients() == ["editor@example.org", "lead@example.org"]


def test_a_decision_by_a_reviewer_who_leads_the_locality_skips_them(
    everyone, locality, blueprint, django_capture_on_commit_callbacks
):
    both = ReviewerFactory(username="reviewer-and-lead")
    MembershipFactory(locality=locality, user=both, role=Membership.Role.LEAD)
    with_review_state(blueprint, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.approve(blueprint=blueprint, by=both, note="Good.")
    assert recipients() == ["editor@example.org", "lead@example.org"]


@pytest.mark.parametrize("role", ["editor", "lead"])
def test_withdrawing_tells_the_reviewers_who_withdrew_it_to_make_changes(
    everyone, blueprint, role, django_capture_on_commit_callbacks
):
    with_review_state(blueprint, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.withdraw(blueprint=blueprint, by=everyone[role])
    assert recipients() == ["reviewer@example.org"]
    [message] = mail.outbox
    name = everyone[role].get_full_name() or everyone[role].get_username()
    assert f"withdrawn by {name} to make changes" in message.body
    assert "withdrawn from review" in message.subject


def test_the_return_to_draft_after_an_edit_tells_no_one(
    everyone, blueprint, django_capture_on_commit_callbacks
):
    card = CardFactory(blueprint=blueprint)
    with_review_state(blueprint, "approved")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_card(
            card=card, expected_version=card.version, by=everyone["editor"], title="New"
        )
    assert recipients() == []


def test_a_refused_move_tells_no_one(everyone, blueprint, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(review_states.ReviewRefused),
    ):
        review_actions.approve(blueprint=blueprint, by=everyone["reviewer"], note="Good.")
    assert recipients() == []


def test_a_move_rolled_back_tells_no_one(everyone, blueprint, django_capture_on_commit_callbacks):
    def submit_then_fail():
        with transaction.atomic():
            review_actions.submit(blueprint=blueprint, by=everyone["editor"])
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        submit_then_fail()
    assert callbacks == []
    assert recipients() == []


def test_nothing_is_sent_before_the_commit(everyone, blueprint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_actions.submit(blueprint=blueprint, by=everyone["editor"])
    assert recipients() == []
    for callback in callbacks:  # the email, and the live editors' notice (issue 16)
        callback()
    assert recipients() != []


def test_a_comment_by_a_reviewer_tells_the_leads_and_editors(
    everyone, blueprint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.add_comment(blueprint=blueprint, by=everyone["reviewer"], body="Who leads?")
    assert recipients() == ["editor@example.org", "lead@example.org"]


def test_a_comment_by_an_editor_tells_the_lead_only(
    everyone, blueprint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.add_comment(blueprint=blueprint, by=everyone["editor"], body="Note to self")
    assert recipients() == ["lead@example.org"]


def test_a_reply_tells_the_team_and_the_people_in_the_conversation(
    everyone, blueprint, django_capture_on_commit_callbacks
):
    question = review_comments.add_comment(
        blueprint=blueprint, by=everyone["reviewer"], body="Who?"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.add_comment(
            blueprint=blueprint, by=everyone["editor"], body="Sam leads.", parent=question
        )
    assert recipients() == ["lead@example.org", "reviewer@example.org"]


def test_a_reply_skips_a_former_member_of_the_conversation(
    everyone, locality, blueprint, django_capture_on_commit_callbacks
):
    question = review_comments.add_comment(blueprint=blueprint, by=everyone["editor"], body="Who?")
    Membership.objects.filter(user=everyone["editor"]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        review_comments.add_comment(
            blueprint=blueprint, by=everyone["reviewer"], body="Sam.", parent=question
        )
    assert recipients() == ["lead@example.org"]


def test_the_submission_email_says_what_where_and_links_to_the_review(
    everyone, blueprint, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://studio.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.submit(blueprint=blueprint, by=everyone["editor"], note="Exit phase first.")
    (message,) = mail.outbox
    assert "Welcome walks" in message.subject
    assert "Northgate" in message.subject
    assert "Exit phase first." in message.body
    assert (
        f"https://studio.example.org/localities/northgate/blueprints/{blueprint.pk}/review/"
        in message.body
    )
    assert message.content_subtype == "plain"


def test_links_use_the_site_url_setting(
    everyone, blueprint, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://blueprint.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.submit(blueprint=blueprint, by=everyone["editor"])
    assert "https://blueprint.example.org/localities/northgate/" in mail.outbox[0].body


def test_the_comment_email_quotes_it_and_names_the_card(
    everyone, blueprint, django_capture_on_commit_callbacks
):
    card = CardFactory(blueprint=blueprint, title="Hears about the walks")
    with django_capture_on_commit_callbacks(execute=True):
        comment = review_comments.add_comment(
            blueprint=blueprint, by=everyone["reviewer"], body="Where exactly?", card=card
        )
    message = mail.outbox[0]
    assert "> Where exactly?" in message.body
    assert "“Hears about the walks”" in message.body
    assert f"#comment-{comment.pk}" in message.body


def test_a_failing_mail_server_does_not_undo_the_move(
    everyone, blueprint, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.blueprints.test_review_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.submit(blueprint=blueprint, by=everyone["editor"])
    blueprint.refresh_from_db()
    assert blueprint.review_state == "submitted"
    assert "Could not send" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
