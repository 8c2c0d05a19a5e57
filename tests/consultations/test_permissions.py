"""The permission matrix over every consultations URL (DESIGN section 4), both ways."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from consultations.models import Consultation, Idea, Response
from tests.consultations.factories import (
    ChallengeFactory,
    ConsultationFactory,
    IdeaFactory,
    ResponseFactory,
)
from tests.roles import CONTENT_EDITORS, READERS, REFUSED_WRITERS, ROLES, WRITERS

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND, FOUND = (
    HTTPStatus.OK,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.FOUND,
)


@pytest.fixture
def world(locality, idea, other_idea, consultation):
    ResponseFactory(consultation=consultation, idea=idea, group="parent", support=5)
    return {"idea": idea, "consultation": consultation}


LOCALITY_PAGES = {
    "idea-list",
    "idea-create",
    "consultation-list",
    "consultation-create",
    "results",
    "responses-export",
}


def url(name, world, slug="northgate"):
    """The URL called `name`, for the world's idea or consultation as the name needs."""
    if name in LOCALITY_PAGES:
        args = [slug]
    elif name.startswith("idea-"):
        args = [slug, world["idea"].pk]
    else:
        args = [slug, world["consultation"].pk]
    return reverse(f"consultations:{name}", args=args)


READ_PAGES = {
    "idea-list": READERS,
    "idea-detail": READERS,
    "consultation-list": READERS,
    "consultation-detail": READERS,
    "consultation-qr": READERS,
    "consultation-results": READERS,
    "results": READERS,
    "consultation-export": READERS,
    "responses-export": READERS,
    # Pages that change things answer GET with their form: editors only.
    "idea-create": CONTENT_EDITORS,
    "idea-update": CONTENT_EDITORS,
    "idea-delete": CONTENT_EDITORS,
    "idea-choose": CONTENT_EDITORS,
    "consultation-create": CONTENT_EDITORS,
    "consultation-update": CONTENT_EDITORS,
    "consultation-delete": CONTENT_EDITORS,
    "consultation-responses": CONTENT_EDITORS,
}


@pytest.mark.parametrize("page", list(READ_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_get_pages_by_role(client_for, users, world, page, role):
    response = client_for(users[role]).get(url(page, world))
    assert response.status_code == READ_PAGES[page][role]


@pytest.mark.parametrize("page", [*READ_PAGES, "consultation-token"])
def test_anonymous_is_sent_to_login(client, world, page):
    response = client.get(url(page, world))
    assert response.status_code == FOUND
    assert response.url.startswith(reverse("login"))


RECORD_PAGES = [
    "idea-detail",
    "idea-update",
    "idea-delete",
    "idea-choose",
    "consultation-detail",
    "consultation-qr",
    "consultation-results",
    "consultation-export",
    "consultation-update",
    "consultation-delete",
    "consultation-responses",
]


@pytest.mark.parametrize("page", RECORD_PAGES)
def test_another_localitys_records_are_404_under_this_locality(
    client_for, superuser, world, other_locality, page
):
    """A superuser sees every locality, yet an id from Riverside under Northgate is 404."""
    foreign = {
        "idea": IdeaFactory(locality=other_locality),
        "consultation": ConsultationFactory(locality=other_locality),
    }
    response = client_for(superuser).get(url(page, foreign))
    assert response.status_code == NOT_FOUND
    assert client_for(superuser).get(url(page, foreign, slug="riverside")).status_code == OK


def test_token_is_post_only(client_for, editor, world):
    response = client_for(editor).get(url("consultation-token", world))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def snapshot(locality):
    """Everything the write URLs could change."""
    return {
        "ideas": sorted(
            Idea.objects.filter(locality=locality).values_list(
                "pk", "title", "status", "rationale", "description"
            )
        ),
        "idea_challenges": sorted(
            Idea.challenges.through.objects.values_list("idea_id", "challenge_id")
        ),
        "consultations": sorted(
            Consultation.objects.filter(locality=locality).values_list(
                "pk", "title", "token", "is_open", "notes"
            )
        ),
        "consulted": sorted(
            Consultation.ideas.through.objects.values_list("consultation_id", "idea_id")
        ),
        "responses": sorted(Response.objects.values_list("pk", "idea_id", "support")),
    }


def write_data(action, world, challenge):
    idea = world["idea"]
    return {
        "idea-create": {"title": "A new idea", "status": "brainstormed"},
        "idea-update": {
            "title": "Renamed",
            "status": "parked",
            "challenges": [challenge.pk],
        },
        "idea-delete": {},
        "idea-choose": {"rationale": "Everyone liked it."},
        "consultation-create": {
            "title": "A new consultation",
            "held_on": "2026-04-01",
            "audience": "community",
            "method": "survey",
            "ideas": [idea.pk],
        },
        "consultation-update": {
            "title": "Renamed consultation",
            "held_on": "2026-04-01",
            "audience": "staff",
            "method": "workshop",
            "ideas": [idea.pk],
        },
        "consultation-delete": {},
        "consultation-token": {},
        "consultation-responses": {
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "0",
            "rows-0-idea": str(idea.pk),
            "rows-0-group": "parent",
            "rows-0-support": "3",
            "rows-0-comment": "",
        },
    }[action]


WRITES = [
    "idea-create",
    "idea-update",
    "idea-delete",
    "idea-choose",
    "consultation-create",
    "consultation-update",
    "consultation-delete",
    "consultation-token",
    "consultation-responses",
]


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_refused_writes_change_nothing(client_for, users, world, locality, action, role):
    challenge = ChallengeFactory(locality=locality)
    before = snapshot(locality)
    response = client_for(users[role]).post(
        url(action, world), write_data(action, world, challenge)
    )
    assert response.status_code == CONTENT_EDITORS[role]
    assert snapshot(locality) == before


@pytest.mark.parametrize("action", WRITES)
def test_anonymous_writes_change_nothing(client, world, locality, action):
    challenge = ChallengeFactory(locality=locality)
    before = snapshot(locality)
    response = client.post(url(action, world), write_data(action, world, challenge))
    assert response.status_code == FOUND
    assert response.url.startswith(reverse("login"))
    assert snapshot(locality) == before


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("role", WRITERS)
def test_editors_writes_take_effect(client_for, users, world, locality, action, role):
    challenge = ChallengeFactory(locality=locality)
    before = snapshot(locality)
    response = client_for(users[role]).post(
        url(action, world), write_data(action, world, challenge)
    )
    assert response.status_code == FOUND
    assert snapshot(locality) != before


def test_editor_of_another_locality_cannot_write_here(client_for, outsider, world, locality):
    before = snapshot(locality)
    response = client_for(outsider).post(
        url("idea-choose", world), {"rationale": "From elsewhere."}
    )
    assert response.status_code == NOT_FOUND
    assert snapshot(locality) == before
