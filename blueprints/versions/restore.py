"""Going back to a version (issue 5).

Restoring rebuilds the blueprint's content from the snapshot through the services (the
code path of a JSON import, `json_import.fill_blueprint`), so the rebuilt objects get new
ids: a comparison across a restore shows the restored cards as removed and added. The
restore is recorded twice: as a move back to draft with the note "Restored version N", and
as a new snapshot with the reason "restored from version N".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from blueprints import services
from blueprints.interchange import json_import, schema
from blueprints.interchange import resources as community
from blueprints.interchange.json_export import strip_ids
from blueprints.models import Blueprint, BlueprintVersion
from blueprints.review import states as review_states
from blueprints.versions.snapshots import restored_reason, snapshot_blueprint
from localities import permissions
from localities.models import Insight

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

RESTORE_REFUSED = "Only the locality's editors and leads can restore a version."

# Leaving any review state for draft because the content was replaced by an older version.
# Not in `review_states.RULES`: it follows from a restore, never from a review button.
RESTORE_RULE = review_states.Rule(
    action="restore",
    label="Restore",
    # Never from submitted: the content is frozen then (`review_states.refuse_if_frozen`).
    sources=frozenset(review_states.State.values)
    - {review_states.State.DRAFT, review_states.State.SUBMITTED},
    target=review_states.State.DRAFT,
    may=None,
    refused_to=RESTORE_REFUSED,
    only_from="",
)


@dataclass
class RestoreResult:
    blueprint: Blueprint
    version: BlueprintVersion  # the new snapshot that records the restore
    dropped_insights: int  # insight links left out: the insight no longer exists
    # The community resources the version named that the locality no longer has (neither
    # their id nor their name): "Church hall (space)". Cards and prototypes leave them out.
    dropped_resources: list[str] = field(default_factory=list)


def may_restore(user: User | None, blueprint: Blueprint) -> bool:
    """The locality's editors and leads, and superusers (not viewers, not reviewers)."""
    return permissions.can_edit_content(user, blueprint.locality)


def restore_version(*, version: BlueprintVersion, by: User | None) -> RestoreResult:
    """Make the blueprint's content (title, summary, phases, lanes, cards, links, delivery
    challenges, prototypes) equal to `version`'s, as the current draft, in one transaction.

    Insight links are kept by insight id when the insight still exists in the locality, and
    otherwise dropped (counted in the result). The community resources that cards and
    prototypes name are the locality's records with the snapshot's ids, or else with its
    names (case-insensitive); one deleted since is left empty and listed in the result
    (`dropped_resources`), never recreated from the snapshot.

    Raises `review_states.NotAllowed` for someone who may not edit the blueprint, and
    `ImportProblems` if the snapshot cannot be rebuilt (then nothing changes).
    """
    blueprint = version.blueprint
    if not may_restore(by, blueprint):
        raise review_states.NotAllowed(RESTORE_REFUSED, code="not_allowed")
    snapshot = version.data
    document = schema.parse_document(strip_ids(snapshot))
    wanted = {card["ref"]: card.get("insight_ids", []) for card in snapshot.get("cards", [])}
    with transaction.atomic():
        locked = review_states.lock(blueprint)
        # A restore replaces the content: refused while submitted, like every content change.
        review_states.refuse_if_frozen(locked)
        existing = set(
            Insight.objects.filter(
                locality_id=locked.locality_id,
                pk__in={pk for ids in wanted.values() for pk in ids},
            ).values_list("pk", flat=True)
        )
        card_insights = {ref: [pk for pk in ids if pk in existing] for ref, ids in wanted.items()}
        matched = community.match_existing(locked.locality_id, snapshot.get("resources") or {})
        dropped = sum(len(ids) for ids in wanted.values()) - sum(
            len(ids) for ids in card_insights.values()
        )
        note = f"Restored version {version.number}"
        # Back to draft first, so that the content changes below do not also record
        # "Edited after approval".
        if locked.review_state in RESTORE_RULE.sources:
            review_states.record(locked, RESTORE_RULE, by=by, note=note)
        services.update_blueprint(
            blueprint=locked, title=document.title, summary=document.summary, by=by
        )
        locked.refresh_from_db()
        json_import.fill_blueprint(
            blueprint=locked,
            document=document,
            card_insights=card_insights,
            resources=matched.resolved,
            by=by,
        )
        locked.refresh_from_db()
        new_version = snapshot_blueprint(
            blueprint=locked, by=by, reason=restored_reason(version.number)
        )
    for name in ("title", "summary", "version", "review_state", "updated_at"):
        setattr(blueprint, name, getattr(locked, name))
    return RestoreResult(
        blueprint=locked,
        version=new_version,
        dropped_insights=dropped,
        dropped_resources=matched.missing,
    )
