"""The difference between two versions of a blueprint: what a reviewer or a team reads on
the comparison page. Pure functions of two snapshot documents; nothing here reads the
database. The fields compared are the content fields of `blueprints.content_fields`, less
the references to other parts of the blueprint, which change with every export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blueprints.content_fields import (
    CARD_FIELDS,
    CHALLENGE_FIELDS,
    PROTOTYPE_FIELDS,
    RESULT_FIELDS,
    without_links,
)
from localities.content_fields import PARTNER_FIELDS, ROLE_FIELDS, SPACE_FIELDS

# What a comparison shows of a question (its owner and evidence are the team's working
# detail; its words, where it stands and its answer are what a reader follows).
QUESTION_COMPARED = ("text", "status", "answer", "answered_on")
# A prototype's own fields, its results, and its measures (as text, one a line).
PROTOTYPE_COMPARED = (*without_links(PROTOTYPE_FIELDS), *RESULT_FIELDS, "measures")


# A card's fields that name a community resource, and a prototype's relations to them
# (issue 15), with the part of the snapshot's "resources" each names one of.
CARD_RESOURCES = {"space": "spaces", "partner": "partners", "volunteer_role": "volunteer_roles"}
PROTOTYPE_RESOURCES = ("spaces", "partners", "volunteer_roles")
RESOURCE_NAME = {"spaces": "name", "partners": "organisation", "volunteer_roles": "name"}


def _resource_names(document: dict) -> dict[str, dict[str, str]]:
    """Each resource's name by its ref, by part: a snapshot names resources by refs that
    change with every export, so a comparison reads them by name ("Library")."""
    held = document.get("resources") or {}
    return {
        part: {item["ref"]: item.get(RESOURCE_NAME[part], "?") for item in held.get(part, [])}
        for part in PROTOTYPE_RESOURCES
    }


def _named_card(card: dict, names: dict[str, dict[str, str]]) -> dict:
    """The card with the resources it names as their names (a snapshot from before issue
    15 names none)."""
    return card | {
        field: names[part].get(card.get(field), card.get(field))
        for field, part in CARD_RESOURCES.items()
    }


# What a comparison shows of each resource the blueprint names: its own fields, and its
# rows (openings, contributions, months) as text, one a line.
RESOURCE_COMPARED = {
    "spaces": (*SPACE_FIELDS, "openings"),
    "partners": (*PARTNER_FIELDS, "contributions"),
    "volunteer_roles": (*ROLE_FIELDS, "months"),
}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _opening_text(row: dict) -> str:
    day = DAYS[row["day"]] if isinstance(row.get("day"), int) and 0 <= row["day"] < 7 else "?"
    late = " (out of hours)" if row.get("out_of_hours") else ""
    return f"{day} {row.get('opens')} to {row.get('closes')}{late}"


def _contribution_text(row: dict) -> str:
    amount = f" £{row['value']}" if row.get("value") is not None else ""
    count = f" × {row['quantity']}" if row.get("quantity") is not None else ""
    what = f" ({row['description']})" if row.get("description") else ""
    return f"{row.get('kind')}{amount}{count}{what}: {row.get('status')} on {row.get('status_on')}"


def _month_text(row: dict) -> str:
    counts = ", ".join(
        f"{name.replace('_', ' ')} {value}"
        for name, value in row.items()
        if name != "month" and value
    )
    return f"{str(row.get('month'))[:7]}: {counts or 'none'}"


ROW_TEXT = {"openings": _opening_text, "contributions": _contribution_text, "months": _month_text}


def _resources(document: dict, part: str) -> list[dict]:
    """The resources of one kind a version's blueprint named, their rows as text (a
    snapshot from before issue 15 names none)."""
    return [
        {
            **item,
            **{
                rows: "\n".join(text(row) for row in item.get(rows) or [])
                for rows, text in ROW_TEXT.items()
                if rows in item
            },
        }
        for item in (document.get("resources") or {}).get(part, [])
    ]


def _text(value: Any) -> str:
    """A snapshot value as a page shows it."""
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()

    @property
    def old_text(self) -> str:
        return _text(self.old)

    @property
    def new_text(self) -> str:
        return _text(self.new)


@dataclass(frozen=True)
class CardEntry:
    title: str
    cell: str  # "Phase · Lane"


@dataclass(frozen=True)
class CardChange:
    title: str
    cell: str
    fields: list[FieldChange]


@dataclass(frozen=True)
class CardMove:
    title: str
    old_cell: str
    new_cell: str
    old_position: int
    new_position: int


@dataclass(frozen=True)
class Rename:
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    title: str
    fields: list[FieldChange]


@dataclass
class PartDiff:
    """Phases, lanes, delivery challenges or prototypes: added and removed by name or title,
    renamed (phases and lanes) or changed (challenges and prototypes)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[Rename] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.changed)


