"""The community resources a blueprint names (issue 15), in and out of its JSON file.

A file carries, under "resources", the spaces (with their openings), partners (with their
contributions) and volunteer roles (with their monthly pipeline) of the blueprint's
locality that its cards and prototypes name: only those, not all of the locality's, so the
file says what this blueprint relies on and another site importing it is not handed
records it has no use for. Cards and prototypes name them by a file-local ref ("space-1").

On the way back in, each resource is found among the importing locality's own by its name
(case-insensitive), or else created (`match_or_create`); a version restore finds it by its
id, or by its name when the id is gone, and leaves the card's field empty when neither is
there (`match_existing`). Every function reads a fixed number of queries, however many
cards name the resources.

Two imports into one locality at once may both find a name missing and both create it; the
unique constraint on (locality, lower(name)) lets one win, and the other takes the winner's
record instead of failing (`_save_new`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Value
from django.db.models.functions import Lower

from blueprints.models import Card, Prototype
from localities.content_fields import (
    CONTRIBUTION_FIELDS,
    MONTH_FIELDS,
    OPENING_FIELDS,
    PARTNER_FIELDS,
    ROLE_FIELDS,
    SPACE_FIELDS,
)
from localities.models import (
    Contribution,
    Locality,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)

# A card's fields that name a resource, with the file's part each names one of.
CARD_RESOURCE_FIELDS = {
    "space": "spaces",
    "partner": "partners",
    "volunteer_role": "volunteer_roles",
}
# A prototype's relations to resources; each is named as the file's part it draws from.
PROTOTYPE_RESOURCE_FIELDS = ("spaces", "partners", "volunteer_roles")
MODELS = {"spaces": Space, "partners": Partner, "volunteer_roles": VolunteerRole}
NAME_FIELDS = {"spaces": "name", "partners": "organisation", "volunteer_roles": "name"}
REF_PREFIXES = {"spaces": "space", "partners": "partner", "volunteer_roles": "volunteer-role"}
NOUNS = {"spaces": "space", "partners": "partner", "volunteer_roles": "volunteer role"}


def _value(value: Any) -> Any:
    """A field's value as the file writes it: amounts as text ("8500.00"), days and times
    in ISO form, the rest as they are."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return value


def _fields(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in names}


def normalised(name: str) -> str:
    """How names are matched: case-insensitive, surrounding spaces aside."""
    return name.strip().casefold()


@dataclass
class NamedResources:
    """What a blueprint's cards and prototypes name, read for its export."""

    section: dict[str, list[dict]] = field(default_factory=dict)
    cards: dict[int, dict[str, Any]] = field(default_factory=dict)  # card id -> its four fields
    prototypes: dict[int, dict[str, list[str]]] = field(default_factory=dict)

    def card(self, card_id: int) -> dict[str, Any]:
        return self.cards.get(card_id) or {
            **dict.fromkeys(CARD_RESOURCE_FIELDS),
            "volunteer_hours": None,
        }

    def prototype(self, prototype_id: int) -> dict[str, list[str]]:
        return self.prototypes.get(prototype_id) or {name: [] for name in PROTOTYPE_RESOURCE_FIELDS}


