"""Steps 3 to 5 of the demo sites' method: ideas, consultations with responses, the top idea.

Read from the site files (localities.demo). A consultation's written-out responses, with
their comments, come from the file; the file also says how many more people of each
group scored the ideas, and those scores are drawn around where the idea's `parents` and
`professionals` support centres, from a generator seeded with the site and consultation,
so every run and every database gives the same demo.
"""

from __future__ import annotations

import random

from consultations.models import Consultation, Idea, Response
from consultations.services import (
    ResponseRow,
    choose_top_idea,
    create_consultation,
    create_idea,
    record_responses,
)
from localities.demo import Site, moment, tables, text

PROFESSIONALS = (Response.Group.PRACTITIONER, Response.Group.PARTNER)


def _score(rng: random.Random, centre: float) -> int:
    """A score whose average over many people is about `centre`, with a little spread."""
    low = int(centre)
    score = low + (1 if rng.random() < centre - low else 0)
    roll = rng.random()
    if roll < 0.1:
        score -= 1
    elif roll < 0.2:
        score += 1
    return max(1, min(5, score))


def _centre(idea: dict, group: str) -> float:
    if group == Response.Group.PARENT:
        return idea["parents"]
    if group in PROFESSIONALS:
        return idea["professionals"]
    return (idea["parents"] + idea["professionals"]) / 2


def response_rows(site: Site, where: str, consultation: dict) -> list[ResponseRow]:
    rows = []
    for index, row in enumerate(consultation.get("responses", [])):
        if row["group"] not in Response.Group.values or row["support"] not in range(1, 6):
            raise site.error(
                f"{where}.responses[{index}] needs a group of {', '.join(Response.Group.values)} "
                "and a support from 1 to 5"
            )
        idea = site.get(row["idea"])
        rows.append(ResponseRow(idea, row["group"], row["support"], text(row, "comment")))
    ideas = {row["key"]: row for row in site.doc.get("ideas", [])}
    rng = random.Random(f"demo:{site.slug}:{consultation['key']}")
    for group, count in consultation.get("people", {}).items():
        for _ in range(count):
            for key in consultation["ideas"]:
                if rng.random() >= 0.1:  # people skip an idea now and then
                    support = _score(rng, _centre(ideas[key], group))
                    rows.append(ResponseRow(site.get(key), group, support))
    return rows


def seed_consultations(sites: list[Site]) -> None:
    for site in sites:
        _seed_site(site)


def _seed_site(site: Site) -> None:
    locality = site.locality
    for where, row in tables(site.doc, ("ideas",)):
        with site.saving(where, row):
            idea = Idea.objects.filter(locality=locality, title=row["title"]).first()
            idea = idea or create_idea(
                locality=locality,
                by=site.team["editor"],
                title=row["title"],
                description=text(row, "description"),
                proposed_by=row.get("proposed_by", ""),
                status=row.get("status", Idea.Status.BRAINSTORMED),
                challenges=site.all(row.get("challenges", [])),
            )
        site.records[row["key"]] = idea
    for where, row in tables(site.doc, ("consultations",)):
        with site.saving(where, row):
            consultation = Consultation.objects.filter(
                locality=locality, title=row["title"]
            ).first()
            consultation = consultation or create_consultation(
                locality=locality,
                by=site.team["editor"],
                title=row["title"],
                held_on=row["held_on"],
                audience=row["audience"],
                method=row["method"],
                place=row.get("place", ""),
                notes=text(row, "notes"),
                is_open=row.get("is_open", False),
                ideas=site.all(row["ideas"]),
            )
            channel = row.get("channel", Response.Channel.TEAM)
            if channel not in Response.Channel.values:
                raise site.error(f'{where}.channel is "{channel}", not team or public')
            if not consultation.responses.exists():
                record_responses(
                    consultation=consultation, rows=response_rows(site, where, row), channel=channel
                )
        site.records[row["key"]] = consultation
    top = site.doc.get("top_idea")
    if top and not Idea.objects.filter(locality=locality, status=Idea.Status.CHOSEN).exists():
        with site.saving("top_idea", top):
            idea = choose_top_idea(
                idea=site.get(top["idea"]), rationale=text(top, "rationale"), by=site.team["lead"]
            )
        if when := moment(top):
            Idea.objects.filter(pk=idea.pk).update(chosen_at=when)
