"""Writes that span more than one row, called alike from views, admin and commands."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from localities.models import Locality, Membership

User = get_user_model()

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
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by: User) -> None:
    if membership.role == Membership.Role.LEAD:
        _refuse_if_last_lead(membership)
    membership.delete()
