"""Benchmark: the portfolio's delivery questions and decided prototypes across a national
programme (issue 12, item 5).

150 localities, each with a blueprint of 6 delivery challenges holding 20 questions (the
programme's starter questions and some of the site's own, at every status; a quarter
answered) and 5 prototypes (3 decided, with results, cards and questions tested). Then
`/portfolio/questions/` and `/portfolio/prototypes/` (sorted two ways) and their CSV, as a
reviewer, each the median of several requests. Target: every one under 250 ms, with the
same number of queries at 6 sites as at 150 (both are printed).

The data is bulk-created: no service runs for it. Run it alone with
`python manage.py bench portfolio`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from blueprints.bench_admin import PlainClient
from blueprints.models import (
    Blueprint,
    Card,
    DeliveryChallenge,
    DeliveryQuestion,
    Lane,
    Phase,
    Prototype,
    StarterQuestion,
)
from localities.bench import measure
from localities.models import Locality
from localities.permissions import REVIEWER_GROUP

TARGET_MS = 250
SITES = 150
FIRST_SITES = 6  # the query counts are taken here too, to show they do not grow
CHALLENGES = 6
QUESTIONS = 20  # a site's, spread over its challenges
PROTOTYPES = 5
DECIDED = 3  # of the prototypes
PHASES = ("Awareness", "Use", "Settling in", "Exit and advocacy")
CARDS = 20
THEMES = DeliveryChallenge.Theme.values
STATUSES = ("answered", "open", "testing", "open", "parked", "testing", "open", "answered")
DECISIONS = (Prototype.Decision.ADOPT, Prototype.Decision.ADAPT, Prototype.Decision.DROP)


def _bulk(model, rows, batch_size: int = 2000) -> list:
    return model.objects.bulk_create(list(rows), batch_size=batch_size)


def _question_texts(theme: str, site: int, count: int) -> list[str]:
    """The programme's starter questions of the theme first, then the site's own."""
    starters = list(
        StarterQuestion.objects.filter(theme=theme)
        .order_by("position")
        .values_list("text", flat=True)
    )
    own = [
        f"What does site {site} learn about {theme.replace('_', ' ')} ({n})?" for n in range(count)
    ]
    return (starters + own)[:count]


def build_planning(sites: int, *, start: int = 0) -> dict[str, int]:
    """`sites` localities (numbered from `start`) with their planning; returns the counts."""
    localities = _bulk(
        Locality,
        (
            Locality(name=f"Site {n:03d}", slug=f"site-{n:03d}", area=f"Council {n % 40}")
            for n in range(start, start + sites)
        ),
    )
    blueprints = _bulk(
        Blueprint,
        (
            Blueprint(locality=place, title=f"{place.name} welcome walks", version=10)
            for place in localities
        ),
    )
    phases = _bulk(
        Phase,
        (
            Phase(blueprint=b, name=name, position=p)
            for b in blueprints
            for p, name in enumerate(PHASES)
        ),
    )
    lanes = _bulk(
        Lane,
        (
            Lane(blueprint=b, role=role, name=Lane.DEFAULT_NAMES[role], position=p)
            for b in blueprints
            for p, role in enumerate(Lane.Role.values)
        ),
    )
    cards = _bulk(
        Card,
        (
            Card(
                blueprint=b,
                phase=phases[n * len(PHASES) + c % len(PHASES)],
                lane=lanes[n * 5 + c % 5],
                position=c // len(PHASES),
                title=f"Step {c}: a parent guide phones the family",
                kind=Card.Kind.STEP,
            )
            for n, b in enumerate(blueprints)
            for c in range(CARDS)
        ),
        batch_size=5000,
    )
    challenges = _bulk(
        DeliveryChallenge,
        (
            DeliveryChallenge(
                blueprint=b,
                theme=THEMES[(n + d) % len(THEMES)],
                title=f"Reaching families who never meet a health visitor {d}",
            )
            for n, b in enumerate(blueprints)
            for d in range(CHALLENGES)
        ),
    )
    texts: dict[tuple[str, int], list[str]] = {}
    rows = []
    for k, challenge in enumerate(challenges):
        site, d = divmod(k, CHALLENGES)
        count = QUESTIONS // CHALLENGES + (d < QUESTIONS % CHALLENGES)
        key = (challenge.theme, site % 4)  # a few groups of sites word their own alike
        if key not in texts:
            texts[key] = _question_texts(challenge.theme, site % 4, QUESTIONS)
        for q in range(count):
            status = STATUSES[(site + d + q) % len(STATUSES)]
            answered = status == "answered"
            rows.append(
                DeliveryQuestion(
                    challenge=challenge,
                    position=q,
                    text=texts[key][q],
                    status=status,
                    answer="Families came when a parent they knew asked them. " * 3
                    if answered
                    else "",
                    answered_on=datetime.date(2026, 6, 1) if answered else None,
                )
            )
    questions = _bulk(DeliveryQuestion, rows, batch_size=5000)
    prototypes = _bulk(
        Prototype,
        (
            Prototype(
                blueprint=b,
                title=f"Saturday pop-up {p}",
                hypothesis="A named person brings families to a first session.",
                status="finished" if p < DECIDED else ("planned", "running")[p % 2],
                decision=DECISIONS[(n + p) % len(DECISIONS)] if p < DECIDED else "undecided",
                learning="Eight of ten families came back." if p < DECIDED else "",
                starts_on=datetime.date(2026, 5, 1),
                families_reached=((n + p) % 12) * 3 if p < DECIDED else None,
                hardest_to_reach=(n + p) % 3 if p < DECIDED and (n + p) % 12 else None,
                staff_hours=Decimal(6 + (n * p) % 30) if p < DECIDED else None,
                volunteer_hours=Decimal(10 + (n + p) % 25) if p < DECIDED else None,
                cash_cost=Decimal(50 + (n * 7 + p) % 400) if p < DECIDED else None,
                in_kind_value=Decimal(20) if p < DECIDED else None,
            )
            for n, b in enumerate(blueprints)
            for p in range(PROTOTYPES)
        ),
    )
    Prototype.cards.through.objects.bulk_create(
        (
            Prototype.cards.through(
                prototype_id=pr.pk,
                card_id=cards[(k // PROTOTYPES) * CARDS + k % PROTOTYPES + j * 5].pk,
            )
            for k, pr in enumerate(prototypes)
            for j in range(3)
        ),
        batch_size=5000,
    )
    Prototype.questions.through.objects.bulk_create(
        (
            Prototype.questions.through(
                prototype_id=pr.pk,
                deliveryquestion_id=questions[
                    (k // PROTOTYPES) * QUESTIONS + (k % PROTOTYPES) * 3 + j
                ].pk,
            )
            for k, pr in enumerate(prototypes)
            for j in range(2)
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, on a database in use
    return {
        "localities": len(localities),
        "delivery challenges": len(challenges),
        "questions": len(questions),
        "prototypes": len(prototypes),
    }


def pages() -> list[tuple[str, str]]:
    prototypes = reverse("portfolio:prototypes")
    return [
        ("/portfolio/questions/ (the grid)", reverse("portfolio:questions")),
        ("/portfolio/questions.csv", reverse("portfolio:questions-export")),
        ("/portfolio/prototypes/ (by site)", prototypes),
        ("/portfolio/prototypes/?sort=-cost-per-family", f"{prototypes}?sort=-cost-per-family"),
        ("/portfolio/prototypes.csv", reverse("portfolio:prototypes-export")),
    ]


def bench_portfolio(stdout) -> None:
    reviewer = get_user_model().objects.create_user("bench-reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    client = PlainClient()
    client.force_login(reviewer)
    first_counts = build_planning(FIRST_SITES)
    first = {
        label: measure(label, lambda url=url: client.get(url), repeat=1, warmup=1).queries
        for label, url in pages()
    }
    counts = build_planning(SITES - FIRST_SITES, start=FIRST_SITES)
    totals = {key: value + first_counts[key] for key, value in counts.items()}
    stdout.write(
        "Portfolio planning at scale: "
        + ", ".join(f"{value:,} {key}" for key, value in totals.items())
        + f"; target under {TARGET_MS} ms each, with the queries of {FIRST_SITES} sites."
    )
    for label, url in pages():
        result = measure(label, lambda url=url: client.get(url), repeat=7, warmup=1)
        flags = "" if result.median_ms < TARGET_MS else "  OVER TARGET"
        if result.queries != first[label]:
            flags += f"  QUERIES GREW (from {first[label]})"
        stdout.write(result.line() + flags)
