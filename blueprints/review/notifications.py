"""Email about the review, through Django's email framework (EMAIL_BACKEND picks how).

Who hears what (issue 5):

- a blueprint is submitted, or its submission withdrawn: the innovation unit's reviewers
  (active staff in the reviewers group);
- a reviewer requests changes or approves: the locality's editors and leads;
- someone comments: the locality's editors and leads, and, for a reply, everyone who has
  written in that conversation and can still see the locality (so the reviewer who asked a
  question hears the answer); and whoever the comment @mentions (issue 14), in the same
  one email per person: a mention is the first reason given, never a second email;
- the team marks a conversation addressed: the conversation's author.

Never the person who acted, and only people with an email address. Each recipient gets an
email of their own (no one sees the others' addresses), in plain text. The messages are
written inside the caller's transaction and, once it commits, handed to a background task
(`localities.emails`), so a rolled-back change tells no one and a slow mail server never
holds up the page; a failure to send is logged, never raised, since the change itself has
been made. Links are absolute: `settings.SITE_URL`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from blueprints.models import Blueprint, Comment, ReviewTransition
from localities import permissions
from localities.emails import send_after_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

State = Blueprint.ReviewState


# Recipients ---------------------------------------------------------------------------


def _users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def reviewers() -> QuerySet:
    """The innovation unit's reviewers who can be emailed."""
    return _users().filter(permissions.reviewers_filter()).distinct()


def team(blueprint: Blueprint) -> QuerySet:
    """The blueprint's locality's editors and leads who can be emailed."""
    return _users().filter(permissions.content_team_filter(blueprint.locality_id)).distinct()


def conversation_people(blueprint: Blueprint, thread: Comment) -> QuerySet:
    """Whoever has written in the conversation and may still see the blueprint."""
    authors = Comment.objects.filter(Q(pk=thread.pk) | Q(parent_id=thread.pk)).values("author")
    may_see = permissions.viewers_filter(blueprint.locality_id)
    return _users().filter(may_see, pk__in=authors).distinct()


def _everyone_but(
    actor: User | None, *groups: tuple[Iterable[User], str]
) -> list[tuple[User, str]]:
    """Each group's users with the group's reason for writing to them (the first group's,
    for someone in several), once each, without the actor, in a stable order."""
    found: dict[int, tuple[User, str]] = {}
    for users, why in groups:
        for user in users:
            if actor is None or user.pk != actor.pk:
                found.setdefault(user.pk, (user, why))
    return sorted(found.values(), key=lambda pair: (pair[0].email.lower(), pair[0].pk))


# Words --------------------------------------------------------------------------------


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def review_url(blueprint: Blueprint, anchor: str = "") -> str:
    """The absolute address of the blueprint's review page (its locality's, until routed)."""
    try:
        path = reverse(
            "blueprints:review", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk}
        )
    except NoReverseMatch:
        path = blueprint.locality.get_absolute_url()
        anchor = ""
    return f"{site_url()}{path}{'#' + anchor if anchor else ''}"


def _name(user: User | None) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _as_team(locality: str) -> str:
    return f"You receive this email as an editor or lead of {locality}."


def _message(user: User, subject: str, body: str, why: str) -> dict[str, str]:
    return {
        "subject": subject,
        "body": f"Hello {_name(user)},\n\n{body}\n\n-- \n{why}\nBlueprint studio\n",
        "to": user.email,
    }


# What happened ------------------------------------------------------------------------


