"""The blueprint interchange format, declared once as pydantic models.

The same models check a file on import (`parse_document`) and describe the format to other
tools (`json_schema`, served at /schema/blueprint-v1.json). Lengths and choices are read from
the Django models, so the file cannot drift from what the database accepts.

Problems are told in the site's words, not pydantic's ("Card 3's title is 130 characters
long; at most 120."): see `problems`. The field types, with their limits, are in
`schema_types`. Pydantic validates fields in the order they are declared, and lists in
their order, so references are checked through the validation context (`_Refs`): phases and
lanes are known by the time cards are read, cards by the time links, delivery challenges
and prototypes are. A part that fails its own checks is left out of `_Refs`, so what refers
to it says so, as the hand-written reader did before.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from blueprints.interchange.problems import (
    ImportProblems,
    at_most_enough,
    lone_surrogates,
    problem,
    sentence,
    told,
)
from blueprints.interchange.schema_types import (
    AMOUNT,
    CLOCK,
    COUNT,
    DAY,
    EMOTION,
    LIMITS,
    POSITION,
    REF,
    TALLY,
    WEEKDAY,
    choice,
    decimal,
    described,
    items,
    known_refs,
    max_length,
    resource_ref,
    statements,
    text,
)
from blueprints.models import (
    Blueprint,
    Card,
    DeliveryChallenge,
    DeliveryQuestion,
    Lane,
    Phase,
    Prototype,
    PrototypeMeasure,
)
from consultations.models import Idea
from localities.models import (
    Contribution,
    Insight,
    Partner,
    Space,
    VolunteerRole,
)
from localities.models.resources import StepFree

SCHEMA = "blueprint-studio/blueprint"
SCHEMA_VERSION = 1
# The kinds of community resource a file carries, as the keys of its "resources".
RESOURCE_PARTS = ("spaces", "partners", "volunteer_roles")


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
    # The community resources it names, by their refs in `ParsedDocument.resources`.
    space: str | None = None
    partner: str | None = None
    volunteer_role: str | None = None
    volunteer_hours: Decimal | None = None


def _no_resources() -> dict[str, list[dict]]:
    return {part: [] for part in RESOURCE_PARTS}


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
    # The locality's spaces, partners and volunteer roles that cards and prototypes name,
    # each a dict with its "ref" (`RESOURCE_PARTS`).
    resources: dict[str, list[dict]] = field(default_factory=_no_resources)


@dataclass
class _Refs:
    """The validation context: the references read so far, for those that follow."""

    used: dict[str, set[str]] = field(default_factory=dict)  # every ref, by part
    phases: dict[str, int] = field(default_factory=dict)  # ref -> index among the phases
    lanes: dict[str, tuple[int, str]] = field(default_factory=dict)  # ref -> (index, role)
    cards: set[str] = field(default_factory=set)
    links: set[tuple[str, str]] = field(default_factory=set)
    challenges: set[str] = field(default_factory=set)
    questions: set[str] = field(default_factory=set)
    spaces: set[str] = field(default_factory=set)
    partners: set[str] = field(default_factory=set)
    volunteer_roles: set[str] = field(default_factory=set)
    # each resource's name, case folded -> its number in the file, by part
    resource_names: dict[str, dict[str, int]] = field(default_factory=dict)


# The document ----------------------------------------------------------------------------


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Referenced(_Part):
    """A part that others refer to by its `ref`, unique among its kind."""

    part: ClassVar[str]
    ref: REF

    @field_validator("ref")
    @classmethod
    def _used_once(cls, ref: str, info: ValidationInfo) -> str:
        used = info.context.used.setdefault(cls.part, set())
        if ref in used:
            raise problem(f"“{ref}” is used twice.")
        used.add(ref)
        return ref


class BlueprintHead(_Part):
    """The blueprint's title and summary, and the title of the idea it is for."""

    title: text(max_length(Blueprint, "title"), blank=False, one_line=True)
    summary: text(max_length(Blueprint, "summary"))
    idea: text(max_length(Idea, "title")) | None


class PhaseItem(_Referenced):
    """A column of the grid, in order."""

    part = "phases"
    name: text(max_length(Phase, "name"), blank=False, one_line=True)
    description: text(max_length(Phase, "description"))

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo) -> Self:
        info.context.phases[self.ref] = len(info.context.phases)
        return self


