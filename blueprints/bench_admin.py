"""Benchmark: the admin and the portfolio at the scale of a national programme (issue 10,
item 9).

150 localities on PostgreSQL (about 60,000 cards and 81,000 responses, two blueprints a
site, submitted and approved ones with their review history and snapshots of ~100 KB),
then every registered ModelAdmin's changelist and `/portfolio/`, as a superuser, each the
median of several requests. Target: every one under 150 ms. On SQLite it builds 15
localities, enough to see the query counts; the timings that matter are PostgreSQL's.

The data is bulk-created (it is a bench, not a test): no service runs for it, so there is
no history of the cards; one blueprint is snapshotted through the versions module and its
document is reused for every snapshot row. Run it alone with `python manage.py bench admin`.
"""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blueprints.models import (
    Blueprint,
    BlueprintVersion,
    Card,
    Comment,
    DeliveryChallenge,
    DeliveryQuestion,
    Lane,
    Phase,
    Prototype,
    ReviewTransition,
)
from blueprints.versions.snapshots import snapshot_blueprint
from consultations.models import Consultation, Idea, Response
from localities.bench import measure
from localities.models import Challenge, Insight, Locality, Membership, Tag

TARGET_MS = 150
LOCALITIES = {"postgresql": 150, "sqlite": 15}
CARDS_PER_BLUEPRINT = 200  # two blueprints a site: 400 cards, 60,000 for 150 sites
RESPONSES_PER_SITE = 540  # 81,000 for 150 sites
PHASES = ("Awareness", "Use", "Settling in", "Exit and advocacy")
STATES = (
    Blueprint.ReviewState.SUBMITTED,
    Blueprint.ReviewState.APPROVED,
    Blueprint.ReviewState.CHANGES_REQUESTED,
    Blueprint.ReviewState.DRAFT,
)
KINDS = Card.Kind.values
THEMES = DeliveryChallenge.Theme.values


def _bulk(model, rows, batch_size: int = 2000) -> list:
    return model.objects.bulk_create(list(rows), batch_size=batch_size)


def _through(field, pairs, batch_size: int = 5000) -> None:
    """Bulk-create many-to-many rows from (left pk, right pk) pairs."""
    through = field.through
    left, right = (f.attname for f in through._meta.concrete_fields if f.is_relation)
    through.objects.bulk_create(
        (through(**{left: a, right: b}) for a, b in pairs), batch_size=batch_size
    )


