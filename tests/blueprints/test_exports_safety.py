"""Hostile text in a blueprint prints as text and fetches nothing; the fetcher serves only
the app's own static files."""

import io
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from blueprints import services
from blueprints.exports import pdf
from blueprints.exports.fetcher import FetchRefused, StaticOnlyFetcher, static_prefix
from blueprints.models import Card, DeliveryChallenge, Lane
from tests.blueprints.factories import BlueprintFactory, lane, phase
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://169.254.169.254/latest/">',
    "<style>@import url(https://evil.example/x.css);</style>",
    '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">',
    '<iframe src="http://127.0.0.1:8000/admin/"></iframe>',
    '</style><object data="file:///etc/hostname"></object>',
]
FORBIDDEN_HINTS = ["passwd", "169.254", "evil.example", "data:", "127.0.0.1", "hostname"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks the fetcher for, during the test."""
    asked = []
    real = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return real(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    return asked


@pytest.fixture
def hostile_blueprint(locality, editor):
    blueprint = BlueprintFactory(
        locality=locality, title='Plan <img src="file:///etc/passwd">', by=editor
    )
    services.update_blueprint(blueprint=blueprint, summary=" ".join(HOSTILE), by=editor)
    services.rename_phase(phase=phase(blueprint, 0), name="<b>Awareness</b>", by=editor)
    insight = InsightFactory(locality=locality, statement=HOSTILE[4])
    cards = [
        services.add_card(
            blueprint=blueprint,
            phase=phase(blueprint, 0),
            lane=lane(blueprint, Lane.Role.FAMILY),
            title=text[:120],
            details=text,
            kind=Card.Kind.STEP,
            insights=[insight],
            by=editor,
        )
        for text in HOSTILE
    ]
    services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.OTHER,
        title=HOSTILE[1],
        questions=HOSTILE,
        cards=cards[:2],
        by=editor,
    )
    services.create_prototype(
        blueprint=blueprint, title=HOSTILE[2], learning=HOSTILE[0], cards=cards[:1], by=editor
    )
    return blueprint


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_hostile_text_fetches_nothing_but_our_static_file(
    client, hostile_blueprint, viewer, fetched
):
    client.force_login(viewer)
    url = reverse("blueprints:export-pdf", args=["northgate", hostile_blueprint.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert fetched == [static_prefix() + "favicon.svg"]
    for hint in FORBIDDEN_HINTS:
        assert not any(hint in asked for asked in fetched), hint


def test_hostile_text_prints_as_the_characters_typed(client, hostile_blueprint, viewer):
    client.force_login(viewer)
    url = reverse("blueprints:export-pdf", args=["northgate", hostile_blueprint.pk])
    text = text_of(client.get(url).content)
    assert 'Plan <img src="file:///etc/passwd">' in text
    assert "<b>Awareness</b>" in text
    for hostile in HOSTILE:
        assert hostile[:60] in text, hostile


def test_hostile_text_in_the_locality_report_fetches_nothing(
    client, hostile_blueprint, viewer, fetched
):
    client.force_login(viewer)
    response = client.get(reverse("blueprints:locality-report-pdf", args=["northgate"]))
    assert response.status_code == HTTPStatus.OK
    assert set(fetched) == {static_prefix() + "favicon.svg"}
    assert '<img src="file:///etc/passwd">' in text_of(response.content)


def test_markup_that_did_reach_weasyprint_still_fetches_nothing():
    """Were a template ever to print user text unescaped, the fetcher is the second wall."""
    fetcher = StaticOnlyFetcher()
    html = "<html><body>" + "".join(HOSTILE) + '<img src="/static/favicon.svg"></body></html>'
    content = pdf.render_pdf(html, fetcher=fetcher)
    assert content.startswith(b"%PDF")
    assert fetcher.served == [static_prefix() + "favicon.svg"]
    assert fetcher.refused  # WeasyPrint asked, and was told no
    assert all(static_prefix() not in url for url in fetcher.refused)
    assert any("passwd" in url for url in fetcher.refused)
    assert any("169.254.169.254" in url for url in fetcher.refused)


REFUSED_URLS = [
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "https://evil.example/font.woff",
    "data:image/png;base64,iVBORw0KGgo=",
    "ftp://example.org/x.css",
    "javascript:alert(1)",
    "https://blueprint-studio.invalid/media/upload.png",
    "PREFIX../config/settings.py",
    "PREFIX%2e%2e/config/settings.py",
    "PREFIXcss/../../config/settings.py",
    "PREFIX..%2fconfig%2fsettings.py",
    "PREFIXcss%5c..%5c..%5cconfig%5csettings.py",
    "PREFIX/etc/passwd",
    "PREFIX%2fetc%2fpasswd",
    "PREFIXfavicon.svg?x=1",
    "PREFIXfavicon.svg%00.css",
    "PREFIXno-such-file.css",
    "PREFIXadmin/js/core.js",  # a real static file, of a type an export has no use for
    "PREFIX",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_fetcher_refuses_everything_but_our_static_files(url):
    url = url.replace("PREFIX", static_prefix())
    fetcher = StaticOnlyFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.served == []


def test_fetcher_serves_a_static_file_from_disk():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(static_prefix() + "favicon.svg")
    assert response.content_type == "image/svg+xml"
    assert response.read().startswith(b"<svg")
    assert fetcher.refused == []


def test_fetcher_serves_an_app_static_file_through_the_finders():
    fetcher = StaticOnlyFetcher()
    response = fetcher.fetch(static_prefix() + "admin/css/base.css")
    assert response.content_type == "text/css"
