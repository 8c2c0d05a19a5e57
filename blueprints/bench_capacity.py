"""Benchmark: the capacity check and the portfolio's resources tab (issue 15's benchmark).

1. `capacity_check` on a blueprint of 300 cards that name 4 volunteer roles (with hours a
   week), 3 spaces open out of hours and 3 partners with money, and 5 prototypes that name
   spaces and partners: the median of many calls, against the target of 50 ms, with its
   queries at 10 cards and at 300 (they must be the same).
2. `/portfolio/resources/` and its CSV with 150 localities, each with volunteer roles and a
   year of monthly counts, spaces with openings, partners with contributions, and a blueprint
   (the portfolio bench's) whose cards need volunteer hours: the median of several requests,
   against the target of 250 ms, with the queries at 6 sites and at 150 (the same).

The data is bulk-created: no service runs for it. Run it alone with
`python manage.py bench capacity`.
"""

from __future__ import annotations

import datetime
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints.bench_admin import PlainClient
from blueprints.bench_portfolio import build_planning
from blueprints.capacity import capacity_check
from blueprints.models import Blueprint, Card, Lane, Phase, Prototype
from localities.bench import measure
from localities.models import (
    Contribution,
    Locality,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)
from localities.permissions import REVIEWER_GROUP

CHECK_TARGET_MS = 50
PAGE_TARGET_MS = 250
CARDS = 300
SMALL_CARDS = 10
ROLES, SPACES, PARTNERS, PROTOTYPES = 4, 3, 3, 5
SITES = 150
FIRST_SITES = 6
MONTHS = 12
PHASES = ("Awareness", "Use", "Settling in", "Exit and advocacy")


def _bulk(model, rows, batch_size: int = 2000) -> list:
    return model.objects.bulk_create(list(rows), batch_size=batch_size)


def _months(year: int = 2026) -> list[datetime.date]:
    return [datetime.date(year, m + 1, 1) for m in range(MONTHS)]


def add_resources(localities: list[Locality]) -> dict[int, list[VolunteerRole]]:
    """Each locality's roles (with a year of months), spaces (with openings, one out of
    hours and unstaffed), partners (with money and in kind): returns the roles by site."""
    Locality.objects.filter(pk__in=[place.pk for place in localities]).update(
        volunteer_hours_limit=Decimal(6)
    )
    roles = _bulk(
        VolunteerRole,
        (
            VolunteerRole(locality=place, name=f"Role {r}", hours_needed=Decimal(10 + r))
            for place in localities
            for r in range(ROLES)
        ),
    )
    _bulk(
        VolunteerMonth,
        (
            VolunteerMonth(
                role=role, month=month, interested=3, checked=2, trained=2, active=2 + m % 3
            )
            for role in roles
            for m, month in enumerate(_months())
        ),
        batch_size=5000,
    )
    spaces = _bulk(
        Space,
        (
            Space(
                locality=place,
                name=f"Space {s}",
                kind="community_hall",
                out_of_hours_staffed_by="Caretaker" if s else "",
            )
            for place in localities
            for s in range(SPACES)
        ),
    )
    _bulk(
        Opening,
        (
            Opening(
                space=space,
                day=day,
                opens=datetime.time(9 if day < 5 else 18),
                closes=datetime.time(12 if day < 5 else 20),
                out_of_hours=day >= 5,
            )
            for space in spaces
            for day in (1, 3, 5)
        ),
    )
    partners = _bulk(
        Partner,
        (
            Partner(locality=place, organisation=f"Partner {p}", kind="voluntary")
            for place in localities
            for p in range(PARTNERS)
        ),
    )
    _bulk(
        Contribution,
        (
            Contribution(
                partner=partner,
                kind=kind,
                value=Decimal(value),
                status=status,
                status_on=datetime.date(2026, 6, 1),
            )
            for partner in partners
            for kind, value, status in (
                ("money", 500, "pledged"),
                ("money", 250, "delivered"),
                ("money", 1000, "asked"),
                ("in_kind", 120, "delivered"),
            )
        ),
    )
    by_site: dict[int, list] = {}
    for role in roles:
        by_site.setdefault(role.locality_id, []).append(role)
    return by_site


def name_resources(blueprints: list[Blueprint]) -> None:
    """Every card of the blueprints names a role with hours, a space and a partner; their
    prototypes name spaces and partners."""
    ids = [blueprint.pk for blueprint in blueprints]
    locality_of = {blueprint.pk: blueprint.locality_id for blueprint in blueprints}
    roles: dict[int, list] = {}
    for role in VolunteerRole.objects.filter(locality_id__in=locality_of.values()):
        roles.setdefault(role.locality_id, []).append(role.pk)
    spaces: dict[int, list] = {}
    for space in Space.objects.filter(locality_id__in=locality_of.values()):
        spaces.setdefault(space.locality_id, []).append(space.pk)
    partners: dict[int, list] = {}
    for partner in Partner.objects.filter(locality_id__in=locality_of.values()):
        partners.setdefault(partner.locality_id, []).append(partner.pk)
    cards = list(Card.objects.filter(blueprint_id__in=ids).only("pk", "blueprint_id"))
    for n, card in enumerate(cards):
        site = locality_of[card.blueprint_id]
        card.volunteer_role_id = roles[site][n % ROLES]
        card.volunteer_hours = Decimal(n % 4) / 2 + Decimal("0.5")
        card.space_id = spaces[site][n % SPACES]
        card.partner_id = partners[site][n % PARTNERS]
    Card.objects.bulk_update(
        cards, ["volunteer_role", "volunteer_hours", "space", "partner"], batch_size=2000
    )
    for prototype in Prototype.objects.filter(blueprint_id__in=ids).only("pk", "blueprint_id"):
        site = locality_of[prototype.blueprint_id]
        prototype.spaces.add(*spaces[site][:2])
        prototype.partners.add(*partners[site][:2])


