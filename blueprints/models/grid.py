"""The service blueprint as a grid (DESIGN section 2): phases (columns) and lanes (rows)
holding cards, the links between cards, and the lines drawn between lanes.

Writes that touch more than one row (adding, moving and deleting cards, phases and lanes,
copying a blueprint) go through `blueprints.services`, which keeps positions dense and
unique and bumps the version numbers the editor relies on to avoid lost work.

The choices sit at module level, not inside their models, so that each model's `Meta` can
build its check constraint from the choices' `.values` (a nested class cannot see its
enclosing class's names); each model names them as before (`Lane.Role`, `Card.Kind`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from consultations.models import Idea
from localities.models import (
    Insight,
    Locality,
    LocalityScopedQuerySet,
    Partner,
    Space,
    VolunteerRole,
)
from localities.validators import validate_single_line, validate_text


class ReviewState(models.TextChoices):
    """Where a blueprint stands in review; it moves only through `blueprints.review`."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


class LaneRole(models.TextChoices):
    EVIDENCE = "evidence", "Evidence"
    FAMILY = "family", "Family"
    FRONTLINE = "frontline", "Frontline"
    BACKSTAGE = "backstage", "Backstage"
    SUPPORT = "support", "Support"


class CardKind(models.TextChoices):
    STEP = "step", "Step"
    TOUCHPOINT = "touchpoint", "Touchpoint"
    PAIN_POINT = "pain_point", "Pain point"
    OPPORTUNITY = "opportunity", "Opportunity"
    QUESTION = "question", "Question"


class BlueprintQuerySet(LocalityScopedQuerySet):
    """`visible_to(user)` follows the blueprint's locality."""


class Blueprint(models.Model):
    """The service blueprint of one idea of a locality.

    `idea` is SET_NULL rather than PROTECT or CASCADE: the blueprint is the team's work and
    outlives the idea record (an idea tidied away after the choice must neither be blocked
    by its blueprint nor take the blueprint with it). The idea, while set, must belong to the
    blueprint's locality; `clean()` and `services.create_blueprint` check it, since a foreign
    key cannot.

    `review_state` moves only through `blueprints.review`, which records each move.

    `version` goes up by one on every content change anywhere in the blueprint (cards,
    phases, lanes, links, delivery challenges, prototypes), so a page can tell cheaply
    whether what it shows is still current.
    """

    ReviewState = ReviewState

    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="blueprints")
    idea = models.ForeignKey(
        Idea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="blueprints",
        help_text="The idea this blueprint designs, usually the locality's top idea.",
    )
    title = models.CharField(max_length=200, validators=[validate_single_line])
    summary = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    version = models.PositiveIntegerField(default=1, editable=False)
    # Changed only by `blueprints.review`, which records every change as a ReviewTransition.
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BlueprintQuerySet.as_manager()
    # The review state has its own, fuller history: ReviewTransition.
    history = HistoricalRecords(excluded_fields=["version", "updated_at", "review_state"])

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_state__in=ReviewState.values),
                name="blueprint_review_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blueprints:detail", kwargs={"slug": self.locality.slug, "pk": self.pk})

    def clean(self) -> None:
        if self.idea_id and self.locality_id and self.idea.locality_id != self.locality_id:
            raise ValidationError({"idea": "Choose an idea of this blueprint's own locality."})

    def lane_boundaries(self) -> list[LaneBoundary]:
        """The blueprint's lines between its lanes, in lane order (uses `lanes` as fetched)."""
        return lane_boundaries(list(self.lanes.all()))


