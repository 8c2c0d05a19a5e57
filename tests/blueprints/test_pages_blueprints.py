"""The blueprint list, creating (from an idea, or as a deep copy), editing and deleting."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, Card, CardLink, DeliveryChallenge, Lane, Prototype
from consultations.models import Idea
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    lane,
)
from tests.consultations.factories import IdeaFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("blueprints:create", args=["northgate"])
LIST = reverse("blueprints:list", args=["northgate"])


def words(response) -> str:
    """The page's text without tags, spaces collapsed, for asserting on sentences."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.split())


@pytest.fixture
def top_idea(locality):
    return IdeaFactory(locality=locality, status=Idea.Status.CHOSEN, title="Welcome walks")


@pytest.fixture
def other_idea(locality):
    return IdeaFactory(locality=locality, title="A baby bank", status=Idea.Status.SHORTLISTED)


# The list -------------------------------------------------------------------------------


def test_list_shows_counts_and_marks_the_top_ideas_blueprint(client_for, viewer, top_idea):
    blueprint = BlueprintFactory(locality=top_idea.locality, idea=top_idea, title="Walks")
    CardFactory.create_batch(3, blueprint=blueprint)
    DeliveryChallengeFactory(blueprint=blueprint)
    BlueprintFactory(locality=top_idea.locality, title="Another", idea=None)
    response = client_for(viewer).get(LIST)
    rows = {b.title: b for b in response.context["blueprints"]}
    assert (rows["Walks"].card_count, rows["Walks"].challenge_count) == (3, 1)
    assert (rows["Walks"].prototype_count, rows["Another"].card_count) == (0, 0)
    text = words(response)
    assert "3 cards · 1 delivery challenge · 0 prototypes" in text
    assert text.count("★ Top idea") == 1


def test_list_shows_only_this_localitys_blueprints(client_for, editor, locality, other_locality):
    BlueprintFactory(locality=locality, title="Ours")
    BlueprintFactory(locality=other_locality, title="Theirs")
    response = client_for(editor).get(LIST)
    assert [b.title for b in response.context["blueprints"]] == ["Ours"]


@pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "9999"}, {"page": "-1"}])
def test_list_survives_bad_page_numbers(client_for, viewer, locality, query):
    BlueprintFactory(locality=locality)
    assert client_for(viewer).get(LIST, query).status_code == HTTPStatus.OK


# Creating -------------------------------------------------------------------------------


def test_the_top_idea_is_offered_first_preselected_and_marked(
    client_for, editor, other_idea, top_idea
):
    response = client_for(editor).get(CREATE)
    form = response.context["form"]
    choices = [label for _, label in form.fields["idea"].choices]
    assert choices[0] == "Top idea: Welcome walks"
    assert form["idea"].value() == top_idea.pk
    assert form["title"].value() == "Welcome walks"
    assert re.search(
        rf'value="{top_idea.pk}"[^>]*checked|checked[^>]*value="{top_idea.pk}"',
        response.content.decode(),
    )


def test_editor_creates_a_blueprint_from_the_top_idea_and_lands_in_the_editor(
    client_for, editor, top_idea
):
    response = client_for(editor).post(
        CREATE, {"start": "idea", "idea": top_idea.pk, "title": "", "summary": "Walks."}
    )
    blueprint = Blueprint.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == blueprint.get_absolute_url()
    assert (blueprint.title, blueprint.idea, blueprint.created_by) == (
        "Welcome walks",
        top_idea,
        editor,
    )
    assert list(blueprint.phases.values_list("name", flat=True)) == [
        "Awareness",
        "Use",
        "Exit and advocacy",
    ]
    assert blueprint.lanes.count() == len(Lane.Role)


def test_any_idea_of_the_locality_can_be_blueprinted(client_for, editor, top_idea, other_idea):
    client_for(editor).post(
        CREATE, {"start": "idea", "idea": other_idea.pk, "title": "Baby bank blueprint"}
    )
    assert Blueprint.objects.get().idea == other_idea


