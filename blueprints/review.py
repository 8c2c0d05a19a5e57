"""The review of a blueprint (DESIGN section 1, step 9): its states, who may move it between
them, and the comments reviewers and the team leave on it.

States and moves. Every move between review states is a rule in `RULES`, the one table of
allowed transitions, and goes through `_move` in one transaction that locks the blueprint's
row, so two reviewers deciding at once cannot both succeed. A move is refused, and nothing
changes, when

- the user may not make it at all (`NotAllowed`, also a `PermissionDenied`: views answer
  403): a viewer submitting, an editor approving;
- the blueprint is not in a state it starts from, or a required note is missing
  (`ReviewRefused`, a `ValidationError`: views show the message).

Every move writes a `ReviewTransition` (who, when, from, to, note, content version) and
tells the people concerned by email once the transaction commits (`notifications`).

Editing an approved blueprint's content returns it to draft: `blueprints.services._bump`,
which every content change passes through, calls `reopen_if_approved`; `will_reopen` lets a
page say so before the edit.

Who may comment. Innovation-unit reviewers and superusers (in every locality), and the
locality's editors and leads. Viewers read the conversation but do not take part: in
DESIGN section 4 a viewer changes nothing, and comments are part of the work. Who may
resolve (or reopen) a conversation: anyone who may comment, and its author while they can
still see the locality (an editor who became a viewer can still close their own question).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.utils import timezone

from blueprints import notifications
from blueprints.models import Blueprint, Card, Comment, ReviewTransition
from localities import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

State = Blueprint.ReviewState
NOTE_MAX_LENGTH: int = ReviewTransition._meta.get_field("note").max_length
BODY_MAX_LENGTH: int = Comment._meta.get_field("body").max_length
REOPEN_NOTE = "Edited after approval"


class ReviewRefused(ValidationError):
    """The review rules refuse this; nothing has changed. `message` says why, in words."""

    def __str__(self) -> str:
        return self.message


class NotAllowed(ReviewRefused, PermissionDenied):
    """Refused because of who asks, whatever the blueprint's state (views answer 403)."""


# Who may do what ----------------------------------------------------------------------


def _active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def may_submit(user: User | None, blueprint: Blueprint) -> bool:
    """The locality's editors and leads, and superusers."""
    return _active(user) and permissions.can_edit_content(user, blueprint.locality)


def may_withdraw(user: User | None, blueprint: Blueprint) -> bool:
    """The locality's leads, and superusers."""
    if not _active(user):
        return False
    return user.is_superuser or permissions.role_in(user, blueprint.locality) == "lead"


def may_decide(user: User | None, blueprint: Blueprint) -> bool:
    """Innovation-unit reviewers and superusers request changes and approve."""
    return _active(user) and permissions.can_review(user)


def may_comment(user: User | None, blueprint: Blueprint) -> bool:
    """Reviewers, superusers, and the locality's editors and leads (not its viewers)."""
    if not _active(user):
        return False
    return permissions.can_review(user) or permissions.can_edit_content(user, blueprint.locality)


def may_resolve(user: User | None, comment: Comment, blueprint: Blueprint) -> bool:
    """Whoever may comment, and the conversation's author while they can see the locality."""
    if may_comment(user, blueprint):
        return True
    return (
        _active(user)
        and comment.author_id == user.pk
        and permissions.can_view(user, blueprint.locality)
    )


# The one table of review moves --------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One allowed move: from which states, to which, by whom, and what to say."""

    action: str
    label: str  # the button
    sources: frozenset[str]
    target: str
    # None: the move follows from a content change (any editor's), not from a button.
    may: Callable[[User | None, Blueprint], bool] | None
    refused_to: str  # the message for someone who may not make this move
    only_from: str  # the first half of the message for a blueprint in the wrong state
    note_required: bool = False
    note_missing: str = ""
    done: str = ""  # the message once done


