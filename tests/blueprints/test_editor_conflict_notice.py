"""A refused change to a card (someone else moved, changed or deleted it first) answers with
one notice, in the cell where the card now is, just above it, and nowhere else: not in every
cell, not in a banner as well, not again in the status region."""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Lane
from tests.blueprints.factories import CardFactory, lane, phase

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
MOVED_MEANWHILE = "Someone else moved or changed “Hears about the walks”"
CHANGED_BEFORE_DELETE = "so it was not deleted"


class Announcements(HTMLParser):
    """The live regions of a fragment (role alert or status), each with its text and the
    id of the cell it sits in, and the order of ids and notices, to say what follows what."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: list[dict] = []
        self.open: list[list] = []  # [tag, depth, region]
        self.cells: list[str] = []
        self.sequence: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (attrs.get("id") or "").startswith("cell-"):
            self.cells.append(attrs["id"])
        if attrs.get("id"):
            self.sequence.append(attrs["id"])
        for entry in self.open:
            if entry[0] == tag:
                entry[1] += 1
        if attrs.get("role") in ("alert", "status"):
            region = {
                "role": attrs["role"],
                "text": "",
                "cell": self.cells[-1] if self.cells else "",
            }
            self.regions.append(region)
            self.sequence.append(f"region:{len(self.regions) - 1}")
            self.open.append([tag, 1, region])

    def handle_endtag(self, tag):
        for entry in list(self.open):
            if entry[0] == tag:
                entry[1] -= 1
                if entry[1] == 0:
                    self.open.remove(entry)

    def handle_data(self, data):
        for _tag, _depth, region in self.open:
            region["text"] += data


def announcements(response) -> Announcements:
    parser = Announcements()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def family(blueprint):
    return lane(blueprint, Lane.Role.FAMILY)


@pytest.fixture
def card(blueprint, family):
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 1), lane=family, title="Before it")
    return CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 1), lane=family, title="Hears about the walks"
    )


def url(name, blueprint, card):
    return reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk, card.pk])


def test_a_stale_move_shows_one_notice_in_the_cell_where_the_card_now_is(
    client_for, editor, lead, blueprint, family, card
):
    services.move_card(
        card=card, phase=phase(blueprint, 2), lane=family, position=0, expected_version=1, by=lead
    )
    response = client_for(editor).post(
        url("card-move", blueprint, card), {"direction": "left", "version": 1}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.CONFLICT
    found = announcements(response)
    with_notice = [region for region in found.regions if MOVED_MEANWHILE in region["text"]]
    assert len(with_notice) == 1
    assert with_notice[0]["cell"] == f"cell-{phase(blueprint, 2).pk}-{family.pk}"
    assert response.content.decode().count(MOVED_MEANWHILE) == 1


def test_the_notice_sits_just_above_the_card_it_is_about(
    client_for, editor, lead, blueprint, family, card
):
    services.update_card(card=card, expected_version=1, by=lead, title="Hears about the walks")
    response = client_for(editor).post(
        url("card-move", blueprint, card), {"direction": "up", "version": 1}, headers=HTMX
    )
    found = announcements(response)
    index = next(i for i, region in enumerate(found.regions) if MOVED_MEANWHILE in region["text"])
    after = found.sequence[found.sequence.index(f"region:{index}") + 1]
    assert after == f"card-{card.pk}"


def test_the_status_region_does_not_repeat_the_notice(
    client_for, editor, lead, blueprint, family, card
):
    services.update_card(card=card, expected_version=1, by=lead, title="Hears about the walks")
    response = client_for(editor).post(
        url("card-move", blueprint, card), {"direction": "up", "version": 1}, headers=HTMX
    )
    status = [region for region in announcements(response).regions if region["role"] == "status"]
    assert status, "the status region is still sent, to clear what it said before"
    assert all(MOVED_MEANWHILE not in region["text"] for region in status)


def test_a_stale_delete_shows_one_notice_above_the_card(
    client_for, editor, lead, blueprint, family, card
):
    services.update_card(card=card, expected_version=1, by=lead, title="Improved")
    response = client_for(editor).post(
        url("card-delete", blueprint, card), {"version": 1}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.CONFLICT
    found = announcements(response)
    with_notice = [region for region in found.regions if CHANGED_BEFORE_DELETE in region["text"]]
    assert len(with_notice) == 1
    assert with_notice[0]["role"] == "alert"
    after = found.sequence[
        found.sequence.index(f"region:{found.regions.index(with_notice[0])}") + 1
    ]
    assert after == f"card-{card.pk}"


def test_moving_a_card_deleted_meanwhile_shows_one_notice_above_the_grid(
    client_for, editor, lead, blueprint, family, card
):
    services.delete_card(card=card, expected_version=1, by=lead)
    response = client_for(editor).post(
        url("card-move", blueprint, card), {"direction": "right", "version": 1}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.CONFLICT
    notice = "Someone else deleted this card while you were moving it."
    with_notice = [r for r in announcements(response).regions if notice in r["text"]]
    assert len(with_notice) == 1
    assert response.content.decode().count(notice) == 1
