"""The history of a blueprint and everything in it, read for the history page.

(The grid itself is read by `blueprints.grid`.)"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import OuterRef, Subquery

from blueprints.content_fields import (
    BLUEPRINT_LINKS,
    CHALLENGE_FIELDS,
    PROTOTYPE_FIELDS,
    RESULT_FIELDS,
    without_links,
)
from blueprints.models import (
    Blueprint,
    Card,
    DeliveryChallenge,
    DeliveryQuestion,
    Lane,
    Phase,
    Prototype,
)
from consultations.models import Idea
from localities.models import Insight, Partner, Space, VolunteerRole

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    """One field's change. Plain fields have `old` and `new`; relations list what was
    `added` and `removed`. Every value is already text, ready to show."""

    field: str
    old: str = ""
    new: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: Any  # the user, or None for changes made outside a request and without `by`
    kind: str  # "blueprint", "phase", "lane", "card", "delivery challenge", "prototype"
    object_id: int
    label: str  # the object's title or name as of this change
    action: str  # "created", "changed" or "deleted"
    reason: str = ""  # e.g. "Moved to Use / Family experience, position 2"
    changes: tuple[FieldChange, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Tracked:
    """What history_for reads of one model: its fields worth showing, and its relations."""

    model: type[models.Model]
    label_field: str
    fields: tuple[str, ...]
    m2m: tuple[str, ...] = ()


def _content_and_links(fields: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A part's content fields split into its own values and its links to other parts."""
    return without_links(fields), tuple(name for name in fields if name in BLUEPRINT_LINKS)