class LaneItem(_Referenced):
    """A row of the grid, in order; its role gives it meaning."""

    part = "lanes"
    role: choice(Lane.Role)
    name: text(max_length(Lane, "name"), blank=False, one_line=True)

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo) -> Self:
        info.context.lanes[self.ref] = (len(info.context.lanes), self.role)
        return self


# Community resources (issue 15) ----------------------------------------------------------


class _Resource(_Referenced):
    """A space, partner or volunteer role of the locality the blueprint belongs to. On
    import each is matched by its name (case-insensitive) among the importing locality's
    own, or created; so a file names each once."""

    name_field: ClassVar[str] = "name"
    noun: ClassVar[str]

    @model_validator(mode="after")
    def _named_once(self, info: ValidationInfo) -> Self:
        names = info.context.resource_names.setdefault(self.part, {})
        name = getattr(self, self.name_field).strip().casefold()
        if name in names:
            raise problem(
                f"has the same name as {self.noun} {names[name]}; a locality has one "
                f"{self.noun} of each name."
            )
        names[name] = len(names) + 1
        getattr(info.context, self.part).add(self.ref)
        return self


class OpeningItem(_Part):
    """A stretch of a day the space is open to the service (0 is Monday, 6 Sunday)."""

    day: WEEKDAY
    opens: CLOCK
    closes: CLOCK
    out_of_hours: bool = Field(
        default=False, description="Outside the space's usual staffed hours."
    )

    @model_validator(mode="after")
    def _closes_after_opening(self) -> Self:
        if self.closes <= self.opens:
            raise problem(
                f"closes at {self.closes:%H:%M}, not after it opens at {self.opens:%H:%M}; "
                "a stretch past midnight is two openings, one each day."
            )
        return self


class SpaceItem(_Resource):
    """A place where a step of the service happens, with its opening hours."""

    part = "spaces"
    noun = "space"
    name: text(max_length(Space, "name"), blank=False, one_line=True)
    kind: choice(Space.Kind)
    area: text(max_length(Space, "area"), one_line=True) = ""
    step_free: choice(StepFree) = StepFree.UNKNOWN.value
    access_notes: text(max_length(Space, "access_notes")) = ""
    hire_cost_per_hour: decimal(Space, "hire_cost_per_hour", nullable=True) = None
    income_per_hour: decimal(Space, "income_per_hour", nullable=True) = None
    managed_by: text(max_length(Space, "managed_by"), one_line=True) = ""
    out_of_hours_staffed_by: text(max_length(Space, "out_of_hours_staffed_by"), one_line=True) = ""
    openings: items(OpeningItem, "openings per space") = []


class ContributionItem(_Part):
    """What a partner gives or is asked for, where it stands and since when."""

    kind: choice(Contribution.Kind)
    description: text(max_length(Contribution, "description"), one_line=True) = ""
    value: decimal(Contribution, "value", nullable=True) = None
    quantity: decimal(Contribution, "quantity", nullable=True) = None
    status: choice(Contribution.Status)
    status_on: DAY

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.status_on is None:
            raise problem("has no date of its status.")
        if self.kind == Contribution.Kind.MONEY and self.value is None:
            raise problem("is money, so it needs its value in pounds.")
        return self


class PartnerItem(_Resource):
    """An organisation that works with the site, and what it gives."""

    part = "partners"
    noun = "partner"
    name_field = "organisation"
    organisation: text(max_length(Partner, "organisation"), blank=False, one_line=True)
    kind: choice(Partner.Kind)
    contact_role: text(max_length(Partner, "contact_role"), one_line=True) = ""
    notes: text(max_length(Partner, "notes")) = ""
    contributions: items(ContributionItem, "contributions per partner") = []


class VolunteerMonthItem(_Part):
    """A volunteer role's pipeline in one month, as counts of people (never people)."""

    month: DAY
    interested: TALLY = 0
    checked: TALLY = 0
    trained: TALLY = 0
    active: TALLY = 0
    left_work_or_study: TALLY = 0
    left_moved: TALLY = 0
    left_time: TALLY = 0
    left_role: TALLY = 0
    left_other: TALLY = 0
    former_users: TALLY = 0

    @model_validator(mode="after")
    def _a_month(self) -> Self:
        if self.month is None or self.month.day != 1:
            raise problem("should be on the first day of its month, like 2025-03-01.")
        if self.former_users > self.active:
            raise problem(
                f"has {self.former_users} once users of the service among {self.active} active."
            )
        return self