@dataclass
class VersionDiff:
    blueprint: list[FieldChange] = field(default_factory=list)  # title, summary
    phases: PartDiff = field(default_factory=PartDiff)
    lanes: PartDiff = field(default_factory=PartDiff)
    cards_added: list[CardEntry] = field(default_factory=list)
    cards_removed: list[CardEntry] = field(default_factory=list)
    cards_changed: list[CardChange] = field(default_factory=list)
    cards_moved: list[CardMove] = field(default_factory=list)
    links_added: list[tuple[str, str]] = field(default_factory=list)
    links_removed: list[tuple[str, str]] = field(default_factory=list)
    challenges: PartDiff = field(default_factory=PartDiff)
    questions: PartDiff = field(default_factory=PartDiff)
    prototypes: PartDiff = field(default_factory=PartDiff)
    # The community resources the blueprint named, by kind (issue 15).
    spaces: PartDiff = field(default_factory=PartDiff)
    partners: PartDiff = field(default_factory=PartDiff)
    volunteer_roles: PartDiff = field(default_factory=PartDiff)

    @property
    def has_resource_changes(self) -> bool:
        return bool(self.spaces or self.partners or self.volunteer_roles)

    @property
    def has_card_changes(self) -> bool:
        return bool(
            self.cards_added or self.cards_removed or self.cards_changed or self.cards_moved
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.blueprint
            or self.phases
            or self.lanes
            or self.has_card_changes
            or self.links_added
            or self.links_removed
            or self.challenges
            or self.questions
            or self.prototypes
            or self.has_resource_changes
        )


def _key(item: dict, fallback: str) -> Any:
    """An item's identity: its id, or (in a document without ids) its title or name."""
    return item["id"] if "id" in item else ("title", item.get(fallback))


class _Side:
    """One version's document, indexed for comparison."""

    def __init__(self, document: dict) -> None:
        self.phases = {p["ref"]: p for p in document.get("phases", [])}
        self.lanes = {lane["ref"]: lane for lane in document.get("lanes", [])}
        names = _resource_names(document)
        cards = [_named_card(c, names) for c in document.get("cards", [])]
        self.cards = {_key(c, "title"): c for c in cards}
        self.card_by_ref = {c["ref"]: c for c in cards}

    def cell_key(self, card: dict) -> tuple:
        phase, lane = self.phases.get(card["phase"], {}), self.lanes.get(card["lane"], {})
        return (_key(phase, "name"), _key(lane, "name"))

    def cell(self, card: dict) -> str:
        phase = self.phases.get(card["phase"], {}).get("name", "?")
        lane = self.lanes.get(card["lane"], {}).get("name", "?")
        return f"{phase} · {lane}"

    def card_title(self, ref: str) -> str:
        return self.card_by_ref.get(ref, {}).get("title", ref)


def _fields(old: dict, new: dict, names: tuple[str, ...]) -> list[FieldChange]:
    return [FieldChange(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n)]


def _named_parts(old: list[dict], new: list[dict], label: str) -> PartDiff:
    diff = PartDiff()
    old_by = {_key(item, label): item for item in old}
    new_by = {_key(item, label): item for item in new}
    diff.added = [item[label] for key, item in new_by.items() if key not in old_by]
    diff.removed = [item[label] for key, item in old_by.items() if key not in new_by]
    diff.renamed = [
        Rename(old_by[key][label], item[label])
        for key, item in new_by.items()
        if key in old_by and old_by[key][label] != item[label]
    ]
    return diff


def _items(
    old: list[dict], new: list[dict], names: tuple[str, ...], label: str = "title"
) -> PartDiff:
    diff = PartDiff()
    old_by = {_key(item, label): item for item in old}
    new_by = {_key(item, label): item for item in new}
    diff.added = [item[label] for key, item in new_by.items() if key not in old_by]
    diff.removed = [item[label] for key, item in old_by.items() if key not in new_by]
    for key, item in new_by.items():
        if key in old_by and (changes := _fields(old_by[key], item, names)):
            diff.changed.append(ItemChange(item[label], changes))
    return diff


def _questions(document: dict) -> list[dict]:
    """Every delivery challenge's questions; a snapshot from before issue 12 holds them as
    text, one a line, each then an open question known by its words."""
    questions = []
    for challenge in document.get("delivery_challenges", []):
        held = challenge.get("questions") or []
        if isinstance(held, str):
            held = [
                {"text": line.strip(), "status": "open", "answer": "", "answered_on": None}
                for line in held.splitlines()
            ]
        questions += [q for q in held if q.get("text")]
    return questions


