"""The editor's drawn links and its honest emotion curve (issue 13, items 5 and 6): the links'
data for the connectors, each family card's emotion as its own point with the worst moment
marked (in the editor, the text of its chart and the PDF), and changing a card's emotion
from the chart, for editors only, from the version it was drawn on."""

import io
import json
import re
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from blueprints import services
from blueprints.exports.data import blueprint_export
from blueprints.exports.pdf import PAPERS, blueprint_html
from blueprints.models import Card, CardLink, Lane
from tests.blueprints.factories import BlueprintFactory, CardFactory, fill_grid, lane, phase
from tests.roles import CONTENT_EDITORS

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def editor_url(blueprint) -> str:
    return reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])


def emotion_url(card) -> str:
    return reverse(
        "blueprints:card-emotion", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )


def editor_page(client, blueprint) -> str:
    response = client.get(editor_url(blueprint))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


class _Attributes(HTMLParser):
    """The attributes of the element with a given id, as a browser would read them."""

    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.found = element_id, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == self.element_id:
            self.found = attrs


def attributes_of(page: str, element_id: str) -> dict:
    parser = _Attributes(element_id)
    parser.feed(page)
    assert parser.found is not None, f"no #{element_id}"
    return parser.found


def link_pairs(page: str) -> list[list[int]]:
    return json.loads(attributes_of(page, "bp-links")["data-links"])


@pytest.fixture
def mixed(blueprint, editor):
    """A first phase whose family feels +2 at one step and −1 at the next: a mean of +0.5."""
    family, first = lane(blueprint, Lane.Role.FAMILY), phase(blueprint, 0)
    happy = CardFactory(
        blueprint=blueprint, phase=first, lane=family, title="Hears about it", emotion=2
    )
    unhappy = CardFactory(
        blueprint=blueprint, phase=first, lane=family, title="Waits a week", emotion=-1
    )
    return happy, unhappy


# The curve in the editor -----------------------------------------------------------------


def test_a_phase_with_plus_two_and_minus_one_shows_both_points(
    client_for, viewer, blueprint, mixed
):
    page = editor_page(client_for(viewer), blueprint)
    happy, unhappy = mixed
    for card, name in (
        (happy, "Hears about it: emotion +2 (very happy)"),
        (unhappy, "Waits a week: emotion −1 (unhappy)"),
    ):
        dot = attributes_of(page, f"emotion-dot-{card.pk}")
        assert dot["data-emotion"] == str(card.emotion)
        assert re.search(rf'id="emotion-dot-{card.pk}"[^>]*>.*?{re.escape(name)}</span>', page)
    assert page.count('class="bp-emotion-card') == 2


def test_the_two_points_of_one_phase_sit_side_by_side_at_their_heights(
    client_for, viewer, blueprint, mixed
):
    page = editor_page(client_for(viewer), blueprint)
    happy, unhappy = (attributes_of(page, f"emotion-dot-{card.pk}") for card in mixed)
    left = [float(re.search(r"left: ([\d.]+)%", dot["style"]).group(1)) for dot in (happy, unhappy)]
    top = [float(re.search(r"top: ([\d.]+)%", dot["style"]).group(1)) for dot in (happy, unhappy)]
    assert left[0] < left[1] < 100 / 3  # both in the first of three phases, in grid order
    assert top[0] < top[1]  # +2 above −1


def test_the_lowest_point_is_marked_as_the_worst_moment(client_for, viewer, blueprint, mixed):
    page = editor_page(client_for(viewer), blueprint)
    happy, unhappy = mixed
    assert "bp-worst" in attributes_of(page, f"emotion-dot-{unhappy.pk}")["class"]
    assert "bp-worst" not in attributes_of(page, f"emotion-dot-{happy.pk}")["class"]
    assert "Worst moment: Waits a week, −1" in page
    assert "Worst moment: Waits a week, −1." in page.split('id="bp-emotion-desc">')[1]


def test_the_mean_is_still_drawn_and_written(client_for, viewer, blueprint, mixed):
    page = editor_page(client_for(viewer), blueprint)
    assert "Awareness: +0.5 (mean of 2 cards)" in page
    assert page.count('<polyline class="bp-emotion-line"') == 0  # one phase: a point, no line
    assert page.count('class="bp-emotion-point"') == 1


