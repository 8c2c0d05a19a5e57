"""A locality's community resources (issue 15): the spaces it can use, the partners who give
to it, and its volunteering, kept as roles and monthly counts.

The app holds no volunteer's personal data: a volunteer role says what the role does and
needs, and the pipeline is counted by month (how many were interested, checked, trained,
active, left and why), never listed by person. A partner is an organisation with a contact
role ("health visiting team lead"), not a named person.

Money is in pounds, two decimal places; hours in tenths. Every figure is refused below zero
by a validator (the message at the field) and by a check constraint (the backstop).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from localities.content_fields import LEFT_FIELDS
from localities.models.core import Locality, LocalityScopedQuerySet
from localities.validators import validate_single_line, validate_text

NOT_NEGATIVE = [MinValueValidator(Decimal("0"), "Enter zero or more.")]
NAME_LENGTH = 120
NOTE_LENGTH = 2000


def _money(verbose_name: str, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=help_text,
    )


def _not_negative(*fields: str, name: str) -> models.CheckConstraint:
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})
    return models.CheckConstraint(condition=condition, name=name)


def _unique_in_locality(field: str, *, name: str, message: str) -> models.UniqueConstraint:
    """`field` names one record of its kind in a locality, ignoring case ("Library" and
    "library" are the same space). The forms show `message` at the field
    (`forms_resources._LocalityRecordForm.validate_unique`)."""
    return models.UniqueConstraint(
        "locality", Lower(field), name=name, violation_error_message=message
    )


def _locality(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(Locality, on_delete=models.CASCADE, related_name=related_name)


class LocalityResource(models.Model):
    """What a space, a partner and a volunteer role share: the locality they belong to,
    their clocks, and the queryset that scopes them to what a person may see.

    Each names its own reverse accessor (`locality.spaces`), so each declares its
    `locality` with `_locality`; an abstract model's `related_name` can only be a pattern
    of the class name, which would give `volunteerroles`."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalityScopedQuerySet.as_manager()

    class Meta:
        abstract = True


# Spaces ---------------------------------------------------------------------------------


class SpaceKind(models.TextChoices):
    CHILDRENS_CENTRE = "childrens_centre", "Children's centre or family hub"
    LIBRARY = "library", "Library"
    HEALTH = "health", "GP surgery or clinic"
    SCHOOL = "school", "School"
    COMMUNITY_HALL = "community_hall", "Community hall"
    CAFE_OR_SHOP = "cafe_or_shop", "Café or shop"
    HOME_VISIT = "home_visit", "Home visit"
    ONLINE = "online", "Online"
    OTHER = "other", "Other"


class StepFree(models.TextChoices):
    YES = "yes", "Step-free"
    PARTLY = "partly", "Partly step-free"
    NO = "no", "Not step-free"
    UNKNOWN = "unknown", "Not known"


