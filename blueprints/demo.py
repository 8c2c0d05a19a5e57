"""Steps 6 to 9 of the demo sites' method: each site's own blueprint, its delivery
challenges and prototypes, and its review, read from the site files (localities.demo).

Written through `blueprints.services` and `blueprints.review` as a team and a reviewer
would in the app, so positions, history, versions and review moves are real. A site whose
blueprint (found by title) exists already is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from blueprints import models, services
from blueprints.content_fields import RESULT_FIELDS
from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from blueprints.services import MeasureRow
from localities.demo import Site, moment, tables, text

REVIEW_MOVES = {
    "submit": review_actions.submit,
    "request_changes": review_actions.request_changes,
    "approve": review_actions.approve,
}


def seed_blueprints(sites: list[Site]) -> None:
    for site in sites:
        spec = site.doc.get("blueprint", {})
        made = models.Blueprint.objects.filter(locality=site.locality, title=spec.get("title"))
        if spec and not made.exists():
            _seed_blueprint(site, spec)


@transaction.atomic
def _seed_blueprint(site: Site, spec: dict) -> None:
    lead, editor = site.team["lead"], site.team["editor"]
    top = site.doc.get("top_idea")
    with site.saving("blueprint", spec):
        blueprint = services.create_blueprint(
            locality=site.locality,
            idea=site.get(top["idea"]) if top else None,
            title=spec["title"],
            summary=text(spec, "summary"),
            by=lead,
        )
        _shape(site, blueprint, spec)
    phases = {phase.name: phase for phase in blueprint.phases.all()}
    lanes = {lane.role: lane for lane in blueprint.lanes.all()}
    for where, row in tables(spec, ("cards",), "blueprint"):
        with site.saving(where, row):
            if row["phase"] not in phases or row["lane"] not in lanes:
                raise site.error(f"{where} is in no phase or lane of the blueprint")
            site.records[row["key"]] = services.add_card(
                blueprint=blueprint,
                phase=phases[row["phase"]],
                lane=lanes[row["lane"]],
                title=row["title"],
                details=text(row, "details"),
                kind=row.get("kind", models.Card.Kind.STEP),
                emotion=row.get("emotion"),
                insights=site.all(row.get("insights", [])),
                space=_named(site, row, "space"),
                partner=_named(site, row, "partner"),
                volunteer_role=_named(site, row, "volunteer_role"),
                volunteer_hours=row.get("volunteer_hours"),
                by=editor,
            )
    for where, row in tables(spec, ("cards",), "blueprint"):
        for key in row.get("serves", []):
            with site.saving(where, row):
                services.link_cards(
                    from_card=site.get(row["key"]), to_card=site.get(key), by=editor
                )
    for where, row in tables(spec, ("delivery_challenges",), "blueprint"):
        with site.saving(where, row):
            site.records[row["key"]] = challenge = services.create_delivery_challenge(
                blueprint=blueprint,
                theme=row["theme"],
                title=row["title"],
                cards=site.all(row.get("cards", [])),
                by=editor,
            )
        for index, asked in enumerate(row.get("questions", [])):
            question = asked if isinstance(asked, dict) else {"text": asked}
            with site.saving(f"{where}.questions[{index}]", question):
                _question(site, challenge, f"{where}.questions[{index}]", question)
    for where, row in tables(spec, ("prototypes",), "blueprint"):
        with site.saving(where, row):
            site.records[row["key"]] = prototype = services.create_prototype(
                blueprint=blueprint,
                title=row["title"],
                hypothesis=text(row, "hypothesis"),
                method=text(row, "method"),
                cost=row.get("cost", 0),  # the model checks amounts, naming the field at fault
                risk=row.get("risk", "low"),
                starts_on=row.get("starts_on"),
                ends_on=row.get("ends_on"),
                status=row.get("status", "planned"),
                learning=text(row, "learning"),
                decision=row.get("decision", "undecided"),
                cards=site.all(row.get("cards", [])),
                delivery_challenges=site.all(row.get("delivery_challenges", [])),
                questions=site.all(row.get("questions", [])),
                spaces=site.all(row.get("spaces", [])),
                partners=site.all(row.get("partners", [])),
                volunteer_roles=site.all(row.get("volunteer_roles", [])),
                **{name: row[name] for name in RESULT_FIELDS if name in row},
                measures=[MeasureRow(**measure) for measure in row.get("measures", [])],
                by=editor,
            )
            if row.get("published"):
                services.publish_prototype(prototype=prototype, by=site.team["lead"])
    for where, row in tables(spec, ("review",), "blueprint"):
        with site.saving(where, row):
            _review(site, blueprint, where, row)


def _named(site: Site, row: dict, name: str) -> Any:
    """The record a card names by key in its field `name` (a space, partner or volunteer
    role of the site's resources), or None when it names none."""
    return site.get(row[name]) if name in row else None


def _shape(site: Site, blueprint: models.Blueprint, spec: dict) -> None:
    """Make the blueprint's phases those the file lists, and name its lanes as it says."""
    wanted = spec.get("phases", [])
    if len({phase["name"] for phase in wanted}) < len(wanted):
        raise site.error("blueprint.phases names a phase twice")
    existing = list(blueprint.phases.order_by("position"))
    for position, phase in enumerate(wanted):
        if position < len(existing):
            services.rename_phase(
                phase=existing[position],
                name=phase["name"],
                description=text(phase, "description"),
                by=site.team["lead"],
            )
        else:
            services.add_phase(
                blueprint=blueprint,
                name=phase["name"],
                description=text(phase, "description"),
                by=site.team["lead"],
            )
    for surplus in existing[len(wanted) :] if wanted else ():
        services.delete_phase(phase=surplus, by=site.team["lead"])
    lanes = {lane.role: lane for lane in blueprint.lanes.all()}
    for role, name in spec.get("lanes", {}).items():
        if role not in lanes:
            raise site.error(f'blueprint.lanes names the lane "{role}", which is not a lane role')
        services.rename_lane(lane=lanes[role], name=name, by=site.team["lead"])


def _question(site: Site, challenge: models.DeliveryChallenge, where: str, row: dict) -> None:
    """A question the editor asks; a table also says where it stands (the lead's call)."""
    owner = site.person(where, row, "owner") if "owner" in row else None
    question = services.create_delivery_question(
        challenge=challenge, text=row["text"], owner=owner, by=site.team["editor"]
    )
    if "key" in row:
        site.records[row["key"]] = question = services.update_delivery_question(
            question=question,
            status=row.get("status", "open"),
            answer=text(row, "answer"),
            answered_on=row.get("answered_on"),
            insights=site.all(row.get("insights", [])),
            ideas=site.all(row.get("ideas", [])),
            by=site.team["lead"],
        )
    if row.get("published"):
        services.publish_question(question=question, by=site.team["lead"])


def _review(site: Site, blueprint: models.Blueprint, where: str, row: dict) -> None:
    """One review move, comment or edit, by the team member or reviewer it names."""
    by = site.person(where, row, "by")
    action = row["action"]
    when = moment(row)
    if action in REVIEW_MOVES:
        move = REVIEW_MOVES[action](blueprint=blueprint, by=by, note=text(row, "note"))
        if when:
            models.ReviewTransition.objects.filter(pk=move.pk).update(at=when)
            if action == "submit":  # the snapshot the submission took
                blueprint.versions.filter(
                    number=blueprint.versions.order_by("-number").values("number")[:1]
                ).update(created_at=when)
    elif action == "comment":
        comment = review_comments.add_comment(
            blueprint=blueprint,
            by=by,
            body=text(row, "body"),
            card=site.get(row["card"]) if "card" in row else None,
            parent=site.get(row["reply_to"]) if "reply_to" in row else None,
        )
        if "key" in row:
            site.records[row["key"]] = comment
        if when:
            models.Comment.objects.filter(pk=comment.pk).update(created_at=when)
    elif action == "edit_card":
        card = models.Card.objects.get(pk=site.get(row["card"]).pk)
        changes = {name: text(row, name) for name in ("title", "details") if name in row}
        services.update_card(card=card, expected_version=card.version, by=by, **changes)
    else:
        raise site.error(f'{where}.action is "{action}", which the loader does not know')
    blueprint.refresh_from_db()
