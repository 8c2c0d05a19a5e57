"""Delivery challenges and prototypes: forms that pick cards by phase and lane, refuse
anything from another blueprint or locality, and save nothing when they refuse."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints.models import DeliveryChallenge, Lane, Prototype
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
)

pytestmark = pytest.mark.django_db


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.split())


@pytest.fixture
def cards(blueprint):
    """Three cards: two in Awareness (family, frontline), one in Use (family)."""
    return [
        CardFactory(blueprint=blueprint, title="Hears about it", emotion=0),
        CardFactory(
            blueprint=blueprint, lane=lane(blueprint, Lane.Role.FRONTLINE), title="Tells them"
        ),
        CardFactory(blueprint=blueprint, phase=phase(blueprint, 1), title="First session"),
    ]


@pytest.fixture
def sibling(locality):
    """Another blueprint of the same locality: its cards are still not this one's."""
    return BlueprintFactory(locality=locality, title="Baby bank")


def to(name, blueprint, *more):
    return reverse(f"blueprints:{name}", args=["northgate", blueprint.pk, *more])


# Delivery challenges --------------------------------------------------------------------


def test_challenge_list_shows_every_theme_with_counts(client_for, viewer, blueprint):
    DeliveryChallengeFactory(blueprint=blueprint, theme="volunteering", title="Burn-out")
    response = client_for(viewer).get(to("challenge-list", blueprint))
    themes = {t["value"]: len(t["challenges"]) for t in response.context["themes"]}
    assert themes == {value: int(value == "volunteering") for value in DeliveryChallenge.Theme}
    text = words(response)
    assert "Volunteering (1)" in text
    assert "Use of space (0)" in text
    assert "No challenge about use of space yet." in text


def test_challenge_list_shows_questions_cards_and_prototypes(client_for, viewer, blueprint, cards):
    challenge = DeliveryChallengeFactory(
        blueprint=blueprint, questions=["Who do families trust?", "", "Where?"], cards=cards[:1]
    )
    PrototypeFactory(blueprint=blueprint, title="Trial walk", delivery_challenges=[challenge])
    text = words(client_for(viewer).get(to("challenge-list", blueprint)))
    assert "Who do families trust?" in text
    assert "Hears about it (Awareness, Family experience)" in text
    assert "Explored by: Trial walk" in text


def test_the_card_picker_groups_cards_by_phase_then_lane(client_for, editor, blueprint, cards):
    form = client_for(editor).get(to("challenge-create", blueprint)).context["form"]
    groups = [
        (
            group.phase.name,
            [(g.lane.name, [c.choice_label for c in g.choices]) for g in group.lanes],
        )
        for group in form.card_groups()
    ]
    assert groups == [
        (
            "Awareness",
            [
                ("Family experience", ["Hears about it"]),
                ("Frontline staff and volunteers", ["Tells them"]),
            ],
        ),
        ("Use", [("Family experience", ["First session"])]),
    ]


def test_every_card_checkbox_has_a_label(client_for, editor, blueprint, cards):
    html = client_for(editor).get(to("challenge-create", blueprint)).content.decode()
    ids = re.findall(r'<input type="checkbox" name="cards"[^>]*id="([^"]+)"', html)
    assert len(ids) == 3
    for checkbox_id in ids:
        assert f'<label class="form-check-label" for="{checkbox_id}">' in html


def test_editor_records_a_delivery_challenge_over_cards(client_for, editor, blueprint, cards):
    response = client_for(editor).post(
        to("challenge-create", blueprint),
        {
            "theme": "engaging_families",
            "title": " Fathers rarely come ",
            "questions": "Why not?\nWhen could they?",
            "cards": [cards[0].pk, cards[2].pk],
        },
    )
    challenge = DeliveryChallenge.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == to("challenge-list", blueprint) + f"#challenge-{challenge.pk}"
    assert (challenge.title, list(challenge.questions.values_list("text", flat=True))) == (
        "Fathers rarely come",
        ["Why not?", "When could they?"],
    )
    assert set(challenge.cards.all()) == {cards[0], cards[2]}


def test_a_card_of_another_blueprint_is_a_form_error(client_for, editor, blueprint, cards, sibling):
    theirs = CardFactory(blueprint=sibling)
    response = client_for(editor).post(
        to("challenge-create", blueprint),
        {"theme": "other", "title": "Sneaky", "cards": [cards[0].pk, theirs.pk]},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Choose cards of this blueprint only" in response.context["form"].errors["cards"][0]
    assert not DeliveryChallenge.objects.exists()


def test_a_card_of_another_locality_is_a_form_error(client_for, editor, blueprint, other_locality):
    theirs = CardFactory(blueprint=BlueprintFactory(locality=other_locality))
    response = client_for(editor).post(
        to("challenge-create", blueprint), {"theme": "other", "title": "X", "cards": [theirs.pk]}
    )
    assert "cards" in response.context["form"].errors
    assert not DeliveryChallenge.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"theme": "other", "title": ""}, "title"),
        ({"theme": "other", "title": "x" * 201}, "title"),
        ({"theme": "nonsense", "title": "Fine"}, "theme"),
        ({"theme": "", "title": "Fine"}, "theme"),
        ({"theme": "other", "title": "Fine", "cards": ["abc"]}, "cards"),
        ({"theme": "other", "title": "Fine", "questions": "q" * 4001}, "questions"),
    ],
)
def test_bad_challenge_input_is_a_field_error(client_for, editor, blueprint, data, field):
    response = client_for(editor).post(to("challenge-create", blueprint), data)
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    assert not DeliveryChallenge.objects.exists()


