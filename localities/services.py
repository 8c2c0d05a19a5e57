"""Writes that span more than one row, called alike from views, admin and commands:
a locality's team (members and their roles), its insights with their tags, its
challenges with the insights they cite, and the deletion of its community resources.

Each takes keyword arguments only, runs in one transaction, and raises `ValidationError`
(with the field it concerns, where there is one) for input it refuses, so a form can show
the message next to the field. The insight writes also check who asks (`by`), as the
views do, and raise `PermissionDenied` for someone who may not change the locality's
content; `by=None` is the system itself (a management command).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from localities import live, permissions
from localities.models import (
    Challenge,
    Insight,
    Locality,
    Membership,
    Partner,
    Space,
    Tag,
    VolunteerRole,
)
from localities.validators import has_control_character, has_lone_surrogate

User = get_user_model()

TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length
MAX_TAGS_PER_INSIGHT = 20

LAST_LEAD_MESSAGE = (
    "{name} is the only lead of {locality}. Make someone else a lead first, "
    "so the team always has someone who can manage it."
)


def find_user(identifier: str) -> User:
    """The active user whose username or email is `identifier` (case-insensitive)."""
    identifier = identifier.strip()
    matches = list(
        User.objects.filter(is_active=True, username__iexact=identifier)[:1]
        or User.objects.filter(is_active=True, email__iexact=identifier)[:2]
    )
    if not matches:
        raise ValidationError(
            "No one has an account with that username or email. "
            "Ask an administrator to create the account first.",
            code="unknown_user",
        )
    if len(matches) > 1:
        raise ValidationError(
            "More than one account has that email; enter the username instead.",
            code="ambiguous_user",
        )
    return matches[0]


@transaction.atomic
def add_member(*, locality: Locality, user: User, role: str, by: User) -> Membership:
    if Membership.objects.filter(locality=locality, user=user).exists():
        raise ValidationError(
            f"{user.get_username()} is already a member of {locality.name}.", code="duplicate"
        )
    return Membership.objects.create(locality=locality, user=user, role=role)


def _lock_leads(locality: Locality) -> list[int]:
    """Lock the locality's lead memberships, so two leads cannot demote each other at once."""
    return list(
        Membership.objects.select_for_update()
        .filter(locality=locality, role=Membership.Role.LEAD)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _refuse_if_last_lead(membership: Membership) -> None:
    lead_ids = _lock_leads(membership.locality)
    if lead_ids == [membership.pk]:
        raise ValidationError(
            LAST_LEAD_MESSAGE.format(
                name=membership.user.get_username(), locality=membership.locality.name
            ),
            code="last_lead",
        )


@transaction.atomic
def change_member_role(*, membership: Membership, role: str, by: User) -> Membership:
    if membership.role == Membership.Role.LEAD and role != Membership.Role.LEAD:
        _refuse_if_last_lead(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    live.access_changed(user_id=membership.user_id)  # open live editors check again
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    if membership.role == Membership.Role.LEAD:
        _refuse_if_last_lead(membership)
    membership.delete()
    live.access_changed(user_id=membership.user_id)  # open live editors close


# Insights and their tags --------------------------------------------------------------


def clean_tag_names(names: Iterable[str]) -> list[str]:
    """The names, checked: each short enough and on one line, and not too many of them.

    Names are taken as given (`forms.parse_tag_names` trims and de-duplicates what people
    type); the form and the services both check them here, so the rule is written once.
    """
    names = list(names)
    too_long = [name for name in names if len(name) > TAG_NAME_MAX_LENGTH]
    if too_long:
        raise ValidationError(
            "Each tag can be at most %(limit)d characters; shorten “%(name)s”.",
            code="tag_too_long",
            params={"limit": TAG_NAME_MAX_LENGTH, "name": too_long[0][:60]},
        )
    if any(not name.strip() for name in names):
        raise ValidationError("A tag cannot be empty.", code="tag_empty")
    if any(has_control_character(name) or has_lone_surrogate(name) for name in names):
        raise ValidationError("Keep each tag to one line of plain text.", code="tag_not_one_line")
    if len(names) > MAX_TAGS_PER_INSIGHT:
        raise ValidationError(
            "Use at most %(limit)d tags on one insight.",
            code="too_many_tags",
            params={"limit": MAX_TAGS_PER_INSIGHT},
        )
    return names


def _refuse_unless_content_editor(by: User | None, locality: Locality) -> None:
    if by is not None and not permissions.can_edit_content(by, locality):
        raise PermissionDenied(
            f"Only the editors and leads of {locality.name} may change its insights."
        )


def _save_insight(insight: Insight, tag_names: Iterable[str]) -> Insight:
    """Check the insight and its tags, then save both; nothing is saved if either fails.

    The locality and the recorder are set by the services, not typed, so they are not
    checked again (each would cost a query); the database's constraints back the choices.
    """
    try:
        names = clean_tag_names(tag_names)
    except ValidationError as error:
        raise ValidationError({"tag_names": error}) from None
    insight.full_clean(exclude=["locality", "recorded_by"], validate_constraints=False)
    insight.save()
    insight.tags.set(Tag.objects.for_names(locality=insight.locality, names=names))
    return insight


@transaction.atomic
def create_insight(
    *,
    locality: Locality,
    by: User | None,
    statement: str,
    subject: str,
    source: str,
    detail: str = "",
    gathered_on: date | None = None,
    tag_names: Iterable[str] = (),
) -> Insight:
    """Record a new insight of the locality, recorded by `by`, with these tags.

    A tag name the locality already uses, whatever its capitals, reuses that tag.
    """
    _refuse_unless_content_editor(by, locality)
    insight = Insight(
        locality=locality,
        recorded_by=by if by is not None and by.is_authenticated else None,
        statement=statement,
        subject=subject,
        source=source,
        detail=detail,
        gathered_on=gathered_on,
    )
    return _save_insight(insight, tag_names)


@transaction.atomic
def update_insight(
    *,
    insight: Insight,
    by: User | None,
    statement: str,
    subject: str,
    source: str,
    detail: str = "",
    gathered_on: date | None = None,
    tag_names: Iterable[str] = (),
) -> Insight:
    """Change an insight's text and tags; its locality and recorder stay as they were."""
    _refuse_unless_content_editor(by, insight.locality)
    insight.statement = statement
    insight.subject = subject
    insight.source = source
    insight.detail = detail
    insight.gathered_on = gathered_on
    return _save_insight(insight, tag_names)


@transaction.atomic
def delete_insight(*, insight: Insight, by: User | None) -> None:
    """Delete an insight; the challenges and blueprint cards that cited it lose the link."""
    _refuse_unless_content_editor(by, insight.locality)
    insight.delete()


@transaction.atomic
def create_challenge(
    *,
    locality: Locality,
    by: User | None,
    title: str,
    description: str = "",
    insights: Iterable[Insight] = (),
) -> Challenge:
    """Name a challenge of the locality, citing these of its insights as evidence."""
    _refuse_unless_content_editor(by, locality)
    insights = list(insights)
    if any(insight.locality_id != locality.pk for insight in insights):
        raise ValidationError(
            {"insights": "Only the locality's own insights can be cited."}, code="other_locality"
        )
    challenge = Challenge(
        locality=locality,
        title=title,
        description=description,
        created_by=by if by is not None and by.is_authenticated else None,
    )
    challenge.full_clean(exclude=["locality", "created_by"], validate_constraints=False)
    challenge.save()
    challenge.insights.set(insights)
    return challenge


@transaction.atomic
def delete_resource(*, resource: Space | Partner | VolunteerRole) -> None:
    """Delete a space, partner or volunteer role of a locality, with its rows (openings,
    contributions, months). The blueprint cards and prototypes that named it lose it.

    A volunteer role also takes with it the hours a week it gave the cards that named it:
    hours belong to a role, and left on a card without one they would read as a need no one
    is named to meet. The role is locked first, so a card saved meanwhile naming it waits
    for this and then finds it gone, rather than keeping hours the deletion missed.

    Who may delete is decided by the callers, as for the resources' forms: the resources
    page's access rules and the admin's permissions.
    """
    type(resource).objects.select_for_update().filter(pk=resource.pk).values_list("pk").first()
    if isinstance(resource, VolunteerRole):
        resource.cards.update(volunteer_role=None, volunteer_hours=None)
    resource.delete()