def blueprint_of(locality: Locality, cards: int) -> Blueprint:
    """A blueprint of `cards` cards (round the cells) and prototypes, naming the resources."""
    blueprint = Blueprint.objects.create(
        locality=locality, title=f"Welcome walks, {cards} cards", version=1
    )
    phases = _bulk(
        Phase, (Phase(blueprint=blueprint, name=n, position=p) for p, n in enumerate(PHASES))
    )
    lanes = _bulk(
        Lane,
        (
            Lane(blueprint=blueprint, role=role, name=Lane.DEFAULT_NAMES[role], position=p)
            for p, role in enumerate(Lane.Role.values)
        ),
    )
    cells = [(phase, lane) for phase in phases for lane in lanes]
    _bulk(
        Card,
        (
            Card(
                blueprint=blueprint,
                phase=cells[n % len(cells)][0],
                lane=cells[n % len(cells)][1],
                position=n // len(cells),
                title=f"Step {n}: a guide walks the family to the hub",
                kind=Card.Kind.STEP,
            )
            for n in range(cards)
        ),
    )
    _bulk(
        Prototype,
        (
            Prototype(
                blueprint=blueprint,
                title=f"Saturday pop-up {p}",
                cost=Decimal(300 + 50 * p),
                status="running" if p % 2 else "planned",
                cash_cost=Decimal(280 + 40 * p) if p % 2 else None,
            )
            for p in range(PROTOTYPES)
        ),
    )
    name_resources([blueprint])
    return Blueprint.objects.select_related("locality").get(pk=blueprint.pk)


def time_check(blueprint: Blueprint, repeat: int = 25) -> tuple[int, float]:
    """(queries, median ms) of the capacity check on `blueprint`."""
    capacity_check(blueprint)  # warm up
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            capacity_check(blueprint)
            timings.append((time.perf_counter() - start) * 1000)
    return len(queries), statistics.median(timings)


def bench_check(stdout, *, cards: int = CARDS) -> None:
    locality = Locality.objects.create(name="Capacity bench", slug="capacity-bench")
    add_resources([locality])
    small_queries, _ = time_check(blueprint_of(locality, SMALL_CARDS), repeat=3)
    large = blueprint_of(locality, cards)
    queries, median = time_check(large)
    capacity = capacity_check(large)
    stdout.write(
        f"Capacity check: a {cards}-card blueprint naming {ROLES} roles, {SPACES} spaces and "
        f"{PARTNERS} partners, {PROTOTYPES} prototypes; target under {CHECK_TARGET_MS} ms "
        f"in the queries of {SMALL_CARDS} cards."
    )
    flags = "" if median < CHECK_TARGET_MS else "  OVER TARGET"
    if queries != small_queries:
        flags += f"  QUERIES GREW (from {small_queries})"
    label = f"capacity check, {cards} cards"
    stdout.write(f"{label:<58} {queries:>4} queries  {median:>8.1f} ms median{flags}")
    stdout.write(f"  ({capacity.volunteering_text}; {capacity.money_text})")


def build_sites(sites: int, *, start: int = 0) -> None:
    build_planning(sites, start=start)
    localities = list(
        Locality.objects.filter(slug__in=[f"site-{n:03d}" for n in range(start, start + sites)])
    )
    add_resources(localities)
    name_resources(list(Blueprint.objects.filter(locality__in=localities)))
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def pages() -> list[tuple[str, str]]:
    return [
        ("/portfolio/resources/", reverse("portfolio:resources")),
        ("/portfolio/resources.csv", reverse("portfolio:resources-export")),
    ]


def bench_resources(stdout, *, sites: int = SITES, first_sites: int = FIRST_SITES) -> None:
    reviewer = get_user_model().objects.create_user("bench-capacity-reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])
    client = PlainClient()
    client.force_login(reviewer)
    build_sites(first_sites)
    first = {
        label: measure(label, lambda url=url: client.get(url), repeat=1, warmup=1).queries
        for label, url in pages()
    }
    build_sites(sites - first_sites, start=first_sites)
    stdout.write(
        f"Portfolio resources: {sites} localities, each with {ROLES} volunteer roles of "
        f"{MONTHS} months, {SPACES} spaces, {PARTNERS} partners and a blueprint whose cards "
        f"need volunteer hours; target under {PAGE_TARGET_MS} ms, with the queries of "
        f"{first_sites} sites."
    )
    for label, url in pages():
        result = measure(label, lambda url=url: client.get(url), repeat=7, warmup=1)
        flags = "" if result.median_ms < PAGE_TARGET_MS else "  OVER TARGET"
        if result.queries != first[label]:
            flags += f"  QUERIES GREW (from {first[label]})"
        stdout.write(result.line() + flags)


def bench_capacity(stdout) -> None:
    bench_check(stdout)
    bench_resources(stdout)
