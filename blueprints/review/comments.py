"""Comments on a blueprint, or on one of its cards, and replies: the conversation between
a locality's team and the innovation unit's reviewers.

Who may comment: innovation-unit reviewers and superusers (in every locality), and the
locality's editors and leads. Viewers read the conversation but do not take part: in
DESIGN section 4 a viewer changes nothing, and comments are part of the work. Who may
resolve (or reopen) a conversation: anyone who may comment, and its author while they can
still see the locality (`states.may_resolve`). A new comment tells the people concerned by
email once the transaction commits (`notifications`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
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

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

BODY_MAX_LENGTH: int = Comment._meta.get_field("body").max_length
COMMENT_REFUSED = (
    "Only the locality's editors and leads, and innovation-unit reviewers, can comment."
)
RESOLVE_REFUSED = (
    "Only the comment's author, the locality's editors and leads, and innovation-unit "
    "reviewers can resolve or reopen a conversation."
)


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
    a resolved conversation, since someone has more to say.
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
        if thread is not None and thread.resolved_at is not None:
            Comment.objects.filter(pk=thread.pk).update(resolved_at=None, resolved_by=None)
            thread.resolved_at, thread.resolved_by = None, None
        notifications.comment_added(comment, blueprint=locked, thread=thread)
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
            Comment.objects.filter(pk=current.pk).update(
                resolved_at=current.resolved_at, resolved_by=current.resolved_by
            )
    comment.resolved_at, comment.resolved_by = current.resolved_at, current.resolved_by
    return current


def resolve_comment(*, comment: Comment, by: User | None) -> Comment:
    """Mark a conversation (a top comment and its replies) resolved; idempotent."""
    return _set_resolved(comment=comment, by=by, resolved=True)


def reopen_comment(*, comment: Comment, by: User | None) -> Comment:
    """Open a resolved conversation again; idempotent."""
    return _set_resolved(comment=comment, by=by, resolved=False)
