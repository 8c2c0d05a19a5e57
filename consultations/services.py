"""Writes that span more than one row, called alike from views, admin and commands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations.models import Consultation, Idea, Response, new_token
from localities.models import Challenge, Locality

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def _author(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def _refuse_strangers(locality: Locality, field: str, records: list) -> None:
    if any(record.locality_id != locality.pk for record in records):
        raise ValidationError(
            {field: f"Only {locality.name}'s own {field} can be chosen."}, code="other_locality"
        )


@transaction.atomic
def create_idea(
    *,
    locality: Locality,
    by: AbstractBaseUser | None,
    title: str,
    description: str = "",
    proposed_by: str = "",
    status: str = Idea.Status.BRAINSTORMED,
    challenges: Iterable[Challenge] = (),
) -> Idea:
    """Add an idea answering these of the locality's challenges. It cannot start as the
    top idea: `choose_top_idea` makes it that, with a rationale."""
    challenges = list(challenges)
    _refuse_strangers(locality, "challenges", challenges)
    if status == Idea.Status.CHOSEN:
        raise ValidationError(
            {"status": "Choose the top idea with its rationale, from the idea's page."},
            code="chosen_directly",
        )
    idea = Idea(
        locality=locality,
        title=title,
        description=description,
        proposed_by=proposed_by,
        status=status,
        created_by=_author(by),
    )
    idea.full_clean(exclude=["locality", "created_by"], validate_constraints=False)
    idea.save()
    idea.challenges.set(challenges)
    return idea


@transaction.atomic
def create_consultation(
    *,
    locality: Locality,
    by: AbstractBaseUser | None,
    title: str,
    held_on: date,
    audience: str,
    method: str,
    place: str = "",
    notes: str = "",
    is_open: bool = True,
    ideas: Iterable[Idea] = (),
) -> Consultation:
    """Add a consultation of the locality about these of its ideas."""
    ideas = list(ideas)
    _refuse_strangers(locality, "ideas", ideas)
    consultation = Consultation(
        locality=locality,
        title=title,
        held_on=held_on,
        audience=audience,
        method=method,
        place=place,
        notes=notes,
        is_open=is_open,
        created_by=_author(by),
    )
    consultation.full_clean(exclude=["locality", "created_by", "token"], validate_constraints=False)
    consultation.save()
    consultation.ideas.set(ideas)
    return consultation


@transaction.atomic
def choose_top_idea(*, idea: Idea, rationale: str, by: AbstractBaseUser | None) -> Idea:
    """Make `idea` its locality's top idea; the previous top idea goes back to shortlisted.

    The locality's ideas are locked first, so two people choosing at once queue rather
    than both succeed; the partial unique constraint `idea_one_chosen_per_locality` is the
    backstop. The previous idea is demoted before this one is promoted, because the
    constraint is checked statement by statement.
    """
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError("Say why this is the top idea.", code="rationale_required")
    locked = {
        other.pk: other
        for other in Idea.objects.select_for_update().filter(locality_id=idea.locality_id)
    }
    if idea.pk not in locked:
        raise ValidationError("That idea no longer exists.", code="gone")
    now = timezone.now()
    Idea.objects.filter(locality_id=idea.locality_id, status=Idea.Status.CHOSEN).exclude(
        pk=idea.pk
    ).update(status=Idea.Status.SHORTLISTED, chosen_at=None, updated_at=now)
    idea.status = Idea.Status.CHOSEN
    idea.rationale = rationale
    idea.chosen_at = now
    idea.chosen_by = _author(by)
    idea.save(update_fields=["status", "rationale", "chosen_at", "chosen_by", "updated_at"])
    return idea


def regenerate_token(*, consultation: Consultation) -> Consultation:
    """Give the consultation a new public link; the old one answers 404 from now on."""
    consultation.token = new_token()
    consultation.save(update_fields=["token", "updated_at"])
    return consultation


@dataclass(frozen=True)
class ResponseRow:
    """One response as read from a form: the idea, who answered, how much they support it."""

    idea: Idea
    group: str
    support: int
    comment: str = ""


@transaction.atomic
def record_responses(
    *,
    consultation: Consultation,
    rows: Iterable[ResponseRow],
    channel: str,
    submission_token: str = "",
) -> list[Response]:
    """Save a batch of responses to one consultation: all of them, or none.

    Forms have already checked each row; this refuses an idea that is not one of the
    consultation's, so no caller can attach responses to another locality's idea.
    """
    rows = list(rows)
    allowed = set(consultation.ideas.values_list("pk", flat=True))
    stray = [row.idea for row in rows if row.idea.pk not in allowed]
    if stray:
        raise ValidationError(
            "“%(idea)s” is not one of this consultation's ideas.",
            code="idea_not_consulted",
            params={"idea": stray[0]},
        )
    return Response.objects.bulk_create(
        Response(
            consultation=consultation,
            idea=row.idea,
            group=row.group,
            support=row.support,
            comment=row.comment,
            channel=channel,
            submission_token=submission_token,
        )
        for row in rows
    )


def submission_received(*, consultation: Consultation, submission_token: str) -> bool:
    """Whether the public form's submission with this one-time token is stored already."""
    return Response.objects.filter(
        consultation=consultation, submission_token=submission_token
    ).exists()


def record_public_responses(
    *, consultation: Consultation, rows: Iterable[ResponseRow], submission_token: str
) -> bool:
    """Store one submission of the public form, once: True if stored now, False if the same
    submission (its one-time token) was stored before, when nothing more is stored.

    The consultation's row is locked while the token is looked up and the responses written,
    so two copies of one submission sent at the same moment (a double click) queue one
    behind the other and the second finds the first; the unique constraint on (consultation,
    token, idea) is the backstop where the lock is not (SQLite ignores it, but lets one
    writer at a time).
    """
    if not submission_token:
        raise ValueError("A public submission needs its one-time token.")
    try:
        with transaction.atomic():
            list(Consultation.objects.select_for_update().filter(pk=consultation.pk).values("pk"))
            if submission_received(consultation=consultation, submission_token=submission_token):
                return False
            record_responses(
                consultation=consultation,
                rows=rows,
                channel=Response.Channel.PUBLIC,
                submission_token=submission_token,
            )
    except IntegrityError:
        if submission_received(consultation=consultation, submission_token=submission_token):
            return False
        raise
    return True