def _month_before(month: date) -> date:
    previous = month - timedelta(days=1)
    return previous.replace(day=1)


def _pipeline_holds(months: list[VolunteerMonthItem]) -> list[VolunteerMonthItem]:
    """No month twice, and no month with more active than trained in it plus active the
    month before (as `VolunteerMonth.check_active` refuses it on the site)."""
    active = {}
    for month in months:
        if month.month in active:
            raise problem(f"has {month.month:%B %Y} twice.")
        active[month.month] = month.active
    for month in sorted(months, key=lambda m: m.month):
        before = _month_before(month.month)
        carried = active.get(before, 0)
        if month.active > month.trained + carried:
            raise problem(
                f"has {month.active} active in {month.month:%B %Y}, but at most "
                f"{month.trained + carried} can be: {month.trained} trained that month and "
                f"{carried} active in {before:%B %Y}."
            )
    return months


class VolunteerRoleItem(_Resource):
    """A kind of volunteering the site offers or needs, and its pipeline by month."""

    part = "volunteer_roles"
    noun = "volunteer role"
    name: text(max_length(VolunteerRole, "name"), blank=False, one_line=True)
    tasks: text(max_length(VolunteerRole, "tasks")) = ""
    hours_needed: decimal(VolunteerRole, "hours_needed", nullable=True) = None
    training: text(max_length(VolunteerRole, "training")) = ""
    supervision: text(max_length(VolunteerRole, "supervision")) = ""
    months: Annotated[
        items(VolunteerMonthItem, "months per volunteer role"), AfterValidator(_pipeline_holds)
    ] = []


class ResourcesItem(_Part):
    """The community resources of the blueprint's locality that its cards and prototypes
    name, with their details; cards and prototypes name them by `ref`."""

    spaces: items(SpaceItem, "spaces") = []
    partners: items(PartnerItem, "partners") = []
    volunteer_roles: items(VolunteerRoleItem, "volunteer_roles") = []


class CardItem(_Referenced):
    """A card in the cell of a phase and a lane, with the statements of the insights behind
    it (matched by their text in the locality it is imported into)."""

    part = "cards"
    phase: described({"type": "string", "description": "The ref of a phase in this file."})
    lane: described({"type": "string", "description": "The ref of a lane in this file."})
    position: POSITION = 0
    title: text(max_length(Card, "title"), blank=False, one_line=True)
    details: text(max_length(Card, "details"))
    kind: choice(Card.Kind)
    emotion: EMOTION = Field(description="Family-lane cards only; null for the others.")
    insights: Annotated[
        list[text(max_length(Insight, "statement"), blank=False)],
        Field(max_length=LIMITS["insights per card"]),
        BeforeValidator(statements),
        AfterValidator(lambda statements: sorted(set(statements))),
    ]
    # The community resources it names, by their refs in the file's resources: absent from
    # files before issue 15, which still import.
    space: resource_ref("space", "spaces") = None
    partner: resource_ref("partner", "partners") = None
    volunteer_role: resource_ref("volunteer role", "volunteer_roles") = None
    volunteer_hours: decimal(Card, "volunteer_hours", nullable=True) = Field(
        default=None, description="Volunteer hours a week the step takes; needs a volunteer role."
    )

    @field_validator("volunteer_hours")
    @classmethod
    def _hours_of_a_role(cls, hours: Decimal | None, info: ValidationInfo) -> Decimal | None:
        if hours is not None and not info.data.get("volunteer_role"):
            raise problem("has volunteer hours but no volunteer role to give them.", of_item=True)
        return hours

    @field_validator("phase")
    @classmethod
    def _phase_in_file(cls, ref: Any, info: ValidationInfo) -> str:
        if not isinstance(ref, str) or ref not in info.context.phases:
            raise problem("is in a phase that is not in the file.", of_item=True)
        return ref

    @field_validator("lane")
    @classmethod
    def _lane_in_file(cls, ref: Any, info: ValidationInfo) -> str:
        if not isinstance(ref, str) or ref not in info.context.lanes:
            raise problem("is in a lane that is not in the file.", of_item=True)
        return ref

    @field_validator("emotion")
    @classmethod
    def _family_lane_only(cls, emotion: int | None, info: ValidationInfo) -> int | None:
        lane = info.data.get("lane")  # absent when the lane was refused
        if emotion is not None and lane and info.context.lanes[lane][1] != Lane.Role.FAMILY:
            raise problem("has an emotion, but only family-lane cards can have one.", of_item=True)
        return emotion

    @model_validator(mode="wrap")
    @classmethod
    def _known(cls, data: Any, handler, info: ValidationInfo) -> Self:
        """A card is known to what refers to it once it is read, or when its emotion is all
        that is wrong with it: the links, delivery challenges and prototypes that name it
        are not wrong to, and saying they were would bury the one problem in noise."""
        try:
            card = handler(data)
        except ValidationError as error:
            if all(
                problem["loc"][:1] == ("emotion",) and problem["type"] != "missing"
                for problem in error.errors()
            ):
                info.context.cards.add(data["ref"])
            raise
        info.context.cards.add(card.ref)
        return card


