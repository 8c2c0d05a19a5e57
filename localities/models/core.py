from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse

from localities import permissions
from localities.validators import validate_single_line, validate_text


class LocalityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LocalityQuerySet":
        """Every locality for superusers and reviewers; a member's own otherwise."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if permissions.sees_every_locality(user):
            return self.all()
        return self.filter(pk__in=Membership.objects.filter(user=user).values("locality"))

    def editable_by(self, user) -> "LocalityQuerySet":
        """The localities whose content the user may change (`permissions.can_edit_content`):
        every one for superusers; for a member, those where their role may edit."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            pk__in=Membership.objects.filter(user=user, role__in=permissions.CONTENT_ROLES).values(
                "locality"
            )
        )

    def with_member_counts(self) -> "LocalityQuerySet":
        """Annotate `member_count` by subquery, so a membership filter cannot skew it."""
        counts = (
            Membership.objects.filter(locality=OuterRef("pk"))
            .order_by()
            .values("locality")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(member_count=Coalesce(Subquery(counts), 0))


class Locality(models.Model):
    name = models.CharField(max_length=120, validators=[validate_single_line])
    slug = models.SlugField(max_length=60, unique=True)
    area = models.CharField(
        "area or local authority",
        max_length=120,
        help_text="The local authority it sits in.",
        validators=[validate_single_line],
    )
    description = models.TextField(blank=True, validators=[validate_text])
    # Volunteering (issue 15): how many hours a week the site asks of one volunteer at
    # most, which bounds what its active volunteers can give. Empty: not decided yet.
    volunteer_hours_limit = models.DecimalField(
        "most hours a week per volunteer",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
        help_text="The site's limit on the hours one volunteer gives in a week.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"
        constraints = [
            models.CheckConstraint(
                condition=Q(volunteer_hours_limit__isnull=True)
                | Q(volunteer_hours_limit__gt=0, volunteer_hours_limit__lte=60),
                name="locality_volunteer_hours_limit_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("localities:detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    # Choices at module level, so that Meta can build its constraint from their `.values`
    # (a nested class cannot see the names of the class around it).
    Role = Role

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # No joins in the default ordering: every query (and `select_for_update`) would pay
        # for them. Lists that show memberships order them by name themselves.
        ordering = ["locality_id", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "locality"], name="membership_one_per_user_and_locality"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.locality}"


class LocalityScopedQuerySet(models.QuerySet):
    """For records that belong to one locality: the locality's visibility rules apply.

    Pages find their records through `visible_to` (see `mixins.LocalityRecordMixin`), so a
    record outside the user's localities answers 404 even if a view forgot to scope it.
    Whether the user may change a record is a question for `permissions`, asked of its
    locality: the page answers 403 then, not 404.
    """

    def visible_to(self, user):
        if permissions.sees_every_locality(user):
            return self.all()
        return self.filter(locality__in=Locality.objects.visible_to(user))


class TagQuerySet(LocalityScopedQuerySet):
    def for_names(self, *, locality: Locality, names: list[str]) -> list["Tag"]:
        """The locality's tags with these names, matched ignoring case; missing ones are made.

        A name that differs from an existing tag only in case reuses that tag, so "Transport"
        and "transport" stay one tag. `get_or_create` retries its lookup if a concurrent
        request created the same tag first (the unique constraint ignores case too).
        """
        tags: list[Tag] = []
        for name in names:
            tag, _ = self.get_or_create(
                locality=locality, name__iexact=name, defaults={"name": name}
            )
            if tag not in tags:
                tags.append(tag)
        return tags


class Tag(models.Model):
    """A free tag for insights, reusable within its locality."""

    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=50, validators=[validate_single_line])

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "locality", name="tag_name_unique_per_locality_ignoring_case"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Subject(models.TextChoices):
    FAMILIES = "families", "Families"
    SYSTEM = "system", "The system"


class Source(models.TextChoices):
    FAMILY_INTERVIEW = "family_interview", "Family interview"
    OBSERVATION = "observation", "Observation"
    PRACTITIONER_INTERVIEW = "practitioner_interview", "Practitioner interview"
    LOCAL_DATA = "local_data", "Local data"
    OTHER = "other", "Other"


class Insight(models.Model):
    Subject = Subject
    Source = Source

    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="insights")
    statement = models.CharField(
        max_length=300,
        help_text="The insight in one sentence.",
        validators=[validate_single_line],
    )
    subject = models.CharField(max_length=20, choices=Subject.choices)
    source = models.CharField(max_length=30, choices=Source.choices)
    detail = models.TextField(
        "detail or quote",
        blank=True,
        max_length=4000,
        help_text="A quote, an observation or the figures behind the insight.",
        validators=[validate_text],
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="insights")
    gathered_on = models.DateField("date gathered", null=True, blank=True)
    recorded_by = models.ForeignKey(
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
        ordering = ["-gathered_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__in=Subject.values), name="insight_subject_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="insight_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse(
            "localities:insight-detail", kwargs={"slug": self.locality.slug, "pk": self.pk}
        )


class Challenge(models.Model):
    """The true nature of a problem the team is trying to solve, with its evidence."""

    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="challenges")
    title = models.CharField(max_length=200, validators=[validate_single_line])
    description = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    insights = models.ManyToManyField(Insight, blank=True, related_name="challenges")
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

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "localities:challenge-detail", kwargs={"slug": self.locality.slug, "pk": self.pk}
        )