def test_a_theme_in_the_link_preselects_it(client_for, editor, blueprint):
    client = client_for(editor)
    url = to("challenge-create", blueprint)
    assert client.get(url, {"theme": "use_of_space"}).context["form"]["theme"].value() == (
        "use_of_space"
    )
    assert client.get(url, {"theme": "<script>"}).context["form"]["theme"].value() is None


def test_editor_changes_a_challenges_cards(client_for, editor, blueprint, cards):
    challenge = DeliveryChallengeFactory(blueprint=blueprint, cards=cards[:2])
    form = client_for(editor).get(to("challenge-update", blueprint, challenge.pk)).context["form"]
    ticked = {
        choice.data["value"].value
        for group in form.card_groups()
        for lane_group in group.lanes
        for choice in lane_group.choices
        if choice.data["selected"]
    }
    assert ticked == {cards[0].pk, cards[1].pk}
    client_for(editor).post(
        to("challenge-update", blueprint, challenge.pk),
        {"theme": "other", "title": "Renamed", "cards": [cards[2].pk]},
    )
    challenge.refresh_from_db()
    assert (challenge.theme, challenge.title) == ("other", "Renamed")
    assert list(challenge.cards.all()) == [cards[2]]


def test_a_refused_update_keeps_the_challenge(client_for, editor, blueprint, cards, sibling):
    challenge = DeliveryChallengeFactory(blueprint=blueprint, title="Kept", cards=cards[:1])
    theirs = CardFactory(blueprint=sibling)
    response = client_for(editor).post(
        to("challenge-update", blueprint, challenge.pk),
        {"theme": "other", "title": "Changed", "cards": [theirs.pk]},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Edit the delivery challenge “Kept”" in words(response)
    challenge.refresh_from_db()
    assert (challenge.title, list(challenge.cards.all())) == ("Kept", cards[:1])


def test_deleting_a_challenge_asks_first_then_keeps_the_cards(client_for, editor, blueprint, cards):
    challenge = DeliveryChallengeFactory(blueprint=blueprint, cards=cards)
    PrototypeFactory(blueprint=blueprint, title="Trial", delivery_challenges=[challenge])
    client = client_for(editor)
    text = words(client.get(to("challenge-delete", blueprint, challenge.pk)))
    assert "It touches 3 cards" in text
    assert "1 prototype explores it" in text
    response = client.post(to("challenge-delete", blueprint, challenge.pk))
    assert response.url == to("challenge-list", blueprint)
    assert not DeliveryChallenge.objects.exists()
    assert blueprint.cards.count() == 3


# Prototypes -----------------------------------------------------------------------------


def prototype_data(**changes):
    data = {
        "title": "Ten navigator visits",
        "hypothesis": "A named person brings families in.",
        "method": "Two navigators take the next ten referrals.",
        "cost": "149.50",
        "risk": "low",
        "starts_on": "2026-09-01",
        "ends_on": "2026-10-15",
        "status": "planned",
        "learning": "",
        "decision": "undecided",
    }
    data.update(changes)
    return data


def test_editor_plans_a_prototype_over_a_section(client_for, editor, blueprint, cards):
    challenge = DeliveryChallengeFactory(blueprint=blueprint)
    response = client_for(editor).post(
        to("prototype-create", blueprint),
        prototype_data(cards=[cards[0].pk, cards[1].pk], delivery_challenges=[challenge.pk]),
    )
    prototype = Prototype.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == to("prototype-detail", blueprint, prototype.pk)
    assert (prototype.cost, prototype.starts_on, prototype.ends_on) == (
        Decimal("149.50"),
        datetime.date(2026, 9, 1),
        datetime.date(2026, 10, 15),
    )
    assert set(prototype.cards.all()) == set(cards[:2])
    assert list(prototype.delivery_challenges.all()) == [challenge]


def test_an_end_before_the_start_is_an_error_on_the_end_date(client_for, editor, blueprint):
    response = client_for(editor).post(
        to("prototype-create", blueprint),
        prototype_data(starts_on="2026-10-01", ends_on="2026-09-30"),
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["ends_on"] == [
        "The end date cannot be before the start date."
    ]
    assert not Prototype.objects.exists()


def test_a_negative_cost_is_refused_clearly(client_for, editor, blueprint):
    response = client_for(editor).post(to("prototype-create", blueprint), prototype_data(cost="-1"))
    assert response.context["form"].errors["cost"] == [
        "The cost cannot be negative; enter 0 if it costs nothing."
    ]
    assert not Prototype.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cost": "abc"}, "cost"),
        ({"cost": "NaN"}, "cost"),
        ({"cost": "1e12"}, "cost"),
        ({"cost": "0.001"}, "cost"),
        ({"starts_on": "2026-13-45"}, "starts_on"),
        ({"ends_on": "yesterday"}, "ends_on"),
        ({"risk": "extreme"}, "risk"),
        ({"status": "abandoned"}, "status"),
        ({"decision": "maybe"}, "decision"),
        ({"title": ""}, "title"),
        ({"cards": ["abc"]}, "cards"),
        ({"delivery_challenges": ["99999"]}, "delivery_challenges"),
    ],
)
def test_bad_prototype_input_is_a_field_error(client_for, editor, blueprint, changes, field):
    response = client_for(editor).post(to("prototype-create", blueprint), prototype_data(**changes))
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    assert not Prototype.objects.exists()


