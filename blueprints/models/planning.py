"""What the team plans around its blueprint (DESIGN section 1, steps 7 and 8): the
delivery challenges it expects, with their open questions, and the prototypes that test a
section of the grid.

Choices sit at module level so that `Meta` can build the check constraints from their
`.values` (see `blueprints.models.grid`).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from blueprints.models.grid import Blueprint, Card
from localities.validators import validate_single_line, validate_text


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


class Risk(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class PrototypeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"


class Decision(models.TextChoices):
    UNDECIDED = "undecided", "Undecided"
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    DROP = "drop", "Drop"


class DeliveryChallenge(models.Model):
    """A challenge the team expects in delivering the service, with questions to explore."""

    Theme = Theme

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
                condition=Q(theme__in=Theme.values),
                name="delivery_challenge_theme_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class Prototype(models.Model):
    """A quick, cheap, low-risk test of a section of the blueprint, and what it taught."""

    Risk = Risk
    Status = PrototypeStatus
    Decision = Decision

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
            models.CheckConstraint(condition=Q(risk__in=Risk.values), name="prototype_risk_valid"),
            models.CheckConstraint(
                condition=Q(status__in=PrototypeStatus.values),
                name="prototype_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values),
                name="prototype_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date cannot be before the start date."})
