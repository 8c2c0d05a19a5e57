"""Reads that gather more than one model: the results of consultations.

The database does the counting: one grouped query gives, for every (idea, respondent
group, score), how many responses there are, so the work done in Python depends on the
number of ideas (at most ideas x 5 groups x 5 scores rows), never on the number of
responses. Means are worked out from those counts as exact fractions, so a gap of
exactly 1.0 is flagged however the scores add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from consultations.models import Consultation, Idea, Response
from localities.models import Locality

SCORES = (1, 2, 3, 4, 5)
SCORE_LABELS = {
    1: "Strongly against",
    2: "Against",
    3: "Not sure",
    4: "For",
    5: "Strongly for",
}
# "Parents and professionals often disagree" (DESIGN section 1). Professionals are the
# people who run or commission services: practitioners and staff, and partner
# organisations. Volunteers are often parents themselves, so they count as neither.
PARENT_GROUPS = (Response.Group.PARENT,)
PROFESSIONAL_GROUPS = (Response.Group.PRACTITIONER, Response.Group.PARTNER)
GAP_THRESHOLD = Fraction(1)
# A mean of one or two answers says little: one professional's score against twenty parents'
# flagged whole sites as disagreeing. Parents and professionals are compared only when each
# group has at least this many respondents (for one idea, one response is one respondent).
MIN_GROUP_FOR_GAP = 5


def one_decimal(value: Fraction) -> str:
    """4.25 -> "4.3": half up, as people round, not half even as floats do."""
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return str(decimal.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Bar:
    score: int
    label: str
    count: int
    percent: float  # of the tally's responses, 0-100, for the bar's width


@dataclass
class Tally:
    """Responses of one set of respondents to one idea, by score."""

    label: str
    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))

    def add(self, score: int, count: int) -> None:
        self.counts[score] += count

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> Fraction | None:
        if not self.total:
            return None
        return Fraction(sum(score * n for score, n in self.counts.items()), self.total)

    @property
    def mean_display(self) -> str:
        return one_decimal(self.mean) if self.total else "–"

    @property
    def mean_percent(self) -> float:
        """The mean as a share of the 5-point scale, for a bar's width."""
        return float(self.mean / 5 * 100) if self.total else 0.0

    @property
    def bars(self) -> list[Bar]:
        total = self.total
        return [
            Bar(score, SCORE_LABELS[score], n, round(n / total * 100, 1) if total else 0.0)
            for score, n in sorted(self.counts.items())
        ]


@dataclass
class IdeaResult:
    idea: Idea
    overall: Tally
    by_group: list[Tally]
    parents: Tally
    professionals: Tally

    @property
    def comparable(self) -> bool:
        """Whether each side has enough respondents for its mean to be compared."""
        return min(self.parents.total, self.professionals.total) >= MIN_GROUP_FOR_GAP

    @property
    def gap(self) -> Fraction | None:
        """Parents' mean minus professionals' mean, when each side has enough respondents."""
        if not self.comparable:
            return None
        return self.parents.mean - self.professionals.mean

    @property
    def gap_note(self) -> str:
        """Why no gap is shown, where one is not: e.g. "Compared only when each group has at
        least 5 respondents; professionals: 1." Empty when compared or nobody answered."""
        if self.comparable or not self.overall.total:
            return ""
        short = ", ".join(
            f"{name}: {tally.total}"
            for name, tally in (("parents", self.parents), ("professionals", self.professionals))
            if tally.total < MIN_GROUP_FOR_GAP
        )
        return (
            f"Compared only when each group has at least {MIN_GROUP_FOR_GAP} respondents; {short}."
        )

    @property
    def disagree(self) -> bool:
        return self.gap is not None and abs(self.gap) >= GAP_THRESHOLD

    @property
    def gap_display(self) -> str:
        return one_decimal(abs(self.gap)) if self.gap is not None else "–"

    @property
    def disagreement(self) -> str:
        """The flag in words, e.g. "Parents and professionals disagree: parents 4.2, ..."."""
        if not self.disagree:
            return ""
        return (
            "Parents and professionals disagree: "
            f"parents {self.parents.mean_display}, "
            f"professionals {self.professionals.mean_display}"
        )


def _ideas_in(responses: QuerySet[Response], consulted: QuerySet[Idea]) -> QuerySet[Idea]:
    """Ideas consulted on, and any that has responses though it was later taken off the list."""
    answered = responses.filter(idea=OuterRef("pk"))
    return Idea.objects.filter(Q(pk__in=consulted.values("pk")) | Q(Exists(answered)))


def results_for(
    *, locality: Locality, consultation: Consultation | None = None
) -> list[IdeaResult]:
    """Per idea: responses, mean support and distribution, overall and by group, and the gap.

    For one consultation, or for every consultation of the locality when `consultation`
    is None. Two queries, whatever the number of responses.
    """
    if consultation is not None:
        responses = Response.objects.filter(consultation=consultation)
        consulted = consultation.ideas.all()
    else:
        responses = Response.objects.filter(consultation__locality=locality)
        consulted = Idea.objects.filter(locality=locality, consultations__isnull=False)
    ideas = _ideas_in(responses, consulted).filter(locality=locality).order_by("title", "pk")
    results: dict[int, IdeaResult] = {}
    for idea in ideas:
        idea.locality = locality  # known already; saves a query per idea for its URL
        results[idea.pk] = IdeaResult(
            idea=idea,
            overall=Tally("All respondents"),
            by_group=[Tally(label) for _, label in Response.Group.choices],
            parents=Tally("Parents"),
            professionals=Tally("Professionals"),
        )
    group_index = {value: i for i, value in enumerate(Response.Group.values)}
    counts = (
        responses.order_by()
        .values_list("idea_id", "group", "support")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for idea_id, group, support, n in counts:
        result = results.get(idea_id)
        if result is None or support not in SCORES:
            continue
        result.overall.add(support, n)
        result.by_group[group_index[group]].add(support, n)
        if group in PARENT_GROUPS:
            result.parents.add(support, n)
        if group in PROFESSIONAL_GROUPS:
            result.professionals.add(support, n)
    return list(results.values())