RULES: dict[str, Rule] = {
    rule.action: rule
    for rule in [
        Rule(
            action="submit",
            label="Submit for review",
            sources=frozenset({State.DRAFT, State.CHANGES_REQUESTED}),
            target=State.SUBMITTED,
            may=may_submit,
            refused_to="Only the locality's editors and leads can submit a blueprint for review.",
            only_from="Only a draft, or a blueprint with changes requested, can be submitted",
            done="Submitted for review: the innovation unit's reviewers have been told.",
        ),
        Rule(
            action="withdraw",
            label="Withdraw submission",
            sources=frozenset({State.SUBMITTED}),
            target=State.DRAFT,
            may=may_withdraw,
            refused_to="Only the locality's leads can withdraw a submission.",
            only_from="Only a submitted blueprint can be withdrawn",
            done="Submission withdrawn: the blueprint is a draft again.",
        ),
        Rule(
            action="request_changes",
            label="Request changes",
            sources=frozenset({State.SUBMITTED}),
            target=State.CHANGES_REQUESTED,
            may=may_decide,
            refused_to="Only innovation-unit reviewers can request changes.",
            only_from="Changes can be requested only on a submitted blueprint",
            note_required=True,
            note_missing="Say what needs to change: a note is required.",
            done="Changes requested: the locality's editors and leads have been told.",
        ),
        Rule(
            action="approve",
            label="Approve",
            sources=frozenset({State.SUBMITTED}),
            target=State.APPROVED,
            may=may_decide,
            refused_to="Only innovation-unit reviewers can approve.",
            only_from="Only a submitted blueprint can be approved",
            note_required=True,
            note_missing="Write a note for the team: approving needs one.",
            done="Approved: the locality's editors and leads have been told.",
        ),
        Rule(
            action="reopen",
            label="Return to draft",
            sources=frozenset({State.APPROVED}),
            target=State.DRAFT,
            may=None,
            refused_to="",
            only_from="Only an approved blueprint returns to draft when edited",
        ),
    ]
}
# The moves a person makes with a button (the others follow from content changes).
BUTTON_ACTIONS = tuple(action for action, rule in RULES.items() if rule.may is not None)

_IS = {
    State.DRAFT: "is a draft",
    State.SUBMITTED: "is submitted",
    State.CHANGES_REQUESTED: "has changes requested",
    State.APPROVED: "is approved",
}


def _wrong_state(rule: Rule, state: str) -> str:
    already = " already" if state == rule.target else ""
    return f"{rule.only_from}; this one {_IS[state]}{already}."


def _lock(blueprint: Blueprint) -> Blueprint:
    return (
        Blueprint.objects.select_for_update(of=("self",))
        .select_related("locality")
        .get(pk=blueprint.pk)
    )


