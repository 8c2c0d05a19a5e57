"""The permission matrix over every page around the editor (DESIGN section 4), both ways:
readers read, editors write, viewers and reviewers are refused (403) and change nothing,
another locality's people and records answer 404."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, Card, DeliveryChallenge, Lane, Phase, Prototype
from consultations.models import Idea
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
    phase,
)
from tests.consultations.factories import IdeaFactory
from tests.roles import CONTENT_EDITORS, READERS, REFUSED_WRITERS, ROLES, WRITERS

pytestmark = pytest.mark.django_db

FOUND, NOT_FOUND, FORBIDDEN = HTTPStatus.FOUND, HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN
METHOD_NOT_ALLOWED = HTTPStatus.METHOD_NOT_ALLOWED
EDIT_FORMS_BY_GET = {**CONTENT_EDITORS}
POST_ONLY = {**CONTENT_EDITORS, **dict.fromkeys(WRITERS, METHOD_NOT_ALLOWED)}


@pytest.fixture
def world(locality):
    idea = IdeaFactory(locality=locality, status=Idea.Status.CHOSEN, title="Welcome walks")
    blueprint = BlueprintFactory(locality=locality, idea=idea, title="Welcome walks blueprint")
    card = CardFactory(blueprint=blueprint, title="Hears about it", emotion=1)
    CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 1), lane=lane(blueprint, Lane.Role.FRONTLINE)
    )
    challenge = DeliveryChallengeFactory(blueprint=blueprint, cards=[card])
    prototype = PrototypeFactory(blueprint=blueprint, cards=[card], delivery_challenges=[challenge])
    family = lane(blueprint, Lane.Role.FAMILY)
    # A second family lane, so the family lane can move down within its role's order.
    services.add_lane(blueprint=blueprint, role=Lane.Role.FAMILY, name="Carers", by=None)
    return {
        "idea": idea,
        "blueprint": blueprint,
        "card": card,
        "phase": phase(blueprint, 0),
        "lane": family,
        "challenge": challenge,
        "prototype": prototype,
    }


LOCALITY_PAGES = {"list", "create"}
PHASE_PAGES = {"phase-edit", "phase-move", "phase-delete"}
LANE_PAGES = {"lane-edit", "lane-move", "lane-delete"}
CHALLENGE_PAGES = {"challenge-update", "challenge-delete"}
PROTOTYPE_PAGES = {"prototype-detail", "prototype-update", "prototype-delete"}


def url(name: str, world: dict, slug: str = "northgate") -> str:
    """The URL called `name`, for the world's blueprint and the part of it the name needs."""
    if name in LOCALITY_PAGES:
        return reverse(f"blueprints:{name}", args=[slug])
    args = [slug, world["blueprint"].pk]
    if name in PHASE_PAGES:
        args.append(world["phase"].pk)
    elif name in LANE_PAGES:
        args.append(world["lane"].pk)
    elif name in CHALLENGE_PAGES:
        args.append(world["challenge"].pk)
    elif name in PROTOTYPE_PAGES:
        args.append(world["prototype"].pk)
    return reverse(f"blueprints:{name}", args=args)


GET_PAGES = {
    "list": READERS,
    "text": READERS,
    "history": READERS,
    "structure": READERS,
    "challenge-list": READERS,
    "prototype-list": READERS,
    "prototype-detail": READERS,
    # Pages that change things answer GET with their form: editors only.
    "create": EDIT_FORMS_BY_GET,
    "update": EDIT_FORMS_BY_GET,
    "delete": EDIT_FORMS_BY_GET,
    "phase-add": EDIT_FORMS_BY_GET,
    "phase-edit": EDIT_FORMS_BY_GET,
    "phase-delete": EDIT_FORMS_BY_GET,
    "lane-add": EDIT_FORMS_BY_GET,
    "lane-edit": EDIT_FORMS_BY_GET,
    "lane-delete": EDIT_FORMS_BY_GET,
    "challenge-create": EDIT_FORMS_BY_GET,
    "challenge-update": EDIT_FORMS_BY_GET,
    "challenge-delete": EDIT_FORMS_BY_GET,
    "prototype-create": EDIT_FORMS_BY_GET,
    "prototype-update": EDIT_FORMS_BY_GET,
    "prototype-delete": EDIT_FORMS_BY_GET,
    # Moves are buttons: POST only, but refused before the method is looked at.
    "phase-move": POST_ONLY,
    "lane-move": POST_ONLY,
}


