"""Page query counts stay the same however many localities there are."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.localities.factories import LocalityFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PAGES = ["dashboard", "localities:list"]


def make_localities(count, member):
    for _ in range(count):
        locality = LocalityFactory()
        MembershipFactory(locality=locality, user=member, role="editor")
        MembershipFactory.create_batch(3, locality=locality)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_query_count_does_not_grow_from_1_to_50_localities(
    client_for, editor, reviewer, django_assert_max_num_queries, page, who
):
    user = {"editor": editor, "reviewer": reviewer}[who]
    client = client_for(user)
    url = reverse(page)
    make_localities(1, editor)
    small = count_queries(client, url)
    make_localities(49, editor)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["localities"]) >= 50
    assert str(list(response.context["localities"])[-1]) in response.text


@pytest.mark.parametrize("page", ["localities:detail", "localities:members"])
def test_locality_pages_query_count_does_not_grow_with_team(
    client_for, lead, locality, django_assert_max_num_queries, page
):
    client = client_for(lead)
    url = reverse(page, args=[locality.slug])
    small = count_queries(client, url)
    newest = MembershipFactory.create_batch(40, locality=locality)[-1]
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert locality.name in response.text
    if page == "localities:members":
        assert newest.user.get_username() in response.text