class LinkItem(_Part):
    """The card `from` serves the card `to` (a frontline step serves a family step)."""

    from_: described({"type": "string", "description": "The ref of a card."}) = Field(alias="from")
    to: described({"type": "string", "description": "The ref of a card."})

    @model_validator(mode="after")
    def _between_two_cards(self, info: ValidationInfo) -> Self:
        for end in (self.from_, self.to):
            if not isinstance(end, str) or end not in info.context.cards:
                raise problem(f"refers to a card that is not in the file: {str(end)[:40]}.")
        if self.from_ == self.to:
            raise problem("links a card to itself.")
        if (self.from_, self.to) in info.context.links:
            raise problem("repeats a link already in the file.")
        info.context.links.add((self.from_, self.to))
        return self


class QuestionItem(_Part):
    """A question the delivery challenge holds, as a piece of work: where it stands, who
    owns it (a username, matched among the members of the locality it is imported into),
    and once answered, the answer and its date; its evidence, by the insights' statements
    and the ideas' titles (matched by their text, as a card's insights are)."""

    ref: REF | None = Field(
        default=None, description="How prototypes name it; absent in the older form."
    )
    text: text(max_length(DeliveryQuestion, "text"), blank=False, one_line=True)
    status: choice(DeliveryQuestion.Status) = DeliveryQuestion.Status.OPEN.value
    owner: text(150, one_line=True) | None = None
    answer: text(max_length(DeliveryQuestion, "answer")) = ""
    answered_on: DAY = None
    insights: Annotated[
        list[text(max_length(Insight, "statement"), blank=False)],
        Field(max_length=LIMITS["insights per card"]),
        BeforeValidator(statements),
        AfterValidator(lambda statements: sorted(set(statements))),
    ] = []
    ideas: Annotated[
        list[text(max_length(Idea, "title"), blank=False)],
        Field(max_length=LIMITS["insights per card"]),
        BeforeValidator(statements),
        AfterValidator(lambda titles: sorted(set(titles))),
    ] = []

    @field_validator("ref")
    @classmethod
    def _used_once(cls, ref: str | None, info: ValidationInfo) -> str | None:
        if ref is not None:
            used = info.context.used.setdefault("questions", set())
            if ref in used:
                raise problem(f"“{ref}” is used twice.")
            used.add(ref)
        return ref

    @model_validator(mode="after")
    def _answered_has_answer(self, info: ValidationInfo) -> Self:
        if self.status == DeliveryQuestion.Status.ANSWERED and (
            not self.answer.strip() or self.answered_on is None
        ):
            raise problem("is answered, so it needs its answer and the date answered.")
        if self.ref is not None:
            info.context.questions.add(self.ref)
        return self


# Files before issue 12 hold a challenge's questions as text, one a line; they still import.
QUESTIONS_MAX_LENGTH = 4000