def read_named(
    blueprint_id: int, prototype_ids: list[int], *, with_ids: bool = False
) -> NamedResources:
    """The resources the blueprint's cards and prototypes name, as the file's "resources"
    section (each kind by name), and each card's and prototype's refs to them. At most eight
    queries: the cards' columns, the prototypes' three relations, and each kind of resource
    with its rows (none for a kind nothing names). `with_ids` writes each resource's id, for
    version snapshots."""
    card_rows = list(
        Card.objects.filter(blueprint_id=blueprint_id).values_list(
            "pk", "space_id", "partner_id", "volunteer_role_id", "volunteer_hours"
        )
    )
    used: dict[str, set[int]] = {part: set() for part in MODELS}
    for _, space_id, partner_id, role_id, _hours in card_rows:
        for part, pk in zip(MODELS, (space_id, partner_id, role_id), strict=True):
            if pk is not None:
                used[part].add(pk)
    prototype_links: dict[str, list[tuple[int, int]]] = {}
    for name in PROTOTYPE_RESOURCE_FIELDS:
        relation = Prototype._meta.get_field(name)
        target = f"{relation.m2m_reverse_field_name()}_id"
        through = relation.remote_field.through
        rows = (
            list(
                through.objects.filter(prototype_id__in=prototype_ids).values_list(
                    "prototype_id", target
                )
            )
            if prototype_ids
            else []
        )
        prototype_links[name] = rows
        used[name] |= {pk for _, pk in rows}

    records = {
        "spaces": Space.objects.filter(pk__in=used["spaces"]).prefetch_related(
            Prefetch("openings", queryset=Opening.objects.order_by("day", "opens", "pk"))
        ),
        "partners": Partner.objects.filter(pk__in=used["partners"]).prefetch_related(
            Prefetch("contributions", queryset=Contribution.objects.order_by("status_on", "pk"))
        ),
        "volunteer_roles": VolunteerRole.objects.filter(
            pk__in=used["volunteer_roles"]
        ).prefetch_related(Prefetch("months", queryset=VolunteerMonth.objects.order_by("month"))),
    }
    named = NamedResources()
    refs: dict[str, dict[int, str]] = {}
    for part, query in records.items():
        found = list(query.order_by(NAME_FIELDS[part], "pk")) if used[part] else []
        refs[part] = {obj.pk: f"{REF_PREFIXES[part]}-{i}" for i, obj in enumerate(found, 1)}
        named.section[part] = [
            {
                "ref": refs[part][obj.pk],
                **_describe(part, obj),
                **({"id": obj.pk} if with_ids else {}),
            }
            for obj in found
        ]
    for card_id, space_id, partner_id, role_id, hours in card_rows:
        ids = {"space": space_id, "partner": partner_id, "volunteer_role": role_id}
        named.cards[card_id] = {
            name: refs[part].get(ids[name]) for name, part in CARD_RESOURCE_FIELDS.items()
        } | {"volunteer_hours": _value(hours)}
    for name, rows in prototype_links.items():
        for prototype_id, pk in rows:
            entry = named.prototypes.setdefault(
                prototype_id, {n: [] for n in PROTOTYPE_RESOURCE_FIELDS}
            )
            entry[name].append(refs[name][pk])
    for entry in named.prototypes.values():
        for name in PROTOTYPE_RESOURCE_FIELDS:
            entry[name].sort(key=lambda ref: int(ref.rsplit("-", 1)[1]))
    return named


def _describe(part: str, obj: Any) -> dict[str, Any]:
    if part == "spaces":
        return _fields(obj, SPACE_FIELDS) | {
            "openings": [_fields(o, OPENING_FIELDS) for o in obj.openings.all()]
        }
    if part == "partners":
        return _fields(obj, PARTNER_FIELDS) | {
            "contributions": [_fields(c, CONTRIBUTION_FIELDS) for c in obj.contributions.all()]
        }
    return _fields(obj, ROLE_FIELDS) | {
        "months": [_fields(m, MONTH_FIELDS) for m in obj.months.all()]
    }


# Matching on the way in -------------------------------------------------------------------

# A resource of the file, by part and ref, as the locality's record (None: not found).
Resolved = dict[str, dict[str, Any]]


@dataclass
class Matched:
    resolved: Resolved
    created: list[str] = field(default_factory=list)  # "Church hall (space)"
    missing: list[str] = field(default_factory=list)  # restore: neither id nor name found


def _label(part: str, item: dict) -> str:
    return f"{item[NAME_FIELDS[part]]} ({NOUNS[part]})"


def _by_name(locality_id: int, part: str) -> dict[str, Any]:
    """The locality's resources of one kind, by normalised name (one query)."""
    return {
        normalised(getattr(obj, NAME_FIELDS[part])): obj
        for obj in MODELS[part].objects.filter(locality_id=locality_id).order_by("pk")
    }


