"""The review moves a person makes with a button: submit, withdraw, request changes,
approve. Each follows its rule in `states.RULES`, in one transaction under the blueprint's
row lock, records the move and tells the people concerned by email once the transaction
commits (`notifications`). A submission also keeps a numbered snapshot of what was sent
(`blueprints.versions.snapshots`), which is why this module sits above the versions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction

from blueprints.models import Blueprint, ReviewTransition
from blueprints.review import notifications
from blueprints.review.states import (
    NOTE_MAX_LENGTH,
    RULES,
    NotAllowed,
    ReviewRefused,
    lock,
    record,
    wrong_state,
)
from blueprints.versions import snapshots

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def _move(action: str, *, blueprint: Blueprint, by: User | None, note: str) -> ReviewTransition:
    rule = RULES[action]
    note = (note or "").strip()
    if rule.may is not None and not rule.may(by, blueprint):
        raise NotAllowed(rule.refused_to, code="not_allowed")
    with transaction.atomic():
        locked = lock(blueprint)
        if locked.review_state not in rule.sources:
            raise ReviewRefused(wrong_state(rule, locked.review_state), code="wrong_state")
        if rule.note_required and not note:
            raise ReviewRefused(rule.note_missing, code="note_required")
        if len(note) > NOTE_MAX_LENGTH:
            raise ReviewRefused(
                f"Keep the note to {NOTE_MAX_LENGTH} characters; it has {len(note)}.",
                code="note_too_long",
            )
        transition = record(locked, rule, by=by, note=note)
        if action == "submit":
            # Every submission keeps a numbered snapshot of what was sent (issue 5).
            snapshots.snapshot_blueprint(blueprint=locked, by=by, reason=snapshots.SUBMITTED)
        notifications.transition_made(transition, blueprint=locked)
    blueprint.review_state = locked.review_state
    return transition


def submit(*, blueprint: Blueprint, by: User | None, note: str = "") -> ReviewTransition:
    """Draft or changes requested -> submitted, by an editor or lead of the locality."""
    return _move("submit", blueprint=blueprint, by=by, note=note)


def withdraw(*, blueprint: Blueprint, by: User | None, note: str = "") -> ReviewTransition:
    """Submitted -> draft, by an editor or lead of the locality, to edit it again (the
    reviewers are told)."""
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
