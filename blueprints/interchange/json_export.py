"""A blueprint as a JSON document: the export file teams move between sites, and (with
database ids) the snapshot a version keeps (`blueprints.versions.snapshots`).

The file names things by position-based references (`phase-1`, `card-12`) rather than
database ids, and insights and the idea by their text, since another site has other ids.
Its format is the one `reader` checks on the way back in.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from blueprints.content_fields import RESULT_FIELDS
from blueprints.grid import read_grid, read_planning_details
from blueprints.interchange.resources import read_named
from blueprints.interchange.schema import RESOURCE_PARTS, SCHEMA, SCHEMA_VERSION
from blueprints.models import Blueprint, Card


def export_document(blueprint: Blueprint, *, with_ids: bool = False) -> dict[str, Any]:
    """The blueprint as a JSON-ready dict (fixed number of queries, see grid.read_grid).

    `with_ids` also writes each phase's, lane's, card's, delivery challenge's, question's and
    prototype's database id ("id") and each card's insight ids ("insight_ids"): version
    snapshots need a stable identity to compare by (`blueprints.versions`). Such a document
    is not an export file: `strip_ids` turns it back into one.
    """
    export = read_grid(blueprint, insights=True, links=True, planning=True)
    read_planning_details(export.challenges, export.prototypes)
    ids = (lambda obj: {"id": obj.pk}) if with_ids else (lambda obj: {})
    insight_ids: dict[int, list[int]] = {}
    if with_ids:  # one more query, only for snapshots
        for card_id, insight_id in (
            Card.insights.through.objects.filter(card__blueprint_id=blueprint.pk)
            .order_by("card_id", "insight_id")
            .values_list("card_id", "insight_id")
        ):
            insight_ids.setdefault(card_id, []).append(insight_id)
    phase_refs = {phase.pk: f"phase-{i}" for i, phase in enumerate(export.phases, 1)}
    lane_refs = {lane.pk: f"lane-{i}" for i, lane in enumerate(export.lanes, 1)}
    card_refs = {card.pk: f"card-{i}" for i, card in enumerate(export.cards, 1)}
    challenge_refs = {c.pk: f"challenge-{i}" for i, c in enumerate(export.challenges, 1)}
    questions = [q for challenge in export.challenges for q in challenge.question_list]
    question_refs = {q.pk: f"question-{i}" for i, q in enumerate(questions, 1)}
    named = read_named(blueprint.pk, [p.pk for p in export.prototypes], with_ids=with_ids)
    links = [
        {"from": card_refs[card.pk], "to": card_refs[other.pk]}
        for card in export.cards
        for other in card.serves_cards
    ]
    idea = blueprint.idea
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "source": {
            "locality": blueprint.locality.slug,
            "blueprint": blueprint.pk,
            "version": blueprint.version,
        },
        "blueprint": {
            "title": blueprint.title,
            "summary": blueprint.summary,
            "idea": idea.title if idea else None,
        },
        "resources": named.section,
        "phases": [
            {"ref": phase_refs[p.pk], "name": p.name, "description": p.description, **ids(p)}
            for p in export.phases
        ],
        "lanes": [
            {"ref": lane_refs[lane.pk], "role": lane.role, "name": lane.name, **ids(lane)}
            for lane in export.lanes
        ],
        "cards": [
            {
                "ref": card_refs[card.pk],
                "phase": phase_refs[card.phase_id],
                "lane": lane_refs[card.lane_id],
                "position": card.position,
                "title": card.title,
                "details": card.details,
                "kind": card.kind,
                "emotion": card.emotion,
                "insights": card.insight_statements,
                **named.card(card.pk),
                **ids(card),
                **({"insight_ids": insight_ids.get(card.pk, [])} if with_ids else {}),
            }
            for card in export.cards
        ],
        "links": links,
        "delivery_challenges": [
            {
                "ref": challenge_refs[c.pk],
                "theme": c.theme,
                "title": c.title,
                "questions": [
                    {
                        "ref": question_refs[q.pk],
                        "text": q.text,
                        "status": q.status,
                        "owner": q.owner.username if q.owner else None,
                        "answer": q.answer,
                        "answered_on": _day(q.answered_on),
                        "insights": q.insight_statements,
                        "ideas": q.idea_titles,
                        **ids(q),
                    }
                    for q in c.question_list
                ],
                "cards": [card_refs[card.pk] for card in c.card_list],
                **ids(c),
            }
            for c in export.challenges
        ],
        "prototypes": [
            {
                "title": p.title,
                "hypothesis": p.hypothesis,
                "method": p.method,
                "cost": f"{p.cost:.2f}",
                "risk": p.risk,
                "starts_on": _day(p.starts_on),
                "ends_on": _day(p.ends_on),
                "status": p.status,
                "learning": p.learning,
                "decision": p.decision,
                "cards": [card_refs[card.pk] for card in p.card_list],
                "delivery_challenges": [challenge_refs[c.pk] for c in p.challenge_list],
                "questions": [question_refs[q.pk] for q in p.question_list],
                **named.prototype(p.pk),
                **{name: _result(getattr(p, name)) for name in RESULT_FIELDS},
                "measures": [
                    {
                        "name": m.name,
                        "unit": m.unit,
                        "baseline": _result(m.baseline),
                        "target": _result(m.target),
                        "actual": _result(m.actual),
                    }
                    for m in p.measure_list
                ],
                **ids(p),
            }
            for p in export.prototypes
        ],
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _result(value: Decimal | int | str | None) -> str | int | None:
    """Amounts as text ("120.00"), so no reader rounds them; counts and text as they are."""
    return str(value) if isinstance(value, Decimal) else value


def export_json(blueprint: Blueprint) -> str:
    return json.dumps(export_document(blueprint), ensure_ascii=False, indent=2)


ID_KEYS = ("id", "insight_ids")


def strip_ids(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of a `with_ids` document without the ids: an export file, as `parse_document`
    reads it."""
    stripped = dict(document)
    for part in ("phases", "lanes", "cards", "delivery_challenges", "prototypes"):
        stripped[part] = [_without_ids(item) for item in document.get(part, [])]
    if "resources" in document:  # snapshots from before issue 15 have none
        stripped["resources"] = {
            part: [_without_ids(item) for item in document["resources"].get(part, [])]
            for part in RESOURCE_PARTS
        }
    return stripped


def _without_ids(item: dict[str, Any]) -> dict[str, Any]:
    bare = {key: value for key, value in item.items() if key not in ID_KEYS}
    if isinstance(bare.get("questions"), list) and "theme" in bare:  # a challenge's
        bare["questions"] = [
            _without_ids(q) if isinstance(q, dict) else q for q in bare["questions"]
        ]
    return bare