def build_programme(sites: int) -> dict[str, int]:
    """`sites` localities with a whole method's worth of work each; returns the row counts."""
    User = get_user_model()
    localities = _bulk(
        Locality,
        (
            Locality(name=f"Site {n:03d}", slug=f"site-{n:03d}", area=f"Council {n % 40}")
            for n in range(sites)
        ),
    )
    roles = [Membership.Role.LEAD, Membership.Role.EDITOR, Membership.Role.VIEWER]
    users = _bulk(
        User,
        (
            User(username=f"site-{n:03d}-{role}", email=f"{role}{n}@example.org", password="!")
            for n in range(sites)
            for role in roles
        ),
    )
    _bulk(
        Membership,
        (
            Membership(user=users[3 * n + r], locality=place, role=role)
            for n, place in enumerate(localities)
            for r, role in enumerate(roles)
        ),
    )
    tags = _bulk(Tag, (Tag(locality=p, name=f"tag {t}") for p in localities for t in range(6)))
    insights = _bulk(
        Insight,
        (
            Insight(
                locality=place,
                statement=f"Families hear about groups from people they trust ({i})",
                subject=Insight.Subject.FAMILIES if i % 3 else Insight.Subject.SYSTEM,
                source=Insight.Source.FAMILY_INTERVIEW,
                gathered_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
                recorded_by=users[3 * n],
            )
            for n, place in enumerate(localities)
            for i in range(40)
        ),
    )
    _through(
        Insight.tags, ((ins.pk, tags[(k // 40) * 6 + k % 6].pk) for k, ins in enumerate(insights))
    )
    challenges = _bulk(
        Challenge,
        (
            Challenge(locality=place, title=f"Families new to the area miss out ({c})")
            for place in localities
            for c in range(10)
        ),
    )
    _through(
        Challenge.insights,
        (
            (ch.pk, insights[(k // 10) * 40 + (k % 10) * 4 + j].pk)
            for k, ch in enumerate(challenges)
            for j in range(3)
        ),
    )
    ideas = _bulk(
        Idea,
        (
            Idea(
                locality=place,
                title=f"Welcome walks {i}",
                status=Idea.Status.CHOSEN if i == 0 else Idea.Status.SHORTLISTED,
                chosen_at=timezone.now() if i == 0 else None,
            )
            for place in localities
            for i in range(10)
        ),
    )
    consultations = _bulk(
        Consultation,
        (
            Consultation(
                locality=place,
                title=f"Drop-in at the library {c}",
                held_on=datetime.date(2025, 3, 1) + datetime.timedelta(days=c),
                audience=Consultation.Audience.values[c % len(Consultation.Audience.values)],
                method=Consultation.Method.values[c % len(Consultation.Method.values)],
            )
            for place in localities
            for c in range(6)
        ),
    )
    _through(
        Consultation.ideas,
        (
            (con.pk, ideas[(k // 6) * 10 + j].pk)
            for k, con in enumerate(consultations)
            for j in range(3)
        ),
    )
    groups = Response.Group.values
    _bulk(
        Response,
        (
            Response(
                consultation=consultations[n * 6 + r % 6],
                idea=ideas[n * 10 + r % 3],
                group=groups[r % len(groups)],
                support=1 + r % 5,
                comment="We would go if someone walked us there." if r % 4 == 0 else "",
            )
            for n in range(sites)
            for r in range(RESPONSES_PER_SITE)
        ),
        batch_size=5000,
    )

    # Two blueprints a site: the top idea's, in one of the review states, and an old draft.
    blueprints = _bulk(
        Blueprint,
        (
            Blueprint(
                locality=place,
                idea=ideas[n * 10] if main else None,
                title=f"{place.name} {'welcome walks' if main else 'first sketch'}",
                review_state=STATES[n % len(STATES)] if main else Blueprint.ReviewState.DRAFT,
                created_by=users[3 * n],
                version=40,
            )
            for n, place in enumerate(localities)
            for main in (True, False)
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
    cells_per = len(PHASES) * len(Lane.Role.values)

    def card(b: int, i: int) -> Card:
        cell = i % cells_per
        phase, lane = phases[b * len(PHASES) + cell // 5], lanes[b * 5 + cell % 5]
        return Card(
            blueprint=blueprints[b],
            phase=phase,
            lane=lane,
            position=i // cells_per,
            title=f"Step {i}: a parent guide phones the family",
            details="They agree a time to meet at the library. " * (1 + i % 3),
            kind=KINDS[i % len(KINDS)],
            emotion=(i % 5) - 2 if lane.role == Lane.Role.FAMILY else None,
        )

    cards = _bulk(
        Card,
        (card(b, i) for b in range(len(blueprints)) for i in range(CARDS_PER_BLUEPRINT)),
        batch_size=5000,
    )
    _through(
        Card.insights,
        (
            (c.pk, insights[(k // (2 * CARDS_PER_BLUEPRINT)) * 40 + k % 40].pk)
            for k, c in enumerate(cards)
            if k % 3 == 0
        ),
    )
    mains = blueprints[::2]
    challenges_dc = _bulk(
        DeliveryChallenge,
        (
            DeliveryChallenge(
                blueprint=b,
                theme=THEMES[(n + d) % len(THEMES)],
                title=f"Reaching families who never meet a health visitor {d}",
            )
            for n, b in enumerate(mains)
            for d in range(6)
        ),
    )
    _bulk(
        DeliveryQuestion,
        (
            DeliveryQuestion(challenge=dc, position=q, text=text)
            for dc in challenges_dc
            for q, text in enumerate(("Who do families trust?", "Where do they meet?"))
        ),
    )
    _through(
        DeliveryChallenge.cards,
        (
            (dc.pk, cards[(k // 6) * 2 * CARDS_PER_BLUEPRINT + k % 6 * 7 + j].pk)
            for k, dc in enumerate(challenges_dc)
            for j in range(3)
        ),
    )
    statuses, decisions = Prototype.Status.values, Prototype.Decision.values
    prototypes = _bulk(
        Prototype,
        (
            Prototype(
                blueprint=b,
                title=f"Saturday pop-up {p}",
                hypothesis="A named person brings families to a first session.",
                # Decided ones are finished and say what they taught (the model's rule).
                status="finished"
                if decisions[(n + p) % len(decisions)] != "undecided"
                else statuses[(n + p) % len(statuses)],
                decision=decisions[(n + p) % len(decisions)],
                learning="Eight of ten families came back."
                if decisions[(n + p) % len(decisions)] != "undecided"
                else "",
                starts_on=datetime.date(2025, 5, 1),
            )
            for n, b in enumerate(mains)
            for p in range(4)
        ),
    )
    _through(
        Prototype.cards,
        (
            (pr.pk, cards[(k // 4) * 2 * CARDS_PER_BLUEPRINT + k % 4].pk)
            for k, pr in enumerate(prototypes)
        ),
    )

    # Review history, comments and snapshots of the blueprints that went for review.
    reviewed = [b for b in mains if b.review_state != Blueprint.ReviewState.DRAFT]
    moves = {
        Blueprint.ReviewState.SUBMITTED: [("draft", "submitted")],
        Blueprint.ReviewState.APPROVED: [("draft", "submitted"), ("submitted", "approved")],
        Blueprint.ReviewState.CHANGES_REQUESTED: [
            ("draft", "submitted"),
            ("submitted", "changes_requested"),
        ],
    }
    _bulk(
        ReviewTransition,
        (
            ReviewTransition(
                blueprint=b, from_state=a, to_state=z, note="Thank you.", blueprint_version=40
            )
            for b in reviewed
            for a, z in moves[b.review_state]
        ),
    )
    _bulk(
        Comment,
        (
            Comment(blueprint=b, author=users[0], body=f"Who walks with the family? ({c})")
            for b in reviewed
            for c in range(4)
        ),
    )
    first = snapshot_blueprint(blueprint=reviewed[0], by=None, reason="submitted")
    _bulk(
        BlueprintVersion,
        (
            BlueprintVersion(
                blueprint=b,
                number=number,
                data=first.data,
                blueprint_version=40,
                reason="submitted",
            )
            for b in reviewed[1:]
            for number in (1, 2)
        ),
        batch_size=50,
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have, on a database in use
    return {
        "localities": len(localities),
        "cards": len(cards),
        "responses": Response.objects.count(),
        "snapshot KB": len(str(first.data).encode()) // 1024,
    }


class PlainClient(Client):
    """The test client without its capture of every rendered template's context.

    The test client copies the context of each template it renders, for assertions; an
    admin list renders one template per row's checkbox, so the copies would cost more than
    the page itself does in production. Cookies (the login) are sent as the client's.
    """

    def request(self, **request):
        return self.handler(self._base_environ(**request))


def changelists() -> list[tuple[str, str]]:
    """(label, URL) of every registered ModelAdmin's changelist, in the admin's order."""
    urls = []
    for model in admin.site._registry:
        meta = model._meta
        urls.append(
            (
                f"{meta.app_label}.{meta.model_name}",
                f"admin:{meta.app_label}_{meta.model_name}_changelist",
            )
        )
    return sorted((label, reverse(name)) for label, name in urls)


def bench_admin(stdout) -> None:
    sites = LOCALITIES.get(connection.vendor, LOCALITIES["sqlite"])
    counts = build_programme(sites)
    stdout.write(
        "Admin at scale: "
        + ", ".join(f"{value:,} {key}" for key, value in counts.items())
        + f"; target under {TARGET_MS} ms each."
    )
    superuser = get_user_model().objects.create_superuser("bench-admin", "admin@example.org", None)
    client = PlainClient()
    client.force_login(superuser)
    pages = [*changelists(), ("portfolio", reverse("portfolio:index"))]
    for label, url in pages:
        result = measure(
            f"admin changelist {label}" if label != "portfolio" else "/portfolio/",
            lambda url=url: client.get(url),
            repeat=7,
            warmup=1,
        )
        flag = "" if result.median_ms < TARGET_MS else "  OVER TARGET"
        stdout.write(result.line() + flag)