def _measure_text(measure: dict) -> str:
    def shown(value: Any) -> str:
        return "–" if value is None else str(value)

    unit = f" ({measure['unit']})" if measure.get("unit") else ""
    return (
        f"{measure.get('name', '')}{unit}: baseline {shown(measure.get('baseline'))}, "
        f"target {shown(measure.get('target'))}, actual {shown(measure.get('actual'))}"
    )


def _prototypes(document: dict) -> list[dict]:
    """The prototypes, their measures as text and the resources they use by name; a
    snapshot from before issue 12 has no results, which reads as none recorded."""
    unrecorded = dict.fromkeys(RESULT_FIELDS) | {"in_kind_description": ""}
    names = _resource_names(document)
    return [
        {
            **unrecorded,
            **p,
            "measures": "\n".join(_measure_text(m) for m in p.get("measures") or []),
            **{
                part: sorted(names[part].get(ref, ref) for ref in p.get(part) or [])
                for part in PROTOTYPE_RESOURCES
            },
        }
        for p in document.get("prototypes", [])
    ]


def _moved_in_cell(old: _Side, new: _Side, common: list) -> set:
    """Cards that stayed in their cell but changed place among the cards in both versions
    (a card added or removed above another does not move it)."""
    moved = set()
    cells: dict[tuple, list] = {}
    for key in common:
        if old.cell_key(old.cards[key]) == new.cell_key(new.cards[key]):
            cells.setdefault(new.cell_key(new.cards[key]), []).append(key)
    for keys in cells.values():
        before = sorted(keys, key=lambda k: old.cards[k].get("position", 0))
        after = sorted(keys, key=lambda k: new.cards[k].get("position", 0))
        moved |= {a for a, b in zip(before, after, strict=True) if a != b}
    return moved


def diff_versions(old: dict, new: dict) -> VersionDiff:
    """What changed from the `old` snapshot to the `new` one (documents as
    `export_document(with_ids=True)` writes them). A pure function."""
    diff = VersionDiff()
    diff.blueprint = _fields(
        old.get("blueprint", {}), new.get("blueprint", {}), ("title", "summary")
    )
    diff.phases = _named_parts(old.get("phases", []), new.get("phases", []), "name")
    diff.lanes = _named_parts(old.get("lanes", []), new.get("lanes", []), "name")

    a, b = _Side(old), _Side(new)
    common = [key for key in b.cards if key in a.cards]
    diff.cards_added = [
        CardEntry(c["title"], b.cell(c)) for k, c in b.cards.items() if k not in a.cards
    ]
    diff.cards_removed = [
        CardEntry(c["title"], a.cell(c)) for k, c in a.cards.items() if k not in b.cards
    ]
    reordered = _moved_in_cell(a, b, common)
    for key in common:
        before, after = a.cards[key], b.cards[key]
        if changes := _fields(before, after, without_links(CARD_FIELDS)):
            diff.cards_changed.append(CardChange(after["title"], b.cell(after), changes))
        if a.cell_key(before) != b.cell_key(after) or key in reordered:
            diff.cards_moved.append(
                CardMove(
                    after["title"],
                    a.cell(before),
                    b.cell(after),
                    before.get("position", 0) + 1,
                    after.get("position", 0) + 1,
                )
            )

    def link_keys(side: _Side, document: dict) -> dict[tuple, tuple[str, str]]:
        return {
            (
                _key(side.card_by_ref[link["from"]], "title"),
                _key(side.card_by_ref[link["to"]], "title"),
            ): (
                side.card_title(link["from"]),
                side.card_title(link["to"]),
            )
            for link in document.get("links", [])
            if link["from"] in side.card_by_ref and link["to"] in side.card_by_ref
        }

    old_links, new_links = link_keys(a, old), link_keys(b, new)
    diff.links_added = [titles for key, titles in new_links.items() if key not in old_links]
    diff.links_removed = [titles for key, titles in old_links.items() if key not in new_links]
    diff.challenges = _items(
        old.get("delivery_challenges", []),
        new.get("delivery_challenges", []),
        without_links(CHALLENGE_FIELDS),
    )
    old_questions, new_questions = _questions(old), _questions(new)
    if not all("id" in q for q in old_questions + new_questions):
        # Across a snapshot from before issue 12, questions are known by their words.
        old_questions, new_questions = (
            [{k: v for k, v in q.items() if k != "id"} for q in side]
            for side in (old_questions, new_questions)
        )
    diff.questions = _items(old_questions, new_questions, QUESTION_COMPARED, label="text")
    diff.prototypes = _items(_prototypes(old), _prototypes(new), PROTOTYPE_COMPARED)
    for part, compared in RESOURCE_COMPARED.items():
        label = RESOURCE_NAME[part]
        setattr(diff, part, _items(_resources(old, part), _resources(new, part), compared, label))
    return diff
