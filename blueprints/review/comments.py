"""Comments on a blueprint, or on one of its cards, and replies: the conversation between
a locality's team and the innovation unit's reviewers.

Who may comment: innovation-unit reviewers and superusers (in every locality), and the
locality's editors and leads. Viewers read the conversation but do not take part: in
DESIGN section 4 a viewer changes nothing, and comments are part of the work.

Addressed, then resolved (issue 14). The team (editors, leads, superusers: `may_address`)
answers a conversation and marks it addressed; only a reviewer, a superuser or the
conversation's author resolves (or reopens) it (`states.may_resolve`), since whether the
answer settles the question is for whoever asked it. "Addressed" is cleared when the
conversation is reopened, and when someone who may not address it (the reviewer or the
author asking again) replies after it was marked: the team has something to answer again.
A reply by the team itself leaves it addressed.

Mentions. `@username` in a body names a person: the blueprint locality's members (any
role) and innovation-unit reviewers may be mentioned; any other handle refuses the whole
comment with a message naming it. Mentions are stored on the comment (`Comment.mentions`).

Every change that concerns someone tells them by email once the transaction commits
(`notifications`): a new comment or reply, a mention (one email per person per comment,
merged with the comment's own), a conversation marked addressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from blueprints.models import Blueprint, Card, Comment
from blueprints.review import notifications
from blueprints.review.states import (
    NotAllowed,
    ReviewRefused,
    lock,
    may_comment,
    may_resolve,
    user_or_none,
)
from localities import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

BODY_MAX_LENGTH: int = Comment._meta.get_field("body").max_length
COMMENT_REFUSED = (
    "Only the locality's editors and leads, and innovation-unit reviewers, can comment."
)
RESOLVE_REFUSED = (
    "Only the conversation's author and innovation-unit reviewers can resolve or reopen a "
    "conversation; the team marks it addressed."
)
ADDRESS_REFUSED = "Only the locality's editors and leads can mark a conversation addressed."

# `@` then a username (letters, digits and . + - _, ending in a letter or digit), not
# preceded by a character of a handle or an address (so "ann@example.org" is no mention).
MENTION = re.compile(r"(?<![\w.@+-])@(\w(?:[\w.+-]*\w)?)")


def may_address(user: User | None, blueprint: Blueprint) -> bool:
    """The locality's editors and leads, and superusers: the team says "done" to a comment."""
    return permissions.can_edit_content(user, blueprint.locality)


def handles(body: str) -> list[str]:
    """The @handles in a body, each once, in the order first written."""
    return list(dict.fromkeys(match.group(1) for match in MENTION.finditer(body or "")))


@dataclass(frozen=True)
class Part:
    """A run of a comment's text: plain, or a mention (`text` is then "@handle")."""

    text: str
    mention: bool = False


def body_parts(body: str) -> list[Part]:
    """The body split into plain text and @mentions, for templates to render (and escape)
    each part; no markup is built here."""
    parts: list[Part] = []
    at = 0
    for match in MENTION.finditer(body or ""):
        if match.start() > at:
            parts.append(Part(body[at : match.start()]))
        parts.append(Part(match.group(0), mention=True))
        at = match.end()
    if at < len(body or ""):
        parts.append(Part(body[at:]))
    return parts