def test_the_worst_moment_is_the_first_of_equal_lows(client_for, viewer, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 2), lane=family, title="Leaves", emotion=-2
    )
    CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 1), lane=family, title="Queues", emotion=-2
    )
    page = editor_page(client_for(viewer), blueprint)
    assert "Worst moment: Queues, −2" in page
    assert "Worst moment: Leaves" not in page


def test_no_worst_moment_without_emotions(client_for, viewer, blueprint):
    CardFactory(blueprint=blueprint, title="No feeling recorded")
    page = editor_page(client_for(viewer), blueprint)
    assert "Worst moment" not in page
    assert "bp-emotion-dot" not in page


def test_a_reader_s_points_lead_to_the_card_an_editor_s_to_its_emotion_form(
    client_for, viewer, editor, blueprint, mixed
):
    _, unhappy = mixed
    read = attributes_of(editor_page(client_for(viewer), blueprint), f"emotion-dot-{unhappy.pk}")
    assert read["href"].endswith(f"/cards/{unhappy.pk}/")
    assert "data-editable" not in read
    edit = attributes_of(editor_page(client_for(editor), blueprint), f"emotion-dot-{unhappy.pk}")
    assert edit["href"] == emotion_url(unhappy)
    assert edit["data-version"] == str(Card.objects.get(pk=unhappy.pk).version)


def test_card_titles_in_the_chart_are_escaped(client_for, viewer, blueprint):
    CardFactory(blueprint=blueprint, title='<b>Bold</b> & "quoted"', emotion=-2)
    page = editor_page(client_for(viewer), blueprint)
    assert "<b>Bold</b>" not in page
    assert "Worst moment: &lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;, −2" in page


# The curve on paper ----------------------------------------------------------------------


def test_the_pdf_curve_has_both_points_and_marks_the_lowest(blueprint, mixed):
    happy, unhappy = mixed
    (group,) = PAPERS["a3"].groups(blueprint_export(blueprint))
    (row,) = [row for row in group.rows if row.kind == "emotion"]
    assert [(dot.card.pk, dot.card.emotion, dot.worst) for dot in row.curve.dots] == [
        (happy.pk, 2, False),
        (unhappy.pk, -1, True),
    ]
    assert row.curve.points[0].point.text == "+0.5"  # the mean is kept
    html = blueprint_html(blueprint, paper=PAPERS["a3"], user=None, when=timezone.now())
    assert html.count('class="card-dot') == 2
    assert html.count('class="card-dot worst"') == 1
    assert "Worst moment: Waits a week, −1" in html


def test_the_pdf_itself_names_the_worst_moment(client_for, viewer, blueprint, mixed):
    cache.clear()  # a PDF made by another test of the same version would be reused
    url = reverse("blueprints:export-pdf", args=[blueprint.locality.slug, blueprint.pk])
    response = client_for(viewer).get(url)
    assert response.status_code == HTTPStatus.OK
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Worst moment: Waits a week, −1" in text


def test_a_pdf_page_marks_the_worst_moment_only_where_it_is(locality):
    blueprint = BlueprintFactory(locality=locality)
    for position in range(3, 7):  # seven phases: A4 shows them three or four at a time
        services.add_phase(blueprint=blueprint, name=f"Phase {position}", by=None)
    family = lane(blueprint, Lane.Role.FAMILY)
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, emotion=1)
    CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 6), lane=family, title="Leaves", emotion=-2
    )
    groups = PAPERS["a4"].groups(blueprint_export(blueprint))
    curves = [row.curve for group in groups for row in group.rows if row.kind == "emotion"]
    assert len(curves) > 1
    assert [curve.worst.card.title if curve.worst else None for curve in curves] == [None] * (
        len(curves) - 1
    ) + ["Leaves"]


# Changing a card's emotion from the chart ------------------------------------------------


@pytest.mark.parametrize("role", list(CONTENT_EDITORS))
def test_who_may_change_an_emotion_from_the_chart(client_for, users, role, blueprint, mixed):
    _, unhappy = mixed
    version = Card.objects.get(pk=unhappy.pk).version
    response = client_for(users[role]).post(
        emotion_url(unhappy), {"emotion": "1", "version": version}
    )
    expected = CONTENT_EDITORS[role]
    if expected == HTTPStatus.OK:
        assert response.status_code == HTTPStatus.FOUND
        assert Card.objects.get(pk=unhappy.pk).emotion == 1
    else:
        assert response.status_code == expected
        assert Card.objects.get(pk=unhappy.pk).emotion == -1


