"""Length limits (issue 14): text over a field's limit is refused with a message at the field
that names the limit and the length, and nothing is saved or cut; the page draws the limit as
`data-max-length` (for static/js/length-counter.js), never as the browser's `maxlength`, which
stops typing and cuts pasted text without a word."""

import re
from http import HTTPStatus

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from blueprints.models import Blueprint, Card, Lane
from consultations.forms import PublicResponseForm, ResponseRowForm
from consultations.models import Response
from localities.models import Insight
from localities.validators import TextHygieneMixin
from tests.blueprints.factories import BlueprintFactory, lane, phase
from tests.consultations.factories import ConsultationFactory, IdeaFactory

pytestmark = pytest.mark.django_db

MAXLENGTH_ATTR = re.compile(r"<(?:input|textarea)[^>]*\smaxlength=", re.I)


def text(response) -> str:
    return response.content.decode()


# The mechanism, on any form of the app ----------------------------------------------------


class ExampleForm(TextHygieneMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=10)
    notes = forms.CharField(label="Notes", max_length=20, widget=forms.Textarea)
    unlimited = forms.CharField(label="Anything", required=False)
    who = forms.CharField(label="Who proposed it?", max_length=5, required=False)


def test_the_limit_is_drawn_as_data_max_length_not_maxlength():
    html = str(ExampleForm())
    assert 'data-max-length="10"' in html
    assert 'data-max-length="20"' in html
    assert not MAXLENGTH_ATTR.search(html)


def test_a_field_without_a_limit_gets_no_counter():
    assert "data-max-length" not in str(ExampleForm()["unlimited"])


def test_text_over_the_limit_is_refused_with_the_limit_and_its_length():
    form = ExampleForm({"title": "x" * 13, "notes": "fine"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Keep the title to 10 characters; it has 13."]


def test_a_question_label_is_called_this():
    form = ExampleForm({"title": "ok", "notes": "ok", "who": "x" * 6})
    assert form.errors["who"] == ["Keep this to 5 characters; it has 6."]


def test_text_at_the_limit_is_kept_whole():
    form = ExampleForm({"title": "x" * 10, "notes": "y" * 20})
    assert form.is_valid()
    assert form.cleaned_data["title"] == "x" * 10


def test_a_forms_own_words_for_the_limit_are_kept(locality):
    idea = IdeaFactory(locality=locality)
    form = PublicResponseForm(
        {"group": "parent", f"support_{idea.pk}": "4", f"comment_{idea.pk}": "x" * 1001},
        ideas=[idea],
    )
    assert not form.is_valid()
    assert form.errors[f"comment_{idea.pk}"] == [
        "Keep your comment to 1000 characters (it has 1001)."
    ]


def test_a_hidden_field_gets_no_counter():
    class Hidden(TextHygieneMixin, forms.Form):
        code = forms.CharField(max_length=5, widget=forms.HiddenInput)

    assert "data-max-length" not in str(Hidden())


# A title: the blueprint ----------------------------------------------------------------


def test_an_over_long_blueprint_title_is_refused_not_cut(client_for, editor, blueprint_with_idea):
    blueprint = blueprint_with_idea
    url = reverse("blueprints:update", args=["northgate", blueprint.pk])
    page = client_for(editor).get(url)
    assert 'data-max-length="200"' in text(page)
    assert not MAXLENGTH_ATTR.search(text(page))
    response = client_for(editor).post(
        url, {"title": "T" * 234, "summary": "", "idea": blueprint.idea_id}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Keep the title to 200 characters; it has 234." in text(response)
    blueprint.refresh_from_db()
    assert blueprint.title == "Welcome walks"


@pytest.fixture
def blueprint_with_idea(locality, editor):
    return BlueprintFactory(locality=locality, title="Welcome walks", by=editor)


def test_a_copy_whose_title_would_be_too_long_is_refused_not_cut(
    client_for, editor, locality, blueprint_with_idea
):
    source = blueprint_with_idea
    Blueprint.objects.filter(pk=source.pk).update(title="W" * 195)
    response = client_for(editor).post(
        reverse("blueprints:create", args=["northgate"]),
        {"start": "copy", "copy_of": source.pk, "title": "", "summary": ""},
    )
    assert response.status_code == HTTPStatus.OK
    assert "title keeps to 200 characters, and “Copy of” and its title has 203" in text(response)
    assert Blueprint.objects.count() == 1


# An insight ------------------------------------------------------------------------------


def test_an_over_long_insight_is_refused_not_cut(client_for, editor, locality):
    url = reverse("localities:insight-create", args=["northgate"])
    page = client_for(editor).get(url)
    assert 'data-max-length="300"' in text(page)
    assert not MAXLENGTH_ATTR.search(text(page))
    response = client_for(editor).post(
        url, {"statement": "S" * 345, "subject": "families", "source": "interview"}
    )
    assert response.status_code == HTTPStatus.OK
    assert "Keep the statement to 300 characters; it has 345." in text(response)
    assert not Insight.objects.exists()


# A card title ----------------------------------------------------------------------------


def test_an_over_long_card_title_is_refused_not_cut(client_for, editor, blueprint_with_idea):
    blueprint = blueprint_with_idea
    family = lane(blueprint, Lane.Role.FAMILY)
    url = reverse("blueprints:card-create", args=["northgate", blueprint.pk])
    url = f"{url}?phase={phase(blueprint, 0).pk}&lane={family.pk}"
    page = client_for(editor).get(url)
    assert 'data-max-length="120"' in text(page)
    assert not MAXLENGTH_ATTR.search(text(page))
    response = client_for(editor).post(url, {"title": "C" * 134, "details": "", "kind": "step"})
    # The card form has its own words for the limit.
    assert "Keep the title to 120 characters or fewer (it has 134)." in text(response)
    assert not Card.objects.exists()


# A consultation response field -----------------------------------------------------------


def test_an_over_long_public_comment_is_refused_not_cut(locality):
    idea = IdeaFactory(locality=locality)
    consultation = ConsultationFactory(locality=locality, ideas=[idea])
    public = Client()
    page = public.get(consultation.get_public_url())
    assert 'data-max-length="1000"' in text(page)
    assert not MAXLENGTH_ATTR.search(text(page))
    response = public.post(
        consultation.get_public_url(),
        {
            "group": "parent",
            f"support_{idea.pk}": "4",
            f"comment_{idea.pk}": "c" * 1200,
            "submission_token": page.context["submission_token"],
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "Keep your comment to 1000 characters (it has 1200)." in text(response)
    assert not Response.objects.exists()


def test_an_over_long_team_entered_comment_is_refused_not_cut(locality):
    idea = IdeaFactory(locality=locality)
    form = ResponseRowForm(
        {"idea": str(idea.pk), "group": "parent", "support": "3", "comment": "c" * 1001},
        ideas=[idea],
    )
    assert 'data-max-length="1000"' in str(form["comment"])
    assert not form.is_valid()
    assert form.errors["comment"] == ["Keep the comment to 1000 characters; it has 1001."]


# The script --------------------------------------------------------------------------------


def test_every_page_loads_the_counter_script(client_for, viewer):
    page = client_for(viewer).get(reverse("dashboard"))
    assert "js/length-counter" in text(page)