def _questions(value: Any) -> Any:
    """The older form (text, one question a line) as the list of questions it means."""
    limit = LIMITS["questions per challenge"]
    if isinstance(value, str):
        if "\x00" in value:
            raise problem("contains a NUL character.")
        if len(value) > QUESTIONS_MAX_LENGTH:
            raise problem(f"is {len(value):,} characters long; at most {QUESTIONS_MAX_LENGTH:,}.")
        # As migration 0010 moved them: a line each, its spacing (tabs too, which the older
        # text allowed) made plain, so the question is one line as the model wants.
        value = [{"text": " ".join(line.split())} for line in value.splitlines() if line.strip()]
    if not isinstance(value, list):
        raise problem("should be a list of questions.")
    if len(value) > limit:
        raise problem(f"has {len(value):,} questions; at most {limit:,} can be imported.")
    return value


def _questions_schema(schema: dict[str, Any]) -> None:
    older = {
        "type": "string",
        "maxLength": QUESTIONS_MAX_LENGTH,
        "description": "The older form, still read: the questions' texts, one a line.",
    }
    schema["anyOf"] = [{key: schema.pop(key) for key in list(schema)}, older]


class DeliveryChallengeItem(_Referenced):
    """A challenge the team expects in delivering the service, its questions and the cards
    it touches."""

    part = "delivery_challenges"
    theme: choice(DeliveryChallenge.Theme)
    title: text(max_length(DeliveryChallenge, "title"), blank=False, one_line=True)
    questions: Annotated[
        list[QuestionItem],
        Field(max_length=LIMITS["questions per challenge"], json_schema_extra=_questions_schema),
        BeforeValidator(_questions),
    ]
    cards: known_refs("card", "cards")

    @model_validator(mode="after")
    def _known(self, info: ValidationInfo) -> Self:
        info.context.challenges.add(self.ref)
        return self


class MeasureItem(_Part):
    """One thing a prototype measured: its baseline and target, and what it came to."""

    name: text(max_length(PrototypeMeasure, "name"), blank=False, one_line=True)
    unit: text(max_length(PrototypeMeasure, "unit"), one_line=True) = ""
    baseline: decimal(PrototypeMeasure, "baseline", signed=True, nullable=True) = None
    target: decimal(PrototypeMeasure, "target", signed=True, nullable=True) = None
    actual: decimal(PrototypeMeasure, "actual", signed=True, nullable=True) = None


class PrototypeItem(_Part):
    """A quick test of a section of the blueprint, and what it taught."""

    title: text(max_length(Prototype, "title"), blank=False, one_line=True)
    hypothesis: text(max_length(Prototype, "hypothesis"))
    method: text(max_length(Prototype, "method"))
    cost: AMOUNT
    risk: choice(Prototype.Risk)
    starts_on: DAY
    ends_on: DAY
    status: choice(Prototype.Status)
    learning: text(max_length(Prototype, "learning"))
    decision: choice(Prototype.Decision)
    cards: known_refs("card", "cards")
    delivery_challenges: known_refs("delivery challenge", "challenges")
    # What it tested and found: absent from files before issue 12, which still import.
    questions: known_refs("question", "questions") = []
    # The community resources it uses: absent from files before issue 15.
    spaces: known_refs("space", "spaces") = []
    partners: known_refs("partner", "partners") = []
    volunteer_roles: known_refs("volunteer role", "volunteer_roles") = []
    families_reached: COUNT = None
    hardest_to_reach: COUNT = None
    staff_hours: decimal(Prototype, "staff_hours", nullable=True) = None
    volunteer_hours: decimal(Prototype, "volunteer_hours", nullable=True) = None
    cash_cost: decimal(Prototype, "cash_cost", nullable=True) = None
    in_kind_description: text(max_length(Prototype, "in_kind_description")) = ""
    in_kind_value: decimal(Prototype, "in_kind_value", nullable=True) = None
    income: decimal(Prototype, "income", nullable=True) = None
    measures: items(MeasureItem, "measures per prototype") = []

    @field_validator("ends_on")
    @classmethod
    def _not_before_start(cls, ends_on: date | None, info: ValidationInfo) -> date | None:
        starts_on = info.data.get("starts_on")
        if starts_on and ends_on and ends_on < starts_on:
            raise problem("ends before it starts.", of_item=True)
        return ends_on

    @field_validator("hardest_to_reach")
    @classmethod
    def _within_reach(cls, hardest: int | None, info: ValidationInfo) -> int | None:
        reached = info.data.get("families_reached")
        if hardest is not None and hardest > (reached or 0):
            raise problem("is more than the families reached.")
        return hardest


