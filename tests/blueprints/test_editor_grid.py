"""What the editor draws: phases across, lanes down, the blueprint's lines between the lanes
their roles imply, the family's emotion curve, cards with their kind, emotion and badges;
and all of it in a number of queries that does not grow with the blueprint."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from pytest_django.asserts import assertInHTML

from blueprints import services
from blueprints.models import Card, Lane
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    fill_grid_with_evidence,
    lane,
    phase,
)
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db

MAX_EDITOR_QUERIES = 20


def editor_url(blueprint):
    return reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])


def page_for(client, blueprint) -> str:
    response = client.get(editor_url(blueprint))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


# The grid -------------------------------------------------------------------------------


def test_phases_are_columns_and_lanes_are_row_headers(client_for, viewer, blueprint):
    page = page_for(client_for(viewer), blueprint)
    for name in ("Awareness", "Use", "Exit and advocacy"):
        assertInHTML(f'<th scope="col" class="bp-phase">{name}</th>', page)
    for lane_ in blueprint.lanes.all():
        assert f'<th scope="row" class="bp-lane-name">{lane_.name}<' in page


def test_the_three_lines_sit_between_the_lanes_their_roles_imply(client_for, viewer, blueprint):
    page = page_for(client_for(viewer), blueprint)
    order = [
        ">Family experience<",
        ">Line of interaction<",
        ">Frontline staff and volunteers<",
        ">Line of visibility<",
        ">Behind the scenes<",
        ">Line of internal interaction<",
        ">Support structures and processes<",
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert page.index(">Touchpoints and physical evidence<") < positions[0]
    for line in ("Line of interaction", "Line of visibility", "Line of internal interaction"):
        assert page.count(f">{line}<") == 1


def test_without_a_frontline_lane_both_lines_fall_between_family_and_backstage(
    client_for, viewer, blueprint
):
    services.delete_lane(lane=lane(blueprint, Lane.Role.FRONTLINE), by=None)
    page = page_for(client_for(viewer), blueprint)
    between = page.split(">Family experience<")[1].split(">Behind the scenes<")[0]
    assert ">Line of interaction<" in between
    assert ">Line of visibility<" in between


def test_cards_show_kind_in_words_and_colour_title_excerpt_and_emotion(
    client_for, viewer, blueprint
):
    CardFactory(
        blueprint=blueprint,
        lane=lane(blueprint, Lane.Role.FAMILY),
        title="Cannot find the centre",
        kind=Card.Kind.PAIN_POINT,
        details="The signs point the wrong way. " * 10,
        emotion=-2,
    )
    page = page_for(client_for(viewer), blueprint)
    assert 'class="bp-card bp-kind-pain_point"' in page
    assertInHTML('<span class="bp-kind-label">Pain point</span>', page)
    assert "Cannot find the centre" in page
    assert "Emotion: very unhappy (−2)" in page
    excerpt = page.split('<p class="bp-card-details">')[1].split("</p>")[0]
    assert excerpt.endswith("…")
    assert len(excerpt) <= 141


def test_emotions_are_written_in_words_and_as_signed_numbers(client_for, viewer, blueprint):
    CardFactory(blueprint=blueprint, lane=lane(blueprint, Lane.Role.FAMILY), emotion=1)
    CardFactory(blueprint=blueprint, lane=lane(blueprint, Lane.Role.FAMILY), emotion=0)
    page = page_for(client_for(viewer), blueprint)
    assert "Emotion: happy (+1)" in page
    assert "Emotion: neither happy nor unhappy (0)" in page


def test_cards_show_their_evidence_challenges_and_prototypes(client_for, viewer, blueprint):
    card = CardFactory(blueprint=blueprint, title="Joins a walk")
    insights = [InsightFactory(locality=blueprint.locality) for _ in range(2)]
    services.update_card(card=card, expected_version=1, by=None, insights=insights)
    DeliveryChallengeFactory(blueprint=blueprint, cards=[card])
    DeliveryChallengeFactory(blueprint=blueprint, cards=[card])
    PrototypeFactory(blueprint=blueprint, title="Saturday pop-up", cards=[card])
    page = page_for(client_for(viewer), blueprint)
    assert ">2 insights<" in page
    assert ">2 challenges<" in page
    assert ">Prototype: Saturday pop-up<" in page


def test_the_emotion_curve_draws_the_mean_per_phase_with_the_values_in_text(
    client_for, viewer, blueprint
):
    family = lane(blueprint, Lane.Role.FAMILY)
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, emotion=2)
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, emotion=-1)
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family)  # no emotion
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 1), lane=family, emotion=-2)
    page = page_for(client_for(viewer), blueprint)
    assertInHTML('<title id="bp-emotion-title">Emotion curve of the family lane</title>', page)
    assert (
        "Awareness: +0.5 (mean of 2 cards); Use: −2 (mean of 1 card); "
        "Exit and advocacy: no emotion recorded." in page
    )
    # +0.5 sits above the middle line (y=30), -2 at the bottom (y=54), in columns 1 and 2.
    assertInHTML('<polyline class="bp-emotion-line" points="80,24 240,54"/>', page)
    assert page.count('class="bp-emotion-point') == 2


def test_the_emotion_curve_sits_under_the_family_lane(client_for, viewer, blueprint):
    page = page_for(client_for(viewer), blueprint)
    family = page.index(">Family experience<")
    curve = page.index("Emotion curve<")
    frontline = page.index(">Frontline staff and volunteers<")
    assert family < curve < frontline


def test_the_header_names_the_blueprint_its_idea_locality_and_version(
    client_for, viewer, blueprint
):
    page = page_for(client_for(viewer), blueprint)
    assertInHTML('<h1 class="mb-1" id="bp-title">Welcome walks</h1>', page)
    assert blueprint.idea.title in page
    assert "Northgate" in page
    assertInHTML(f'<span id="bp-version">{blueprint.version}</span>', page)


def test_the_header_links_to_each_sibling_page_that_exists(client_for, viewer, blueprint):
    page = page_for(client_for(viewer), blueprint)
    args = [blueprint.locality.slug, blueprint.pk]
    for name in ("text", "history", "structure", "challenge-list", "prototype-list", "export-pdf"):
        try:
            address = reverse(f"blueprints:{name}", args=args)
        except NoReverseMatch:
            continue
        if name == "export-pdf":  # offered on both paper sizes (issue 14)
            address += "?paper=a3"
        assert f'href="{address}"' in page, name


def test_the_editor_page_loads_its_script_and_stylesheet(client_for, editor, blueprint):
    page = page_for(client_for(editor), blueprint)
    assert "js/editor/core.js" in page
    assert "css/blueprint.css" in page
    assert '"409","swap":true' in page  # htmx swaps the conflict answer


# Queries --------------------------------------------------------------------------------


def test_the_editor_query_count_is_the_same_for_10_and_500_cards(
    client_for, editor, locality, django_assert_max_num_queries
):
    client = client_for(editor)
    small, large = BlueprintFactory(locality=locality), BlueprintFactory(locality=locality)
    fill_grid_with_evidence(small, 10)
    fill_grid_with_evidence(large, 500)
    client.get(editor_url(small))  # warm the session and the role cache alike for both
    with CaptureQueriesContext(connection) as queries:
        page = page_for(client, small)
    assert "Card 9" in page
    assert len(queries) <= MAX_EDITOR_QUERIES
    with django_assert_max_num_queries(len(queries)):
        page = page_for(client, large)
    assert "Card 499" in page
    assert page.count('class="bp-card bp-kind-') == 500
    assert ">Prototype: Saturday pop-up<" in page


@pytest.mark.parametrize("role", ["viewer", "reviewer", "superuser"])
def test_the_editor_stays_within_its_query_budget_for_every_role(
    client_for, users, role, blueprint, django_assert_max_num_queries
):
    fill_grid_with_evidence(blueprint, 60)
    client = client_for(users[role])
    with django_assert_max_num_queries(MAX_EDITOR_QUERIES):
        page = page_for(client, blueprint)  # asserts 200
    assert "Card 59" in page


def test_what_people_write_on_cards_is_escaped(client_for, editor, blueprint):
    card = CardFactory(
        blueprint=blueprint,
        title="<script>alert('title')</script>",
        details="<img src=x onerror=alert(1)>",
    )
    PrototypeFactory(blueprint=blueprint, title="<b>bold</b> pop-up", cards=[card])
    page = page_for(client_for(editor), blueprint)
    assert "<script>alert(" not in page
    assert "<img src=x" not in page
    assert "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert 'Actions<span class="visually-hidden"> for &lt;script&gt;' in page
