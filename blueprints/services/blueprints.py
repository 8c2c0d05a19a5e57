"""Writes to a blueprint as a whole: create it (with the default grid), change its title,
summary or idea, delete it, copy it deeply. See `shared` for the locks and history every
write shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from blueprints.live.broadcast import blueprint_changed
from blueprints.models import Blueprint, CardLink, Lane, Phase
from blueprints.review import states as review_states
from blueprints.services.shared import (
    UNSET,
    Unset,
    VersionConflict,
    attribute,
    check_idea,
    full_clean,
    lock_blueprint,
)
from consultations.models import Idea
from localities.models import Locality

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User

DEFAULT_PHASES = ("Awareness", "Use", "Exit and advocacy")
DEFAULT_LANE_ROLES = (
    Lane.Role.EVIDENCE,
    Lane.Role.FAMILY,
    Lane.Role.FRONTLINE,
    Lane.Role.BACKSTAGE,
    Lane.Role.SUPPORT,
)


@transaction.atomic
def create_blueprint(
    *, locality: Locality, idea: Idea | None, title: str, summary: str = "", by: User | None
) -> Blueprint:
    """A blueprint with the default phases and the five lanes of DESIGN section 2."""
    check_idea(idea, locality)
    blueprint = Blueprint(
        locality=locality, idea=idea, title=title.strip(), summary=summary, created_by=by
    )
    full_clean(blueprint)
    attribute(blueprint, by)
    blueprint.save()
    for position, name in enumerate(DEFAULT_PHASES):
        phase = Phase(blueprint=blueprint, name=name, position=position)
        attribute(phase, by)
        phase.save()
    for position, role in enumerate(DEFAULT_LANE_ROLES):
        lane = Lane(
            blueprint=blueprint, role=role, name=Lane.DEFAULT_NAMES[role], position=position
        )
        attribute(lane, by)
        lane.save()
    return blueprint


@transaction.atomic
def update_blueprint(
    *,
    blueprint: Blueprint,
    by: User | None,
    title: str | Unset = UNSET,
    summary: str | Unset = UNSET,
    idea: Idea | None | Unset = UNSET,
    expected_version: int | None = None,
) -> Blueprint:
    """Change the title, summary or idea (given ones only); the idea must be of the locality.

    A blueprint's idea is changed, never unset: `idea=None` leaves it as it is, like the
    site's form, which offers no "no idea" once a locality has ideas.

    With `expected_version`, raise VersionConflict and change nothing if the blueprint has
    moved on since the caller read it (a form opened before someone else's change).
    """
    locked = lock_blueprint(blueprint.pk)
    review_states.refuse_if_frozen(locked)  # content: frozen while submitted, as in `bump`
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict(
            locked,
            "Someone else has changed this blueprint since you opened it. "
            "Reload it to see their change, then make yours again.",
        )
    if idea is not UNSET and idea is not None:
        check_idea(idea, locked.locality)
        locked.idea = idea
    if title is not UNSET:
        locked.title = title.strip()
    if summary is not UNSET:
        locked.summary = summary
    full_clean(locked)
    locked.version += 1
    attribute(locked, by)
    locked.save()
    blueprint_changed(blueprint_id=locked.pk, version=locked.version, by=by)  # after commit
    if review_states.will_reopen(locked):  # review hook, as in `shared.bump`
        review_states.reopen_if_approved(blueprint=locked, by=by)
    return locked


@transaction.atomic
def delete_blueprint(*, blueprint: Blueprint, by: User | None) -> None:
    """Delete the blueprint and everything in it, recording who did it in its history.

    The lock makes a concurrent edit wait and then find the blueprint gone, rather than
    write a card into a blueprint half way through being deleted. A submitted blueprint is
    refused (`Frozen`) like any content change: the reviewer is reading it.
    """
    locked = lock_blueprint(blueprint.pk)
    review_states.refuse_if_frozen(locked)
    attribute(locked, by)
    locked.delete()


@transaction.atomic
def copy_blueprint(*, source: Blueprint, title: str, by: User | None) -> Blueprint:
    """A deep copy in the same locality: every phase, lane, card (with its insights), link,
    delivery challenge with its questions, and prototype with what it measured, each
    pointing at the new copies of what it pointed at. Nothing in the copy is published.
    """
    source = lock_blueprint(source.pk)  # no one changes the source half-way through
    reason = f"Copied from {source.title}"
    copy = Blueprint(
        locality_id=source.locality_id,
        idea_id=source.idea_id,
        title=title.strip(),
        summary=source.summary,
        created_by=by,
    )
    full_clean(copy)
    attribute(copy, by, reason)
    copy.save()

    def clone(instance: models.Model, **changes: Any) -> models.Model:
        new = type(instance)(
            **{
                field.attname: getattr(instance, field.attname)
                for field in instance._meta.concrete_fields
                if not field.primary_key and field.name not in ("created_at", "updated_at")
            }
        )
        for name, value in changes.items():
            setattr(new, name, value)
        attribute(new, by, reason)
        new.save()
        return new

    phases = {p.pk: clone(p, blueprint=copy) for p in source.phases.order_by("position")}
    lanes = {lane.pk: clone(lane, blueprint=copy) for lane in source.lanes.order_by("position")}
    cards = {}
    for card in source.cards.order_by("pk").prefetch_related("insights"):
        new_card = clone(
            card, blueprint=copy, phase=phases[card.phase_id], lane=lanes[card.lane_id], version=1
        )
        insight_ids = [insight.pk for insight in card.insights.all()]
        if insight_ids:
            new_card.insights.set(insight_ids)
        cards[card.pk] = new_card
    CardLink.objects.bulk_create(
        CardLink(from_card=cards[link.from_card_id], to_card=cards[link.to_card_id], created_by=by)
        for link in CardLink.objects.filter(from_card__blueprint=source).order_by("pk")
    )
    challenges, questions = {}, {}
    for challenge in source.delivery_challenges.order_by("pk").prefetch_related(
        "cards", "questions__insights", "questions__ideas"
    ):
        new_challenge = clone(challenge, blueprint=copy)
        card_ids = [cards[c.pk].pk for c in challenge.cards.all()]
        if card_ids:
            new_challenge.cards.set(card_ids)
        challenges[challenge.pk] = new_challenge
        for question in challenge.questions.all():
            new_question = clone(question, challenge=new_challenge, published_at=None)
            new_question.insights.set(question.insights.all())
            new_question.ideas.set(question.ideas.all())
            questions[question.pk] = new_question
    for prototype in source.prototypes.order_by("pk").prefetch_related(
        "cards", "delivery_challenges", "questions", "measures"
    ):
        new_prototype = clone(prototype, blueprint=copy, published_at=None)
        card_ids = [cards[c.pk].pk for c in prototype.cards.all()]
        if card_ids:
            new_prototype.cards.set(card_ids)
        challenge_ids = [challenges[c.pk].pk for c in prototype.delivery_challenges.all()]
        if challenge_ids:
            new_prototype.delivery_challenges.set(challenge_ids)
        new_prototype.questions.set([questions[q.pk].pk for q in prototype.questions.all()])
        for measure in prototype.measures.all():
            clone(measure, prototype=new_prototype)
    return copy
