"""The bottom of the review: its states, the one table of moves between them, who may make
each, and how a move is recorded. What the services need to return an edited approved
blueprint to draft lives here, so they import this module and nothing above it.

States and moves. Every move between review states is a rule in `RULES`, the one table of
allowed transitions, and is recorded by `record` under the blueprint's row lock (`lock`),
so two reviewers deciding at once cannot both succeed. A move is refused, and nothing
changes, when

- the user may not make it at all (`NotAllowed`, also a `PermissionDenied`: views answer
  403): a viewer submitting, an editor approving;
- the blueprint is not in a state it starts from, or a required note is missing
  (`ReviewRefused`, a `ValidationError`: views show the message).

Editing an approved blueprint's content returns it to draft: `blueprints.services.shared.bump`,
which every content change passes through, calls `reopen_if_approved`; `will_reopen` lets a
page say so before the edit. A submitted blueprint's content is frozen, so that the reviewer
decides on what was submitted: the same hook calls `refuse_if_frozen`, which raises `Frozen`
(the whole write rolls back); the team withdraws the submission to edit again. The moves
made with a button are in `review.actions`.

Who may do what is asked of `localities.permissions`, which holds the role rules; the
predicates here only say which of its rules a review move follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from blueprints.live.broadcast import blueprint_changed
from blueprints.models import Blueprint, Comment, ReviewTransition
from localities import permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

State = Blueprint.ReviewState
NOTE_MAX_LENGTH: int = ReviewTransition._meta.get_field("note").max_length
REOPEN_NOTE = "Edited after approval"
# The reason a submission's snapshot (`BlueprintVersion`) is kept with: `versions.snapshots`
# writes it, `review.queries` counts the submitted versions by it.
SUBMITTED_REASON = "submitted"


class ReviewRefused(ValidationError):
    """The review rules refuse this; nothing has changed. `message` says why, in words."""

    def __str__(self) -> str:
        return self.message


class NotAllowed(ReviewRefused, PermissionDenied):
    """Refused because of who asks, whatever the blueprint's state (views answer 403)."""


FROZEN_MESSAGE = (
    "This blueprint is submitted for review, so its content is frozen until the reviewer "
    "decides. Withdraw it to edit."
)
# What a refused htmx write says after its page reloads: the page's banner then gives the
# reason in FROZEN_MESSAGE's words, so the message says only what became of the change.
NOT_SAVED_MESSAGE = "Your change was not saved: the blueprint was submitted for review."


class Frozen(Exception):
    """A content change to a submitted blueprint: refused, and nothing has changed.

    Deliberately not a `ValidationError`: views that show a form's errors must not take it
    for bad input; the blueprint views answer it with 409 and `FROZEN_MESSAGE`
    (`views.base.BlueprintAccessMixin`), the page's banner saying the same words.
    """

    def __init__(self, message: str = FROZEN_MESSAGE) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# Who may do what ----------------------------------------------------------------------


def may_submit(user: User | None, blueprint: Blueprint) -> bool:
    """The locality's editors and leads, and superusers."""
    return permissions.can_edit_content(user, blueprint.locality)


def may_withdraw(user: User | None, blueprint: Blueprint) -> bool:
    """Whoever may submit (the locality's editors and leads, and superusers): a submission
    freezes the content, so anyone who may edit it must be able to take it back to edit."""
    return permissions.can_edit_content(user, blueprint.locality)


def may_decide(user: User | None, blueprint: Blueprint) -> bool:
    """Innovation-unit reviewers and superusers request changes and approve."""
    return permissions.can_review(user)


def may_comment(user: User | None, blueprint: Blueprint) -> bool:
    """Reviewers, superusers, and the locality's editors and leads (not its viewers)."""
    return permissions.can_review(user) or permissions.can_edit_content(user, blueprint.locality)


def may_resolve(user: User | None, comment: Comment, blueprint: Blueprint) -> bool:
    """Innovation-unit reviewers and superusers, and the conversation's author while they
    can see the locality (an editor who became a viewer can still close their own question).

    Not the team as such: an editor or lead answers a reviewer's question and marks it
    addressed (`comments.may_address`); whether the answer settles it is for the one who asked, or
    for the reviewers. Reopening follows the same rule.
    """
    if permissions.can_review(user):
        return True
    return (
        user is not None
        and user.is_active
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
            label="Withdraw to edit",
            sources=frozenset({State.SUBMITTED}),
            target=State.DRAFT,
            may=may_withdraw,
            refused_to="Only the locality's editors and leads can withdraw a submission.",
            only_from="Only a submitted blueprint can be withdrawn",
            done="Submission withdrawn: the blueprint is a draft again, and the innovation "
            "unit's reviewers have been told.",
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


def wrong_state(rule: Rule, state: str) -> str:
    already = " already" if state == rule.target else ""
    return f"{rule.only_from}; this one {_IS[state]}{already}."


def lock(blueprint: Blueprint) -> Blueprint:
    """The blueprint's row, locked, with its locality: the first lock of every review write."""
    return (
        Blueprint.objects.select_for_update(of=("self",))
        .select_related("locality")
        .get(pk=blueprint.pk)
    )


def user_or_none(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def record(locked: Blueprint, rule: Rule, *, by: User | None, note: str) -> ReviewTransition:
    """Move the locked blueprint to the rule's target state and record the move."""
    transition = ReviewTransition.objects.create(
        blueprint=locked,
        from_state=locked.review_state,
        to_state=rule.target,
        note=note,
        by=user_or_none(by),
        blueprint_version=locked.version,
    )
    # An UPDATE, not save(): a state change is not a content change, so neither the
    # version nor the blueprint's content history moves.
    Blueprint.objects.filter(pk=locked.pk).update(review_state=rule.target)
    locked.review_state = rule.target
    blueprint_changed(blueprint_id=locked.pk, version=locked.version, by=by, review=True)
    return transition


def is_frozen(blueprint: Blueprint) -> bool:
    """Whether the blueprint's content is frozen now: it is submitted for review."""
    return blueprint.review_state == State.SUBMITTED


def refuse_if_frozen(blueprint: Blueprint) -> None:
    """Raise `Frozen` for a submitted blueprint. Called by the services with the blueprint's
    row locked, so its state is current and no submission can slip in before the write
    commits."""
    if is_frozen(blueprint):
        raise Frozen()


def will_reopen(blueprint: Blueprint) -> bool:
    """Whether changing the blueprint's content now would return it to draft."""
    return blueprint.review_state == State.APPROVED


def reopen_if_approved(*, blueprint: Blueprint, by: User | None) -> ReviewTransition | None:
    """An approved blueprint whose content changes goes back to draft (recorded, with the
    note "Edited after approval"); any other blueprint is left as it is. Returns the move.

    Called by `blueprints.services.shared.bump`, inside the content change's own transaction, so
    the edit and the return to draft commit or roll back together.
    """
    with transaction.atomic():
        locked = lock(blueprint)
        rule = RULES["reopen"]
        if locked.review_state not in rule.sources:
            return None
        transition = record(locked, rule, by=by, note=REOPEN_NOTE)
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