@pytest.mark.parametrize("page", list(GET_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_get_by_role(client_for, users, world, page, role):
    response = client_for(users[role]).get(url(page, world))
    assert response.status_code == GET_PAGES[page][role]


@pytest.mark.parametrize("page", list(GET_PAGES))
def test_anonymous_get_is_sent_to_login(client, world, page):
    response = client.get(url(page, world))
    assert response.status_code == FOUND
    assert response.url.startswith(reverse("login"))


def write_data(name: str, world: dict) -> dict:
    card = world["card"]
    return {
        "create": {"start": "idea", "idea": world["idea"].pk, "title": "Another", "summary": ""},
        "update": {"title": "Renamed blueprint", "summary": "New", "idea": world["idea"].pk},
        "delete": {},
        "phase-add": {"name": "Follow-up", "description": "", "position": ""},
        "phase-edit": {"name": "Renamed phase", "description": "Changed"},
        "phase-move": {"direction": "later"},
        "phase-delete": {},
        "lane-add": {"role": "support", "name": "", "position": ""},
        "lane-edit": {"name": "Renamed lane"},
        "lane-move": {"direction": "down"},
        "lane-delete": {},
        "challenge-create": {
            "theme": "volunteering",
            "title": "Volunteers burn out",
            "questions": "Who supports them?",
            "cards": [card.pk],
        },
        "challenge-update": {"theme": "other", "title": "Renamed challenge", "questions": ""},
        "challenge-delete": {},
        "prototype-create": {
            "title": "A new test",
            "cards": [card.pk],
            "cost": "25",
            "risk": "low",
            "status": "planned",
            "decision": "undecided",
        },
        "prototype-update": {
            "title": "Renamed test",
            "cost": "30",
            "risk": "high",
            "status": "running",
            "decision": "undecided",
        },
        "prototype-delete": {},
    }[name]


WRITES = [
    "create",
    "update",
    "delete",
    "phase-add",
    "phase-edit",
    "phase-move",
    "phase-delete",
    "lane-add",
    "lane-edit",
    "lane-move",
    "lane-delete",
    "challenge-create",
    "challenge-update",
    "challenge-delete",
    "prototype-create",
    "prototype-update",
    "prototype-delete",
]


def snapshot() -> dict:
    """Everything these pages could change, everywhere."""
    return {
        "blueprints": sorted(
            Blueprint.objects.values_list("pk", "title", "summary", "idea_id", "version")
        ),
        "phases": sorted(Phase.objects.values_list("pk", "name", "description", "position")),
        "lanes": sorted(Lane.objects.values_list("pk", "name", "role", "position")),
        "cards": sorted(Card.objects.values_list("pk", "phase_id", "lane_id", "position")),
        "challenges": sorted(DeliveryChallenge.objects.values_list("pk", "theme", "title")),
        "challenge_cards": sorted(
            DeliveryChallenge.cards.through.objects.values_list("deliverychallenge_id", "card_id")
        ),
        "prototypes": sorted(Prototype.objects.values_list("pk", "title", "cost", "status")),
        "prototype_cards": sorted(
            Prototype.cards.through.objects.values_list("prototype_id", "card_id")
        ),
    }


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_refused_writes_change_nothing(client_for, users, world, action, role):
    before = snapshot()
    response = client_for(users[role]).post(url(action, world), write_data(action, world))
    assert response.status_code == CONTENT_EDITORS[role]
    assert snapshot() == before


@pytest.mark.parametrize("action", WRITES)
def test_anonymous_writes_are_sent_to_login_and_change_nothing(client, world, action):
    before = snapshot()
    response = client.post(url(action, world), write_data(action, world))
    assert response.status_code == FOUND
    assert response.url.startswith(reverse("login"))
    assert snapshot() == before


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("role", WRITERS)
def test_writers_write(client_for, users, world, action, role):
    before = snapshot()
    response = client_for(users[role]).post(url(action, world), write_data(action, world))
    assert response.status_code == FOUND
    assert snapshot() != before


RECORD_PAGES = [
    page for page in GET_PAGES if page not in LOCALITY_PAGES and GET_PAGES[page] is not POST_ONLY
]


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_another_localitys_blueprint_is_404_under_this_locality(
    client_for, superuser, world, other_locality, page
):
    """A superuser sees every locality, yet Riverside's blueprint under Northgate is 404."""
    theirs = BlueprintFactory(locality=other_locality)
    foreign = {
        "blueprint": theirs,
        "phase": phase(theirs, 0),
        "lane": lane(theirs),
        "challenge": DeliveryChallengeFactory(blueprint=theirs),
        "prototype": PrototypeFactory(blueprint=theirs),
    }
    client = client_for(superuser)
    assert client.get(url(page, foreign)).status_code == NOT_FOUND
    assert client.get(url(page, foreign, slug="riverside")).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "page",
    sorted(PHASE_PAGES | LANE_PAGES | CHALLENGE_PAGES | PROTOTYPE_PAGES),
)
def test_a_part_of_another_blueprint_is_404_under_this_one(client_for, editor, world, page):
    """Phases, lanes, challenges and prototypes are looked up inside the URL's blueprint."""
    sibling = BlueprintFactory(locality=world["blueprint"].locality)
    parts = {
        "blueprint": world["blueprint"],
        "phase": phase(sibling, 0),
        "lane": lane(sibling),
        "challenge": DeliveryChallengeFactory(blueprint=sibling),
        "prototype": PrototypeFactory(blueprint=sibling),
    }
    before = snapshot()
    client = client_for(editor)
    assert client.get(url(page, parts)).status_code == NOT_FOUND
    name = page.replace("prototype-detail", "prototype-update")
    assert client.post(url(name, parts), write_data(name, world)).status_code == NOT_FOUND
    assert snapshot() == before


def test_outsider_is_404_even_for_a_blueprint_that_does_not_exist(client_for, outsider):
    response = client_for(outsider).get(reverse("blueprints:text", args=["northgate", 99999]))
    assert response.status_code == NOT_FOUND


def test_viewer_sees_no_editing_controls(client_for, viewer, world):
    client = client_for(viewer)
    listing = client.get(url("list", world)).content.decode()
    structure = client.get(url("structure", world)).content.decode()
    challenges = client.get(url("challenge-list", world)).content.decode()
    assert "New blueprint" not in listing
    assert "Add a phase" not in structure
    assert "Move" not in structure
    assert "Add a delivery challenge" not in challenges


def test_editor_sees_the_editing_controls(client_for, editor, world):
    client = client_for(editor)
    assert "New blueprint" in client.get(url("list", world)).content.decode()
    structure = client.get(url("structure", world)).content.decode()
    assert "Add a phase" in structure
    assert "Add a lane" in structure