def _many_apart(
    model: type[models.Model], split: tuple[tuple[str, ...], tuple[str, ...]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`split` with the model's other many-to-many fields (the locality's resources a
    prototype uses) moved to the relations, which are read in one query each rather than
    by `diff_against`, which would read them once per record."""
    own, links = split
    many = tuple(name for name in own if model._meta.get_field(name).many_to_many)
    return tuple(name for name in own if name not in many), (*links, *many)


_TRACKED = (
    _Tracked(Blueprint, "title", ("title", "summary", "idea")),
    _Tracked(Phase, "name", ("name", "description")),
    _Tracked(Lane, "name", ("name", "role")),
    _Tracked(
        Card,
        "title",
        ("title", "details", "kind", "emotion", "phase", "lane", *Card.RESOURCE_FIELDS),
        ("insights",),
    ),
    _Tracked(DeliveryChallenge, "title", *_content_and_links(CHALLENGE_FIELDS)),
    # A question's words, where it stands and its answer (issue 12); its owner and evidence
    # are the team's working detail, shown on its own page.
    _Tracked(DeliveryQuestion, "text", ("text", "status", "answer", "answered_on")),
    _Tracked(
        Prototype,
        "title",
        *_many_apart(Prototype, _content_and_links((*PROTOTYPE_FIELDS, *RESULT_FIELDS))),
    ),
)

# Where the names of related objects come from. Phases, lanes, cards and challenges are
# named from their history, so that deleted ones keep their names on the history page.
_NAMED_FROM_HISTORY = {Phase: "name", Lane: "name", Card: "title", DeliveryChallenge: "title"}
_NAMED_NOW = {
    Insight: "statement",
    Idea: "title",
    DeliveryQuestion: "text",
    Space: "name",
    Partner: "organisation",
    VolunteerRole: "name",
}


def history_for(blueprint: Blueprint, *, limit: int = 50) -> list[HistoryEntry]:
    """The most recent changes to the blueprint and everything in it, newest first: who
    changed what, when, and from what to what.

    Reads a fixed number of queries (at most about two dozen), however long the history:
    per model the newest `limit` records and, in one more query, the records before them;
    the relations' rows per relation; related names per model. Changes that changed
    nothing worth showing (a save with no edit) are left out.
    """
    records = []
    for tracked in _TRACKED:
        history = tracked.model.history.model
        scope = _scope(tracked.model, blueprint)
        previous = (
            history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        records += [
            (tracked, record)
            for record in history.objects.filter(**scope)
            .select_related("history_user")
            .annotate(previous_history_id=Subquery(previous))
            .order_by("-history_date", "-history_id")[:limit]
        ]
    records.sort(key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=True)
    records = records[:limit]

    previous_by_model: dict[type, dict[int, Any]] = {}
    for tracked in _TRACKED:
        wanted = [
            record.previous_history_id
            for t, record in records
            if t is tracked and record.history_type == "~" and record.previous_history_id
        ]
        if wanted:
            history = tracked.model.history.model
            previous_by_model[tracked.model] = history.objects.in_bulk(wanted)

    relation_rows = _relation_rows(records, previous_by_model)
    names = _Names()
    pending = []
    for tracked, record in records:
        previous = previous_by_model.get(tracked.model, {}).get(record.previous_history_id)
        raw_changes = []
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, included_fields=tracked.fields)
            for change in delta.changes:
                raw_changes.append((tracked.model, change.field, change.old, change.new))
            for name in tracked.m2m:
                before = relation_rows[(tracked.model, name)].get(previous.history_id, set())
                after = relation_rows[(tracked.model, name)].get(record.history_id, set())
                if before != after:
                    raw_changes.append((tracked.model, name, before, after))
        for model, name, old, new in raw_changes:
            names.want(model, name, old, new)
        pending.append((tracked, record, raw_changes))

    names.fetch()
    entries = []
    for tracked, record, raw_changes in pending:
        reason = record.history_change_reason or ""
        if record.history_type == "~" and not raw_changes and not reason:
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=str(tracked.model._meta.verbose_name),
                object_id=record.id,
                label=getattr(record, tracked.label_field),
                action=ACTIONS[record.history_type],
                reason=reason,
                changes=tuple(names.describe(*raw) for raw in raw_changes),
            )
        )
    return entries


def _scope(model: type[models.Model], blueprint: Blueprint) -> dict[str, Any]:
    """The filter on `model`'s history records that finds those of `blueprint`'s parts. A
    question belongs to a challenge, found among the challenges the blueprint has ever had
    (in a subquery), so the questions of a deleted challenge keep their history."""
    if model is Blueprint:
        return {"id": blueprint.pk}
    if model is DeliveryQuestion:
        challenges = DeliveryChallenge.history.filter(blueprint_id=blueprint.pk).values("id")
        return {"challenge_id__in": challenges}
    return {"blueprint_id": blueprint.pk}


def _relation_rows(
    records: list[tuple[_Tracked, Any]], previous_by_model: dict[type, dict[int, Any]]
) -> dict[tuple[type, str], dict[int, set[int]]]:
    """For each tracked relation, the related ids each history record held: one query each."""
    rows: dict[tuple[type, str], dict[int, set[int]]] = defaultdict(dict)
    for tracked in _TRACKED:
        history_ids = [record.history_id for t, record in records if t is tracked]
        history_ids += list(previous_by_model.get(tracked.model, {}))
        for name in tracked.m2m:
            rows[(tracked.model, name)] = {}
            if not history_ids:
                continue
            relation = tracked.model._meta.get_field(name)
            m2m_history = getattr(tracked.model.history.model, name).model
            target = f"{relation.m2m_reverse_field_name()}_id"
            held = rows[(tracked.model, name)]
            for history_id, target_id in m2m_history.objects.filter(
                history_id__in=history_ids
            ).values_list("history_id", target):
                held.setdefault(history_id, set()).add(target_id)
    return rows


class _Names:
    """Collects the related ids that changes mention, then names them in one query each."""

    def __init__(self) -> None:
        self.wanted: dict[type, set[int]] = defaultdict(set)
        self.names: dict[type, dict[int, str]] = {}

    @staticmethod
    def _related_model(model: type[models.Model], name: str) -> type[models.Model] | None:
        field = model._meta.get_field(name)
        return field.related_model if field.is_relation else None

    def want(self, model: type[models.Model], name: str, old: Any, new: Any) -> None:
        related = self._related_model(model, name)
        if related is None:
            return
        for value in (old, new):
            if isinstance(value, set):
                self.wanted[related] |= value
            elif value is not None:
                self.wanted[related].add(value)

    def fetch(self) -> None:
        for related, ids in self.wanted.items():
            if related in _NAMED_FROM_HISTORY:
                label = _NAMED_FROM_HISTORY[related]
                # Oldest first, so each id ends with its latest name.
                self.names[related] = dict(
                    related.history.model.objects.filter(id__in=ids)
                    .order_by("history_id")
                    .values_list("id", label)
                )
            else:
                self.names[related] = dict(
                    related.objects.filter(pk__in=ids).values_list("pk", _NAMED_NOW[related])
                )

    def _name(self, related: type[models.Model], pk: int) -> str:
        return self.names.get(related, {}).get(pk) or f"a deleted {related._meta.verbose_name}"

    def describe(self, model: type[models.Model], name: str, old: Any, new: Any) -> FieldChange:
        field_ = model._meta.get_field(name)
        verbose = str(field_.verbose_name)
        related = self._related_model(model, name)
        if isinstance(old, set):
            return FieldChange(
                verbose,
                added=tuple(sorted(self._name(related, pk) for pk in new - old)),
                removed=tuple(sorted(self._name(related, pk) for pk in old - new)),
            )
        if related is not None:
            return FieldChange(
                verbose,
                old="" if old is None else self._name(related, old),
                new="" if new is None else self._name(related, new),
            )
        return FieldChange(verbose, old=_text(field_, old), new=_text(field_, new))


def _text(field_: models.Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if field_.name == "emotion":
        return f"{value:+d}"
    if isinstance(value, Decimal):
        if field_.name.endswith("_hours"):
            return f"{value.normalize():,f}"
        return f"£{value:,.2f}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)
