"""The service blueprint as data (DESIGN section 2): a grid of phases and lanes holding cards.

Writes that touch more than one row (adding, moving and deleting cards, phases and lanes,
copying a blueprint) go through `blueprints.services`, which keeps positions dense and
unique and bumps the version numbers the editor relies on to avoid lost work.
"""

from __future__ import annotations

import uuid
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
from localities.models import Insight, Locality, LocalityScopedQuerySet
from localities.validators import validate_single_line, validate_text


class BlueprintQuerySet(LocalityScopedQuerySet):
    """`visible_to(user)` and `editable_by(user)` follow the blueprint's locality."""


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

    class ReviewState(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved"

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
                condition=Q(
                    review_state__in=["draft", "submitted", "changes_requested", "approved"]
                ),
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

    class Role(models.TextChoices):
        EVIDENCE = "evidence", "Evidence"
        FAMILY = "family", "Family"
        FRONTLINE = "frontline", "Frontline"
        BACKSTAGE = "backstage", "Backstage"
        SUPPORT = "support", "Support"

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
                condition=Q(role__in=["evidence", "family", "frontline", "backstage", "support"]),
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
    frontline and backstage, internal interaction above support. A line crosses where the
    lanes first go deeper than it (so a blueprint without a frontline lane gets both the
    interaction and visibility lines between family and backstage), and each line is drawn
    once, however the team has ordered its lanes.
    """
    boundaries = []
    deepest_above = -1
    drawn: set[BlueprintLine] = set()
    for above, below in zip(lanes, lanes[1:], strict=False):
        deepest_above = max(deepest_above, _ROLE_DEPTH[above.role])
        depth_below = _ROLE_DEPTH[below.role]
        lines = tuple(
            _LINE_AT_DEPTH[depth]
            for depth in range(deepest_above + 1, depth_below + 1)
            if _LINE_AT_DEPTH[depth] not in drawn
        )
        drawn.update(lines)
        boundaries.append(LaneBoundary(above, below, lines))
    return boundaries


class Card(models.Model):
    """One step, touchpoint, pain point, opportunity or question in a cell (phase x lane).

    `blueprint` repeats what phase and lane imply so that a whole blueprint's cards come in
    one cheap query; services keep the three in agreement. `version` goes up on every change
    to the card, including moves, but not when a neighbour's move shifts its position.
    """

    class Kind(models.TextChoices):
        STEP = "step", "Step"
        TOUCHPOINT = "touchpoint", "Touchpoint"
        PAIN_POINT = "pain_point", "Pain point"
        OPPORTUNITY = "opportunity", "Opportunity"
        QUESTION = "question", "Question"

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
                condition=Q(
                    kind__in=["step", "touchpoint", "pain_point", "opportunity", "question"]
                ),
                name="card_kind_valid",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="card_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.lane_id and self.emotion is not None and not self.lane.allows_emotion:
            errors["emotion"] = "Only cards in the family lane can have an emotion."
        if self.blueprint_id:
            if self.phase_id and self.phase.blueprint_id != self.blueprint_id:
                errors["phase"] = "Choose a phase of this card's own blueprint."
            if self.lane_id and self.lane.blueprint_id != self.blueprint_id:
                errors["lane"] = "Choose a lane of this card's own blueprint."
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


class DeliveryChallenge(models.Model):
    """A challenge the team expects in delivering the service, with questions to explore."""

    class Theme(models.TextChoices):
        ENGAGING_FAMILIES = "engaging_families", "Engaging with families"
        VOLUNTEERING = "volunteering", "Volunteering"
        INCENTIVE_SCHEMES = "incentive_schemes", "Incentive schemes"
        COMMUNITY_BUY_IN = (
            "community_buy_in",
            "Community buy-in and connections to other services",
        )
        CHANGING_PERCEPTIONS = "changing_perceptions", "Changing perceptions"
        USE_OF_SPACE = "use_of_space", "Use of space"
        OTHER = "other", "Other"

    blueprint = models.ForeignKey(
        Blueprint, on_delete=models.CASCADE, related_name="delivery_challenges"
    )
    theme = models.CharField(max_length=30, choices=Theme.choices)
    title = models.CharField(max_length=200, validators=[validate_single_line])
    questions = models.TextField(
        "questions to explore",
        blank=True,
        max_length=4000,
        help_text="One question a line.",
        validators=[validate_text],
    )
    cards = models.ManyToManyField(
        Card, blank=True, related_name="delivery_challenges", help_text="The cards it touches."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[cards], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["theme", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    theme__in=[
                        "engaging_families",
                        "volunteering",
                        "incentive_schemes",
                        "community_buy_in",
                        "changing_perceptions",
                        "use_of_space",
                        "other",
                    ]
                ),
                name="delivery_challenge_theme_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Prototype(models.Model):
    """A quick, cheap, low-risk test of a section of the blueprint, and what it taught."""

    class Risk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    class Decision(models.TextChoices):
        UNDECIDED = "undecided", "Undecided"
        ADOPT = "adopt", "Adopt"
        ADAPT = "adapt", "Adapt"
        DROP = "drop", "Drop"

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="prototypes")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    cards = models.ManyToManyField(
        Card,
        blank=True,
        related_name="prototypes",
        verbose_name="section tested",
        help_text="The cards of the blueprint this prototype tests.",
    )
    delivery_challenges = models.ManyToManyField(
        DeliveryChallenge, blank=True, related_name="prototypes"
    )
    hypothesis = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    method = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    cost = models.DecimalField(
        "estimated cost (£)",
        max_digits=9,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    risk = models.CharField(max_length=10, choices=Risk.choices, default=Risk.LOW)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    learning = models.TextField(
        "what we learned", blank=True, max_length=4000, validators=[validate_text]
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.UNDECIDED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[cards, delivery_challenges], excluded_fields=["updated_at"]
    )

    class Meta:
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="prototype_ends_on_or_after_start",
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="prototype_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(risk__in=["low", "medium", "high"]), name="prototype_risk_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "running", "finished"]),
                name="prototype_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["undecided", "adopt", "adapt", "drop"]),
                name="prototype_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date cannot be before the start date."})


# Review (DESIGN section 1, step 9) --------------------------------------------------------

_REVIEW_STATES = ["draft", "submitted", "changes_requested", "approved"]


class ReviewTransition(models.Model):
    """One move of a blueprint between review states: who, when, from, to and why.

    Written only by `blueprints.review`, in the transaction that changes the state, so the
    history and the state cannot disagree. `blueprint_version` is the blueprint's content
    version at that moment: which state of the work was submitted, approved or sent back.
    """

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=Blueprint.ReviewState.choices)
    to_state = models.CharField(max_length=20, choices=Blueprint.ReviewState.choices)
    note = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    blueprint_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["blueprint", "at"], name="review_transition_bp_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_state__in=_REVIEW_STATES) & Q(to_state__in=_REVIEW_STATES),
                name="review_transition_states_valid",
            ),
            models.CheckConstraint(
                condition=~Q(from_state=F("to_state")), name="review_transition_changes_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint}: {self.get_from_state_display()} to {self.get_to_state_display()}"


class Comment(models.Model):
    """A comment on a blueprint or on one of its cards, or a reply to one (one level deep).

    A conversation is a top comment and its replies; it is resolved as a whole, so only a
    top comment carries `resolved_at`. A reply belongs to its top comment's blueprint and
    card (`blueprints.review.add_comment` keeps them so).

    `card` is SET_NULL, not CASCADE: a reviewer's comment must not vanish because the team
    deleted the card it was about. `card_title` keeps the card's title as it was when the
    comment was written, so the comment still says which card it meant.
    """

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="comments")
    card = models.ForeignKey(
        Card, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    card_title = models.CharField(max_length=120, blank=True, editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(max_length=4000, validators=[validate_text])
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True),
                name="comment_only_conversations_resolve",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=False) | Q(resolved_by__isnull=True),
                name="comment_resolver_only_when_resolved",
            ),
        ]

    def __str__(self) -> str:
        return self.body if len(self.body) <= 60 else self.body[:59] + "…"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def is_on_card(self) -> bool:
        """On a card, even one deleted since (then `card` is None but `card_title` remains)."""
        return self.card_id is not None or bool(self.card_title)

    @property
    def card_deleted(self) -> bool:
        return self.card_id is None and bool(self.card_title)


class BlueprintVersion(models.Model):
    """A numbered snapshot of a blueprint's whole content (`blueprints.versions`).

    Taken on every submission for review and after every restore, so a reviewer can compare
    what was sent each time and a team can go back to it. `data` is the JSON export of the
    blueprint with database ids (`export_document(with_ids=True)`): the ids give cards a
    stable identity between versions, for the diff.
    """

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    blueprint_version = models.PositiveIntegerField(
        help_text="The blueprint's content version when the snapshot was taken."
    )
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["blueprint", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["blueprint", "number"], name="blueprint_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint}: version {self.number}"


class JobQuerySet(models.QuerySet):
    def without_files(self) -> JobQuerySet:
        """Leave the upload and the result (up to megabytes) in the database."""
        return self.defer("result", "payload")


class Job(models.Model):
    """A piece of heavy work done by a background worker for one person: a PDF, a locality
    report, an import or the admin's export of several blueprints (`blueprints.jobs`).

    The row is the job's whole state, shared by every web process and worker through the
    database: its progress (`status`, `stage`), its result (`result` bytes, or the imported
    `blueprint`), and its liveness (`heartbeat_at`, written every few seconds while it
    runs, so a job whose worker was killed can be seen, retried once, then marked failed).
    `attempt` numbers the runs, so a late finish of a superseded run writes nothing.

    `content_key` names what a ready result shows (blueprint, version, paper, ...): a later
    request for the same content gets the same job's result without rendering. An import
    carries the `idempotency_key` of its upload form, unique per person, so sending the
    same upload again (a retry after a lost answer) finds this job instead of importing
    twice.
    """

    class Kind(models.TextChoices):
        BLUEPRINT_PDF = "blueprint_pdf", "Blueprint PDF"
        LOCALITY_REPORT = "locality_report", "Locality report"
        IMPORT = "import", "Blueprint import"
        PDF_BATCH = "pdf_batch", "PDFs of several blueprints"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    blueprint = models.ForeignKey(
        Blueprint, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    params = models.JSONField(default=dict, blank=True)
    content_key = models.CharField(max_length=200, blank=True, db_index=True)
    idempotency_key = models.UUIDField(null=True, blank=True)
    payload = models.BinaryField(null=True, blank=True)
    result = models.BinaryField(null=True, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    message = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="job_one_import_per_upload",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed"]),
                name="job_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
