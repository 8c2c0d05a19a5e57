"""Issue 14, item 1 (the team's side): after a reviewer requests changes, every team member
sees the decision, its note, who and when, and the open comments to answer, on the
dashboard, the locality overview and the editor; "What to do next" follows the review state;
resubmitting clears the notice. The pages' query counts do not grow with the data.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from blueprints.models import Blueprint
from blueprints.review import actions as review_actions
from tests.blueprints.factories import BlueprintFactory, CardFactory, CommentFactory
from tests.localities.test_overview import build_stage

pytestmark = pytest.mark.django_db

NOTE = "Say who runs the exit phase <b>and</b> when."
TEAM = ["viewer", "editor", "lead"]
NEXT = "Answer the reviewer's comments and resubmit"


@pytest.fixture
def blueprint(locality, editor, reviewer):
    """A blueprint of the locality's top idea, sent back with a note and two open comments
    (and one resolved)."""
    build_stage(locality, 6)
    blueprint = BlueprintFactory(
        locality=locality, title="Welcome walks", idea=locality.ideas.get(status="chosen")
    )
    card = CardFactory(blueprint=blueprint, title="Leaves the group")
    review_actions.submit(blueprint=blueprint, by=editor)
    CommentFactory(blueprint=blueprint, card=card, author=reviewer, body="Who says goodbye?")
    CommentFactory(blueprint=blueprint, author=reviewer, body="Add the costs.")
    CommentFactory(
        blueprint=blueprint, author=reviewer, body="Old point.", resolved_at=timezone.now()
    )
    review_actions.request_changes(blueprint=blueprint, by=reviewer, note=NOTE)
    return Blueprint.objects.get(pk=blueprint.pk)


def pages(blueprint) -> dict[str, str]:
    slug = blueprint.locality.slug
    return {
        "dashboard": reverse("dashboard"),
        "overview": reverse("localities:detail", args=[slug]),
        "editor": reverse("blueprints:detail", args=[slug, blueprint.pk]),
    }


def reviewer_name(reviewer) -> str:
    return escape(reviewer.get_full_name() or reviewer.get_username())


@pytest.mark.parametrize("page", ["dashboard", "overview", "editor"])
@pytest.mark.parametrize("role", TEAM)
def test_every_team_member_sees_the_reviewers_note_who_and_the_comments_to_answer(
    client_for, users, reviewer, blueprint, role, page
):
    response = client_for(users[role]).get(pages(blueprint)[page])
    assert response.status_code == HTTPStatus.OK
    html = response.text
    assert "Changes requested" in html
    assert escape(NOTE) in html  # the note is text, never markup
    assert "<b>and</b>" not in html
    assert f"By {reviewer_name(reviewer)}" in html
    assert "2 open comments to answer" in html
    assert "Who says goodbye?" in html
    assert "Add the costs." in html
    assert "Old point." not in html
    review = reverse("blueprints:review", args=[blueprint.locality.slug, blueprint.pk])
    assert f'href="{review}#comments"' in html


@pytest.mark.parametrize("page", ["dashboard", "overview"])
@pytest.mark.parametrize("role", TEAM)
def test_what_to_do_next_is_to_answer_and_resubmit(client_for, users, blueprint, role, page):
    html = client_for(users[role]).get(pages(blueprint)[page]).text
    assert escape(NEXT) in html
    assert "Run the prototypes" not in html


@pytest.mark.parametrize("page", ["dashboard", "overview", "editor"])
def test_resubmitting_clears_the_notice(client_for, editor, viewer, blueprint, page):
    review_actions.submit(blueprint=blueprint, by=editor)
    html = client_for(viewer).get(pages(blueprint)[page]).text
    assert escape(NOTE) not in html
    assert "open comments to answer" not in html


@pytest.mark.parametrize("page", ["dashboard", "overview"])
def test_once_resubmitted_what_to_do_next_is_to_wait_for_the_reviewer(
    client_for, editor, blueprint, page
):
    review_actions.submit(blueprint=blueprint, by=editor)
    html = client_for(editor).get(pages(blueprint)[page]).text
    assert "Waiting for the reviewer" in html
    assert escape(NEXT) not in html


@pytest.mark.parametrize("page", ["dashboard", "overview"])
def test_once_approved_what_to_do_next_is_the_methods_next_step(
    client_for, editor, reviewer, blueprint, page
):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.approve(blueprint=blueprint, by=reviewer, note="Good.")
    html = client_for(editor).get(pages(blueprint)[page]).text
    assert "Name the challenges delivering the blueprint will face" in html
    assert "Waiting for the reviewer" not in html


def test_a_blueprint_not_of_the_top_idea_still_shows_its_request(
    client_for, editor, reviewer, locality, blueprint
):
    other = BlueprintFactory(locality=locality, title="Dads' club")
    review_actions.submit(blueprint=other, by=editor)
    review_actions.request_changes(blueprint=other, by=reviewer, note="Where do dads meet?")
    html = client_for(editor).get(reverse("dashboard")).text
    assert "Where do dads meet?" in html
    assert escape("Changes requested on “Dads' club”") in html


def test_another_localitys_request_is_not_shown(client_for, outsider, blueprint):
    html = client_for(outsider).get(reverse("dashboard")).text
    assert escape(NOTE) not in html


def test_the_overview_of_another_locality_is_not_found(client_for, outsider, blueprint):
    response = client_for(outsider).get(pages(blueprint)["overview"])
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_anonymous_dashboard_goes_to_the_login_page(client, blueprint):
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


# Query counts -------------------------------------------------------------------------


def more_requests(locality, editor, reviewer, n: int) -> None:
    for number in range(n):
        other = BlueprintFactory(locality=locality, title=f"Blueprint {number}")
        card = CardFactory(blueprint=other)
        review_actions.submit(blueprint=other, by=editor)
        for comment in range(5):
            CommentFactory(blueprint=other, card=card, author=reviewer, body=f"Point {comment}")
        review_actions.request_changes(blueprint=other, by=reviewer, note=f"Note {number}")


@pytest.mark.parametrize("page", ["dashboard", "overview", "editor"])
def test_the_query_count_does_not_grow_with_requests_and_comments(
    client_for, editor, reviewer, locality, blueprint, page, django_assert_max_num_queries
):
    client = client_for(editor)
    address = pages(blueprint)[page]
    client.get(address)  # warm up (session, content types)
    with django_assert_max_num_queries(40) as small:
        response = client.get(address)
    assert response.status_code == HTTPStatus.OK
    assert escape(NOTE) in response.text
    more_requests(locality, editor, reviewer, 6)
    for comment in range(10):
        CommentFactory(blueprint=blueprint, author=reviewer, body=f"More {comment}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(address)
    assert response.status_code == HTTPStatus.OK
    assert "12 open comments to answer" in response.text
