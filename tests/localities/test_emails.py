"""Emails go through a background task, with one-line subjects."""

import pytest
from django.core import mail

from blueprints.review import actions as review_actions
from localities.emails import send_emails
from tests.blueprints.factories import BlueprintFactory

pytestmark = pytest.mark.django_db


def test_a_line_break_in_a_subject_becomes_a_space():
    send_emails.call([{"subject": "Northgate:\r\n“Welcome\nwalks”", "body": "Hi", "to": "a@x.org"}])
    assert [m.subject for m in mail.outbox] == ["Northgate: “Welcome walks”"]


def test_a_blueprint_title_with_a_line_break_still_tells_the_reviewers(
    locality, editor, reviewer, django_capture_on_commit_callbacks
):
    """A title saved before line breaks were refused must not make its emails unsendable."""
    reviewer.email = "reviewer@example.org"
    reviewer.save()
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks", by=editor)
    type(blueprint).objects.filter(pk=blueprint.pk).update(title="Welcome\nwalks")
    blueprint.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.submit(blueprint=blueprint, by=editor, note="")
    assert [m.to for m in mail.outbox] == [["reviewer@example.org"]]
    assert "\n" not in mail.outbox[0].subject


def test_a_mail_server_failure_is_logged_not_raised(settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    send_emails.call([{"subject": "Hello", "body": "Hi", "to": "a@x.org"}])
    assert "Could not send 1 email(s)." in caplog.text
