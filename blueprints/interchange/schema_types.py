"""The field types of the interchange schema: text, choices, numbers, amounts, dates,
lists and references, each with its limits read from the Django models (or, for what the
models leave open, from LIMITS), each refusing a value with the site's own sentence.

`Annotated` carries both halves: the constraint pydantic checks and writes into the JSON
Schema (`Field(max_length=...)`), and the validators that word the refusal.
"""

import math
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    WrapValidator,
)

from blueprints.interchange.problems import problem, sentence
from blueprints.models import Card, Prototype
from localities.validators import has_control_character

# What one file may hold: room for any real blueprint; a list past its limit is refused
# whole, before its items are read.
LIMITS = {
    "phases": 40,
    "lanes": 20,
    "cards": 2000,
    "links": 5000,
    "delivery_challenges": 300,
    "prototypes": 300,
    "insights per card": 50,
    "cards per challenge or prototype": 500,
    "questions per challenge": 100,
    "measures per prototype": 50,
    # A locality's community resources that the blueprint names (issue 15).
    "spaces": 300,
    "partners": 300,
    "volunteer_roles": 300,
    "openings per space": 50,
    "contributions per partner": 200,
    "months per volunteer role": 240,
}
REF_MAX_LENGTH = 40
MAX_POSITION = 100_000


def max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _refuse_nul_and_breaks(one_line: bool):
    def check(value: Any) -> Any:
        if isinstance(value, str):  # anything else is refused next, as not text
            if "\x00" in value:
                raise problem("contains a NUL character.")
            if one_line and has_control_character(value):
                raise problem(
                    "contains a line break or other control character; it should be one line."
                )
        return value

    return check


def _not_empty(value: str) -> str:
    if not value.strip():
        raise problem("is empty.")
    return value


def text(max_length: int, *, blank: bool = True, one_line: bool = False) -> Any:
    """Text of at most `max_length`. Titles and names (`one_line`) holding a line break or
    another control character are refused, not rewritten, as the forms and the models refuse
    them: a file imports as it is, or not at all, so a re-export gives back the same file."""
    checks: list[Any] = [
        Field(max_length=max_length),
        BeforeValidator(_refuse_nul_and_breaks(one_line)),
    ]
    if not blank:
        checks += [AfterValidator(_not_empty), WithJsonSchema(_nonblank_schema(max_length))]
    return Annotated[(str, *checks)]


def _nonblank_schema(max_length: int) -> dict:
    return {"type": "string", "maxLength": max_length, "pattern": r"\S"}


def _friendly(rest: str):
    """A wrap validator that tells any refusal of the value inside as `rest`."""

    def wrap(value: Any, handler) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise problem(rest) from None

    return WrapValidator(wrap)


def choice(choices) -> Any:
    allowed = ", ".join(choices.values)
    return Annotated[Literal[tuple(choices.values)], _friendly(f"should be one of {allowed}.")]


def _whole_number(low: int, high: int) -> Any:
    # Strict: true/false and 1.0 are not whole numbers in the file.
    return Annotated[int, Field(ge=low, le=high)]


def _whole_number_message(low: int, high: int) -> str:
    return f"should be a whole number from {low} to {high}."


POSITION = Annotated[
    _whole_number(0, MAX_POSITION), _friendly(_whole_number_message(0, MAX_POSITION))
]
EMOTION = Annotated[
    _whole_number(Card.EMOTION_MIN, Card.EMOTION_MAX) | None,
    _friendly(_whole_number_message(Card.EMOTION_MIN, Card.EMOTION_MAX)),
]
REF = text(REF_MAX_LENGTH, blank=False)


def _list(limit: int, *, at_least_one: str = ""):
    """The list's shape, checked before its items are: an over-long list is refused whole."""

    def check(value: Any) -> Any:
        if not isinstance(value, list):
            raise problem("should be a list.")
        if len(value) > limit:
            raise problem(f"has {len(value):,} entries; at most {limit:,} can be imported.")
        if not value and at_least_one:
            raise sentence(f"The file has no {at_least_one}; a blueprint needs at least one.")
        return value

    return BeforeValidator(check)


def items(model: type, part: str, *, at_least_one: bool = False) -> Any:
    limit = LIMITS[part]
    return Annotated[
        list[model],
        Field(max_length=limit, min_length=1 if at_least_one else 0),
        _list(limit, at_least_one=part if at_least_one else ""),
    ]


def known_refs(noun: str, known: str):
    """A list of references to parts read before (`known` names them in `_Refs`), each
    kept once, in the file's order."""
    limit = LIMITS["cards per challenge or prototype"]

    def check(value: Any, info: ValidationInfo) -> list[str]:
        if not isinstance(value, list):
            raise problem(f"should be a list of {noun} references.")
        if len(value) > limit:
            raise problem(f"lists too many {noun}s.")
        refs = getattr(info.context, known)
        for item in value:
            if not isinstance(item, str) or item not in refs:
                raise problem(f"refers to a {noun} that is not in the file: {str(item)[:40]}.")
        return list(dict.fromkeys(value))

    return Annotated[list[REF], Field(max_length=limit), BeforeValidator(check)]