def test_a_card_of_another_blueprint_is_refused_for_a_prototype(
    client_for, editor, blueprint, cards, sibling
):
    theirs = CardFactory(blueprint=sibling)
    response = client_for(editor).post(
        to("prototype-create", blueprint), prototype_data(cards=[cards[0].pk, theirs.pk])
    )
    assert "Choose cards of this blueprint only" in response.context["form"].errors["cards"][0]
    assert not Prototype.objects.exists()


def test_a_challenge_of_another_blueprint_is_refused(client_for, editor, blueprint, sibling):
    theirs = DeliveryChallengeFactory(blueprint=sibling)
    response = client_for(editor).post(
        to("prototype-create", blueprint), prototype_data(delivery_challenges=[theirs.pk])
    )
    assert (
        "delivery challenges of this blueprint only"
        in (response.context["form"].errors["delivery_challenges"][0])
    )
    assert not Prototype.objects.exists()


def test_a_refused_update_changes_nothing(client_for, editor, blueprint, cards):
    prototype = PrototypeFactory(blueprint=blueprint, title="Kept", cards=cards[:1])
    response = client_for(editor).post(
        to("prototype-update", blueprint, prototype.pk),
        prototype_data(title="Changed", starts_on="2026-10-01", ends_on="2026-01-01"),
    )
    assert "ends_on" in response.context["form"].errors
    assert "Edit the prototype “Kept”" in words(response)
    prototype.refresh_from_db()
    assert (prototype.title, list(prototype.cards.all())) == ("Kept", cards[:1])


def test_editor_finishes_a_prototype_with_learning_and_decision(
    client_for, editor, blueprint, cards
):
    prototype = PrototypeFactory(blueprint=blueprint, cards=cards)
    client = client_for(editor)
    response = client.post(
        to("prototype-update", blueprint, prototype.pk),
        prototype_data(
            status="finished",
            decision="adapt",
            learning="Families came to the library, not home visits.",
            families_reached="12",  # a decision needs a result
            cards=[cards[0].pk],
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    prototype.refresh_from_db()
    assert (prototype.status, prototype.decision) == ("finished", "adapt")
    assert list(prototype.cards.all()) == [cards[0]]
    text = words(client.get(to("prototype-detail", blueprint, prototype.pk)))
    assert "Finished. Decision: Adapt What we learned Families came to the library" in text


def test_detail_shows_the_section_by_phase_and_lane(client_for, viewer, blueprint, cards):
    prototype = PrototypeFactory(blueprint=blueprint, cards=cards)
    response = client_for(viewer).get(to("prototype-detail", blueprint, prototype.pk))
    section = [
        (
            group["phase"].name,
            [(g["lane"].name, [c.title for c in g["cards"]]) for g in group["lanes"]],
        )
        for group in response.context["section"]
    ]
    assert section == [
        (
            "Awareness",
            [
                ("Family experience", ["Hears about it"]),
                ("Frontline staff and volunteers", ["Tells them"]),
            ],
        ),
        ("Use", [("Family experience", ["First session"])]),
    ]


def test_a_planned_prototype_does_not_show_an_outcome(client_for, viewer, blueprint):
    prototype = PrototypeFactory(blueprint=blueprint)
    text = words(client_for(viewer).get(to("prototype-detail", blueprint, prototype.pk)))
    assert "Finished." not in text
    assert "Planned" in text


def test_prototype_list_shows_status_in_words_and_counts(client_for, viewer, blueprint, cards):
    PrototypeFactory(blueprint=blueprint, title="Walks", cards=cards[:2], status="running")
    text = words(client_for(viewer).get(to("prototype-list", blueprint)))
    assert "Running" in text
    assert "Tests 2 cards; explores 0 delivery challenges." in text


def test_deleting_a_prototype_asks_first(client_for, editor, blueprint, cards):
    prototype = PrototypeFactory(blueprint=blueprint, cards=cards[:2])
    client = client_for(editor)
    assert "It tests 2 cards" in words(client.get(to("prototype-delete", blueprint, prototype.pk)))
    response = client.post(to("prototype-delete", blueprint, prototype.pk))
    assert response.url == to("prototype-list", blueprint)
    assert not Prototype.objects.exists()
    assert blueprint.cards.count() == 3
