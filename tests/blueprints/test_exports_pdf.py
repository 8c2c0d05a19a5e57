"""The blueprint PDF: what it says, its paper, how it splits, its bounds and its cache."""

import io
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from blueprints import services
from blueprints.exports import pdf
from blueprints.exports.bench import make_blueprint
from blueprints.models import Card, DeliveryChallenge, Lane, Prototype
from consultations.models import Idea
from tests.blueprints.factories import BlueprintFactory, lane, phase
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db

A3_LANDSCAPE = (1190.55, 841.89)
A4_LANDSCAPE = (841.89, 595.28)
LANE_NAMES = list(Lane.DEFAULT_NAMES.values())


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def pages_text(content: bytes) -> list[str]:
    """Each page's text, whitespace collapsed (a title may wrap onto a second line)."""
    return [
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(content)).pages
    ]


def page_sizes(content: bytes) -> set[tuple[float, float]]:
    return {
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        for page in PdfReader(io.BytesIO(content)).pages
    }


def pdf_url(blueprint, **query) -> str:
    url = reverse(
        "blueprints:export-pdf", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk}
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def blueprint(locality, editor):
    """A small blueprint with a card in every lane, an emotion, evidence, a link, a delivery
    challenge and a prototype."""
    idea = IdeaFactory(
        locality=locality, title="Welcome walks for new families", status=Idea.Status.CHOSEN
    )
    blueprint = BlueprintFactory(
        locality=locality, idea=idea, title="Welcome walks: the service", by=editor
    )
    insight = InsightFactory(
        locality=locality, statement="Parents trust what they hear from other parents"
    )
    first = phase(blueprint, 0)
    cards = {
        role: services.add_card(
            blueprint=blueprint,
            phase=first,
            lane=lane(blueprint, role),
            title=f"{Lane.DEFAULT_NAMES[role].split()[0]} card: the guide meets the family",
            details="At the library, on a Saturday morning.",
            kind=Card.Kind.TOUCHPOINT,
            emotion=2 if role == Lane.Role.FAMILY else None,
            insights=[insight] if role == Lane.Role.FAMILY else [],
            by=editor,
        )
        for role in Lane.Role.values
    }
    services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 2),
        lane=lane(blueprint, Lane.Role.FAMILY),
        title="Feels dropped when the visits stop",
        kind=Card.Kind.PAIN_POINT,
        emotion=-1,
        by=editor,
    )
    services.link_cards(
        from_card=cards[Lane.Role.FRONTLINE], to_card=cards[Lane.Role.FAMILY], by=editor
    )
    challenge = services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        title="Parent champions who stay longer than a term",
        questions=["What would make a parent volunteer again?"],
        cards=[cards[Lane.Role.FRONTLINE]],
        by=editor,
    )
    services.create_prototype(
        blueprint=blueprint,
        title="Parent guide visits for ten families",
        hypothesis="A named person brings families to a first session.",
        learning="Eight of the ten families came to a first session.",
        status=Prototype.Status.FINISHED,
        decision=Prototype.Decision.ADAPT,
        families_reached=8,
        cards=[cards[Lane.Role.FAMILY]],
        delivery_challenges=[challenge],
        by=editor,
    )
    blueprint.refresh_from_db()
    return blueprint


def test_pdf_holds_header_every_card_and_the_planning_pages(client, blueprint, viewer):
    viewer.first_name, viewer.last_name = "Vera", "Viewer"
    viewer.save()
    client.force_login(viewer)
    response = client.get(pdf_url(blueprint))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert "inline;" in response["Content-Disposition"]
    pages = pages_text(response.content)
    text = " ".join(pages)
    today = timezone.localdate()
    for expected in [
        "Northgate",
        "Welcome walks: the service",
        "Idea: Welcome walks for new families (the top idea)",
        "Version: Draft, never submitted",
        f"Exported: {today.day} {today:%B %Y} by Vera Viewer",
        "A3 landscape",
        "Line of interaction",
        "Line of visibility",
        "Line of internal interaction",
        "Family emotion",
        "Pain point",  # the legend, by label
        "Delivery challenges",
        "Parent champions who stay longer than a term",
        "What would make a parent volunteer again?",
        "Prototypes",
        "Parent guide visits for ten families",
        "Eight of the ten families came to a first session.",
        "Decision: Adapt",
        "Evidence",
        "E1 Parents trust what they hear from other parents",
        f"Page 1 of {len(pages)}",
    ]:
        assert expected in text, expected
    for title in Card.objects.filter(blueprint=blueprint).values_list("title", flat=True):
        assert title in text, title


