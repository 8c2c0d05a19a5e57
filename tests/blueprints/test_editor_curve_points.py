"""The emotion curve's card points, made in Python (`views.curve_markup`) since a move
redraws the curve: what people wrote is escaped, an editor's point opens the emotion form
and a reader's the card, and the worst point is marked and described."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from blueprints.models import Lane
from tests.blueprints.factories import CardFactory, lane, phase

pytestmark = pytest.mark.django_db


def editor_page(client, blueprint) -> str:
    response = client.get(
        reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])
    )
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


@pytest.fixture
def cards(blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    low = CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=family,
        title="<script>alert('x')</script> & waits",
        emotion=-2,
    )
    high = CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 1), lane=family, title="Walks", emotion=1
    )
    return low, high


def test_a_cards_title_is_escaped_in_its_curve_point(client_for, viewer, blueprint, cards):
    page = editor_page(client_for(viewer), blueprint)
    assert "<script>alert" not in page
    assert (
        '<span class="visually-hidden">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; '
        "&amp; waits: emotion −2 (very unhappy)</span>"
    ) in page


def test_a_readers_point_opens_the_card(client_for, viewer, blueprint, cards):
    low, high = cards
    page = editor_page(client_for(viewer), blueprint)
    cards_url = reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])
    assertInHTML(
        f'<a id="emotion-dot-{high.pk}" class="bp-emotion-dot" style="left: 50%; top: 30%"'
        f' data-card="{high.pk}" data-emotion="1" href="{cards_url}cards/{high.pk}/">'
        '<span class="visually-hidden">Walks: emotion +1 (happy)</span></a>',
        page,
    )
    assert "hx-get" not in page.split(f'id="emotion-dot-{high.pk}"')[1].split("</a>")[0]


def test_an_editors_point_opens_the_emotion_form_with_the_cards_version(
    client_for, editor, blueprint, cards
):
    low, high = cards
    page = editor_page(client_for(editor), blueprint)
    url = reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])
    url += f"cards/{high.pk}/emotion/"
    assertInHTML(
        f'<a id="emotion-dot-{high.pk}" class="bp-emotion-dot" style="left: 50%; top: 30%"'
        f' data-card="{high.pk}" data-emotion="1" aria-describedby="bp-emotion-help"'
        f' href="{url}" hx-get="{url}" hx-target="#bp-emotion-edit" data-editable'
        f' data-url="{url}" data-version="{high.version}">'
        '<span class="visually-hidden">Walks: emotion +1 (happy)</span></a>',
        page,
    )


def test_the_worst_point_is_marked_and_described(client_for, editor, blueprint, cards):
    low, _high = cards
    page = editor_page(client_for(editor), blueprint)
    link = page.split(f'id="emotion-dot-{low.pk}"')[1].split("</a>")[0]
    assert 'class="bp-emotion-dot bp-negative bp-worst"' in link
    assert 'aria-describedby="bp-emotion-worst bp-emotion-help"' in link
    assert '<span class="bp-worst-mark" aria-hidden="true">Worst</span>' in link
    assert (
        f'<circle class="bp-emotion-card bp-negative bp-worst" cx="80" cy="54" r="6"'
        f' data-card="{low.pk}"/>'
    ) in page
