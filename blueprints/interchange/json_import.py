"""Writing a checked JSON document (`schema.ParsedDocument`) into the database, through
`blueprints.services`: `import_blueprint` makes a new blueprint of it, `fill_blueprint`
replaces an existing blueprint's content with it (as a version restore does). Each runs in
one transaction, so a file that fails half-way saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from blueprints import services
from blueprints.interchange import resources as community
from blueprints.interchange.problems import MAX_PROBLEMS, ImportProblems
from blueprints.interchange.schema import ParsedDocument
from blueprints.models import Blueprint, Card, DeliveryQuestion, Prototype
from blueprints.services import MeasureRow
from blueprints.services.shared import attribute
from consultations.models import Idea
from localities.models import Insight, Locality

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


@dataclass
class FillReport:
    """What a document named that the blueprint's locality does not have, so was left out:
    questions' owners (not members of its team), insights (by statement) and ideas (by
    title); and the prototypes whose decision was set back to undecided, since the file
    (from before issue 12) decided them before they had finished or said what they taught."""

    unmatched_owners: list[str] = field(default_factory=list)
    unmatched_insights: list[str] = field(default_factory=list)
    unmatched_ideas: list[str] = field(default_factory=list)
    undecided_prototypes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    blueprint: Blueprint
    idea_missing: str | None
    unmatched_insights: list[str]
    unmatched_owners: list[str] = field(default_factory=list)
    unmatched_ideas: list[str] = field(default_factory=list)
    undecided_prototypes: list[str] = field(default_factory=list)
    # The file's community resources this locality did not have, so were created from it
    # ("Church hall (space)"); the others were matched to its own by name.
    created_resources: list[str] = field(default_factory=list)


@transaction.atomic
def import_blueprint(
    *, locality: Locality, document: ParsedDocument, by, title: str = ""
) -> ImportResult:
    """A new blueprint in `locality` from a checked document, through the services.

    The idea and the insights are found in this locality by their text; those with no match
    are left out and reported. A service's refusal rolls everything back.
    """
    idea = None
    if document.idea:
        namesakes = list(Idea.objects.filter(locality=locality, title=document.idea).order_by("pk"))
        chosen = [i for i in namesakes if i.status == Idea.Status.CHOSEN]
        idea = (chosen or namesakes or [None])[0]
    statements = {s for card in document.cards for s in card.insights}
    insight_ids: dict[str, list[int]] = {}
    for pk, statement in Insight.objects.filter(
        locality=locality, statement__in=statements
    ).values_list("pk", "statement"):
        insight_ids.setdefault(statement, []).append(pk)
    try:
        blueprint = services.create_blueprint(
            locality=locality,
            idea=idea,
            title=title.strip() or document.title,
            summary=document.summary,
            by=by,
        )
    except ValidationError as error:
        raise ImportProblems(list(error.messages)[:MAX_PROBLEMS]) from None
    card_insights = {
        card.ref: [pk for s in card.insights for pk in insight_ids.get(s, [])]
        for card in document.cards
    }
    matched = community.match_or_create(locality, document.resources)
    report = fill_blueprint(
        blueprint=blueprint,
        document=document,
        card_insights=card_insights,
        resources=matched.resolved,
        by=by,
    )
    blueprint.refresh_from_db()
    return ImportResult(
        blueprint=blueprint,
        idea_missing=document.idea if document.idea and idea is None else None,
        unmatched_insights=sorted((statements - set(insight_ids)) | set(report.unmatched_insights)),
        unmatched_owners=report.unmatched_owners,
        unmatched_ideas=report.unmatched_ideas,
        undecided_prototypes=report.undecided_prototypes,
        created_resources=matched.created,
    )


@dataclass
class _Evidence:
    """The locality's members, insights and ideas that a document's questions name."""

    owners: dict[str, User]
    insights: dict[str, list[int]]
    ideas: dict[str, list[int]]

    @classmethod
    def read(cls, document: ParsedDocument, locality_id: int) -> _Evidence:
        questions = [q for challenge in document.challenges for q in challenge["questions"]]
        usernames = {q["owner"] for q in questions if q["owner"]}
        statements = {s for q in questions for s in q["insights"]}
        titles = {t for q in questions for t in q["ideas"]}
        owners = {
            user.username: user
            for user in get_user_model().objects.filter(
                memberships__locality_id=locality_id, username__in=usernames
            )
        }
        insights: dict[str, list[int]] = {}
        for pk, statement in Insight.objects.filter(
            locality_id=locality_id, statement__in=statements
        ).values_list("pk", "statement"):
            insights.setdefault(statement, []).append(pk)
        ideas: dict[str, list[int]] = {}
        for pk, title in Idea.objects.filter(locality_id=locality_id, title__in=titles).values_list(
            "pk", "title"
        ):
            ideas.setdefault(title, []).append(pk)
        return cls(owners, insights, ideas)

    def report(self, document: ParsedDocument, report: FillReport) -> None:
        questions = [q for challenge in document.challenges for q in challenge["questions"]]
        usernames = {q["owner"] for q in questions if q["owner"]}
        report.unmatched_owners = sorted(usernames - set(self.owners))
        report.unmatched_insights = sorted(
            {s for q in questions for s in q["insights"]} - set(self.insights)
        )
        report.unmatched_ideas = sorted(
            {t for q in questions for t in q["ideas"]} - set(self.ideas)
        )


def _is_worked_on(parsed: dict) -> bool:
    """Whether a question says more than its text (a new one is open, unowned, bare)."""
    return bool(
        parsed["status"] != DeliveryQuestion.Status.OPEN
        or parsed["owner"]
        or parsed["answer"]
        or parsed["answered_on"]
        or parsed["insights"]
        or parsed["ideas"]
    )


def _decision_holds(parsed: dict) -> bool:
    """A decision needs a finished prototype that says what it taught (issue 12), and a
    result: the families reached, or what a measure came to. Files from before these rules
    may decide a planned prototype, or one with no result."""
    has_result = parsed.get("families_reached") is not None or any(
        measure.get("actual") is not None for measure in parsed["measures"]
    )
    return parsed["decision"] == Prototype.Decision.UNDECIDED or bool(
        parsed["status"] == Prototype.Status.FINISHED and parsed["learning"].strip() and has_result
    )


@transaction.atomic
def fill_blueprint(
    *,
    blueprint: Blueprint,
    document: ParsedDocument,
    card_insights: dict[str, list[int]],
    resources: community.Resolved | None = None,
    by,
) -> FillReport:
    """Replace the blueprint's grid, links, delivery challenges (with their questions) and
    prototypes (with their results) with the document's, through the services (title,
    summary and idea are left alone); returns what was left out (`FillReport`).

    Questions' owners, insights and ideas are found in the blueprint's locality by
    username, statement and title. An answered question is recorded as decided by `by`,
    who brings the answer into this site.

    `card_insights` gives each card's insight ids by the card's ref in the document (ids of
    the blueprint's locality; the services refuse others). `resources` gives the locality's
    record for each resource ref of the document, by part (`resources.match_or_create`,
    `resources.match_existing`); a ref it lacks, or maps to None, is left empty. Used by
    `import_blueprint` for a new blueprint and by `blueprints.versions.restore_version` for
    an existing one. A service's refusal raises ImportProblems and, in the caller's
    transaction, saves nothing.
    """
    report = FillReport()
    evidence = _Evidence.read(document, blueprint.locality_id)
    evidence.report(document, report)
    try:
        for prototype in list(blueprint.prototypes.all()):
            services.delete_prototype(prototype=prototype, by=by)
        for challenge in list(blueprint.delivery_challenges.all()):
            services.delete_delivery_challenge(challenge=challenge, by=by)
        old = (list(blueprint.phases.all()), list(blueprint.lanes.all()))
        phases = [
            services.add_phase(blueprint=blueprint, by=by, as_given=True, **phase)
            for phase in document.phases
        ]
        lanes = [
            services.add_lane(blueprint=blueprint, by=by, as_given=True, **lane)
            for lane in document.lanes
        ]
        for phase in old[0]:
            services.delete_phase(phase=phase, by=by)
        for lane in old[1]:
            services.delete_lane(lane=lane, by=by)
        cards: dict[str, Card] = {}
        for parsed in document.cards:
            cards[parsed.ref] = services.add_card(
                blueprint=blueprint,
                phase=phases[parsed.phase],
                lane=lanes[parsed.lane],
                title=parsed.title,
                details=parsed.details,
                kind=parsed.kind,
                emotion=parsed.emotion,
                insights=card_insights.get(parsed.ref, []),
                by=by,
            )
        _name_card_resources(document, cards, resources or {})
        for from_ref, to_ref in document.links:
            services.link_cards(from_card=cards[from_ref], to_card=cards[to_ref], by=by)
        challenges, questions = {}, {}
        for parsed in document.challenges:
            challenge = challenges[parsed["ref"]] = services.create_delivery_challenge(
                blueprint=blueprint,
                theme=parsed["theme"],
                title=parsed["title"],
                questions=[question["text"] for question in parsed["questions"]],
                cards=[cards[ref] for ref in parsed["cards"]],
                by=by,
            )
            created = challenge.questions.order_by("position", "pk")
            for question, item in zip(created, parsed["questions"], strict=True):
                if item["ref"]:
                    questions[item["ref"]] = question
                if _is_worked_on(item):
                    services.update_delivery_question(
                        question=question,
                        status=item["status"],
                        owner=evidence.owners.get(item["owner"]),
                        answer=item["answer"],
                        answered_on=item["answered_on"],
                        insights=[
                            pk for s in item["insights"] for pk in evidence.insights.get(s, [])
                        ],
                        ideas=[pk for t in item["ideas"] for pk in evidence.ideas.get(t, [])],
                        by=by,
                    )
        for parsed in document.prototypes:
            linked = (
                "cards",
                "delivery_challenges",
                "questions",
                "measures",
                "decision",
                *community.PROTOTYPE_RESOURCE_FIELDS,
            )
            decision = parsed["decision"]
            if not _decision_holds(parsed):
                report.undecided_prototypes.append(parsed["title"])
                decision = Prototype.Decision.UNDECIDED
            prototype = services.create_prototype(
                blueprint=blueprint,
                **{k: v for k, v in parsed.items() if k not in linked},
                decision=decision,
                cards=[cards[ref] for ref in parsed["cards"]],
                delivery_challenges=[challenges[ref] for ref in parsed["delivery_challenges"]],
                questions=[questions[ref] for ref in parsed["questions"]],
                # With the prototype, since a decision may rest on a measure's result.
                measures=[MeasureRow(**measure) for measure in parsed["measures"]],
                by=by,
            )
            _name_prototype_resources(prototype, parsed, resources or {}, by)
    except ValidationError as error:
        raise ImportProblems(list(error.messages)[:MAX_PROBLEMS]) from None
    return report


def _name_card_resources(
    document: ParsedDocument, cards: dict[str, Card], resources: community.Resolved
) -> None:
    """Set the space, partner, volunteer role and hours each new card names, in a fixed
    number of statements however many cards there are: the cards' rows, and their creation
    records in the history, so the history shows each card created as it is (and the next
    edit does not look like it changed them).

    The records are the blueprint's locality's (`resources` found or made them there) and
    the schema refused hours without a role, so `Card.clean` has nothing to refuse here."""
    named: dict[int, dict[str, object]] = {}
    for parsed in document.cards:
        values = {
            name: resources.get(part, {}).get(getattr(parsed, name))
            for name, part in community.CARD_RESOURCE_FIELDS.items()
        }
        hours = parsed.volunteer_hours if values["volunteer_role"] is not None else None
        if any(values.values()) or hours is not None:
            named[cards[parsed.ref].pk] = {**values, "volunteer_hours": hours}
    if not named:
        return
    fields = [*community.CARD_RESOURCE_FIELDS, "volunteer_hours"]
    rows = [card for card in cards.values() if card.pk in named]
    for card in rows:
        for name, value in named[card.pk].items():
            setattr(card, name, value)
    Card.objects.bulk_update(rows, fields)
    records = list(Card.history.filter(id__in=named, history_type="+"))
    for record in records:
        for name, value in named[record.id].items():
            setattr(record, name, value)
    Card.history.model.objects.bulk_update(records, fields)


def _name_prototype_resources(
    prototype: Prototype, parsed: dict, resources: community.Resolved, by
) -> None:
    """Set the spaces, partners and volunteer roles the new prototype uses, as the prototype
    service sets its cards on creation (a relation set records itself in the history)."""
    attribute(prototype, by)
    for name in community.PROTOTYPE_RESOURCE_FIELDS:
        found = [resources.get(name, {}).get(ref) for ref in parsed[name]]
        if ids := [obj.pk for obj in found if obj is not None]:
            getattr(prototype, name).set(ids)
