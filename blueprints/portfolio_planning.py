"""The portfolio's view of planning across sites (issue 12, item 5): every site's delivery
questions by theme, the questions no site has answered yet, and the decided prototypes with
what they reached and cost.

A fixed number of queries however many sites: the localities; for the grid, the questions
(read as plain values: 3,000 of them for 150 sites); for the table, the decided prototypes,
the phases of their cards and the questions they tested. The rows are sorted here, in
Python, because cost per family is computed (`Prototype.cost_per_family`), not stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse

from blueprints.models import DeliveryChallenge, DeliveryQuestion, Prototype
from localities.models import Locality

QUESTION_STATUS_LABELS = dict(DeliveryQuestion.Status.choices)
DECISION_LABELS = dict(Prototype.Decision.choices)
ANSWERED = DeliveryQuestion.Status.ANSWERED


def _sites(localities: QuerySet[Locality]) -> list[Locality]:
    return list(localities.order_by("name", "pk").only("pk", "name", "slug"))


class PlanningLinks:
    """Where each question and prototype is read, with one `reverse` per blueprint rather
    than per item (a reverse costs about as much as building the item): a question's page
    and a prototype's are the blueprint's list URL and the item's key."""

    def __init__(self, sites: Iterable[Locality]) -> None:
        self._slugs = {site.pk: site.slug for site in sites}
        self._lists: dict[tuple[str, int], str] = {}

    def _list(self, name: str, locality_id: int, blueprint_id: int) -> str:
        key = (name, blueprint_id)
        if key not in self._lists:
            self._lists[key] = reverse(
                f"blueprints:{name}", args=(self._slugs[locality_id], blueprint_id)
            )
        return self._lists[key]

    def question(
        self, locality_id: int, blueprint_id: int, challenge_id: int, question_id: int
    ) -> str:
        # blueprints:question-detail is the question list's URL and the question's key.
        return f"{self._list('question-list', locality_id, blueprint_id)}{question_id}/"

    def prototype(self, locality_id: int, blueprint_id: int, prototype_id: int) -> str:
        # blueprints:prototype-detail is the list's URL and the prototype's key.
        return f"{self._list('prototype-list', locality_id, blueprint_id)}{prototype_id}/"


def programme_key(text: str) -> str:
    """The words of a question, whatever the case, spacing or closing mark: sites copy the
    programme's starter questions and the same question is asked at several sites."""
    return " ".join(text.casefold().split()).rstrip("?.!: ")


# The question grid ----------------------------------------------------------------------


@dataclass(frozen=True)
class GridQuestion:
    pk: int
    text: str
    status: str
    answer: str
    answered_on: date | None
    url: str

    @property
    def status_label(self) -> str:
        return QUESTION_STATUS_LABELS[self.status]

    @property
    def answered(self) -> bool:
        return self.status == ANSWERED


@dataclass(frozen=True)
class ProgrammeQuestion:
    """One question as the programme asks it, across the sites that hold it."""

    text: str  # in the words of the first site (by name) that asks it
    sites: int  # how many sites ask it
    answered_by: int  # how many of them have answered it
    statuses: dict[str, int]  # how many copies stand at each status, in the model's order

    @property
    def status_summary(self) -> str:
        """E.g. "2 open, 1 being tested"."""
        return ", ".join(
            f"{n} {QUESTION_STATUS_LABELS[status].lower()}"
            for status, n in self.statuses.items()
            if n
        )


@dataclass(frozen=True)
class ThemeQuestions:
    """A row of the grid: a theme, and each site's questions of that theme."""

    theme: str
    label: str
    cells: list[list[GridQuestion]]  # one per site, in the order of `QuestionGrid.sites`
    programme: list[ProgrammeQuestion]  # the theme's questions across sites, by first asking

    @property
    def total(self) -> int:
        return sum(len(cell) for cell in self.cells)

    @property
    def answered(self) -> int:
        return sum(question.answered for cell in self.cells for question in cell)

    @property
    def unanswered(self) -> list[ProgrammeQuestion]:
        """The questions of this theme that no site has answered yet."""
        return [question for question in self.programme if not question.answered_by]


@dataclass(frozen=True)
class QuestionGrid:
    sites: list[Locality]
    themes: list[ThemeQuestions]

    @property
    def question_count(self) -> int:
        return sum(row.total for row in self.themes)

    @property
    def unanswered_count(self) -> int:
        return sum(len(row.unanswered) for row in self.themes)

    @property
    def programme_count(self) -> int:
        return sum(len(row.programme) for row in self.themes)