def test_anonymous_is_sent_to_log_in(client, blueprint, mixed):
    _, unhappy = mixed
    response = client.post(emotion_url(unhappy), {"emotion": "1", "version": 1})
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]
    assert Card.objects.get(pk=unhappy.pk).emotion == -1


def test_the_emotion_form_is_for_editors_only(client_for, viewer, editor, blueprint, mixed):
    _, unhappy = mixed
    assert client_for(viewer).get(emotion_url(unhappy)).status_code == HTTPStatus.FORBIDDEN
    page = client_for(editor).get(emotion_url(unhappy))
    assert page.status_code == HTTPStatus.OK
    assert "How does the family feel at “Waits a week”?" in page.content.decode()
    assert '<option value="-1" selected>' in page.content.decode()


def test_an_editor_changes_an_emotion_with_htmx_and_gets_the_card_and_curve(
    client_for, editor, blueprint, mixed
):
    _, unhappy = mixed
    version = Card.objects.get(pk=unhappy.pk).version
    response = client_for(editor).post(
        emotion_url(unhappy), {"emotion": "-2", "version": version}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Retarget"] == f"#card-{unhappy.pk}"
    body = response.content.decode()
    assert 'id="bp-emotion" class="bp-emotion" hx-swap-oob="true"' in body
    assert "Worst moment: Waits a week, −2" in body
    assert "“Waits a week” now shows very unhappy (−2)." in body
    card = Card.objects.get(pk=unhappy.pk)
    assert (card.emotion, card.version) == (-2, version + 1)


def test_an_emotion_can_be_cleared(client_for, editor, blueprint, mixed):
    _, unhappy = mixed
    version = Card.objects.get(pk=unhappy.pk).version
    response = client_for(editor).post(emotion_url(unhappy), {"emotion": "", "version": version})
    assert response.status_code == HTTPStatus.FOUND
    assert Card.objects.get(pk=unhappy.pk).emotion is None


@pytest.mark.parametrize("value", ["3", "-3", "sad", "1.5", "٣"])
def test_a_bad_value_is_refused_at_the_field(client_for, editor, blueprint, mixed, value):
    _, unhappy = mixed
    version = Card.objects.get(pk=unhappy.pk).version
    response = client_for(editor).post(
        emotion_url(unhappy), {"emotion": value, "version": version}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response["HX-Retarget"] == "#bp-emotion-edit"
    body = response.content.decode()
    assert f'<ul class="bp-errors" id="emotion-{unhappy.pk}-emotion_error">' in body
    assert "Choose an emotion from −2 to +2, or none." in body
    assert Card.objects.get(pk=unhappy.pk).version == version
    assert Card.objects.get(pk=unhappy.pk).emotion == -1


def test_a_stale_version_is_refused_at_the_field_and_nothing_changes(
    client_for, editor, blueprint, mixed
):
    _, unhappy = mixed
    stale = Card.objects.get(pk=unhappy.pk).version
    services.update_card(
        card=Card.objects.get(pk=unhappy.pk), expected_version=stale, emotion=0, by=None
    )
    response = client_for(editor).post(emotion_url(unhappy), {"emotion": "-2", "version": stale})
    assert response.status_code == HTTPStatus.CONFLICT
    body = response.content.decode()
    errors = body.split(f'id="emotion-{unhappy.pk}-emotion_error">')[1].split("</ul>")[0]
    assert "Someone else changed “Waits a week” since the chart was drawn" in errors
    assert "its emotion is now neither happy nor unhappy (0)" in errors
    assert f'name="version" value="{stale + 1}"' in body  # choosing again starts from now
    assert Card.objects.get(pk=unhappy.pk).emotion == 0


def test_a_card_outside_the_family_lane_gets_no_emotion(client_for, editor, blueprint):
    card = CardFactory(blueprint=blueprint, lane=lane(blueprint, Lane.Role.FRONTLINE))
    response = client_for(editor).post(emotion_url(card), {"emotion": "1", "version": card.version})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "Only cards in the family lane can have an emotion." in response.content.decode()
    assert Card.objects.get(pk=card.pk).emotion is None


def test_a_missing_version_is_refused_not_a_500(client_for, editor, blueprint, mixed):
    _, unhappy = mixed
    response = client_for(editor).post(emotion_url(unhappy), {"emotion": "1"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "lost track of the card's version" in response.content.decode()
    assert Card.objects.get(pk=unhappy.pk).emotion == -1


def test_a_card_of_another_blueprint_is_not_found(client_for, editor, locality, blueprint, mixed):
    other = CardFactory(blueprint=BlueprintFactory(locality=locality), emotion=1)
    url = reverse("blueprints:card-emotion", args=[locality.slug, blueprint.pk, other.pk])
    assert client_for(editor).get(url).status_code == HTTPStatus.NOT_FOUND
    response = client_for(editor).post(url, {"emotion": "-2", "version": other.version})
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Card.objects.get(pk=other.pk).emotion == 1


# Links -----------------------------------------------------------------------------------


def test_the_links_data_holds_each_link_once_as_a_pair(client_for, viewer, blueprint, mixed):
    happy, unhappy = mixed
    guide = CardFactory(blueprint=blueprint, lane=lane(blueprint, Lane.Role.FRONTLINE))
    services.link_cards(from_card=guide, to_card=unhappy, by=None)
    services.link_cards(from_card=guide, to_card=happy, by=None)
    page = editor_page(client_for(viewer), blueprint)
    assert sorted(link_pairs(page)) == sorted([[guide.pk, unhappy.pk], [guide.pk, happy.pk]])
    assert attributes_of(page, "bp-links").keys() >= {"hidden"}


def test_the_links_data_is_escaped_for_its_attribute(client_for, viewer, blueprint, mixed):
    happy, unhappy = mixed
    services.link_cards(from_card=happy, to_card=unhappy, by=None)
    page = editor_page(client_for(viewer), blueprint)
    raw = re.search(r'<div id="bp-links" data-links="([^"]*)"', page).group(1)
    assert raw == f"[[{happy.pk}, {unhappy.pk}]]"


def test_an_empty_blueprint_has_an_empty_links_list(client_for, viewer, blueprint):
    assert link_pairs(editor_page(client_for(viewer), blueprint)) == []


def test_linking_from_the_panel_sends_the_links_out_of_band(client_for, editor, blueprint, mixed):
    happy, unhappy = mixed
    url = reverse("blueprints:card-links", args=[blueprint.locality.slug, blueprint.pk, happy.pk])
    response = client_for(editor).post(
        url, {"action": "link", "direction": "serves", "other": unhappy.pk}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK, response.content.decode()[:2000]
    body = response.content.decode()
    assert attributes_of(body, "bp-links")["hx-swap-oob"] == "true"
    assert link_pairs(body) == [[happy.pk, unhappy.pk]]
    assert CardLink.objects.filter(from_card=happy, to_card=unhappy).exists()


def test_the_editor_query_count_does_not_grow_with_links(
    client_for, editor, locality, django_assert_max_num_queries
):
    client = client_for(editor)
    few, many = BlueprintFactory(locality=locality), BlueprintFactory(locality=locality)
    for blueprint, count in ((few, 4), (many, 120)):
        cards = fill_grid(blueprint, count)
        CardLink.objects.bulk_create(
            CardLink(from_card=a, to_card=b) for a, b in zip(cards, cards[1:], strict=False)
        )
    client.get(editor_url(few))  # warm the session and role caches alike
    with CaptureQueriesContext(connection) as queries:
        page = editor_page(client, few)
    assert len(link_pairs(page)) == 3
    with django_assert_max_num_queries(len(queries)):
        page = editor_page(client, many)
    assert len(link_pairs(page)) == 119


def test_the_text_view_lists_each_card_s_links(client_for, viewer, blueprint, mixed):
    happy, unhappy = mixed
    guide = CardFactory(
        blueprint=blueprint, lane=lane(blueprint, Lane.Role.FRONTLINE), title="Guide rings"
    )
    services.link_cards(from_card=guide, to_card=unhappy, by=None)
    url = reverse("blueprints:text", args=[blueprint.locality.slug, blueprint.pk])
    page = client_for(viewer).get(url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Links to: Waits a week (this card serves it)." in text
    assert "Links to: Guide rings (it serves this card)." in text
    assert text.count("Links to:") == 2


def test_the_text_view_names_the_worst_moment_and_the_means(client_for, viewer, blueprint, mixed):
    url = reverse("blueprints:text", args=[blueprint.locality.slug, blueprint.pk])
    page = client_for(viewer).get(url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Worst moment: Waits a week, −1, the lowest the family feels." in text
    assert "The mean per phase: Awareness +0.5; Use no emotion recorded;" in text
