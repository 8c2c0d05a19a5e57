"""Email sent by a background task: the page that caused it never waits for a mail server,
and a failure to send is logged, never shown to the person who acted.

Messages are plain dicts ({"subject", "body", "to"}) because a task's arguments are stored
as JSON. Subjects are made one line here, whatever the caller built them from, since a line
break in a header makes a message unsendable.
"""

from __future__ import annotations

import logging

from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

logger = logging.getLogger(__name__)


def one_line(text: str) -> str:
    """Any run of whitespace, line breaks included, as one space: safe for a header."""
    return " ".join(text.split())


@task()
def send_emails(messages: list[dict[str, str]]) -> None:
    """Send plain-text emails given as {"subject", "body", "to"}; log a failure."""
    emails = [
        EmailMessage(subject=one_line(m["subject"]), body=m["body"], to=[m["to"]]) for m in messages
    ]
    try:
        get_connection().send_messages(emails)
    except Exception:  # what caused the email is done; a mail server's failure must not undo it
        logger.exception("Could not send %d email(s).", len(emails))


def send_after_commit(messages: list[dict[str, str]]) -> None:
    """Queue the emails once the current transaction commits (at once outside one), so a
    change that is rolled back tells no one."""
    if messages:
        transaction.on_commit(lambda: send_emails.enqueue(messages))


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending its email through the task queue: the page answers
    alike, and as fast, whether or not an account has the address."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        # Nothing here is written in a transaction that could be rolled back: queue it now.
        send_emails.enqueue([{"subject": subject, "body": body, "to": to_email}])