def _questions_of(site_ids: list[int]) -> QuerySet:
    return (
        DeliveryQuestion.objects.filter(challenge__blueprint__locality_id__in=site_ids)
        .order_by("challenge__blueprint_id", "challenge__title", "challenge_id", "position", "pk")
        .values_list(
            "pk",
            "text",
            "status",
            "answer",
            "answered_on",
            "challenge_id",
            "challenge__theme",
            "challenge__blueprint_id",
            "challenge__blueprint__locality_id",
        )
    )


def build_question_grid(localities: QuerySet[Locality]) -> QuestionGrid:
    """Every given locality's delivery questions (of all its blueprints) by theme."""
    sites = _sites(localities)
    column = {site.pk: index for index, site in enumerate(sites)}
    links = PlanningLinks(sites)
    cells: dict[str, list[list[GridQuestion]]] = {
        theme: [[] for _ in sites] for theme in DeliveryChallenge.Theme.values
    }
    for (
        pk,
        text,
        status,
        answer,
        answered_on,
        challenge_id,
        theme,
        blueprint_id,
        locality_id,
    ) in _questions_of(list(column)):
        answered = status == ANSWERED
        cells[theme][column[locality_id]].append(
            GridQuestion(
                pk=pk,
                text=text,
                status=status,
                # A re-opened question keeps its last answer, which is no longer the answer.
                answer=answer if answered else "",
                answered_on=answered_on if answered else None,
                url=links.question(locality_id, blueprint_id, challenge_id, pk),
            )
        )
    rows = [
        ThemeQuestions(theme, label, cells[theme], _programme_questions(cells[theme]))
        for theme, label in DeliveryChallenge.Theme.choices
    ]
    return QuestionGrid(sites=sites, themes=rows)


def _programme_questions(by_site: list[list[GridQuestion]]) -> list[ProgrammeQuestion]:
    """One theme's questions across sites, matched by their words (`programme_key`), in
    the order they are first asked."""
    texts: dict[str, str] = {}
    asking: dict[str, set[int]] = defaultdict(set)
    answering: dict[str, set[int]] = defaultdict(set)
    statuses: dict[str, dict[str, int]] = {}
    for index, site_questions in enumerate(by_site):
        for question in site_questions:
            key = programme_key(question.text)
            texts.setdefault(key, question.text)
            asking[key].add(index)
            if question.answered:
                answering[key].add(index)
            counts = statuses.setdefault(key, dict.fromkeys(QUESTION_STATUS_LABELS, 0))
            counts[question.status] += 1
    return [
        ProgrammeQuestion(text, len(asking[key]), len(answering[key]), statuses[key])
        for key, text in texts.items()
    ]


# The decided prototypes ----------------------------------------------------------------


@dataclass(frozen=True)
class TestedQuestion:
    text: str
    url: str


@dataclass(frozen=True)
class DecidedPrototype:
    site: Locality
    prototype: Prototype
    section: list[str]  # the phases of its cards, in the blueprint's order
    questions: list[TestedQuestion]
    url: str

    @property
    def section_text(self) -> str:
        return ", ".join(self.section)

    @property
    def decision_label(self) -> str:
        return DECISION_LABELS[self.prototype.decision]

    @property
    def cost_per_family_text(self) -> str:
        """The cost per family reached in pounds, or why there is none."""
        prototype = self.prototype
        if prototype.families_reached is None:
            return "reach not recorded"
        if prototype.families_reached == 0:
            return "not reached"
        cost = prototype.cost_per_family
        return "cost not recorded" if cost is None else pounds(cost)


