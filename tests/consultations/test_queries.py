"""Lists, results and exports cost the same number of queries at 10 or 1,000 responses."""

import html
import random
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Response
from tests.consultations.factories import ConsultationFactory, IdeaFactory

pytestmark = pytest.mark.django_db

PAGES = [
    ("consultations:idea-list", False),
    ("consultations:consultation-list", False),
    ("consultations:results", False),
    ("consultations:responses-export", False),
    ("consultations:consultation-detail", True),
    ("consultations:consultation-results", True),
    ("consultations:consultation-export", True),
]


def add_responses(consultation, ideas, count, seed):
    rng = random.Random(seed)
    Response.objects.bulk_create(
        Response(
            consultation=consultation,
            idea=rng.choice(ideas),
            group=rng.choice(Response.Group.values),
            support=rng.randint(1, 5),
        )
        for _ in range(count)
    )


def fetch(client, url):
    """The response, whose whole body (streamed or not) has been read, unescaped, into
    `response.shown`: a page's queries include those run while streaming it."""
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.shown = html.unescape(body.decode())
    return response


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = fetch(client, url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def what_it_shows(page, consultation, ideas) -> str:
    """A piece of content each page shows, so that a login page or a 404 cannot pass."""
    return consultation.title if page == "consultations:consultation-list" else ideas[0].title


@pytest.mark.parametrize(("page", "for_consultation"), PAGES)
@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_query_count_does_not_grow_from_10_to_1000_responses(
    client_for, users, locality, django_assert_max_num_queries, page, for_consultation, who
):
    ideas = IdeaFactory.create_batch(5, locality=locality)
    consultation = ConsultationFactory(locality=locality, ideas=ideas)
    ConsultationFactory(locality=locality, ideas=ideas[:2])
    add_responses(consultation, ideas, 10, seed=1)
    args = [locality.slug, consultation.pk] if for_consultation else [locality.slug]
    url = reverse(page, args=args)
    client = client_for(users[who])
    small = count_queries(client, url)
    add_responses(consultation, ideas, 990, seed=2)
    IdeaFactory.create_batch(5, locality=locality)
    ConsultationFactory.create_batch(3, locality=locality, ideas=ideas)
    with django_assert_max_num_queries(small):
        response = fetch(client, url)
    assert response.status_code == HTTPStatus.OK
    assert what_it_shows(page, consultation, ideas) in response.shown


@pytest.mark.parametrize(
    ("page", "for_consultation"),
    [("consultations:results", False), ("consultations:consultation-results", True)],
)
def test_results_pages_stay_within_the_benchmark_budget(
    client_for, editor, locality, django_assert_max_num_queries, page, for_consultation
):
    ideas = IdeaFactory.create_batch(5, locality=locality)
    consultation = ConsultationFactory(locality=locality, ideas=ideas)
    add_responses(consultation, ideas, 1000, seed=3)
    args = [locality.slug, consultation.pk] if for_consultation else [locality.slug]
    client = client_for(editor)
    with django_assert_max_num_queries(12):
        response = fetch(client, reverse(page, args=args))
    assert response.status_code == HTTPStatus.OK
    assert ideas[0].title in response.shown
