"""How the problems of an imported file are told: one sentence each, naming the place.

A place is named as a person reads the file ("Card 3's title", "The blueprint's summary"),
from the path of keys and list indexes to it: pydantic's `loc` for the schema's checks, the
walk's own path for lone surrogates, which are looked for first and alone. The schema's
validators raise `problem(...)` with the rest of the sentence; pydantic's own errors (a
missing or unknown field, text that is not text or is too long) are worded here, so no
message shows pydantic's wording.
"""

from typing import Any

from pydantic_core import ErrorDetails, PydanticCustomError

from localities.validators import has_lone_surrogate

MAX_PROBLEMS = 15
MORE_PROBLEMS = "There may be more problems; these are the first ones found."


class ImportProblems(Exception):
    """The file cannot be imported; `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def at_most_enough(problems: list[str]) -> list[str]:
    """The first MAX_PROBLEMS problems, then a note if there may be more."""
    if len(problems) < MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], MORE_PROBLEMS]


def problem(rest: str, *, of_item: bool = False) -> PydanticCustomError:
    """A problem whose sentence starts with the place (`rest` follows it); `of_item` names
    the item ("Card 3 is in a phase ...") rather than the field the check is on."""
    return PydanticCustomError("blueprint_file", "{rest}", {"rest": rest, "of_item": of_item})


def sentence(text: str) -> PydanticCustomError:
    """A problem with the whole file, said in a sentence of its own."""
    return PydanticCustomError("blueprint_file_sentence", "{text}", {"text": text})


# How problems name the parts of the file: "Card 3's title", "The blueprint's summary".
PART_NAMES = {
    "phases": "Phase",
    "lanes": "Lane",
    "cards": "Card",
    "links": "Link",
    "delivery_challenges": "Delivery challenge",
    "prototypes": "Prototype",
}
# The file's community resources, under "resources": "Space 2's openings (item 1)".
RESOURCE_NAMES = {"spaces": "Space", "partners": "Partner", "volunteer_roles": "Volunteer role"}
FIELD_NAMES = {"starts_on": "start date", "ends_on": "end date", "status_on": "date of status"}


def location(path: tuple) -> str:
    """Where in the file `path` (keys and list indexes from the top) points, in words."""
    if len(path) >= 2 and path[0] in PART_NAMES and isinstance(path[1], int):
        where, rest = f"{PART_NAMES[path[0]]} {path[1] + 1}", path[2:]
    elif (
        len(path) >= 3
        and path[0] == "resources"
        and path[1] in RESOURCE_NAMES
        and isinstance(path[2], int)
    ):
        where, rest = f"{RESOURCE_NAMES[path[1]]} {path[2] + 1}", path[3:]
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


def located(path: tuple) -> str:
    """The place a problem of the document's shape is at: a top-level part, as a whole, by
    its name in the file (“phases” should be a list), anything else as `location` says."""
    return f"“{path[0]}”" if len(path) == 1 else location(path)


def told(errors: list[ErrorDetails]) -> list[str]:
    """Pydantic's errors, in its order, as sentences in the site's words.

    An object with missing or unknown fields is told so, in one sentence for each, and
    nothing else about it: what it holds may mean something else than this site thinks.
    """
    missing: dict[tuple, list[str]] = {}
    unknown: dict[tuple, list[str]] = {}
    for error in errors:
        if error["type"] in ("missing", "extra_forbidden"):
            names = missing if error["type"] == "missing" else unknown
            names.setdefault(error["loc"][:-1], []).append(str(error["loc"][-1]))
    broken = missing.keys() | unknown.keys()
    done, problems = set(), []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] in ("missing", "extra_forbidden"):
            owner = loc[:-1]
            if owner in done or any(owner[: len(b)] == b for b in broken if b != owner):
                continue
            done.add(owner)
            where = located(owner)
            if owner in missing:
                problems.append(f"{where} is missing {', '.join(sorted(missing[owner]))}.")
            if owner in unknown:
                shown = ", ".join(name[:40] for name in sorted(unknown[owner])[:5])
                problems.append(f"{where} has fields this site does not know: {shown}.")
        elif not any(loc[: len(b)] == b for b in broken):
            problems.append(_sentence_for(error, loc))
    return problems


def _sentence_for(error: ErrorDetails, loc: tuple) -> str:
    kind, context = error["type"], error.get("ctx", {})
    if kind == "blueprint_file_sentence":
        return context["text"]
    if kind == "blueprint_file":
        return f"{located(loc[:-1] if context['of_item'] else loc)} {context['rest']}"
    where = located(loc)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{where} should be an object."
    if kind == "string_type":
        return f"{where} should be text."
    if kind == "string_too_long":
        length, limit = len(error["input"]), context["max_length"]
        return f"{where} is {length:,} characters long; at most {limit:,}."
    return f"{where} is not what this site reads ({error['msg']})."


def lone_surrogates(document: Any) -> list[str]:
    """A problem for every string, value or field name, holding a lone surrogate (up to
    MAX_PROBLEMS of them), found before anything else is read: it cannot be saved, nor
    shown in a message.

    JSON may write one as an escape (\\ud800), and Python reads it in, but it is not text:
    it cannot be saved to PostgreSQL or encoded into a page. The walk is a loop, not a
    recursion, since a file may nest as deep as the JSON reader allows.
    """
    problems: list[str] = []
    stack: list[tuple[tuple, Any]] = [((), document)]
    while stack and len(problems) < MAX_PROBLEMS:
        path, value = stack.pop()
        if isinstance(value, str):
            if has_lone_surrogate(value):
                problems.append(
                    f"{location(path)} contains a character that is not valid text "
                    "(a lone surrogate); correct it in the file and import it again."
                )
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                if has_lone_surrogate(key):
                    problems.append(
                        f"{location(path)} has a field name containing a character that is "
                        "not valid text (a lone surrogate)."
                    )
                else:
                    children.append(((*path, key), item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([((*path, i), item) for i, item in enumerate(value)]))
    return problems[:MAX_PROBLEMS]