def statements(value: Any) -> Any:
    limit = LIMITS["insights per card"]
    if not isinstance(value, list) or len(value) > limit:
        raise problem(f"should be a list of at most {limit} statements.")
    return value


def _decimal_checker(model_field, *, signed: bool, nullable: bool):
    """A check of an amount that `model_field` (a DecimalField) can hold, quantized to its
    places: text such as "120.00" or a number; negative only when `signed`."""
    step = Decimal(1).scaleb(-model_field.decimal_places)
    ceiling = Decimal(10) ** (model_field.max_digits - model_field.decimal_places)

    def check(value: Any) -> Decimal | None:
        if value is None and nullable:
            return None
        example = "120.00" if model_field.decimal_places == 2 else "12.5"
        bad = problem(f'should be an amount such as "{example}"{", or null" if nullable else ""}.')
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise bad
        if isinstance(value, float) and not math.isfinite(value):
            raise bad
        if len(str(value)) > 20:
            raise bad
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise bad from None
        too_low = amount <= -ceiling if signed else amount < 0
        if not amount.is_finite() or too_low or amount >= ceiling:
            low = f"{step - ceiling:,}" if signed else "0"
            raise problem(f"should be from {low} to {ceiling - step:,}.")
        return amount.quantize(step)

    return check, step, ceiling


def decimal(model, name: str, *, signed: bool = False, nullable: bool = False) -> Any:
    """An amount for the model's DecimalField `name`, with its digits and places."""
    model_field = model._meta.get_field(name)
    check, _, ceiling = _decimal_checker(model_field, signed=signed, nullable=nullable)
    whole = model_field.max_digits - model_field.decimal_places
    schema: dict[str, Any] = {
        "type": ["string", "number"],
        "pattern": rf"^{'-?' if signed else ''}[0-9]{{1,{whole}}}"
        rf"(\.[0-9]{{1,{model_field.decimal_places}}})?$",
        "exclusiveMaximum": int(ceiling),
        "description": f"{model_field.verbose_name.capitalize()}, written as text such as "
        f'"{"120.00" if model_field.decimal_places == 2 else "12.5"}".',
    }
    if signed:
        schema["exclusiveMinimum"] = -int(ceiling)
    else:
        schema["minimum"] = 0
    if nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return Annotated[
        Decimal | None if nullable else Decimal, PlainValidator(check), WithJsonSchema(schema)
    ]


_cost_field = Prototype._meta.get_field("cost")
_amount, _COST_STEP, _COST_CEILING = _decimal_checker(_cost_field, signed=False, nullable=False)
AMOUNT = Annotated[
    Decimal,
    PlainValidator(_amount),
    WithJsonSchema(
        {
            "type": ["string", "number"],
            "pattern": rf"^[0-9]{{1,{_cost_field.max_digits - _cost_field.decimal_places}}}"
            rf"(\.[0-9]{{1,{_cost_field.decimal_places}}})?$",
            "minimum": 0,
            "exclusiveMaximum": int(_COST_CEILING),
            "description": 'An amount in pounds, written as text such as "120.00".',
        }
    ),
]

# A count of families, or null when not recorded. Strict: true/false and 1.0 are not counts.
COUNT = Annotated[
    _whole_number(0, 2_147_483_647) | None,
    _friendly("should be a whole number, 0 or more, or null."),
]


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise problem("should be a date like 2025-03-31, or null.")


DAY = Annotated[
    date | None,
    PlainValidator(_day),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}),
]


# A whole count that is always recorded (a volunteer pipeline's figures).
TALLY = Annotated[
    _whole_number(0, 2_147_483_647),
    _friendly("should be a whole number, 0 or more."),
]
WEEKDAY = Annotated[
    _whole_number(0, 6), _friendly("should be a day from 0 (Monday) to 6 (Sunday).")
]


def _time(value: Any) -> time:
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise problem("should be a time of day like 09:30.")


CLOCK = Annotated[
    time,
    PlainValidator(_time),
    WithJsonSchema({"type": "string", "pattern": r"^[0-2][0-9]:[0-5][0-9]$"}),
]


def resource_ref(noun: str, known: str) -> Any:
    """A reference to one of the file's resources (`known` names them in `_Refs`), or null
    when the card names none."""

    def check(value: Any, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in getattr(info.context, known):
            raise problem(f"names a {noun} that is not in the file's resources: {str(value)[:40]}.")
        return value

    return Annotated[
        str | None,
        BeforeValidator(check),
        WithJsonSchema(
            {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "description": f"The ref of a {noun} in the file's resources, or null.",
            }
        ),
    ]


def described(schema: dict) -> Any:
    """A value the import does not read (or reads itself), described for other tools."""
    return Annotated[Any, WithJsonSchema(schema)]