class Space(LocalityResource):
    """A place where a step of the service can happen: a centre, a library, a home, online."""

    Kind = SpaceKind

    locality = _locality("spaces")
    name = models.CharField(max_length=NAME_LENGTH, validators=[validate_single_line])
    kind = models.CharField(max_length=20, choices=SpaceKind.choices)
    area = models.CharField(
        "area or neighbourhood",
        max_length=NAME_LENGTH,
        blank=True,
        validators=[validate_single_line],
    )
    step_free = models.CharField(
        "step-free access", max_length=10, choices=StepFree.choices, default=StepFree.UNKNOWN
    )
    access_notes = models.TextField(
        "other accessibility notes",
        max_length=NOTE_LENGTH,
        blank=True,
        validators=[validate_text],
        help_text="Hearing loop, baby-change, pram parking, quiet room, buses that stop near.",
    )
    hire_cost_per_hour = _money("hire cost per hour (£)", "What the team pays to use it.")
    income_per_hour = _money(
        "income per hour when rented out (£)", "What others pay the site to use it, if they do."
    )
    managed_by = models.CharField(
        "who manages it",
        max_length=NAME_LENGTH,
        blank=True,
        validators=[validate_single_line],
        help_text="An organisation or a role, not a person's name.",
    )
    out_of_hours_staffed_by = models.CharField(
        "who staffs it out of hours",
        max_length=NAME_LENGTH,
        blank=True,
        validators=[validate_single_line],
        help_text="A role or partner: who opens up and is there in the out-of-hours times.",
    )

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SpaceKind.values),
                name="space_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(step_free__in=StepFree.values),
                name="space_step_free_valid",
            ),
            _not_negative("hire_cost_per_hour", "income_per_hour", name="space_money_not_negative"),
            _unique_in_locality(
                "name",
                name="space_name_unique_in_locality",
                message="This locality already has a space of that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Opening(models.Model):
    """One stretch of a day a space is open to the service, e.g. Tuesday 09:00 to 12:00.

    `out_of_hours` marks a stretch outside the space's usual staffed hours (an evening, a
    Saturday): the capacity check asks who staffs those (`Space.out_of_hours_staffed_by`).
    """

    class Day(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="openings")
    day = models.PositiveSmallIntegerField(choices=Day.choices)
    opens = models.TimeField()
    closes = models.TimeField()
    out_of_hours = models.BooleanField("out of hours", default=False)

    class Meta:
        ordering = ["day", "opens", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=0, day__lte=6), name="opening_day_valid"),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_day_display()} {self.opens:%H:%M} to {self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError(
                {
                    "closes": f"Closing time must be after opening time ({self.opens:%H:%M}); "
                    "for a stretch past midnight, add the next day separately."
                },
                code="closes_before_opening",
            )


# Partners -------------------------------------------------------------------------------


class PartnerKind(models.TextChoices):
    HEALTH = "health", "Health"
    COUNCIL = "council", "Council service"
    SCHOOL = "school", "School"
    VOLUNTARY = "voluntary", "Voluntary or community group"
    FAITH = "faith", "Faith group"
    BUSINESS = "business", "Business"
    OTHER = "other", "Other"


class Partner(LocalityResource):
    """An organisation that works with the site: a health team, a school, a faith group."""

    Kind = PartnerKind

    locality = _locality("partners")
    organisation = models.CharField(max_length=NAME_LENGTH, validators=[validate_single_line])
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    contact_role = models.CharField(
        "contact role",
        max_length=NAME_LENGTH,
        blank=True,
        validators=[validate_single_line],
        help_text="The role to ask for (say, “practice manager”), not a person's name.",
    )
    notes = models.TextField(max_length=NOTE_LENGTH, blank=True, validators=[validate_text])

    class Meta:
        ordering = ["organisation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PartnerKind.values),
                name="partner_kind_valid",
            ),
            _unique_in_locality(
                "organisation",
                name="partner_organisation_unique_in_locality",
                message="This locality already lists that organisation.",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation


class ContributionKind(models.TextChoices):
    MONEY = "money", "Money"
    IN_KIND = "in_kind", "In kind"
    REFERRALS = "referrals", "Referrals"
    STAFF_TIME = "staff_time", "Staff time"
    SPACE = "space", "Space"


class ContributionStatus(models.TextChoices):
    ASKED = "asked", "Asked"
    PLEDGED = "pledged", "Pledged"
    DELIVERED = "delivered", "Delivered"


class Contribution(models.Model):
    """What a partner gives or is asked for: money, something in kind, referrals, staff time
    or space, with where it stands (asked, pledged, delivered) and since when.

    `value` is the money, or what the thing in kind is worth, in pounds; money needs it.
    `quantity` counts what is not money: referrals a month, staff hours a week, sessions.
    """

    Kind = ContributionKind
    Status = ContributionStatus

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=20, choices=ContributionKind.choices)
    description = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text="What it is: “room on Tuesday mornings”, “two health visitor hours a week”.",
    )
    value = _money("value (£)", "The money, or what the thing in kind is worth.")
    quantity = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text="How many: referrals, staff hours, sessions of space, or items in kind.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASKED)
    status_on = models.DateField(
        "date of status", help_text="When it was asked, pledged or delivered."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContributionKind.values),
                name="contribution_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContributionStatus.values),
                name="contribution_status_valid",
            ),
            _not_negative("value", "quantity", name="contribution_figures_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="money") | Q(value__isnull=False),
                name="contribution_money_has_value",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} from {self.partner} ({self.get_status_display().lower()})"
        )

    # What `quantity` counts, by kind.
    UNITS = {
        ContributionKind.IN_KIND: "items",
        ContributionKind.REFERRALS: "referrals",
        ContributionKind.STAFF_TIME: "staff hours",
        ContributionKind.SPACE: "sessions",
    }

    @property
    def quantity_text(self) -> str:
        """The quantity with what it counts ("3 sessions"), or "" without one."""
        if self.quantity is None:
            return ""
        return f"{self.quantity.normalize():f} {self.UNITS.get(self.kind, '')}".strip()

    def clean(self) -> None:
        if self.kind == ContributionKind.MONEY and self.value is None:
            raise ValidationError(
                {"value": "Say how much money, in pounds."}, code="money_without_value"
            )


