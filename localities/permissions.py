"""Who may see and change what (DESIGN section 4), decided here and nowhere else.

Views ask these functions, or the `visible_to` / `editable_by` / `managed_by` queryset
methods built on them, and never test roles themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from localities.models import Locality

REVIEWER_GROUP = "Innovation unit reviewers"
CONTENT_ROLES = ("lead", "editor")


def is_reviewer(user) -> bool:
    """Innovation-unit reviewers are active staff users in the reviewers group."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    cached = getattr(user, "_is_reviewer", None)
    if cached is None:
        cached = user.groups.filter(name=REVIEWER_GROUP).exists()
        user._is_reviewer = cached
    return cached


def sees_every_locality(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or is_reviewer(user))


def role_in(user, locality: Locality) -> str | None:
    """The user's membership role in the locality, or None; read once per request."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_roles", {})
    if locality.pk not in cache:
        cache[locality.pk] = (
            locality.memberships.filter(user=user).values_list("role", flat=True).first()
        )
    return cache[locality.pk]


def can_view(user, locality: Locality) -> bool:
    return sees_every_locality(user) or role_in(user, locality) is not None


def can_edit_content(user, locality: Locality) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or role_in(user, locality) in CONTENT_ROLES


def can_manage_members(user, locality: Locality) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or role_in(user, locality) == "lead"


def can_review(user) -> bool:
    """Review work (comment, change a review state) in every locality: reviewers, superusers.

    Not content editing: a reviewer who may review a blueprint still may not change it.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or is_reviewer(user)