def test_default_paper_is_a3_landscape(client, blueprint, viewer):
    client.force_login(viewer)
    assert page_sizes(client.get(pdf_url(blueprint)).content) == {A3_LANDSCAPE}


def test_a4_landscape_on_request(client, blueprint, viewer):
    client.force_login(viewer)
    response = client.get(pdf_url(blueprint, paper="a4"))
    assert page_sizes(response.content) == {A4_LANDSCAPE}
    assert "A4 landscape" in " ".join(pages_text(response.content))


def test_unknown_paper_is_refused_not_printed_on_a3(client, blueprint, viewer):
    """Issue 14: a size there is none of says so (see test_exports_pdf_tagged.py)."""
    client.force_login(viewer)
    response = client.get(pdf_url(blueprint, paper="letter"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"].startswith("text/html")


def test_text_is_text_in_an_embedded_font(client, blueprint, viewer):
    client.force_login(viewer)
    reader = PdfReader(io.BytesIO(client.get(pdf_url(blueprint)).content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "DejaVu" in str(font["/BaseFont"])
        assert "/FontFile2" in descriptor  # the font program is in the file


def test_wide_blueprint_splits_by_phases_with_lane_names_on_each_page(
    client, locality, editor, viewer
):
    blueprint = BlueprintFactory(locality=locality, title="Eight phases", by=editor)
    for number in range(4, 9):
        services.add_phase(blueprint=blueprint, name=f"Phase called {number}", by=editor)
    for position in range(8):
        services.add_card(
            blueprint=blueprint,
            phase=phase(blueprint, position),
            lane=lane(blueprint, Lane.Role.FRONTLINE),
            title=f"Step in phase {position + 1}",
            kind=Card.Kind.STEP,
            by=editor,
        )
    client.force_login(viewer)
    pages = pages_text(client.get(pdf_url(blueprint)).content)
    first = next(i for i, text in enumerate(pages) if "phases 1–4 of 8" in text)
    second = next(i for i, text in enumerate(pages) if "phases 5–8 of 8" in text)
    assert first < second
    for index in (first, second):
        for name in LANE_NAMES:
            assert name in pages[index], (index, name)
    assert "Phase called 8" in pages[second]
    assert "Phase called 8" not in pages[first]
    assert "Step in phase 8" in pages[second]


def test_thousand_cards_make_several_pages_with_lane_names_on_each(client, locality, viewer):
    blueprint = make_blueprint(locality, cards=1000, phases=6, title="A thousand cards")
    client.force_login(viewer)
    # Past 300 cards a worker renders it (here at once, with the tests' task backend).
    response = client.get(pdf_url(blueprint))
    assert response.status_code == HTTPStatus.OK
    pages = pages_text(response.content)
    grid = [text for text in pages if "Lane / phase" in text]
    assert len(grid) >= 5
    for text in grid:
        assert any(name in text for name in LANE_NAMES), text[:200]
    assert pages.index(grid[-1]) == len(grid) - 1  # the grid first, then the other pages
    text = " ".join(pages)
    for number in range(1, 1001):
        assert f"Card {number}: a parent guide phones the family" in text, number
    assert "the grid shows each card's kind and title" in text


def test_tall_cells_are_split_into_bands_that_say_which_part_they_are(
    client, locality, editor, viewer
):
    blueprint = BlueprintFactory(locality=locality, title="Tall cell", by=editor)
    for number in range(1, 10):
        services.add_card(
            blueprint=blueprint,
            phase=phase(blueprint, 0),
            lane=lane(blueprint, Lane.Role.BACKSTAGE),
            title=f"Backstage task {number}",
            kind=Card.Kind.STEP,
            by=editor,
        )
    client.force_login(viewer)
    text = " ".join(pages_text(client.get(pdf_url(blueprint)).content))
    cards_per_band = pdf.PAPERS["a3"].cards_per_band
    parts = -(-9 // cards_per_band)
    for part in range(1, parts + 1):
        assert f"Behind the scenes part {part} of {parts}" in text


def queries_for(client, blueprint) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(pdf_url(blueprint)).status_code == HTTPStatus.OK
    return len(queries)


def test_query_count_does_not_grow_with_cards(
    client, blueprint, locality, viewer, django_assert_max_num_queries, monkeypatch
):
    # This counts queries: on a busy machine the render must not be stopped by the time
    # guard (a 422), which has tests of its own.
    monkeypatch.setattr(pdf, "RENDER_SECONDS", pdf.WORKER_RENDER_SECONDS)
    big_blueprint = make_blueprint(locality, cards=150, phases=4, title="Bigger")
    client.force_login(viewer)
    small_count = queries_for(client, blueprint)
    cache.clear()
    with django_assert_max_num_queries(small_count) as big:
        response = client.get(pdf_url(big_blueprint))
    assert response.status_code == HTTPStatus.OK
    assert response.content.startswith(b"%PDF")
    assert len(big) == small_count


@pytest.fixture
def renders(monkeypatch):
    """Counts WeasyPrint renders."""
    calls = []
    real = pdf.render_pdf

    def counting(html, **kwargs):
        calls.append(1)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    return calls


def test_second_download_of_unchanged_blueprint_does_no_rendering(
    client, blueprint, viewer, renders
):
    client.force_login(viewer)
    first = client.get(pdf_url(blueprint))
    second = client.get(pdf_url(blueprint))
    assert len(renders) == 1
    assert second.content == first.content


def test_a_new_version_paper_or_exporter_renders_again(
    client, blueprint, editor, viewer, lead, renders
):
    client.force_login(viewer)
    client.get(pdf_url(blueprint))
    client.get(pdf_url(blueprint, paper="a4"))
    assert len(renders) == 2
    card = Card.objects.filter(blueprint=blueprint).first()
    services.update_card(card=card, expected_version=card.version, title="Renamed", by=editor)
    text = " ".join(pages_text(client.get(pdf_url(blueprint)).content))
    assert len(renders) == 3
    assert "Renamed" in text
    client.force_login(lead)  # the header names who exported it
    client.get(pdf_url(blueprint))
    assert len(renders) == 4


def test_an_edited_insight_renders_again_though_the_version_is_the_same(
    client, blueprint, viewer, renders
):
    """Insights are edited in the localities app, which does not bump blueprint versions."""
    client.force_login(viewer)
    client.get(pdf_url(blueprint))
    insight = blueprint.cards.get(insights__isnull=False).insights.get()
    insight.statement = "Parents trust other parents most of all"
    insight.save()
    text = " ".join(pages_text(client.get(pdf_url(blueprint)).content))
    assert len(renders) == 2
    assert "Parents trust other parents most of all" in text


def test_blueprint_over_the_card_limit_gets_a_message_not_a_render(
    client, blueprint, viewer, renders, monkeypatch
):
    monkeypatch.setattr(pdf, "MAX_CARDS", 3)
    client.force_login(viewer)
    response = client.get(pdf_url(blueprint))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "blueprints/exports/refused.html" in [t.name for t in response.templates]
    assert "a PDF can hold at most 3" in response.content.decode()
    assert reverse("blueprints:export-json", args=["northgate", blueprint.pk]) in (
        response.content.decode()
    )
    assert renders == []


def test_render_past_the_time_limit_gets_a_message(client, blueprint, viewer, monkeypatch):
    monkeypatch.setattr(pdf, "RENDER_SECONDS", 0)
    client.force_login(viewer)
    response = client.get(pdf_url(blueprint))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "took longer than 0 seconds" in response.content.decode()
    assert cache.get(pdf.cache_key(blueprint, paper=pdf.PAPERS["a3"], user=viewer)) is None


def test_render_past_the_page_limit_gets_a_message(client, blueprint, viewer, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    client.force_login(viewer)
    response = client.get(pdf_url(blueprint))
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "past 1 pages" in response.content.decode()


def test_guard_leaves_other_renders_alone_after_a_stop(blueprint, viewer, monkeypatch):
    monkeypatch.setattr(pdf, "RENDER_SECONDS", 0)
    with pytest.raises(pdf.TooSlow):
        pdf.render_blueprint_pdf(blueprint, paper=pdf.PAPERS["a3"], user=viewer)
    monkeypatch.undo()
    assert pdf.render_blueprint_pdf(blueprint, paper=pdf.PAPERS["a3"], user=viewer).startswith(
        b"%PDF"
    )