# Volunteering ---------------------------------------------------------------------------


class VolunteerRole(LocalityResource):
    """A kind of volunteering the site offers or needs: what it does, the hours a week it
    needs in all, and the training and supervision a volunteer in it gets."""

    locality = _locality("volunteer_roles")
    name = models.CharField(max_length=NAME_LENGTH, validators=[validate_single_line])
    tasks = models.TextField(max_length=NOTE_LENGTH, blank=True, validators=[validate_text])
    hours_needed = models.DecimalField(
        "hours a week the role needs",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text="In all, across every volunteer in the role.",
    )
    training = models.TextField(max_length=NOTE_LENGTH, blank=True, validators=[validate_text])
    supervision = models.TextField(max_length=NOTE_LENGTH, blank=True, validators=[validate_text])

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            _not_negative("hours_needed", name="volunteer_role_hours_not_negative"),
            _unique_in_locality(
                "name",
                name="volunteer_role_name_unique_in_locality",
                message="This locality already has a volunteer role of that name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VolunteerMonth(models.Model):
    """One role's volunteer pipeline in one month, as counts (never people).

    `interested`, `checked` (safeguarding checks done) and `trained` count who reached that
    stage in the month; `active` is how many volunteered in it; the `left_*` fields count who
    stopped, by why. `former_users` is how many of the active once used the service.
    A month's active cannot exceed those trained in it plus the month before's active: the
    role's months are checked together for that (`check_active`, called by the resources
    form's `VolunteerMonthFormSet` and by the demo loader), since it reads another row.
    """

    role = models.ForeignKey(VolunteerRole, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="The first day of the month.")
    interested = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField("checks done", default=0)
    trained = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)
    left_work_or_study = models.PositiveIntegerField("left for work or study", default=0)
    left_moved = models.PositiveIntegerField("left as they moved away", default=0)
    left_time = models.PositiveIntegerField("left for lack of time or caring", default=0)
    left_role = models.PositiveIntegerField("left as the role did not suit", default=0)
    left_other = models.PositiveIntegerField("left for another reason", default=0)
    former_users = models.PositiveIntegerField("once users of the service", default=0)

    LEFT_FIELDS = LEFT_FIELDS

    class Meta:
        ordering = ["role", "month"]
        constraints = [
            models.UniqueConstraint(fields=["role", "month"], name="volunteer_month_unique"),
            models.CheckConstraint(
                condition=Q(month__day=1), name="volunteer_month_is_first_of_month"
            ),
            models.CheckConstraint(
                condition=Q(former_users__lte=F("active")),
                name="volunteer_month_former_users_within_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}, {self.month:%B %Y}"

    def carry_limit(self, previous_active: int) -> int:
        """The most who can be active this month: those trained in it, and those active
        the month before (`previous_active`, 0 when that month is not recorded)."""
        return self.trained + previous_active

    def check_active(self, previous_active: int, previous_month_label: str) -> None:
        """Refuse a month with more active than trained plus carried over, at the field."""
        if self.active > self.carry_limit(previous_active):
            raise ValidationError(
                {
                    "active": f"At most {self.carry_limit(previous_active)} can be active: "
                    f"{self.trained} trained this month and {previous_active} active in "
                    f"{previous_month_label}. Record the earlier month, or the training, first."
                },
                code="more_active_than_trained",
            )

    def clean(self) -> None:
        if self.former_users > self.active:
            raise ValidationError(
                {"former_users": f"Only {self.active} were active; no more can have been users."},
                code="former_users_over_active",
            )

    @property
    def left(self) -> int:
        return sum(getattr(self, field) for field in self.LEFT_FIELDS)
