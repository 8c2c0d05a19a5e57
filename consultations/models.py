import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localities.models import Challenge, Locality, LocalityScopedQuerySet
from localities.validators import validate_single_line, validate_text


def new_token() -> str:
    """An unguessable token for a consultation's public link (256 bits)."""
    return secrets.token_urlsafe(32)


def new_submission_token() -> str:
    """A one-time token for one showing of the public form (192 bits, 32 characters): the
    same answers sent twice with it (Back and send again, a double click) are stored once."""
    return secrets.token_urlsafe(24)


# Choices sit at module level, so that each model's Meta can build its constraints from their
# `.values` (a nested class cannot see the names of the class around it).


class Status(models.TextChoices):
    BRAINSTORMED = "brainstormed", "Brainstormed"
    SHORTLISTED = "shortlisted", "Shortlisted"
    PARKED = "parked", "Parked"
    CHOSEN = "chosen", "Chosen"


class Group(models.TextChoices):
    PARENT = "parent", "Parent or carer"
    PRACTITIONER = "practitioner", "Practitioner or staff"
    VOLUNTEER = "volunteer", "Volunteer"
    PARTNER = "partner", "Partner organisation"
    OTHER = "other", "Other"


class Idea(models.Model):
    Status = Status

    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    challenges = models.ManyToManyField(
        Challenge, blank=True, related_name="ideas", help_text="The challenges it answers."
    )
    proposed_by = models.CharField(
        max_length=120,
        blank=True,
        help_text="Who proposed it: a person, a group or a session.",
        validators=[validate_single_line],
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BRAINSTORMED)
    rationale = models.TextField(
        "why it was chosen",
        blank=True,
        max_length=4000,
        help_text="Filled in when the idea is chosen as the top idea.",
        validators=[validate_text],
    )
    chosen_at = models.DateTimeField(null=True, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made it the top idea.",
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

    objects = LocalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["locality"],
                condition=Q(status=Status.CHOSEN),
                name="idea_one_chosen_per_locality",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="idea_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "consultations:idea-detail", kwargs={"slug": self.locality.slug, "pk": self.pk}
        )


class Consultation(models.Model):
    class Audience(models.TextChoices):
        COMMUNITY = "community", "Community"
        STAFF = "staff", "Staff"
        MIXED = "mixed", "Mixed"

    class Method(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        DROP_IN = "drop_in", "Drop-in"
        SURVEY = "survey", "Survey"
        STAFF_MEETING = "staff_meeting", "Staff meeting"
        OTHER = "other", "Other"

    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    held_on = models.DateField("date")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    method = models.CharField(max_length=20, choices=Method.choices)
    place = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    notes = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    ideas = models.ManyToManyField(Idea, related_name="consultations")
    is_open = models.BooleanField(
        "open for responses",
        default=True,
        help_text="While open, the public link takes responses.",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalityScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "consultations:consultation-detail",
            kwargs={"slug": self.locality.slug, "pk": self.pk},
        )

    def get_public_url(self) -> str:
        return reverse("consultations:respond", kwargs={"token": self.token})


class Response(models.Model):
    Group = Group

    class Channel(models.TextChoices):
        TEAM = "team", "Entered by the team"
        PUBLIC = "public", "Public form"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="responses")
    group = models.CharField("respondent group", max_length=20, choices=Group.choices)
    support = models.PositiveSmallIntegerField(help_text="1 (against) to 5 (strongly for).")
    comment = models.TextField(blank=True, max_length=1000, validators=[validate_text])
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.TEAM)
    # The public form's one-time token, the same on every row of one submission (a row per
    # idea answered); empty for responses the team types in.
    submission_token = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["consultation", "idea", "group"]),
            # The default order: the admin's list of 81,000 responses reads its first page
            # from the index instead of sorting them all.
            models.Index(fields=["created_at", "id"], name="response_created_at_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(support__gte=1, support__lte=5), name="response_support_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(group__in=Group.values),
                name="response_group_valid",
            ),
            # One submission stores at most one row per idea: the backstop when the same
            # submission arrives twice at once (services.record_public_responses). Its index
            # also answers "has this submission arrived already?".
            models.UniqueConstraint(
                fields=["consultation", "submission_token", "idea"],
                condition=~Q(submission_token=""),
                name="response_one_per_idea_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.support} for {self.idea}"
