"""The text view (the blueprint in words, for screen readers and reading aloud) and the
history page (who changed what, when, from what to what)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Card, Lane
from tests.blueprints.factories import (
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
)
from tests.localities.factories import UserFactory

pytestmark = pytest.mark.django_db


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.split())


def to(name, blueprint):
    return reverse(f"blueprints:{name}", args=["northgate", blueprint.pk])


# The text view --------------------------------------------------------------------------


def headings(html: str, level: int) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", h).split())
        for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)
    ]


def test_text_view_goes_phase_by_phase_and_lane_by_lane(client_for, viewer, blueprint):
    CardFactory(blueprint=blueprint, title="Hears about it")
    html = client_for(viewer).get(to("text", blueprint)).content.decode()
    assert headings(html, 2)[:3] == [
        "Phase 1 of 3: Awareness",
        "Phase 2 of 3: Use",
        "Phase 3 of 3: Exit and advocacy",
    ]
    assert headings(html, 3)[:5] == [
        "Touchpoints and physical evidence in Awareness",
        "Family experience in Awareness",
        "Frontline staff and volunteers in Awareness",
        "Behind the scenes in Awareness",
        "Support structures and processes in Awareness",
    ]


def test_cards_read_with_kind_and_emotion_in_words(client_for, viewer, blueprint):
    CardFactory(
        blueprint=blueprint,
        title="Cannot find the centre",
        kind=Card.Kind.PAIN_POINT,
        emotion=-2,
        details="The sign faces the car park.",
    )
    CardFactory(blueprint=blueprint, title="Feels welcome", emotion=1)
    CardFactory(blueprint=blueprint, lane=lane(blueprint, Lane.Role.FRONTLINE), title="Greets them")
    text = words(client_for(viewer).get(to("text", blueprint)))
    assert (
        "Cannot find the centre . Pain point. The family feels very unhappy (−2). "
        "The sign faces the car park." in text
    )
    assert "Feels welcome . Step. The family feels happy (+1)." in text
    assert "feelings run from very unhappy (−2) to very happy (+2)" in text
    assert "Greets them . Step." in text
    assert "Greets them . Step. The family feels" not in text


def test_cards_keep_their_order_within_a_cell(client_for, viewer, blueprint):
    for title in ("First", "Second", "Third"):
        CardFactory(blueprint=blueprint, title=title)
    card = blueprint.cards.get(title="Third")
    services.move_card(
        card=card,
        phase=card.phase,
        lane=card.lane,
        position=0,
        expected_version=card.version,
        by=None,
    )
    text = words(client_for(viewer).get(to("text", blueprint)))
    assert text.index("Third") < text.index("First") < text.index("Second")


def test_the_lines_are_explained_in_words(client_for, viewer, blueprint):
    text = words(client_for(viewer).get(to("text", blueprint)))
    assert "Line of interaction : between Family experience and Frontline staff and volunteers" in (
        text
    )
    assert "Line of visibility : between Frontline staff and volunteers and Behind the scenes" in (
        text
    )
    assert (
        "Line of internal interaction : between Behind the scenes and Support structures "
        "and processes" in text
    )


def test_links_between_cards_are_read_out(client_for, viewer, blueprint):
    family = CardFactory(blueprint=blueprint, title="Hears about it")
    staff = CardFactory(
        blueprint=blueprint, lane=lane(blueprint, Lane.Role.FRONTLINE), title="Mentions it"
    )
    services.link_cards(from_card=staff, to_card=family, by=None)
    assert "Serves: Hears about it." in words(client_for(viewer).get(to("text", blueprint)))


def test_text_view_ends_with_challenges_and_prototypes(client_for, viewer, blueprint):
    card = CardFactory(blueprint=blueprint, title="Hears about it")
    challenge = DeliveryChallengeFactory(
        blueprint=blueprint,
        theme="volunteering",
        title="Volunteers burn out",
        questions=["Who supports them?"],
        cards=[card],
    )
    PrototypeFactory(
        blueprint=blueprint,
        title="Buddy scheme",
        cards=[card],
        delivery_challenges=[challenge],
        status="finished",
        decision="adopt",
        learning="Pairs stay longer.",
    )
    text = words(client_for(viewer).get(to("text", blueprint)))
    assert "Delivery challenges (1) Volunteers burn out Theme: Volunteering." in text
    assert "Who supports them?" in text
    assert "It touches: Hears about it." in text
    assert "Prototypes (1) Buddy scheme Finished" in text
    assert "It explores: Volunteers burn out." in text
    assert "What we learned: Pairs stay longer." in text
    assert "Decision: Adopt." in text


def test_an_empty_blueprint_reads_sensibly(client_for, viewer, blueprint):
    text = words(client_for(viewer).get(to("text", blueprint)))
    assert "3 phases, 5 lanes and 0 cards." in text
    assert "No delivery challenges recorded yet." in text
    assert "No prototypes planned yet." in text


# History --------------------------------------------------------------------------------


def test_history_says_who_changed_which_card_from_what_to_what(
    client_for, viewer, blueprint, editor
):
    card = CardFactory(blueprint=blueprint, title="Hears about it", by=editor)
    services.update_card(card=card, expected_version=1, by=editor, title="Hears from a friend")
    text = words(client_for(viewer).get(to("history", blueprint)))
    assert f"{editor.get_full_name()} changed the card “Hears from a friend”" in text
    assert "Title: from “Hears about it” to “Hears from a friend”" in text


def test_history_names_the_people_by_full_name(client_for, viewer, blueprint):
    amira = UserFactory(username="amira", first_name="Amira", last_name="Haddad")
    services.rename_phase(phase=phase(blueprint, 1), name="Using it", by=amira)
    text = words(client_for(viewer).get(to("history", blueprint)))
    assert "Amira Haddad changed the phase “Using it”" in text
    assert "Name: from “Use” to “Using it”" in text


def test_history_covers_challenges_and_prototypes(client_for, viewer, blueprint, editor):
    card = CardFactory(blueprint=blueprint, title="Hears about it")
    challenge = DeliveryChallengeFactory(blueprint=blueprint, title="Trust", by=editor)
    services.update_delivery_challenge(challenge=challenge, cards=[card], by=editor)
    PrototypeFactory(blueprint=blueprint, title="Trial", by=editor)
    text = words(client_for(viewer).get(to("history", blueprint)))
    assert f"{editor.get_full_name()} created the prototype “Trial”" in text
    assert f"{editor.get_full_name()} changed the delivery challenge “Trust”" in text
    assert "Cards: added “Hears about it”" in text


def test_history_shows_fifty_then_offers_more(client_for, viewer, blueprint):
    card = CardFactory(blueprint=blueprint, title="v0")
    for version in range(1, 60):
        card = services.update_card(
            card=card, expected_version=card.version, by=None, title=f"v{version}"
        )
    client = client_for(viewer)
    first = client.get(to("history", blueprint))
    assert len(first.context["entries"]) == 50
    assert first.context["more_limit"] == 100
    assert "Show older changes" in words(first)
    more = client.get(to("history", blueprint), {"limit": "100"})
    assert len(more.context["entries"]) > 50
    assert more.context["more_limit"] is None
    assert "That is the whole history." in words(more)


@pytest.mark.parametrize("limit", ["abc", "-5", "0", "99999999999999999999", "1e3", ""])
def test_history_survives_odd_limits(client_for, viewer, blueprint, limit):
    response = client_for(viewer).get(to("history", blueprint), {"limit": limit})
    assert response.status_code == HTTPStatus.OK
    assert 50 <= response.context["limit"] <= 1000
