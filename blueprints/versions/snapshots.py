"""Numbered snapshots of a blueprint (issue 5).

A snapshot (`BlueprintVersion.data`) is the blueprint's JSON export with database ids
(`json_export.export_document(with_ids=True)`), taken on every submission for review
(`review.actions.submit`, in its transaction) and after every restore. The ids give phases,
lanes, cards, delivery challenges and prototypes an identity across versions, so
`diff.diff_versions` can tell a card that moved or changed from one removed and another
added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max

from blueprints.interchange.json_export import export_document
from blueprints.models import Blueprint, BlueprintVersion
from blueprints.review import states as review_states

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

SUBMITTED = review_states.SUBMITTED_REASON


def restored_reason(number: int) -> str:
    return f"restored from version {number}"


def snapshot_blueprint(*, blueprint: Blueprint, by: User | None, reason: str) -> BlueprintVersion:
    """Store the blueprint's content as its next numbered version.

    Call it with the blueprint's row locked (as `review.actions.submit` and
    `restore.restore_version` do):
    the lock is what keeps two snapshots from taking the same number.
    """
    with transaction.atomic():
        last = blueprint.versions.aggregate(last=Max("number"))["last"] or 0
        return BlueprintVersion.objects.create(
            blueprint=blueprint,
            number=last + 1,
            data=export_document(blueprint, with_ids=True),
            blueprint_version=blueprint.version,
            reason=reason[:200],
            created_by=by if by is not None and by.is_authenticated else None,
        )
