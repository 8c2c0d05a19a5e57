from http import HTTPStatus

import pytest
from django.urls import reverse

from consultations.models import Idea
from tests.consultations.factories import ChallengeFactory, IdeaFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def create_url(slug="northgate"):
    return reverse("consultations:idea-create", args=[slug])


def test_editor_adds_an_idea_answering_challenges(client_for, editor, locality):
    challenge = ChallengeFactory(locality=locality)
    response = client_for(editor).post(
        create_url(),
        {
            "title": "Welcome walks",
            "description": "Parents walk new families round.",
            "challenges": [challenge.pk],
            "proposed_by": "Parent forum",
            "status": "shortlisted",
        },
    )
    idea = Idea.objects.get(title="Welcome walks")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == idea.get_absolute_url()
    assert (idea.locality, idea.created_by, idea.status) == (locality, editor, "shortlisted")
    assert list(idea.challenges.all()) == [challenge]


def test_missing_title_is_an_error_next_to_the_field(client_for, editor):
    response = client_for(editor).post(create_url(), {"title": "", "status": "brainstormed"})
    assert response.status_code == HTTPStatus.OK
    assert "title" in response.context["form"].errors
    assert not Idea.objects.exists()


def test_over_long_title_is_refused(client_for, editor):
    response = client_for(editor).post(create_url(), {"title": "x" * 201, "status": "parked"})
    assert response.status_code == HTTPStatus.OK
    assert "title to 200 characters; it has 201." in str(response.context["form"].errors["title"])
    assert not Idea.objects.exists()


def test_over_long_description_is_refused(client_for, editor):
    response = client_for(editor).post(
        create_url(), {"title": "Fine", "description": "x" * 4001, "status": "parked"}
    )
    assert "description" in response.context["form"].errors
    assert not Idea.objects.exists()


def test_another_localitys_challenge_is_a_form_error(client_for, editor, other_locality):
    theirs = ChallengeFactory(locality=other_locality)
    response = client_for(editor).post(
        create_url(), {"title": "Sneaky", "status": "parked", "challenges": [theirs.pk]}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Only this locality's challenges" in response.context["form"].errors["challenges"][0]
    assert not Idea.objects.exists()


def test_a_challenge_id_that_is_not_a_number_is_a_form_error(client_for, editor):
    response = client_for(editor).post(
        create_url(), {"title": "Odd", "status": "parked", "challenges": ["abc"]}
    )
    assert response.status_code == HTTPStatus.OK
    assert "challenges" in response.context["form"].errors


def test_chosen_cannot_be_set_through_the_form(client_for, editor):
    response = client_for(editor).post(create_url(), {"title": "Shortcut", "status": "chosen"})
    assert response.status_code == HTTPStatus.OK
    assert "status" in response.context["form"].errors
    assert not Idea.objects.exists()


def test_the_form_does_not_offer_chosen(client_for, editor):
    form = client_for(editor).get(create_url()).context["form"]
    assert "chosen" not in [value for value, _ in form.fields["status"].choices]


def test_editing_the_top_idea_keeps_it_chosen(client_for, editor, locality):
    top = IdeaFactory(locality=locality, status=Idea.Status.CHOSEN, rationale="Why")
    response = client_for(editor).post(
        reverse("consultations:idea-update", args=["northgate", top.pk]),
        {"title": "New name", "status": "parked"},
    )
    assert response.status_code == HTTPStatus.FOUND
    top.refresh_from_db()
    assert (top.title, top.status) == ("New name", Idea.Status.CHOSEN)


def test_list_filters_by_status_and_searches(client_for, viewer, locality):
    IdeaFactory(locality=locality, title="Play bus", status="parked")
    IdeaFactory(locality=locality, title="Play in the park", status="shortlisted")
    IdeaFactory(locality=locality, title="Baby bank", status="shortlisted")
    response = client_for(viewer).get(
        reverse("consultations:idea-list", args=["northgate"]),
        {"q": "play", "status": "shortlisted"},
    )
    assert [idea.title for idea in response.context["ideas"]] == ["Play in the park"]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"page": "abc"},
        {"page": "99999"},
        {"q": "x" * 5000},
        {"q": "nul \x00 byte"},
    ],
)
def test_list_survives_bad_query_strings(client_for, viewer, locality, query):
    IdeaFactory(locality=locality)
    response = client_for(viewer).get(reverse("consultations:idea-list", args=["northgate"]), query)
    assert response.status_code == HTTPStatus.OK


def test_list_shows_only_this_localitys_ideas(client_for, editor, locality, other_locality):
    IdeaFactory(locality=locality, title="Ours")
    IdeaFactory(locality=other_locality, title="Theirs")
    response = client_for(editor).get(reverse("consultations:idea-list", args=["northgate"]))
    assert [idea.title for idea in response.context["ideas"]] == ["Ours"]


def test_delete_page_warns_of_responses_then_deletes(client_for, editor, consultation, idea):
    ResponseFactory(consultation=consultation, idea=idea)
    url = reverse("consultations:idea-delete", args=["northgate", idea.pk])
    page = client_for(editor).get(url)
    assert "1 response</strong>" in page.content.decode()
    response = client_for(editor).post(url)
    assert response.status_code == HTTPStatus.FOUND
    assert not Idea.objects.filter(pk=idea.pk).exists()


# Choosing the top idea


def choose_url(idea):
    return reverse("consultations:idea-choose", args=[idea.locality.slug, idea.pk])


def test_choose_page_names_the_current_top_idea(client_for, editor, idea, other_idea):
    other_idea.status = Idea.Status.CHOSEN
    other_idea.save()
    page = client_for(editor).get(choose_url(idea))
    assert page.context["current_top_idea"] == other_idea
    assert "Choose as top idea" in page.content.decode()


def test_choosing_through_the_page_swaps_the_top_idea(client_for, editor, idea, other_idea):
    other_idea.status = Idea.Status.CHOSEN
    other_idea.save()
    response = client_for(editor).post(choose_url(idea), {"rationale": "Parents backed it."})
    assert response.status_code == HTTPStatus.FOUND
    idea.refresh_from_db()
    other_idea.refresh_from_db()
    assert (idea.status, idea.rationale, idea.chosen_by) == ("chosen", "Parents backed it.", editor)
    assert other_idea.status == "shortlisted"


@pytest.mark.parametrize("rationale", ["", "   ", "x" * 4001])
def test_choosing_needs_a_sensible_rationale(client_for, editor, idea, rationale):
    response = client_for(editor).post(choose_url(idea), {"rationale": rationale})
    assert response.status_code == HTTPStatus.OK
    assert "rationale" in response.context["form"].errors
    idea.refresh_from_db()
    assert idea.status == "shortlisted"
