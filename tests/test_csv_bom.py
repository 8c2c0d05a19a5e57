"""Every CSV the app serves starts with the UTF-8 byte-order mark, so Excel reads it as UTF-8.

The routes are found by walking the URL configuration for paths that end in `.csv`: a new
CSV route that this test does not know how to call fails `test_every_csv_route_is_checked`,
and one that forgets the mark fails `test_csv_starts_with_the_byte_order_mark`.
"""

from http import HTTPStatus

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from localities.csv_response import BOM
from tests.blueprints.factories import BlueprintFactory
from tests.consultations.factories import ConsultationFactory, ResponseFactory
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db


def csv_route_names(patterns=None, namespace: str = "") -> set[str]:
    """The names ("app:name") of every route whose path ends in `.csv`."""
    names: set[str] = set()
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= csv_route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and str(entry.pattern).endswith(".csv"):
            names.add(f"{namespace}{entry.name}")
    return names


@pytest.fixture
def records(locality, editor):
    """Something in every CSV, with text Excel would garble without the mark."""
    InsightFactory(locality=locality, statement="Café mornings feel welcoming")
    consultation = ConsultationFactory(locality=locality, title="Café consultation")
    ResponseFactory(consultation=consultation, comment="Très bien")
    blueprint = BlueprintFactory(locality=locality, title="Café walks", by=editor)
    return {"consultation": consultation, "blueprint": blueprint}


# How to call each CSV route, by its name; the value makes its URL from `records`.
CALLS = {
    "localities:insight-export": lambda r: {"slug": "northgate"},
    "consultations:responses-export": lambda r: {"slug": "northgate"},
    "consultations:consultation-export": lambda r: {
        "slug": "northgate",
        "pk": r["consultation"].pk,
    },
    "blueprints:export-csv": lambda r: {"slug": "northgate", "pk": r["blueprint"].pk},
    "blueprints:export-questions-csv": lambda r: {"slug": "northgate", "pk": r["blueprint"].pk},
    "blueprints:export-prototypes-csv": lambda r: {"slug": "northgate", "pk": r["blueprint"].pk},
    "portfolio:export": lambda r: {},
    "portfolio:questions-export": lambda r: {},
    "portfolio:prototypes-export": lambda r: {},
    "portfolio:resources-export": lambda r: {},
}


def test_every_csv_route_is_checked():
    found = csv_route_names()
    assert len(found) >= 9
    assert found == set(CALLS), "a CSV route this test does not call: add it to CALLS"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_csv_starts_with_the_byte_order_mark(client, superuser, records, name):
    client.force_login(superuser)
    response = client.get(reverse(name, kwargs=CALLS[name](records)))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(BOM.encode("utf-8"))
    # Once only: the header row follows the mark straight away.
    text = body.decode("utf-8")
    assert not text[1:].startswith(BOM)
    assert text[1:].split(",", 1)[0].strip()
