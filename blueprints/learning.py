"""The learning library, read (DESIGN section 5, /learning/): what every site has published
(answered questions, decided prototypes), searched by words and filtered by theme and
decision; which items a user may read; where a user may start from one.

Words are matched by PostgreSQL's full-text search (English stemming: "volunteering" finds
"volunteers"), ranked; on SQLite, the embedded default, every word must appear somewhere
in the item's text, ignoring case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from blueprints.models import Blueprint, DeliveryChallenge, DeliveryQuestion, Prototype
from localities.models import Locality

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

# The text searched, by kind of item.
QUESTION_TEXT = ("text", "answer")
PROTOTYPE_TEXT = ("title", "hypothesis", "learning")
# Items listed of each kind, newest first; a search or a filter finds the rest.
LIMIT = 50
THEMES = DeliveryChallenge.Theme.choices
DECISIONS = [(value, label) for value, label in Prototype.Decision.choices if value != "undecided"]
KINDS = [("questions", "Answered questions"), ("prototypes", "Decided prototypes")]


def _matching(queryset: QuerySet, fields: tuple[str, ...], words: str) -> QuerySet:
    words = words.strip()
    if not words:
        return queryset.order_by("-published_at", "-pk")
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="english")
        query = SearchQuery(words, config="english", search_type="websearch")
        return (
            queryset.alias(document=vector)
            .filter(document=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-published_at", "-pk")
        )
    condition = Q()
    for word in words.split():
        anywhere = Q()
        for name in fields:
            anywhere |= Q(**{f"{name}__icontains": word})
        condition &= anywhere
    return queryset.filter(condition).order_by("-published_at", "-pk")


def published_questions() -> QuerySet[DeliveryQuestion]:
    return DeliveryQuestion.objects.filter(published_at__isnull=False).select_related(
        "challenge__blueprint__locality"
    )


def published_prototypes() -> QuerySet[Prototype]:
    return Prototype.objects.filter(published_at__isnull=False).select_related(
        "blueprint__locality"
    )


def readable_questions(user: User) -> QuerySet[DeliveryQuestion]:
    """Published questions, and the unpublished ones of the sites the user sees (its own
    team reads them here before publishing; other sites' members get 404)."""
    own = Locality.objects.visible_to(user)
    return DeliveryQuestion.objects.filter(
        Q(published_at__isnull=False) | Q(challenge__blueprint__locality__in=own)
    ).select_related("challenge__blueprint__locality")


def readable_prototypes(user: User) -> QuerySet[Prototype]:
    own = Locality.objects.visible_to(user)
    return Prototype.objects.filter(
        Q(published_at__isnull=False) | Q(blueprint__locality__in=own)
    ).select_related("blueprint__locality")


def _prototypes_of_theme(theme: str) -> Q:
    """Prototypes that explore a challenge of the theme, or test a question of one."""
    challenges = Prototype.delivery_challenges.through.objects.filter(
        prototype=OuterRef("pk"), deliverychallenge__theme=theme
    )
    questions = Prototype.questions.through.objects.filter(
        prototype=OuterRef("pk"), deliveryquestion__challenge__theme=theme
    )
    return Q(Exists(challenges)) | Q(Exists(questions))


@dataclass(frozen=True)
class Library:
    words: str
    theme: str
    decision: str
    kind: str
    questions: list[DeliveryQuestion]
    prototypes: list[Prototype]
    more_questions: bool  # more than LIMIT matched: the list is cut
    more_prototypes: bool

    @property
    def filtered(self) -> bool:
        return bool(self.words or self.theme or self.decision or self.kind)


def _first(queryset: QuerySet) -> tuple[list, bool]:
    items = list(queryset[: LIMIT + 1])
    return items[:LIMIT], len(items) > LIMIT


def search_library(
    *, words: str = "", theme: str = "", decision: str = "", kind: str = ""
) -> Library:
    """The published items that match; a filter that does not apply to a kind of item
    (a decision, to questions) leaves that kind out. Two queries, whatever the data."""
    theme = theme if theme in DeliveryChallenge.Theme.values else ""
    decision = decision if decision in dict(DECISIONS) else ""
    kind = kind if kind in dict(KINDS) else ""
    questions: list[DeliveryQuestion] = []
    prototypes: list[Prototype] = []
    more_questions = more_prototypes = False
    if kind in ("", "questions") and not decision:
        found = published_questions()
        if theme:
            found = found.filter(challenge__theme=theme)
        questions, more_questions = _first(_matching(found, QUESTION_TEXT, words))
    if kind in ("", "prototypes"):
        found = published_prototypes()
        if theme:
            found = found.filter(_prototypes_of_theme(theme))
        if decision:
            found = found.filter(decision=decision)
        prototypes, more_prototypes = _first(_matching(found, PROTOTYPE_TEXT, words))
    return Library(
        words=words.strip(),
        theme=theme,
        decision=decision,
        kind=kind,
        questions=questions,
        prototypes=prototypes,
        more_questions=more_questions,
        more_prototypes=more_prototypes,
    )


def blueprints_to_start_in(user: User, source_locality_id: int) -> QuerySet[Blueprint]:
    """The blueprints the user may start from another site's item in: those of the sites
    whose content they may change, other than the item's own."""
    return (
        Blueprint.objects.filter(locality__in=Locality.objects.editable_by(user))
        .exclude(locality_id=source_locality_id)
        .select_related("locality")
        .order_by("locality__name", "title", "pk")
    )
