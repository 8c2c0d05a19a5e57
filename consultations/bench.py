"""Benchmark: the results pages with 100 and 10,000 responses (issue 3's target: at most
12 queries and a median under 150 ms at 10,000)."""

import random

from django.contrib.auth import get_user_model
from django.urls import reverse

from consultations.models import Consultation, Idea, Response
from localities.bench import logged_in_client, measure
from localities.models import Locality, Membership

GROUPS = Response.Group.values


def _locality_with_responses(count: int, editor) -> tuple[Locality, Consultation]:
    locality = Locality.objects.create(
        name=f"Bench {count}", slug=f"bench-{count}", area="Benchmark council"
    )
    Membership.objects.create(locality=locality, user=editor, role=Membership.Role.EDITOR)
    ideas = [
        Idea.objects.create(locality=locality, title=f"Idea {n}", status="shortlisted")
        for n in range(1, 6)
    ]
    consultation = Consultation.objects.create(
        locality=locality,
        title=f"Drop-in with {count} responses",
        held_on="2026-03-01",
        audience=Consultation.Audience.MIXED,
        method=Consultation.Method.DROP_IN,
    )
    consultation.ideas.set(ideas)
    rng = random.Random(count)
    Response.objects.bulk_create(
        (
            Response(
                consultation=consultation,
                idea=ideas[n % len(ideas)],
                group=rng.choice(GROUPS),
                support=rng.randint(1, 5),
                comment="A comment." if n % 4 == 0 else "",
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    return locality, consultation


def bench_results(stdout) -> None:
    editor = get_user_model().objects.create_user("bench-results-editor")
    client = logged_in_client(editor)
    for count in (100, 10_000):
        locality, consultation = _locality_with_responses(count, editor)
        pages = {
            "consultation results": reverse(
                "consultations:consultation-results", args=[locality.slug, consultation.pk]
            ),
            "locality results": reverse("consultations:results", args=[locality.slug]),
            "consultation page": consultation.get_absolute_url(),
        }
        for name, url in pages.items():
            result = measure(f"{name}, {count:,} responses", lambda url=url: client.get(url))
            stdout.write(result.line())