def mentionable(blueprint: Blueprint) -> QuerySet:
    """Who may be mentioned on this blueprint: its locality's members, of any role, and the
    innovation unit's reviewers; active accounts only, by username."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(memberships__locality_id=blueprint.locality_id) | permissions.reviewers_filter())
        .distinct()
        .order_by("username")
    )


def mentioned_users(blueprint: Blueprint, body: str) -> list[User]:
    """The users the body mentions; refused, naming the handles, if any is not mentionable."""
    wanted = handles(body)
    if not wanted:
        return []
    query = Q()
    for handle in wanted:
        query |= Q(username__iexact=handle)
    found = {user.get_username().lower(): user for user in mentionable(blueprint).filter(query)}
    unknown = [handle for handle in wanted if handle.lower() not in found]
    if unknown:
        names = ", ".join(f"@{handle}" for handle in unknown)
        verb = "is" if len(unknown) == 1 else "are"
        raise ValidationError(
            {"body": f"{names} {verb} not on this blueprint's team or a reviewer."},
            code="unknown_mention",
        )
    return list({user.pk: user for user in found.values()}.values())


def add_comment(
    *,
    blueprint: Blueprint,
    by: User | None,
    body: str,
    card: Card | None = None,
    parent: Comment | None = None,
) -> Comment:
    """A comment on the blueprint, or on one of its cards, or a reply to a comment.

    Replies are one level deep: a reply to a reply joins the top comment's conversation. A
    reply is about the conversation's card (giving another card is refused), and it reopens
    a resolved conversation, since someone has more to say; a reply by someone who may not
    address it clears "addressed" (see the module's docstring). Every @handle must name a
    mentionable person (`mentionable`), else nothing is saved.
    """
    if not may_comment(by, blueprint):
        raise NotAllowed(COMMENT_REFUSED, code="not_allowed")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write the comment first."}, code="required")
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {"body": f"Keep a comment to {BODY_MAX_LENGTH} characters; it has {len(body)}."},
            code="max_length",
        )
    mentioned = mentioned_users(blueprint, body)
    with transaction.atomic():
        # The blueprint's lock comes first, as in `blueprints.services`: a card cannot be deleted
        # between the check below and the comment's insert.
        locked = lock(blueprint)
        thread = None
        if parent is not None:
            thread = (
                Comment.objects.select_for_update().filter(pk=parent.pk, blueprint=locked).first()
            )
            if thread is None:
                raise ValidationError(
                    {"parent": "Reply to a comment of this blueprint."},
                    code="parent_of_other_blueprint",
                )
            if thread.parent_id is not None:
                thread = Comment.objects.select_for_update().get(pk=thread.parent_id)
            if card is not None and card.pk != thread.card_id:
                raise ValidationError(
                    {"card": "A reply is about the same card as the comment it answers."},
                    code="reply_on_other_card",
                )
            card_id, card_title = thread.card_id, thread.card_title
        elif card is not None:
            fresh = Card.objects.filter(pk=card.pk, blueprint=locked).only("pk", "title").first()
            if fresh is None:
                raise ValidationError(
                    {"card": "Choose a card of this blueprint."}, code="card_of_other_blueprint"
                )
            card_id, card_title = fresh.pk, fresh.title
        else:
            card_id, card_title = None, ""
        comment = Comment.objects.create(
            blueprint=locked,
            card_id=card_id,
            card_title=card_title,
            parent=thread,
            author=user_or_none(by),
            body=body,
        )
        if mentioned:
            comment.mentions.set(mentioned)
        if thread is not None:
            changes = {}
            if thread.resolved_at is not None:
                changes.update(resolved_at=None, resolved_by=None)
            if thread.addressed_at is not None and not may_address(by, locked):
                changes.update(addressed_at=None, addressed_by=None)
            if changes:
                Comment.objects.filter(pk=thread.pk).update(**changes)
                for name, value in changes.items():
                    setattr(thread, name, value)
        notifications.comment_added(comment, blueprint=locked, thread=thread, mentioned=mentioned)
    return comment


def _set_resolved(*, comment: Comment, by: User | None, resolved: bool) -> Comment:
    if comment.parent_id is not None:
        raise ReviewRefused(
            "A conversation is resolved as a whole: resolve or reopen its first comment.",
            code="reply",
        )
    if not may_resolve(by, comment, comment.blueprint):
        raise NotAllowed(RESOLVE_REFUSED, code="not_allowed")
    with transaction.atomic():
        lock(comment.blueprint)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.is_open == resolved:  # else: already so, nothing to do
            current.resolved_at = timezone.now() if resolved else None
            current.resolved_by = user_or_none(by) if resolved else None
            changes = {"resolved_at": current.resolved_at, "resolved_by": current.resolved_by}
            if not resolved:  # reopened: the team has something to answer again
                current.addressed_at = current.addressed_by = None
                changes.update(addressed_at=None, addressed_by=None)
            Comment.objects.filter(pk=current.pk).update(**changes)
    comment.resolved_at, comment.resolved_by = current.resolved_at, current.resolved_by
    comment.addressed_at, comment.addressed_by = current.addressed_at, current.addressed_by
    return current


def resolve_comment(*, comment: Comment, by: User | None) -> Comment:
    """Mark a conversation (a top comment and its replies) resolved; idempotent."""
    return _set_resolved(comment=comment, by=by, resolved=True)


def reopen_comment(*, comment: Comment, by: User | None) -> Comment:
    """Open a resolved conversation again; idempotent."""
    return _set_resolved(comment=comment, by=by, resolved=False)


def _set_addressed(*, comment: Comment, by: User | None, addressed: bool) -> Comment:
    if comment.parent_id is not None:
        raise ReviewRefused(
            "A conversation is addressed as a whole: mark its first comment.", code="reply"
        )
    if not may_address(by, comment.blueprint):
        raise NotAllowed(ADDRESS_REFUSED, code="not_allowed")
    with transaction.atomic():
        locked = lock(comment.blueprint)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.resolved_at is not None:
            raise ReviewRefused(
                "This conversation is resolved already: reopen it first.", code="resolved"
            )
        if (current.addressed_at is None) == addressed:  # else: already so, nothing to do
            current.addressed_at = timezone.now() if addressed else None
            current.addressed_by = user_or_none(by) if addressed else None
            Comment.objects.filter(pk=current.pk).update(
                addressed_at=current.addressed_at, addressed_by=current.addressed_by
            )
            if addressed:
                notifications.comment_addressed(current, blueprint=locked, by=user_or_none(by))
    comment.addressed_at, comment.addressed_by = current.addressed_at, current.addressed_by
    return current


def address_comment(*, comment: Comment, by: User | None) -> Comment:
    """The team marks an open conversation addressed (and its author hears); idempotent."""
    return _set_addressed(comment=comment, by=by, addressed=True)


def unaddress_comment(*, comment: Comment, by: User | None) -> Comment:
    """The team takes back "addressed" on an open conversation; idempotent."""
    return _set_addressed(comment=comment, by=by, addressed=False)