class Phase(models.Model):
    """A column of the blueprint: a stage of the family's journey."""

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(max_length=80, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=2000, validators=[validate_text])
    position = models.PositiveIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["blueprint_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["blueprint", "position"], name="phase_position_unique_per_blueprint"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Lane(models.Model):
    """A row of the blueprint; its role says what it holds and where the lines fall."""

    Role = LaneRole

    DEFAULT_NAMES = {
        Role.EVIDENCE: "Touchpoints and physical evidence",
        Role.FAMILY: "Family experience",
        Role.FRONTLINE: "Frontline staff and volunteers",
        Role.BACKSTAGE: "Behind the scenes",
        Role.SUPPORT: "Support structures and processes",
    }
    # The service-design term for each role, for help text and the text view.
    CANONICAL_NAMES = {
        Role.EVIDENCE: "physical evidence",
        Role.FAMILY: "customer actions",
        Role.FRONTLINE: "onstage contact actions",
        Role.BACKSTAGE: "backstage actions",
        Role.SUPPORT: "support processes",
    }

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="lanes")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=80, validators=[validate_single_line])
    position = models.PositiveIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["blueprint_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["blueprint", "position"], name="lane_position_unique_per_blueprint"
            ),
            models.CheckConstraint(
                condition=Q(role__in=LaneRole.values),
                name="lane_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allows_emotion(self) -> bool:
        return self.role == self.Role.FAMILY


class BlueprintLine(models.TextChoices):
    """The three lines of a service blueprint, drawn from lane roles and never stored."""

    INTERACTION = "interaction", "Line of interaction"
    VISIBILITY = "visibility", "Line of visibility"
    INTERNAL_INTERACTION = "internal_interaction", "Line of internal interaction"


# How far from the family each role sits: each line separates one depth from the next.
_ROLE_DEPTH = {
    Lane.Role.EVIDENCE: 0,
    Lane.Role.FAMILY: 0,
    Lane.Role.FRONTLINE: 1,
    Lane.Role.BACKSTAGE: 2,
    Lane.Role.SUPPORT: 3,
}
_LINE_AT_DEPTH = {
    1: BlueprintLine.INTERACTION,
    2: BlueprintLine.VISIBILITY,
    3: BlueprintLine.INTERNAL_INTERACTION,
}


@dataclass(frozen=True)
class LaneBoundary:
    """The edge between two adjacent lanes, and the lines (often none) drawn along it."""

    above: Lane
    below: Lane
    lines: tuple[BlueprintLine, ...]


def lane_boundaries(lanes: Sequence[Lane]) -> list[LaneBoundary]:
    """Which line sits between which adjacent lanes, given the lanes in display order.

    With the default lanes: interaction between family and frontline, visibility between
    frontline and backstage, internal interaction above support. A line is drawn wherever
    two adjacent lanes sit on its two sides (so a blueprint without a frontline lane gets
    both the interaction and visibility lines between family and backstage). Lanes in role
    order draw each line once; lanes a team has put out of role order draw a line again each
    time the order crosses it, so no line is ever drawn where the roles do not change.
    """
    boundaries = []
    for above, below in zip(lanes, lanes[1:], strict=False):
        shallow, deep = sorted((_ROLE_DEPTH[above.role], _ROLE_DEPTH[below.role]))
        lines = tuple(_LINE_AT_DEPTH[depth] for depth in range(shallow + 1, deep + 1))
        boundaries.append(LaneBoundary(above, below, lines))
    return boundaries


# Lanes run in this order of roles (DESIGN section 2): the services keep it, and the editor
# warns about blueprints that were imported or ordered before the rule.
ROLE_ORDER = {role: index for index, role in enumerate(LaneRole.values)}


def lanes_out_of_role_order(lanes: Sequence[Lane]) -> list[Lane]:
    """The fewest lanes that would have to move to put `lanes` (in display order) in role
    order: those outside a longest run of lanes already in role order. Empty when in order."""
    ranks = [ROLE_ORDER[lane.role] for lane in lanes]
    # best[i]: the longest in-order run ending at lane i; before[i]: the lane before it.
    best, before = [1] * len(ranks), [-1] * len(ranks)
    for i, rank in enumerate(ranks):
        for j in range(i):
            if ranks[j] <= rank and best[j] + 1 > best[i]:
                best[i], before[i] = best[j] + 1, j
    kept: set[int] = set()
    index = max(range(len(ranks)), key=lambda i: best[i], default=-1)
    while index != -1:
        kept.add(index)
        index = before[index]
    return [lane for i, lane in enumerate(lanes) if i not in kept]


def fits_role_order(role: str, above: Lane | None, below: Lane | None) -> bool:
    """Whether a lane of `role` between `above` and `below` (either may be None: the edge of
    the grid) keeps the lanes around it in role order."""
    rank = ROLE_ORDER[role]
    return (above is None or ROLE_ORDER[above.role] <= rank) and (
        below is None or rank <= ROLE_ORDER[below.role]
    )


class Card(models.Model):
    """One step, touchpoint, pain point, opportunity or question in a cell (phase x lane).

    `blueprint` repeats what phase and lane imply so that a whole blueprint's cards come in
    one cheap query; services keep the three in agreement. `version` goes up on every change
    to the card, including moves, but not when a neighbour's move shifts its position.
    """

    Kind = CardKind

    EMOTION_MIN = -2
    EMOTION_MAX = 2

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="cards")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="cards")
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="cards")
    position = models.PositiveIntegerField(help_text="Order within its cell, from 0.")
    title = models.CharField(max_length=120, validators=[validate_single_line])
    details = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STEP)
    emotion = models.SmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(EMOTION_MIN), MaxValueValidator(EMOTION_MAX)],
        help_text="How the family feels at this step, from -2 to +2 (family lane only).",
    )
    insights = models.ManyToManyField(
        Insight, blank=True, related_name="blueprint_cards", help_text="The evidence for it."
    )
    # Where the step happens, who provides it and which volunteers do it: the site's own
    # community resources (DESIGN section 3), always of the blueprint's locality.
    space = models.ForeignKey(
        Space,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
        help_text="Where this step happens.",
    )
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
        help_text="The partner who provides this step.",
    )
    volunteer_role = models.ForeignKey(
        VolunteerRole,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
        help_text="The volunteers who do this step.",
    )
    volunteer_hours = models.DecimalField(
        "volunteer hours a week",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="How many volunteer hours a week this step takes.",
    )
    serves = models.ManyToManyField(
        "self",
        through="CardLink",
        symmetrical=False,
        blank=True,
        related_name="served_by",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[insights], excluded_fields=["updated_at"])

    class Meta:
        # No joins in the default ordering: SELECT ... FOR UPDATE would lock the joined rows.
        ordering = ["phase_id", "lane_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "lane", "position"], name="card_position_unique_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(emotion__isnull=True) | Q(emotion__gte=-2, emotion__lte=2),
                name="card_emotion_from_minus_2_to_2",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CardKind.values),
                name="card_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="card_title_not_empty"),
            models.CheckConstraint(
                condition=Q(volunteer_hours__isnull=True) | Q(volunteer_hours__gte=0),
                name="card_volunteer_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    RESOURCE_FIELDS = ("space", "partner", "volunteer_role")

    def resource_errors(self, locality_id: int) -> dict[str, str]:
        """A message for each resource the card names that belongs to another locality."""
        errors = {}
        for name in self.RESOURCE_FIELDS:
            resource = getattr(self, name)
            if resource is not None and resource.locality_id != locality_id:
                label = self._meta.get_field(name).verbose_name
                errors[name] = f"Choose a {label} of this blueprint's own locality."
        return errors

    def clean(self) -> None:
        errors = {}
        if self.lane_id and self.emotion is not None and not self.lane.allows_emotion:
            errors["emotion"] = "Only cards in the family lane can have an emotion."
        if self.blueprint_id:
            if self.phase_id and self.phase.blueprint_id != self.blueprint_id:
                errors["phase"] = "Choose a phase of this card's own blueprint."
            if self.lane_id and self.lane.blueprint_id != self.blueprint_id:
                errors["lane"] = "Choose a lane of this card's own blueprint."
            errors.update(self.resource_errors(self.blueprint.locality_id))
        if self.volunteer_hours is not None and not self.volunteer_role_id:
            errors["volunteer_hours"] = "Choose the volunteer role that gives these hours."
        if errors:
            raise ValidationError(errors)


class CardLink(models.Model):
    """`from_card` serves `to_card`: e.g. this frontline step serves that family step."""

    from_card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="links_out")
    to_card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="links_in")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["from_card_id", "to_card_id"]
        constraints = [
            models.UniqueConstraint(fields=["from_card", "to_card"], name="card_link_unique_pair"),
            models.CheckConstraint(
                condition=~Q(from_card=F("to_card")), name="card_link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_card} serves {self.to_card}"

    def clean(self) -> None:
        if (
            self.from_card_id
            and self.to_card_id
            and self.from_card.blueprint_id != self.to_card.blueprint_id
        ):
            raise ValidationError("Only cards of the same blueprint can be linked.")
