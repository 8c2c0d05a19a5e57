"""Writing a checked JSON document (`schema.ParsedDocument`) into the database, through
`blueprints.services`: `import_blueprint` makes a new blueprint of it, `fill_blueprint`
replaces an existing blueprint's content with it (as a version restore does). Each runs in
one transaction, so a file that fails half-way saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from blueprints import services
from blueprints.interchange.problems import MAX_PROBLEMS, ImportProblems
from blueprints.interchange.schema import ParsedDocument
from blueprints.models import Blueprint, Card
from consultations.models import Idea
from localities.models import Insight, Locality


@dataclass
class ImportResult:
    blueprint: Blueprint
    idea_missing: str | None
    unmatched_insights: list[str]


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
    fill_blueprint(blueprint=blueprint, document=document, card_insights=card_insights, by=by)
    blueprint.refresh_from_db()
    return ImportResult(
        blueprint=blueprint,
        idea_missing=document.idea if document.idea and idea is None else None,
        unmatched_insights=sorted(statements - set(insight_ids)),
    )


@transaction.atomic
def fill_blueprint(
    *,
    blueprint: Blueprint,
    document: ParsedDocument,
    card_insights: dict[str, list[int]],
    by,
) -> None:
    """Replace the blueprint's grid, links, delivery challenges and prototypes with the
    document's, through the services (title, summary and idea are left alone).

    `card_insights` gives each card's insight ids by the card's ref in the document (ids of
    the blueprint's locality; the services refuse others). Used by `import_blueprint` for a
    new blueprint and by `blueprints.versions.restore_version` for an existing one. A
    service's refusal raises ImportProblems and, in the caller's transaction, saves nothing.
    """
    try:
        for prototype in list(blueprint.prototypes.all()):
            services.delete_prototype(prototype=prototype, by=by)
        for challenge in list(blueprint.delivery_challenges.all()):
            services.delete_delivery_challenge(challenge=challenge, by=by)
        old = (list(blueprint.phases.all()), list(blueprint.lanes.all()))
        phases = [
            services.add_phase(blueprint=blueprint, by=by, **phase) for phase in document.phases
        ]
        lanes = [services.add_lane(blueprint=blueprint, by=by, **lane) for lane in document.lanes]
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
        for from_ref, to_ref in document.links:
            services.link_cards(from_card=cards[from_ref], to_card=cards[to_ref], by=by)
        challenges = {}
        for parsed in document.challenges:
            challenges[parsed["ref"]] = services.create_delivery_challenge(
                blueprint=blueprint,
                theme=parsed["theme"],
                title=parsed["title"],
                questions=parsed["questions"].splitlines(),
                cards=[cards[ref] for ref in parsed["cards"]],
                by=by,
            )
        for parsed in document.prototypes:
            services.create_prototype(
                blueprint=blueprint,
                **{k: v for k, v in parsed.items() if k not in ("cards", "delivery_challenges")},
                cards=[cards[ref] for ref in parsed["cards"]],
                delivery_challenges=[challenges[ref] for ref in parsed["delivery_challenges"]],
                by=by,
            )
    except ValidationError as error:
        raise ImportProblems(list(error.messages)[:MAX_PROBLEMS]) from None