def test_an_idea_of_another_locality_is_a_form_error(client_for, editor, top_idea, other_locality):
    theirs = IdeaFactory(locality=other_locality)
    response = client_for(editor).post(
        CREATE, {"start": "idea", "idea": theirs.pk, "title": "Sneaky"}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Choose one of this locality's ideas" in response.context["form"].errors["idea"][0]
    assert not Blueprint.objects.exists()


@pytest.mark.parametrize("value", ["abc", "", "99999", "1.5"])
def test_a_missing_or_bogus_idea_is_a_form_error(client_for, editor, top_idea, value):
    response = client_for(editor).post(CREATE, {"start": "idea", "idea": value, "title": "X"})
    assert response.status_code == HTTPStatus.OK
    assert "idea" in response.context["form"].errors
    assert not Blueprint.objects.exists()


def test_an_over_long_title_is_refused(client_for, editor, top_idea):
    response = client_for(editor).post(
        CREATE, {"start": "idea", "idea": top_idea.pk, "title": "x" * 201}
    )
    assert "title to 200 characters; it has 201." in response.context["form"].errors["title"][0]
    assert not Blueprint.objects.exists()


def test_an_unknown_start_is_a_form_error(client_for, editor, top_idea):
    response = client_for(editor).post(CREATE, {"start": "magic", "idea": top_idea.pk})
    assert "start" in response.context["form"].errors
    assert not Blueprint.objects.exists()


def test_the_copy_choice_is_offered_only_when_there_is_a_blueprint_to_copy(
    client_for, editor, top_idea
):
    client = client_for(editor)
    assert "copy_of" not in client.get(CREATE).context["form"].fields
    BlueprintFactory(locality=top_idea.locality)
    assert "copy_of" in client.get(CREATE).context["form"].fields


@pytest.fixture
def source(top_idea, editor):
    """A blueprint with cards, a link, an insight-free challenge and a prototype."""
    blueprint = BlueprintFactory(locality=top_idea.locality, idea=top_idea, title="Original")
    family = CardFactory(blueprint=blueprint, title="Hears about it", emotion=-1)
    staff = CardFactory(
        blueprint=blueprint, lane=lane(blueprint, Lane.Role.FRONTLINE), title="Tells them"
    )
    services.link_cards(from_card=staff, to_card=family, by=editor)
    challenge = DeliveryChallengeFactory(blueprint=blueprint, cards=[family])
    PrototypeFactory(blueprint=blueprint, cards=[family, staff], delivery_challenges=[challenge])
    return blueprint


def test_a_copy_through_the_page_is_deep(client_for, editor, source):
    response = client_for(editor).post(CREATE, {"start": "copy", "copy_of": source.pk, "title": ""})
    copy = Blueprint.objects.exclude(pk=source.pk).get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == copy.get_absolute_url()
    assert copy.title == "Copy of Original"
    assert sorted(copy.cards.values_list("title", "emotion")) == [
        ("Hears about it", -1),
        ("Tells them", None),
    ]
    link = CardLink.objects.get(from_card__blueprint=copy)
    assert (link.from_card.title, link.to_card.title) == ("Tells them", "Hears about it")
    challenge = copy.delivery_challenges.get()
    assert [c.blueprint_id for c in challenge.cards.all()] == [copy.pk]
    prototype = copy.prototypes.get()
    assert {c.blueprint_id for c in prototype.cards.all()} == {copy.pk}
    assert list(prototype.delivery_challenges.all()) == [challenge]
    assert source.cards.count() == 2  # the source is untouched


def test_a_copy_keeps_the_sources_summary_unless_given_one(client_for, editor, source):
    client = client_for(editor)
    client.post(CREATE, {"start": "copy", "copy_of": source.pk, "title": "Kept"})
    client.post(CREATE, {"start": "copy", "copy_of": source.pk, "title": "New", "summary": "Mine"})
    assert Blueprint.objects.get(title="Kept").summary == source.summary
    assert Blueprint.objects.get(title="New").summary == "Mine"


def test_copying_another_localitys_blueprint_is_a_form_error(
    client_for, editor, source, other_locality
):
    theirs = BlueprintFactory(locality=other_locality)
    response = client_for(editor).post(CREATE, {"start": "copy", "copy_of": theirs.pk})
    assert "this locality's blueprints" in response.context["form"].errors["copy_of"][0]
    assert Blueprint.objects.count() == 2


def test_a_copy_needs_a_blueprint_to_copy(client_for, editor, source):
    response = client_for(editor).post(CREATE, {"start": "copy", "copy_of": ""})
    assert response.context["form"].errors["copy_of"] == ["Choose the blueprint to copy."]
    assert Blueprint.objects.count() == 1


def test_with_no_ideas_the_page_says_to_add_one(client_for, editor, locality):
    response = client_for(editor).get(CREATE)
    assert "has no ideas yet" in words(response)


# Editing and deleting -------------------------------------------------------------------


def test_editor_renames_and_changes_the_idea(client_for, editor, top_idea, other_idea):
    blueprint = BlueprintFactory(locality=top_idea.locality, idea=top_idea)
    response = client_for(editor).post(
        reverse("blueprints:update", args=["northgate", blueprint.pk]),
        {"title": "  Renamed ", "summary": "New summary", "idea": other_idea.pk},
    )
    blueprint.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert (blueprint.title, blueprint.summary, blueprint.idea) == (
        "Renamed",
        "New summary",
        other_idea,
    )


def test_editing_to_another_localitys_idea_is_refused(client_for, editor, top_idea, other_locality):
    blueprint = BlueprintFactory(locality=top_idea.locality, idea=top_idea, title="Kept")
    theirs = IdeaFactory(locality=other_locality)
    response = client_for(editor).post(
        reverse("blueprints:update", args=["northgate", blueprint.pk]),
        {"title": "Changed", "idea": theirs.pk},
    )
    assert "idea" in response.context["form"].errors
    blueprint.refresh_from_db()
    assert (blueprint.title, blueprint.idea) == ("Kept", top_idea)


def test_an_empty_title_is_refused_on_edit(client_for, editor, top_idea):
    blueprint = BlueprintFactory(locality=top_idea.locality, idea=top_idea, title="Kept")
    response = client_for(editor).post(
        reverse("blueprints:update", args=["northgate", blueprint.pk]),
        {"title": "   ", "idea": top_idea.pk},
    )
    assert "title" in response.context["form"].errors
    blueprint.refresh_from_db()
    assert blueprint.title == "Kept"


def test_delete_confirmation_says_how_many_cards_go_with_it(client_for, editor, source):
    response = client_for(editor).get(reverse("blueprints:delete", args=["northgate", source.pk]))
    assert "Deleting it deletes its 2 cards, 1 delivery challenge and 1 prototype" in words(
        response
    )
    assert Blueprint.objects.filter(pk=source.pk).exists()


def test_deleting_takes_everything_in_it_and_returns_to_the_list(client_for, editor, source):
    response = client_for(editor).post(reverse("blueprints:delete", args=["northgate", source.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == LIST
    assert not Blueprint.objects.exists()
    assert not Card.objects.exists()
    assert not DeliveryChallenge.objects.exists()
    assert not Prototype.objects.exists()


def test_deleting_is_recorded_as_the_users(client_for, editor, source):
    client_for(editor).post(reverse("blueprints:delete", args=["northgate", source.pk]))
    record = Blueprint.history.filter(id=source.pk, history_type="-").get()
    assert record.history_user == editor


def test_the_blueprint_sub_navigation_links_every_section(client_for, viewer, source):
    response = client_for(viewer).get(reverse("blueprints:text", args=["northgate", source.pk]))
    nav = re.search(
        r'<nav aria-label="Sections of this blueprint".*?</nav>', response.content.decode(), re.S
    ).group(0)
    for name in ("text", "structure", "challenge-list", "prototype-list", "history"):
        assert reverse(f"blueprints:{name}", args=["northgate", source.pk]) in nav
    assert source.get_absolute_url() in nav
    assert 'aria-current="page"' in nav


def test_with_no_ideas_a_blueprint_can_still_be_copied(client_for, editor, locality):
    source = BlueprintFactory(locality=locality, idea=None, title="Old")
    client = client_for(editor)
    form = client.get(CREATE).context["form"]
    assert [value for value, _ in form.fields["start"].choices] == ["copy"]
    response = client.post(CREATE, {"start": "copy", "copy_of": source.pk})
    assert response.status_code == HTTPStatus.FOUND
    assert Blueprint.objects.filter(title="Copy of Old").exists()


def test_with_no_ideas_starting_from_an_idea_is_refused(client_for, editor, locality):
    BlueprintFactory(locality=locality, idea=None)
    response = client_for(editor).post(CREATE, {"start": "idea", "title": "X"})
    assert "start" in response.context["form"].errors
    assert Blueprint.objects.count() == 1
