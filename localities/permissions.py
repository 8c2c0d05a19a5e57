"""Who may see and change what (DESIGN section 4): the role names and the predicates.

Everything that decides access asks these functions: the views (through
`localities.mixins.LocalityAccessMixin`), the queryset method `visible_to` in
`localities.models`, the review and restore rules in `blueprints`, the admin's
`has_*_permission` hooks, and the templates (through `config.context_processors.access`),
so a link is shown exactly when the page behind it answers.

This module imports no models, so every module may import it, models included, without an
import cycle. A locality is read only through its `pk` and its `memberships` manager; a
user through Django's auth attributes and `groups`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# The membership roles, as stored in `Membership.role` (whose choices say the same; a test
# holds them together), and what each may do.
LEAD = "lead"
EDITOR = "editor"
VIEWER = "viewer"
ROLES = (LEAD, EDITOR, VIEWER)
CONTENT_ROLES = (LEAD, EDITOR)  # may change the locality's content
MANAGER_ROLES = (LEAD,)  # may change the locality's team

# Innovation-unit reviewers: active staff users in this group (see `reviewer_grants`).
REVIEWER_GROUP = "Innovation unit reviewers"


class HasMemberships(Protocol):
    """A locality, as far as these rules need one."""

    pk: Any
    memberships: Any


def _active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_reviewer(user: User | None) -> bool:
    """Innovation-unit reviewers are active staff users in the reviewers group."""
    if not (_active(user) and user.is_staff):
        return False
    cached = getattr(user, "_is_reviewer", None)
    if cached is None:
        cached = user.groups.filter(name=REVIEWER_GROUP).exists()
        user._is_reviewer = cached
    return cached


def sees_every_locality(user: User | None) -> bool:
    """Superusers and reviewers see every locality, and the portfolio; members their own."""
    return _active(user) and (user.is_superuser or is_reviewer(user))


def role_in(user: User | None, locality: HasMemberships) -> str | None:
    """The user's membership role in the locality, or None; read once per request."""
    if user is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_roles", {})
    if locality.pk not in cache:
        cache[locality.pk] = (
            locality.memberships.filter(user=user).values_list("role", flat=True).first()
        )
    return cache[locality.pk]


def know_roles(user: User | None, roles: dict[Any, str | None]) -> None:
    """Tell `role_in` the user's roles in many localities at once ({locality pk: role or
    None}), read in one query by a page that lists them (the dashboard), so that asking the
    predicates about each costs no query of its own."""
    if user is not None and user.is_authenticated:
        user.__dict__.setdefault("_roles", {}).update(roles)


def reads_shared_learning(user: User | None) -> bool:
    """The learning library (/learning/), what sites publish for one another: members of
    any locality, reviewers and superusers."""
    if not _active(user):
        return False
    if sees_every_locality(user):
        return True
    cached = getattr(user, "_is_member", None)
    if cached is None:
        # A role already read this request (a locality page reads the user's) answers it
        # without a query.
        known = user.__dict__.get("_roles", {}).values()
        cached = any(role is not None for role in known) or user.memberships.exists()
        user._is_member = cached
    return cached


def can_view(user: User | None, locality: HasMemberships) -> bool:
    """Members of every role, reviewers and superusers."""
    return sees_every_locality(user) or role_in(user, locality) is not None


def can_edit_content(user: User | None, locality: HasMemberships) -> bool:
    """Editors and leads of the locality, and superusers (not viewers, not reviewers)."""
    return _active(user) and (user.is_superuser or role_in(user, locality) in CONTENT_ROLES)


def can_manage_members(user: User | None, locality: HasMemberships) -> bool:
    """Leads of the locality, and superusers."""
    return _active(user) and (user.is_superuser or role_in(user, locality) in MANAGER_ROLES)


def can_review(user: User | None) -> bool:
    """Review work (comment, change a review state) in every locality: reviewers, superusers.

    Not content editing: a reviewer who may review a blueprint still may not change it.
    """
    return _active(user) and (user.is_superuser or is_reviewer(user))


# The same rules as filters on users, for choosing whom to tell (review emails). They say
# who holds the right, not whether the account is active: the caller picks active users.


def reviewers_filter() -> Q:
    """Users `is_reviewer` is true for."""
    return Q(is_staff=True, groups__name=REVIEWER_GROUP)


def content_team_filter(locality_id: Any) -> Q:
    """The locality's editors and leads (its team, not the superusers who may also edit)."""
    return Q(memberships__locality_id=locality_id, memberships__role__in=CONTENT_ROLES)


def viewers_filter(locality_id: Any) -> Q:
    """Users `can_view` is true for in the locality."""
    return Q(is_superuser=True) | reviewers_filter() | Q(memberships__locality_id=locality_id)