class BlueprintDocument(_Part):
    """A service blueprint exported from Blueprint studio: its grid of phases (columns) and
    lanes (rows), the cards in each cell and the links between them, its delivery challenges
    and its prototypes. Parts refer to each other by `ref` ("phase-1", "card-12"), never by
    a site's database ids, so a file can move between sites."""

    model_config = ConfigDict(title="Blueprint studio: a service blueprint, version 1")

    schema_: Literal[SCHEMA] = Field(alias="schema")
    schema_version: Literal[SCHEMA_VERSION]
    exported_at: described({"type": "string", "format": "date-time"}) = None
    source: described(
        {
            "type": "object",
            "description": "Where the file was exported from; not read on import.",
            "properties": {
                "locality": {"type": "string"},
                "blueprint": {"type": "integer"},
                "version": {"type": "integer"},
            },
        }
    ) = None
    blueprint: BlueprintHead
    # Read before the cards and prototypes that name them.
    resources: ResourcesItem = Field(default_factory=ResourcesItem)
    phases: items(PhaseItem, "phases", at_least_one=True)
    lanes: items(LaneItem, "lanes", at_least_one=True)
    cards: items(CardItem, "cards")
    links: items(LinkItem, "links")
    delivery_challenges: items(DeliveryChallengeItem, "delivery_challenges")
    prototypes: items(PrototypeItem, "prototypes")

    @model_validator(mode="before")
    @classmethod
    def _is_an_export_of_this_site(cls, document: Any) -> Any:
        """Checked first and alone: a file of another kind or version would otherwise be
        told every way it differs."""
        if not isinstance(document, dict):
            raise sentence("The file should hold one JSON object, as an export does.")
        if document.get("schema") != SCHEMA:
            raise sentence(
                "This is not a blueprint export of Blueprint studio (“schema” is wrong)."
            )
        version = document.get("schema_version")
        if version != SCHEMA_VERSION or isinstance(version, bool):
            raise sentence(
                f"The file is in schema version {str(version)[:20]}; this site reads version "
                f"{SCHEMA_VERSION}."
            )
        return document


def parse_document(document: Any) -> ParsedDocument:
    """Check a file's document; raises ImportProblems, saying what is wrong and where (at
    most MAX_PROBLEMS problems, then a note that there may be more)."""
    problems = lone_surrogates(document)
    if not problems:
        refs = _Refs()
        try:
            model = BlueprintDocument.model_validate(document, context=refs)
        except ValidationError as error:
            problems = told(error.errors(include_url=False))
        else:
            return _parsed(model, refs)
    raise ImportProblems(at_most_enough(problems))


def _parsed(model: BlueprintDocument, refs: _Refs) -> ParsedDocument:
    cards = [
        ParsedCard(
            card.ref,
            refs.phases[card.phase],
            refs.lanes[card.lane][0],
            card.position,
            order,
            card.title,
            card.details,
            card.kind,
            card.emotion,
            card.insights,
            card.space,
            card.partner,
            card.volunteer_role,
            card.volunteer_hours,
        )
        for order, card in enumerate(model.cards, 1)
    ]
    card_refs = {card.ref: card for card in cards}
    cards.sort(key=lambda c: (c.phase, c.lane, c.position, c.order))
    return ParsedDocument(
        title=model.blueprint.title,
        summary=model.blueprint.summary,
        idea=model.blueprint.idea,
        phases=[{"name": p.name, "description": p.description} for p in model.phases],
        lanes=[{"role": lane.role, "name": lane.name} for lane in model.lanes],
        cards=cards,
        links=[(link.from_, link.to) for link in model.links],
        challenges=[c.model_dump() for c in model.delivery_challenges],
        prototypes=[p.model_dump() for p in model.prototypes],
        card_refs=card_refs,
        resources={
            part: [r.model_dump() for r in getattr(model.resources, part)]
            for part in RESOURCE_PARTS
        },
    )


# The format, for other tools -------------------------------------------------------------


@cache
def _document_schema() -> dict[str, Any]:
    return BlueprintDocument.model_json_schema()


def json_schema(*, schema_id: str) -> dict[str, Any]:
    """The JSON Schema of an export file, with `schema_id` (the address it is served at) as
    its `$id`."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        **_document_schema(),
    }
