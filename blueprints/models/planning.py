"""What the team plans around its blueprint (DESIGN section 1, steps 7 and 8): the
delivery challenges it expects, the questions each holds (pieces of work, with an owner,
a status and in the end an answer), the programme's starter questions, and the prototypes
that test a section of the grid and some of the questions, with their results.

Choices sit at module level so that `Meta` can build the check constraints from their
`.values` (see `blueprints.models.grid`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from blueprints.models.grid import Blueprint, Card
from consultations.models import Idea
from localities.models import Insight, Partner, Space, VolunteerRole
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


class QuestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    TESTING = "testing", "Being tested"
    ANSWERED = "answered", "Answered"
    PARKED = "parked", "Parked"


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


AMOUNTS = ("staff_hours", "volunteer_hours", "cash_cost", "in_kind_value", "income")


def _amount(verbose_name: str, *, digits: int = 9, places: int = 2, help_text: str = ""):
    """An optional amount of money or hours that cannot be negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=digits,
        decimal_places=places,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


class DeliveryChallenge(models.Model):
    """A challenge the team expects in delivering the service, with questions to explore."""

    Theme = Theme

    blueprint = models.ForeignKey(
        Blueprint, on_delete=models.CASCADE, related_name="delivery_challenges"
    )
    theme = models.CharField(max_length=30, choices=Theme.choices)
    title = models.CharField(max_length=200, validators=[validate_single_line])
    cards = models.ManyToManyField(
        Card, blank=True, related_name="delivery_challenges", help_text="The cards it touches."
    )
    based_on_question = models.ForeignKey(
        "DeliveryQuestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges_started",
        help_text="Another site's published question this challenge started from.",
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


class DeliveryQuestion(models.Model):
    """One question a delivery challenge holds, as a piece of work: who owns it, where it
    stands, and once answered, the answer, when it was reached and who decided. Its
    evidence is the insights and consultation results (ideas) it cites, and the results of
    the prototypes that test it."""

    Status = QuestionStatus

    challenge = models.ForeignKey(
        DeliveryChallenge, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField(default=0)
    text = models.CharField("question", max_length=300, validators=[validate_single_line])
    status = models.CharField(max_length=10, choices=QuestionStatus.choices, default="open")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A member of the team who sees it through.",
    )
    answer = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    answered_on = models.DateField("date answered", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    insights = models.ManyToManyField(Insight, blank=True, related_name="delivery_questions")
    ideas = models.ManyToManyField(
        Idea,
        blank=True,
        related_name="delivery_questions",
        help_text="Ideas whose consultation results bear on it.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[insights, ideas], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["challenge_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=QuestionStatus.values), name="delivery_question_status_valid"
            ),
            # An answered question has its answer and its date; only it may be published.
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.ANSWERED)
                | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="delivery_question_answered_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(status=QuestionStatus.ANSWERED),
                name="delivery_question_published_only_answered",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.status == QuestionStatus.ANSWERED:
            errors = {}
            if not self.answer.strip():
                errors["answer"] = "Say what the answer is."
            if self.answered_on is None:
                errors["answered_on"] = "Give the date the answer was reached."
            if errors:
                raise ValidationError(errors)


class StarterQuestion(models.Model):
    """The programme's own questions for each theme, offered when a team names a delivery
    challenge of that theme. Innovation-unit staff keep the library in the admin; a site
    copies the ones that apply, so its questions are its own."""

    theme = models.CharField(max_length=30, choices=Theme.choices)
    text = models.CharField("question", max_length=300, validators=[validate_single_line])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["theme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme__in=Theme.values), name="starter_question_theme_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


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
    questions = models.ManyToManyField(
        DeliveryQuestion,
        blank=True,
        related_name="prototypes",
        verbose_name="questions tested",
        help_text="The delivery questions this prototype tests.",
    )
    # The site's community resources it uses (always of the blueprint's locality).
    spaces = models.ManyToManyField(Space, blank=True, related_name="prototypes")
    partners = models.ManyToManyField(Partner, blank=True, related_name="prototypes")
    volunteer_roles = models.ManyToManyField(
        VolunteerRole, blank=True, related_name="prototypes", verbose_name="volunteer roles"
    )
    # Results, once it has run.
    families_reached = models.PositiveIntegerField(null=True, blank=True)
    hardest_to_reach = models.PositiveIntegerField(
        "of them, hardest to reach",
        null=True,
        blank=True,
        help_text="How many of the families reached the team counts as hardest to reach.",
    )
    staff_hours = _amount("staff hours", digits=7, places=1)
    volunteer_hours = _amount("volunteer hours", digits=7, places=1)
    cash_cost = _amount("cash cost (£)")
    in_kind_description = models.TextField(
        "given in kind",
        blank=True,
        max_length=2000,
        validators=[validate_text],
        help_text="Rooms, food, time or goods given free, and by whom.",
    )
    in_kind_value = _amount("value of what was given in kind (£)")
    income = _amount("income (£)", help_text="For example from renting out space.")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prototypes_started",
        help_text="Another site's published prototype this one started from.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[cards, delivery_challenges, questions, spaces, partners, volunteer_roles],
        excluded_fields=["updated_at"],
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
            # Status and decision agree: only a finished prototype is decided, and a
            # decision says what was learned; only a decided one may be published.
            models.CheckConstraint(
                condition=Q(decision=Decision.UNDECIDED)
                | (Q(status=PrototypeStatus.FINISHED) & ~Q(learning="")),
                name="prototype_decided_only_when_finished_with_learning",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(decision=Decision.UNDECIDED),
                name="prototype_published_only_decided",
            ),
            models.CheckConstraint(
                condition=Q(hardest_to_reach__isnull=True)
                | Q(hardest_to_reach__lte=F("families_reached")),
                name="prototype_hardest_to_reach_within_reach",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"prototype_{name}_not_negative",
                )
                for name in AMOUNTS
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date cannot be before the start date."
        if self.decision != Decision.UNDECIDED:
            if self.status != PrototypeStatus.FINISHED:
                errors["decision"] = (
                    "Decide once the prototype has finished: set its status to finished, or "
                    "leave the decision undecided."
                )
            if not self.learning.strip():
                errors["learning"] = "Say what the prototype taught before deciding."
        if (
            self.hardest_to_reach is not None
            and (self.families_reached or 0) < self.hardest_to_reach
        ):
            errors["hardest_to_reach"] = "This cannot be more than the families reached."
        if errors:
            raise ValidationError(errors)

    @property
    def net_cost(self) -> Decimal | None:
        """Cash and in-kind cost less income, or None if none of them is recorded."""
        parts = (self.cash_cost, self.in_kind_value, self.income)
        if all(part is None for part in parts):
            return None
        cash, in_kind, income = (part or Decimal(0) for part in parts)
        return cash + in_kind - income

    @property
    def cost_per_family(self) -> Decimal | None:
        """Net cost per family reached; None when no family was reached or no cost recorded
        (shown as "not reached" or "not recorded", never a division by zero)."""
        if not self.families_reached or self.net_cost is None:
            return None
        return (self.net_cost / self.families_reached).quantize(Decimal("0.01"))


class PrototypeMeasure(models.Model):
    """One thing a prototype measured: against its baseline and target, what it came to."""

    prototype = models.ForeignKey(Prototype, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=120, validators=[validate_single_line])
    unit = models.CharField(
        max_length=40, blank=True, validators=[validate_single_line], help_text="e.g. families"
    )
    baseline = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["prototype_id", "position", "pk"]

    def __str__(self) -> str:
        return self.name