def pounds(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def _decided_prototypes(site_ids: list[int]) -> list[Prototype]:
    return list(
        Prototype.objects.filter(blueprint__locality_id__in=site_ids)
        .exclude(decision=Prototype.Decision.UNDECIDED)
        .annotate(locality_id=F("blueprint__locality_id"))
        .only(
            "pk",
            "blueprint_id",
            "title",
            "decision",
            "families_reached",
            "hardest_to_reach",
            "staff_hours",
            "volunteer_hours",
            "cash_cost",
            "in_kind_value",
            "income",
        )
        .order_by("pk")
    )


def _sections(prototype_ids: list[int]) -> dict[int, list[str]]:
    """Each prototype's phases (those of its cards), once each, in the blueprint's order."""
    links = (
        Prototype.cards.through.objects.filter(prototype_id__in=prototype_ids)
        .order_by("prototype_id", "card__phase__position", "card__phase_id")
        .values_list("prototype_id", "card__phase_id", "card__phase__name")
        .distinct()
    )
    sections: dict[int, list[str]] = defaultdict(list)
    for prototype_id, _phase_id, name in links:
        sections[prototype_id].append(name)
    return sections


def _tested(prototype_ids: list[int], links: PlanningLinks) -> dict[int, list[TestedQuestion]]:
    rows = (
        Prototype.questions.through.objects.filter(prototype_id__in=prototype_ids)
        .order_by(
            "prototype_id",
            "deliveryquestion__challenge__title",
            "deliveryquestion__challenge_id",
            "deliveryquestion__position",
            "deliveryquestion_id",
        )
        .values_list(
            "prototype_id",
            "deliveryquestion_id",
            "deliveryquestion__text",
            "deliveryquestion__challenge_id",
            "deliveryquestion__challenge__blueprint_id",
            "deliveryquestion__challenge__blueprint__locality_id",
        )
    )
    tested: dict[int, list[TestedQuestion]] = defaultdict(list)
    for prototype_id, question_id, text, challenge_id, blueprint_id, locality_id in rows:
        tested[prototype_id].append(
            TestedQuestion(
                text, links.question(locality_id, blueprint_id, challenge_id, question_id)
            )
        )
    return tested


@dataclass(frozen=True)
class Column:
    """A column of the prototype table that can be sorted: `?sort=<key>` or `-<key>`."""

    key: str
    label: str
    value: Callable[[DecidedPrototype], Any]  # None sorts last, either way round
    numeric: bool = False


DECISION_ORDER = {value: n for n, value in enumerate(Prototype.Decision.values)}

COLUMNS: tuple[Column, ...] = (
    Column("site", "Site", lambda row: row.site.name.casefold()),
    Column("prototype", "Prototype", lambda row: row.prototype.title.casefold()),
    Column("section", "Section of the blueprint", lambda row: row.section_text.casefold() or None),
    Column("questions", "Questions tested", lambda row: len(row.questions), numeric=True),
    Column(
        "families", "Families reached", lambda row: row.prototype.families_reached, numeric=True
    ),
    Column("staff-hours", "Staff hours", lambda row: row.prototype.staff_hours, numeric=True),
    Column(
        "volunteer-hours",
        "Volunteer hours",
        lambda row: row.prototype.volunteer_hours,
        numeric=True,
    ),
    Column(
        "cost-per-family",
        "Cost per family",
        lambda row: row.prototype.cost_per_family,
        numeric=True,
    ),
    Column("decision", "Decision", lambda row: DECISION_ORDER[row.prototype.decision]),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
DEFAULT_SORT = "site"


@dataclass(frozen=True)
class Sort:
    column: Column
    descending: bool = False

    @classmethod
    def parse(cls, value: str | None) -> Sort:
        """`site` or `-site` and so on; anything else is the default order (by site)."""
        value = (value or "").strip()
        descending = value.startswith("-")
        column = COLUMNS_BY_KEY.get(value.removeprefix("-"))
        if column is None:
            return cls(COLUMNS_BY_KEY[DEFAULT_SORT])
        return cls(column, descending)

    @property
    def param(self) -> str:
        return f"-{self.column.key}" if self.descending else self.column.key

    def apply(self, rows: list[DecidedPrototype]) -> list[DecidedPrototype]:
        """Sorted by the column, ties by site and title, rows without a value last."""
        rows = sorted(
            rows, key=lambda row: (row.site.name.casefold(), row.prototype.title, row.prototype.pk)
        )
        known = [row for row in rows if self.column.value(row) is not None]
        unknown = [row for row in rows if self.column.value(row) is None]
        known.sort(key=self.column.value, reverse=self.descending)
        return known + unknown


@dataclass(frozen=True)
class PrototypeTable:
    rows: list[DecidedPrototype]
    sort: Sort


def build_prototype_table(
    localities: QuerySet[Locality], *, sort: Sort | None = None
) -> PrototypeTable:
    """The given localities' decided prototypes, sorted (by site unless `sort` says)."""
    sort = sort or Sort.parse(None)
    sites = _sites(localities)
    by_pk = {site.pk: site for site in sites}
    prototypes = _decided_prototypes(list(by_pk))
    ids = [prototype.pk for prototype in prototypes]
    sections = _sections(ids)
    links = PlanningLinks(sites)
    tested = _tested(ids, links)
    rows = [
        DecidedPrototype(
            site=by_pk[prototype.locality_id],
            prototype=prototype,
            section=sections.get(prototype.pk, []),
            questions=tested.get(prototype.pk, []),
            url=links.prototype(prototype.locality_id, prototype.blueprint_id, prototype.pk),
        )
        for prototype in prototypes
    ]
    return PrototypeTable(rows=sort.apply(rows), sort=sort)