def transition_made(transition: ReviewTransition, *, blueprint: Blueprint) -> None:
    """Tell the people concerned about a review move, once the transaction commits."""
    actor = transition.by
    title, locality = blueprint.title, blueprint.locality.name
    note = f"\n\nThe note:\n{_quoted(transition.note)}" if transition.note else ""
    link = review_url(blueprint)
    if transition.to_state == State.SUBMITTED:
        recipients = _everyone_but(
            actor, (reviewers(), "You receive this email as an innovation-unit reviewer.")
        )
        subject = f"{locality}: “{title}” is submitted for review"
        body = (
            f"{_name(actor)} submitted the blueprint “{title}” of {locality} for review."
            f"{note}\n\nReview it: {link}"
        )
    elif transition.to_state in (State.CHANGES_REQUESTED, State.APPROVED):
        recipients = _everyone_but(actor, (team(blueprint), _as_team(locality)))
        if transition.to_state == State.APPROVED:
            subject = f"{locality}: “{title}” is approved"
            what = f"{_name(actor)} approved the blueprint “{title}” of {locality}."
        else:
            subject = f"{locality}: changes requested on “{title}”"
            what = f"{_name(actor)} requested changes to the blueprint “{title}” of {locality}."
        body = f"{what}{note}\n\nSee the review: {link}"
    elif transition.from_state == State.SUBMITTED and transition.to_state == State.DRAFT:
        # Withdrawn: the reviewers must not go on reviewing what is no longer submitted.
        recipients = _everyone_but(
            actor, (reviewers(), "You receive this email as an innovation-unit reviewer.")
        )
        subject = f"{locality}: “{title}” is withdrawn from review"
        body = (
            f"The blueprint “{title}” of {locality} was withdrawn by {_name(actor)} to make "
            f"changes. It is a draft again: there is nothing to review until it is submitted "
            f"again.{note}\n\nSee the review: {link}"
        )
    else:  # back to draft after an edit or a restore: the people concerned did it
        return
    send_after_commit([_message(user, subject, body, why) for user, why in recipients])


def comment_url(blueprint: Blueprint, comment: Comment, thread: Comment | None = None) -> str:
    """The absolute address of a conversation: on its card's page when it is about a card
    that is still there, else on the review page."""
    anchor = f"comment-{(thread or comment).pk}"
    if comment.card_id is None:
        return review_url(blueprint, anchor)
    path = reverse(
        "blueprints:card-detail",
        kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk, "card_pk": comment.card_id},
    )
    return f"{site_url()}{path}#{anchor}"


def comment_added(
    comment: Comment,
    *,
    blueprint: Blueprint,
    thread: Comment | None,
    mentioned: Iterable[User] = (),
) -> None:
    """Tell the people @mentioned, the locality's editors and leads, and, for a reply, the
    conversation's people: one email each, the first reason that applies."""
    actor = comment.author
    title, locality = blueprint.title, blueprint.locality.name
    on_card = f", on the card “{comment.card_title}”" if comment.card_title else ""
    did = "replied to a comment" if thread is not None else "commented"
    mentioned = [user for user in mentioned if user.is_active and user.email]
    groups = [
        (mentioned, "You receive this email because you were mentioned in this comment."),
        (team(blueprint), _as_team(locality)),
    ]
    if thread is not None:
        groups.append(
            (
                conversation_people(blueprint, thread),
                "You receive this email because you took part in this conversation.",
            )
        )
    recipients = _everyone_but(actor, *groups)
    mentioned_pks = {user.pk for user in mentioned}
    what = "a reply" if thread else "a new comment"
    link = comment_url(blueprint, comment, thread)
    messages = []
    for user, why in recipients:
        if user.pk in mentioned_pks:
            subject = f"{locality}: {_name(actor)} mentioned you on “{title}”"
        else:
            subject = f"{locality}: {what} on “{title}”"
        body = (
            f"{_name(actor)} {did} on the blueprint “{title}” of {locality}{on_card}:\n\n"
            f"{_quoted(comment.body)}\n\n"
            f"Reply or resolve it: {link}"
        )
        messages.append(_message(user, subject, body, why))
    send_after_commit(messages)


def comment_addressed(comment: Comment, *, blueprint: Blueprint, by: User | None) -> None:
    """Tell the conversation's author (if they can still see it) that the team addressed it."""
    author = comment.author
    if author is None or (by is not None and author.pk == by.pk):
        return
    may_see = permissions.viewers_filter(blueprint.locality_id)
    if not _users().filter(may_see, pk=author.pk).exists():
        return
    title, locality = blueprint.title, blueprint.locality.name
    on_card = f", on the card “{comment.card_title}”" if comment.card_title else ""
    subject = f"{locality}: your comment on “{title}” is addressed"
    body = (
        f"{_name(by)} marked your comment on the blueprint “{title}” of {locality}{on_card} "
        f"as addressed:\n\n{_quoted(comment.body)}\n\n"
        f"See the answer, then resolve or reply: {comment_url(blueprint, comment)}"
    )
    why = "You receive this email because you wrote this comment."
    send_after_commit([_message(author, subject, body, why)])
