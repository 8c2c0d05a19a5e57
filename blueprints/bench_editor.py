"""Benchmark: the blueprint editor at 30, 300 and 1,000 cards, and adding and moving a card
(as htmx posts them) on the 300-card blueprint.

Issue 4's targets: at most 20 queries whatever the size; the editor under 300 ms at 300
cards and under 1 s at 1,000; add-card and move-card under 60 ms.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, Card, Lane
from consultations.models import Idea
from localities.bench import logged_in_client, measure
from localities.models import Insight, Locality, Membership

HTMX = {"HX-Request": "true"}
SIZES = (30, 300, 1_000)


def _blueprint_with_cards(locality: Locality, count: int) -> Blueprint:
    """A blueprint of five lanes and five phases holding `count` cards, some with evidence,
    delivery challenges and prototypes, as a busy team's would be."""
    idea = Idea.objects.create(locality=locality, title=f"Idea for {count} cards")
    blueprint = services.create_blueprint(
        locality=locality, idea=idea, title=f"Blueprint of {count:,} cards", by=None
    )
    for name in ("Settling in", "Advocacy"):
        services.add_phase(blueprint=blueprint, name=name, by=None)
    phases = list(blueprint.phases.order_by("position"))
    lanes = list(blueprint.lanes.order_by("position"))
    cells = [(phase, lane) for phase in phases for lane in lanes]
    kinds = Card.Kind.values
    cards = Card.objects.bulk_create(
        (
            Card(
                blueprint=blueprint,
                phase=cells[n % len(cells)][0],
                lane=cells[n % len(cells)][1],
                position=n // len(cells),
                title=f"Step {n}: the family hears about the welcome walk",
                details="A parent guide rings within two working days and offers a walk. " * 2,
                kind=kinds[n % len(kinds)],
                emotion=(n % 5) - 2 if cells[n % len(cells)][1].role == Lane.Role.FAMILY else None,
            )
            for n in range(count)
        ),
        batch_size=500,
    )
    insights = Insight.objects.bulk_create(
        Insight(
            locality=locality,
            statement=f"Families trust a neighbour more than a leaflet ({count}, {n})",
            subject=Insight.Subject.FAMILIES,
            source=Insight.Source.FAMILY_INTERVIEW,
        )
        for n in range(10)
    )
    Card.insights.through.objects.bulk_create(
        (
            Card.insights.through(card_id=card.pk, insight_id=insights[n % len(insights)].pk)
            for n, card in enumerate(cards)
            if n % 2
        ),
        batch_size=1000,
    )
    for n in range(4):
        services.create_delivery_challenge(
            blueprint=blueprint,
            theme="engaging_families",
            title=f"Reaching families who never meet a health visitor {n}",
            cards=cards[n::7],
            by=None,
        )
    for n in range(2):
        services.create_prototype(
            blueprint=blueprint, title=f"Saturday pop-up {n}", cards=cards[n::9], by=None
        )
    return Blueprint.objects.get(pk=blueprint.pk)


def bench_editor(stdout) -> None:
    editor = get_user_model().objects.create_user("bench-editor")
    locality = Locality.objects.create(
        name="Bench editor", slug="bench-editor", area="Benchmark council"
    )
    Membership.objects.create(locality=locality, user=editor, role=Membership.Role.EDITOR)
    client = logged_in_client(editor)
    blueprints = {count: _blueprint_with_cards(locality, count) for count in SIZES}
    for count, blueprint in blueprints.items():
        url = reverse("blueprints:detail", args=[locality.slug, blueprint.pk])
        result = measure(f"blueprint editor, {count:,} cards", lambda url=url: client.get(url))
        stdout.write(result.line())

    blueprint = blueprints[300]
    base = reverse("blueprints:detail", args=[locality.slug, blueprint.pk])
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    first = blueprint.phases.order_by("position").first()
    add_url = f"{base}cards/new/?phase={first.pk}&lane={family.pk}"
    add = {"title": "Meets another parent at the gate", "kind": "step", "emotion": "1"}
    result = measure(
        "add a card (htmx), 300-card blueprint",
        lambda: client.post(add_url, add, headers=HTMX),
    )
    stdout.write(result.line())

    card = Card.objects.filter(blueprint=blueprint, phase=first, lane=family).first()
    state = {"version": card.version, "direction": "right"}

    def move_back_and_forth():
        response = client.post(
            f"{base}cards/{card.pk}/move/",
            {"direction": state["direction"], "version": state["version"]},
            headers=HTMX,
        )
        state["version"] += 1
        state["direction"] = "left" if state["direction"] == "right" else "right"
        return response

    result = measure("move a card (htmx), 300-card blueprint", move_back_and_forth)
    stdout.write(result.line())