def _user_or_none(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _record(locked: Blueprint, rule: Rule, *, by: User | None, note: str) -> ReviewTransition:
    """Move the locked blueprint to the rule's target state and record the move."""
    transition = ReviewTransition.objects.create(
        blueprint=locked,
        from_state=locked.review_state,
        to_state=rule.target,
        note=note,
        by=_user_or_none(by),
        blueprint_version=locked.version,
    )
    # An UPDATE, not save(): a state change is not a content change, so neither the
    # version nor the blueprint's content history moves.
    Blueprint.objects.filter(pk=locked.pk).update(review_state=rule.target)
    locked.review_state = rule.target
    return transition


def _move(action: str, *, blueprint: Blueprint, by: User | None, note: str) -> ReviewTransition:
    rule = RULES[action]
    note = (note or "").strip()
    if rule.may is not None and not rule.may(by, blueprint):
        raise NotAllowed(rule.refused_to, code="not_allowed")
    with transaction.atomic():
        locked = _lock(blueprint)
        if locked.review_state not in rule.sources:
            raise ReviewRefused(_wrong_state(rule, locked.review_state), code="wrong_state")
        if rule.note_required and not note:
            raise ReviewRefused(rule.note_missing, code="note_required")
        if len(note) > NOTE_MAX_LENGTH:
            raise ReviewRefused(
                f"Keep the note to {NOTE_MAX_LENGTH} characters; it has {len(note)}.",
                code="note_too_long",
            )
        transition = _record(locked, rule, by=by, note=note)
        if action == "submit":
            # Every submission keeps a numbered snapshot of what was sent (issue 5). Imported
            # here: `versions` builds on this module.
            from blueprints import versions

            versions.snapshot_blueprint(blueprint=locked, by=by, reason=versions.SUBMITTED)
        notifications.transition_made(transition, blueprint=locked)
    blueprint.review_state = locked.review_state
    return transition


def submit(*, blueprint: Blueprint, by: User | None, note: str = "") -> ReviewTransition:
    """Draft or changes requested -> submitted, by an editor or lead of the locality."""
    return _move("submit", blueprint=blueprint, by=by, note=note)


def withdraw(*, blueprint: Blueprint, by: User | None, note: str = "") -> ReviewTransition:
    """Submitted -> draft, by a lead of the locality."""
    return _move("withdraw", blueprint=blueprint, by=by, note=note)


def request_changes(*, blueprint: Blueprint, by: User | None, note: str) -> ReviewTransition:
    """Submitted -> changes requested, by a reviewer, saying what should change."""
    return _move("request_changes", blueprint=blueprint, by=by, note=note)


def approve(*, blueprint: Blueprint, by: User | None, note: str) -> ReviewTransition:
    """Submitted -> approved, by a reviewer, with a note for the team."""
    return _move("approve", blueprint=blueprint, by=by, note=note)


SERVICES: dict[str, Callable[..., ReviewTransition]] = {
    "submit": submit,
    "withdraw": withdraw,
    "request_changes": request_changes,
    "approve": approve,
}


def will_reopen(blueprint: Blueprint) -> bool:
    """Whether changing the blueprint's content now would return it to draft."""
    return blueprint.review_state == State.APPROVED


def reopen_if_approved(*, blueprint: Blueprint, by: User | None) -> ReviewTransition | None:
    """An approved blueprint whose content changes goes back to draft (recorded, with the
    note "Edited after approval"); any other blueprint is left as it is. Returns the move.

    Called by `blueprints.services._bump`, inside the content change's own transaction, so
    the edit and the return to draft commit or roll back together.
    """
    with transaction.atomic():
        locked = _lock(blueprint)
        rule = RULES["reopen"]
        if locked.review_state not in rule.sources:
            return None
        transition = _record(locked, rule, by=by, note=REOPEN_NOTE)
    blueprint.review_state = locked.review_state
    return transition


def actions_for(user: User | None, blueprint: Blueprint) -> list[Rule]:
    """The moves this user may make on the blueprint now, in table order (for buttons)."""
    return [
        rule
        for rule in RULES.values()
        if rule.may is not None
        and blueprint.review_state in rule.sources
        and rule.may(user, blueprint)
    ]


# Comments -----------------------------------------------------------------------------

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
        # The blueprint's lock comes first, as in `services`: a card cannot be deleted
        # between the check below and the comment's insert.
        locked = _lock(blueprint)
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
            author=_user_or_none(by),
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
        _lock(comment.blueprint)
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.is_open == resolved:  # else: already so, nothing to do
            current.resolved_at = timezone.now() if resolved else None
            current.resolved_by = _user_or_none(by) if resolved else None
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


# Selectors ----------------------------------------------------------------------------


def open_comment_counts(blueprint: Blueprint) -> dict[int, int]:
    """Open conversations per card id, for the cards that have any (one query)."""
    rows = (
        Comment.objects.filter(
            blueprint=blueprint,
            parent__isnull=True,
            resolved_at__isnull=True,
            card__isnull=False,
        )
        .order_by()
        .values_list("card_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def conversations(blueprint: Blueprint) -> list[Comment]:
    """The blueprint's conversations, open ones first, each oldest first, with replies,
    authors and cards fetched (two queries, however many there are)."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return list(
        Comment.objects.filter(blueprint=blueprint, parent__isnull=True)
        .select_related("author", "resolved_by", "card__phase", "card__lane")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .annotate(
            _resolved=Case(
                When(resolved_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("_resolved", "created_at", "pk")
    )


def transitions(blueprint: Blueprint) -> list[ReviewTransition]:
    """The blueprint's review history, oldest first, with who made each move (one query)."""
    return list(blueprint.transitions.select_related("by").order_by("at", "pk"))
