"""Reading a blueprint's JSON file: `parse_bytes` / `parse_document` check everything (types,
lengths, choices, references, limits) and either return a `ParsedDocument` or raise
`ImportProblems`, whose `problems` say what is wrong and where ("Card 3's title is empty."),
without touching the database. Writing the checked document is `json_import`'s.

This module is the whole contract of the reader and depends on nothing else of the
interchange, so its insides can be replaced (by the pydantic models of the JSON schema)
while `parse_document`, `parse_bytes`, `ParsedDocument` and `ImportProblems` stay.

Longer than ~400 lines: every field is checked by hand, each with its own located message;
the schema's models are to take this over.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from blueprints.content_fields import CARD_FIELDS, CHALLENGE_FIELDS, PROTOTYPE_FIELDS
from blueprints.models import Blueprint, Card, DeliveryChallenge, Lane, Phase, Prototype
from localities.models import Insight
from localities.validators import has_control_character, has_lone_surrogate

SCHEMA = "blueprint-studio/blueprint"
SCHEMA_VERSION = 1
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_PROBLEMS = 15

LIMITS = {
    "phases": 40,
    "lanes": 20,
    "cards": 2000,
    "links": 5000,
    "delivery_challenges": 300,
    "prototypes": 300,
    "insights per card": 50,
    "cards per challenge or prototype": 500,
}
REF_MAX_LENGTH = 40


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class ImportProblems(Exception):
    """The file cannot be imported; `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _TooMany(Exception):
    pass


@dataclass
class ParsedCard:
    ref: str
    phase: int  # index into phases
    lane: int
    position: int
    order: int  # in the file
    title: str
    details: str
    kind: str
    emotion: int | None
    insights: list[str]


@dataclass
class ParsedDocument:
    title: str
    summary: str
    idea: str | None
    phases: list[dict]
    lanes: list[dict]
    cards: list[ParsedCard]
    links: list[tuple[str, str]]
    challenges: list[dict]
    prototypes: list[dict]
    card_refs: dict[str, ParsedCard] = field(default_factory=dict)


class _Reader:
    """Checks one document, collecting problems (at most MAX_PROBLEMS) as it goes."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany

    def obj(self, value: Any, where: str, required: set[str], optional: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.problem(f"{where} should be an object.")
            return None
        missing = sorted(required - set(value))
        unknown = sorted(set(value) - required - optional)
        if missing:
            self.problem(f"{where} is missing {', '.join(missing)}.")
        if unknown:
            shown = ", ".join(str(name)[:40] for name in unknown[:5])
            self.problem(f"{where} has fields this site does not know: {shown}.")
        return value if not missing and not unknown else None

    def items(self, document: dict, name: str, required: bool = True) -> list:
        value = document.get(name, [] if not required else None)
        if not isinstance(value, list):
            self.problem(f"“{name}” should be a list.")
            return []
        limit = LIMITS[name]
        if len(value) > limit:
            self.problem(f"“{name}” has {len(value):,} entries; at most {limit:,} can be imported.")
            return []
        return value

    def text(
        self,
        value: Any,
        where: str,
        max_length: int,
        *,
        blank: bool = True,
        null: bool = False,
        one_line: bool = False,
    ) -> str | None:
        """A string of at most `max_length`; `one_line` for titles and names, which are
        refused (not rewritten) if they hold a line break or other control character, as
        the forms and the model validators refuse them: the file imports as it is, or not
        at all, so a re-export gives back the same file."""
        if value is None and null:
            return None
        if not isinstance(value, str):
            self.problem(f"{where} should be text.")
            return None
        if "\x00" in value:
            self.problem(f"{where} contains a NUL character.")
            return None
        if one_line and has_control_character(value):
            self.problem(
                f"{where} contains a line break or other control character; it should be one line."
            )
            return None
        if len(value) > max_length:
            self.problem(f"{where} is {len(value):,} characters long; at most {max_length:,}.")
            return None
        if not blank and not value.strip():
            self.problem(f"{where} is empty.")
            return None
        return value

    def choice(self, value: Any, where: str, choices) -> str | None:
        if not isinstance(value, str) or value not in choices.values:
            allowed = ", ".join(choices.values)
            self.problem(f"{where} should be one of {allowed}.")
            return None
        return value

    def integer(self, value: Any, where: str, low: int, high: int) -> int | None:
        # bool is an int in Python; true/false is not a number in the file.
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.problem(f"{where} should be a whole number from {low} to {high}.")
            return None
        return value

    def ref(self, value: Any, where: str, seen: set[str]) -> str | None:
        ref = self.text(value, where, REF_MAX_LENGTH, blank=False)
        if ref is None:
            return None
        if ref in seen:
            self.problem(f"{where} “{ref}” is used twice.")
            return None
        seen.add(ref)
        return ref

    def refs(self, value: Any, where: str, known: dict, noun: str) -> list[str] | None:
        if not isinstance(value, list):
            self.problem(f"{where} should be a list of {noun} references.")
            return None
        if len(value) > LIMITS["cards per challenge or prototype"]:
            self.problem(f"{where} lists too many {noun}s.")
            return None
        result = []
        for item in value:
            if not isinstance(item, str) or item not in known:
                self.problem(
                    f"{where} refers to a {noun} that is not in the file: {str(item)[:40]}."
                )
                return None
            if item not in result:
                result.append(item)
        return result

    def day(self, value: Any, where: str) -> date | None:
        if value is None:
            return None
        if not isinstance(value, str) or len(value) != 10:
            self.problem(f"{where} should be a date like 2025-03-31, or null.")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(f"{where} should be a date like 2025-03-31, or null.")
            return None

    def money(self, value: Any, where: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(f'{where} should be an amount such as "120.00".')
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(f'{where} should be an amount such as "120.00".')
            return None
        try:
            if len(str(value)) > 20:
                raise InvalidOperation
            amount = Decimal(str(value))
        except InvalidOperation:
            self.problem(f'{where} should be an amount such as "120.00".')
            return None
        if not amount.is_finite() or amount < 0 or amount >= Decimal("10000000"):
            self.problem(f"{where} should be from 0 to 9,999,999.99.")
            return None
        return amount.quantize(Decimal("0.01"))


def parse_bytes(content: bytes) -> ParsedDocument:
    """Read and check an uploaded file. Raises ImportProblems, saying what is wrong."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportProblems(
            [
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; it cannot be a "
                "blueprint exported from this site."
            ]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblems(["The file is not text in UTF-8: is it a JSON export?"]) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        detail = f" ({error})" if isinstance(error, json.JSONDecodeError) else ""
        raise ImportProblems([f"The file is not valid JSON{detail}."]) from None
    return parse_document(document)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def parse_document(document: Any) -> ParsedDocument:
    reader = _Reader()
    try:
        # First, and alone: a lone surrogate cannot be saved, nor shown in a message.
        _refuse_lone_surrogates(reader, document)
        parsed = None if reader.problems else _parse(reader, document)
    except _TooMany:
        reader.problems.append("There may be more problems; these are the first ones found.")
        parsed = None
    if reader.problems or parsed is None:
        raise ImportProblems(reader.problems)
    return parsed


# How problems name the parts of the file: "Card 3's title", "The blueprint's summary".
PART_NAMES = {
    "phases": "Phase",
    "lanes": "Lane",
    "cards": "Card",
    "links": "Link",
    "delivery_challenges": "Delivery challenge",
    "prototypes": "Prototype",
}
FIELD_NAMES = {"starts_on": "start date", "ends_on": "end date"}


def _location(path: tuple) -> str:
    """Where in the file `path` (keys and list indexes from the top) points, in words."""
    if len(path) >= 2 and path[0] in PART_NAMES and isinstance(path[1], int):
        where, rest = f"{PART_NAMES[path[0]]} {path[1] + 1}", path[2:]
    elif path and path[0] == "blueprint":
        where, rest = "The blueprint", path[1:]
    else:
        where, rest = "The file", path
    for depth, step in enumerate(rest):
        if isinstance(step, int):
            where += f" (item {step + 1})"
        elif depth == 0:
            where += f"'s {FIELD_NAMES.get(step, step[:40].replace('_', ' '))}"
        else:
            where += f", “{step[:40]}”"
    return where


def _refuse_lone_surrogates(reader: _Reader, document: Any) -> None:
    """A problem for every string, value or field name, holding a lone surrogate.

    JSON may write one as an escape (\\ud800), and Python reads it in, but it is not text:
    it cannot be saved to PostgreSQL or encoded into a page. The walk is a loop, not a
    recursion, since a file may nest as deep as the JSON reader allows.
    """
    stack: list[tuple[tuple, Any]] = [((), document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if has_lone_surrogate(value):
                reader.problem(
                    f"{_location(path)} contains a character that is not valid text "
                    "(a lone surrogate); correct it in the file and import it again."
                )
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                if has_lone_surrogate(key):
                    reader.problem(
                        f"{_location(path)} has a field name containing a character that is "
                        "not valid text (a lone surrogate)."
                    )
                else:
                    children.append(((*path, key), item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([((*path, i), item) for i, item in enumerate(value)]))


TOP_LEVEL = {
    "schema",
    "schema_version",
    "blueprint",
    "phases",
    "lanes",
    "cards",
    "links",
    "delivery_challenges",
    "prototypes",
}
TOP_LEVEL_OPTIONAL = {"exported_at", "source"}


def _parse(reader: _Reader, document: Any) -> ParsedDocument | None:
    if not isinstance(document, dict):
        reader.problem("The file should hold one JSON object, as an export does.")
        return None
    if document.get("schema") != SCHEMA:
        reader.problem("This is not a blueprint export of Blueprint studio (“schema” is wrong).")
        return None
    version = document.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        reader.problem(
            f"The file is in schema version {str(version)[:20]}; this site reads version "
            f"{SCHEMA_VERSION}."
        )
        return None
    if reader.obj(document, "The file", TOP_LEVEL, TOP_LEVEL_OPTIONAL) is None:
        return None

    head = reader.obj(document["blueprint"], "“blueprint”", {"title", "summary", "idea"}, set())
    blueprint_title = summary = idea = None
    if head is not None:
        blueprint_title = reader.text(
            head["title"],
            "The blueprint's title",
            _max_length(Blueprint, "title"),
            blank=False,
            one_line=True,
        )
        summary = reader.text(head["summary"], "The blueprint's summary", 4000)
        idea = reader.text(head["idea"], "The blueprint's idea", 200, null=True)

    phases, phase_index, seen = [], {}, set()
    raw_phases = reader.items(document, "phases")
    if not raw_phases and not reader.problems:
        reader.problem("The file has no phases; a blueprint needs at least one.")
    for i, raw in enumerate(raw_phases, 1):
        where = f"Phase {i}"
        item = reader.obj(raw, where, {"ref", "name", "description"}, set())
        if item is None:
            continue
        ref = reader.ref(item["ref"], f"{where}'s ref", seen)
        name = reader.text(
            item["name"], f"{where}'s name", _max_length(Phase, "name"), blank=False, one_line=True
        )
        description = reader.text(item["description"], f"{where}'s description", 2000)
        if None not in (ref, name, description):
            phase_index[ref] = len(phases)
            phases.append({"name": name, "description": description})

    lanes, lane_index, seen = [], {}, set()
    raw_lanes = reader.items(document, "lanes")
    if not raw_lanes and not reader.problems:
        reader.problem("The file has no lanes; a blueprint needs at least one.")
    for i, raw in enumerate(raw_lanes, 1):
        where = f"Lane {i}"
        item = reader.obj(raw, where, {"ref", "role", "name"}, set())
        if item is None:
            continue
        ref = reader.ref(item["ref"], f"{where}'s ref", seen)
        role = reader.choice(item["role"], f"{where}'s role", Lane.Role)
        name = reader.text(
            item["name"], f"{where}'s name", _max_length(Lane, "name"), blank=False, one_line=True
        )
        if None not in (ref, role, name):
            lane_index[ref] = len(lanes)
            lanes.append({"role": role, "name": name})

    cards: list[ParsedCard] = []
    card_refs: dict[str, ParsedCard] = {}
    seen = set()
    card_fields = {"ref", "phase", "lane", *CARD_FIELDS}
    for i, raw in enumerate(reader.items(document, "cards"), 1):
        where = f"Card {i}"
        item = reader.obj(raw, where, card_fields, {"position"})
        if item is None:
            continue
        ref = reader.ref(item["ref"], f"{where}'s ref", seen)
        phase = item["phase"] if isinstance(item["phase"], str) else None
        lane = item["lane"] if isinstance(item["lane"], str) else None
        if phase not in phase_index:
            reader.problem(f"{where} is in a phase that is not in the file.")
        if lane not in lane_index:
            reader.problem(f"{where} is in a lane that is not in the file.")
        position = reader.integer(item.get("position", 0), f"{where}'s position", 0, 100_000)
        card_title = reader.text(
            item["title"],
            f"{where}'s title",
            _max_length(Card, "title"),
            blank=False,
            one_line=True,
        )
        details = reader.text(item["details"], f"{where}'s details", 4000)
        kind = reader.choice(item["kind"], f"{where}'s kind", Card.Kind)
        emotion = None
        if item["emotion"] is not None:
            emotion = reader.integer(
                item["emotion"], f"{where}'s emotion", Card.EMOTION_MIN, Card.EMOTION_MAX
            )
            if lane in lane_index and lanes[lane_index[lane]]["role"] != Lane.Role.FAMILY:
                reader.problem(f"{where} has an emotion, but only family-lane cards can have one.")
                emotion = None
        insights = item["insights"]
        if not isinstance(insights, list) or len(insights) > LIMITS["insights per card"]:
            reader.problem(
                f"{where}'s insights should be a list of at most "
                f"{LIMITS['insights per card']} statements."
            )
            insights = None
        else:
            checked = [
                reader.text(s, f"{where}'s insight", _max_length(Insight, "statement"), blank=False)
                for s in insights
            ]
            insights = None if None in checked else sorted(set(checked))
        if None in (ref, position, card_title, details, kind, insights) or (
            phase not in phase_index or lane not in lane_index
        ):
            continue
        card = ParsedCard(
            ref,
            phase_index[phase],
            lane_index[lane],
            position,
            i,
            card_title,
            details,
            kind,
            emotion,
            insights,
        )
        cards.append(card)
        card_refs[ref] = card

    links: list[tuple[str, str]] = []
    for i, raw in enumerate(reader.items(document, "links"), 1):
        where = f"Link {i}"
        item = reader.obj(raw, where, {"from", "to"}, set())
        if item is None:
            continue
        ends = reader.refs([item["from"], item["to"]], where, card_refs, "card")
        if ends is None:
            continue
        if len(ends) == 1:
            reader.problem(f"{where} links a card to itself.")
        elif tuple(ends) in links:
            reader.problem(f"{where} repeats a link already in the file.")
        else:
            links.append((ends[0], ends[1]))

    challenges, challenge_refs, seen = [], {}, set()
    for i, raw in enumerate(reader.items(document, "delivery_challenges"), 1):
        where = f"Delivery challenge {i}"
        item = reader.obj(raw, where, {"ref", *CHALLENGE_FIELDS}, set())
        if item is None:
            continue
        parsed = {
            "ref": reader.ref(item["ref"], f"{where}'s ref", seen),
            "theme": reader.choice(item["theme"], f"{where}'s theme", DeliveryChallenge.Theme),
            "title": reader.text(
                item["title"],
                f"{where}'s title",
                _max_length(DeliveryChallenge, "title"),
                blank=False,
                one_line=True,
            ),
            "questions": reader.text(item["questions"], f"{where}'s questions", 4000),
            "cards": reader.refs(item["cards"], f"{where}'s cards", card_refs, "card"),
        }
        if None not in parsed.values():
            challenge_refs[parsed["ref"]] = parsed
            challenges.append(parsed)

    prototypes = []
    prototype_fields = set(PROTOTYPE_FIELDS)
    for i, raw in enumerate(reader.items(document, "prototypes"), 1):
        where = f"Prototype {i}"
        item = reader.obj(raw, where, prototype_fields, set())
        if item is None:
            continue
        parsed = {
            "title": reader.text(
                item["title"],
                f"{where}'s title",
                _max_length(Prototype, "title"),
                blank=False,
                one_line=True,
            ),
            "hypothesis": reader.text(item["hypothesis"], f"{where}'s hypothesis", 4000),
            "method": reader.text(item["method"], f"{where}'s method", 4000),
            "learning": reader.text(item["learning"], f"{where}'s learning", 4000),
            "cost": reader.money(item["cost"], f"{where}'s cost"),
            "risk": reader.choice(item["risk"], f"{where}'s risk", Prototype.Risk),
            "status": reader.choice(item["status"], f"{where}'s status", Prototype.Status),
            "decision": reader.choice(item["decision"], f"{where}'s decision", Prototype.Decision),
            "cards": reader.refs(item["cards"], f"{where}'s cards", card_refs, "card"),
            "delivery_challenges": reader.refs(
                item["delivery_challenges"],
                f"{where}'s delivery challenges",
                challenge_refs,
                "delivery challenge",
            ),
        }
        problems_before = len(reader.problems)
        starts_on = reader.day(item["starts_on"], f"{where}'s start date")
        ends_on = reader.day(item["ends_on"], f"{where}'s end date")
        if starts_on and ends_on and ends_on < starts_on:
            reader.problem(f"{where} ends before it starts.")
        if None not in parsed.values() and len(reader.problems) == problems_before:
            prototypes.append({**parsed, "starts_on": starts_on, "ends_on": ends_on})

    if reader.problems:
        return None
    cards.sort(key=lambda c: (c.phase, c.lane, c.position, c.order))
    return ParsedDocument(
        title=blueprint_title,
        summary=summary,
        idea=idea,
        phases=phases,
        lanes=lanes,
        cards=cards,
        links=links,
        challenges=challenges,
        prototypes=prototypes,
        card_refs=card_refs,
    )
