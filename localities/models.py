from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from localities import permissions


class LocalityQuerySet(models.QuerySet):
    def visible_to(self, user) -> "LocalityQuerySet":
        """Every locality for superusers and reviewers; a member's own otherwise."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if permissions.sees_every_locality(user):
            return self.all()
        return self.filter(pk__in=Membership.objects.filter(user=user).values("locality"))

    def editable_by(self, user) -> "LocalityQuerySet":
        """Localities whose content the user may change: superusers, editors and leads."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            pk__in=Membership.objects.filter(user=user, role__in=permissions.CONTENT_ROLES).values(
                "locality"
            )
        )

    def managed_by(self, user) -> "LocalityQuerySet":
        """Localities whose team the user may change: superusers and leads."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            pk__in=Membership.objects.filter(user=user, role=Membership.Role.LEAD).values(
                "locality"
            )
        )


class Locality(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    area = models.CharField(
        "area or local authority", max_length=120, help_text="The local authority it sits in."
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("localities:detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        EDITOR = "editor", "Editor"
        VIEWER = "viewer", "Viewer"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["locality__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "locality"], name="membership_one_per_user_and_locality"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["lead", "editor", "viewer"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) in {self.locality}"