def match_or_create(locality: Locality, resources: dict[str, list[dict]]) -> Matched:
    """Each resource of a checked file as the locality's record of the same name
    (case-insensitive), or a new record made from the file, with its openings,
    contributions or months. The locality's own records are used as they are: the file does
    not overwrite what the site knows of its own spaces. At most eleven queries (three
    reads, three creations and their rows, in a savepoint), whatever the number of
    resources; call it in the import's transaction."""
    matched = Matched(resolved={part: {} for part in MODELS})
    new: dict[str, list[tuple[dict, Any]]] = {}
    for part, items in resources.items():
        if not items:
            continue
        existing = _by_name(locality.pk, part)
        for item in items:
            obj = existing.get(normalised(item[NAME_FIELDS[part]]))
            if obj is None:
                new.setdefault(part, []).append((item, _new(part, locality, item)))
            else:
                matched.resolved[part][item["ref"]] = obj
    for part, saved in _save_new(new).items():
        for (item, made), obj in zip(new[part], saved, strict=True):
            matched.resolved[part][item["ref"]] = obj
            if obj is made:
                matched.created.append(_label(part, item))
    return matched


def _new(part: str, locality: Locality, item: dict) -> Any:
    names = {"spaces": SPACE_FIELDS, "partners": PARTNER_FIELDS, "volunteer_roles": ROLE_FIELDS}
    return MODELS[part](locality=locality, **{name: item[name] for name in names[part]})


# Each kind's rows: their model, the key that holds them in the file, and their parent field.
ROWS = {
    "spaces": (Opening, "openings", "space"),
    "partners": (Contribution, "contributions", "partner"),
    "volunteer_roles": (VolunteerMonth, "months", "role"),
}


def _save_new(new: dict[str, list[tuple[dict, Any]]]) -> dict[str, list[Any]]:
    """Save the new records and their rows, two statements a kind (the file was checked
    against the same rules as the site's forms, so nothing here is refused), and return
    each record as saved, by kind.

    If another import (or someone on the resources page) has saved one of these names since
    they were read, an insert breaks the unique constraint: all is rolled back to the
    savepoint, and the records are saved one by one, each taking the other's record where
    it now has that name (its rows are theirs; the file's are not added to them).
    """
    if not new:
        return {}
    try:
        with transaction.atomic():
            saved = {
                part: MODELS[part].objects.bulk_create([o for _, o in n]) for part, n in new.items()
            }
            for part, records in saved.items():
                _save_rows(part, new[part], records)
    except IntegrityError:
        saved = {part: [_save_or_take(part, obj) for _, obj in n] for part, n in new.items()}
        for part, records in saved.items():
            _save_rows(part, new[part], records)
    return saved


def _save_rows(part: str, new: list[tuple[dict, Any]], saved: list[Any]) -> None:
    """The file's rows of the records this import made (not of those it took)."""
    row_model, key, parent = ROWS[part]
    row_model.objects.bulk_create(
        row_model(**{parent: obj}, **row)
        for (item, made), obj in zip(new, saved, strict=True)
        if obj is made
        for row in item[key]
    )


def _save_or_take(part: str, obj: Any) -> Any:
    """`obj` saved, or the record of its locality that has its name already."""
    name_field = NAME_FIELDS[part]
    obj.pk = None  # an id the rolled-back bulk insert gave it is not its own
    try:
        with transaction.atomic():
            obj.save(force_insert=True)
    except IntegrityError:
        winner = (
            MODELS[part]
            .objects.alias(key=Lower(name_field))
            .filter(locality_id=obj.locality_id, key=Lower(Value(getattr(obj, name_field))))
            .first()
        )
        if winner is None:  # refused for some other reason: not a race
            raise
        return winner
    return obj


def match_existing(locality_id: int, snapshot_resources: dict[str, list[dict]]) -> Matched:
    """Each resource of a version's snapshot as the locality's record with its id, or else
    with its name (case-insensitive); one deleted since is None and listed in `missing`,
    so the restore leaves the cards' fields empty and says so. Three queries at most."""
    matched = Matched(resolved={part: {} for part in MODELS})
    for part, items in snapshot_resources.items():
        if not items:
            continue
        existing = _by_name(locality_id, part)
        by_id = {obj.pk: obj for obj in existing.values()}
        for item in items:
            obj = by_id.get(item.get("id")) or existing.get(normalised(item[NAME_FIELDS[part]]))
            if obj is None:
                matched.missing.append(_label(part, item))
            matched.resolved[part][item["ref"]] = obj
    return matched
