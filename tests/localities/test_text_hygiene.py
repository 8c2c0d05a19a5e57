"""Text people type: lone surrogates are refused everywhere, line breaks and other control
characters in one-line fields (titles, names), each with a message next to the field.

A lone surrogate cannot reach a form through an ordinary post (Django decodes UTF-8 with
errors replaced), but it can through a body that declares another charset: `utf7_post`
sends one as a crafted client would. Without the guard that is a 500 on PostgreSQL, both
when saving and when showing the form again. Blueprint forms, the blueprint admin and the
JSON import have their own tests (tests/blueprints/test_text_hygiene.py and
test_import_hygiene.py).
"""

from http import HTTPStatus

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations.forms import PublicResponseForm, ResponseRowFormSet
from consultations.models import Consultation, Idea, Response, new_submission_token
from localities.forms import InsightForm
from localities.models import Challenge, Insight, Locality, Tag
from localities.validators import (
    LONE_SURROGATE_MESSAGE,
    NOT_ONE_LINE_MESSAGE,
    TextHygieneMixin,
    validate_single_line,
    validate_text,
)
from tests.consultations.factories import ConsultationFactory, IdeaFactory

# The crafted UTF-7 bodies must reach the forms: see tests/conftest.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forms_without_the_utf8_gate")]


SURROGATE = "\ud800"
NOT_ONE_LINE = ["Line one\nline two", "Line one\r\nline two", "Tab\tinside", "Bell\x07", "a\x85b"]


BOUNDARY = "text-hygiene-boundary"


def utf7_body(data: dict[str, str | list[str]]) -> bytes:
    """A multipart body in UTF-7, a charset in which a lone surrogate can be written.

    (Django refuses form-encoded bodies in any charset but UTF-8; multipart parts, and
    query strings, it decodes in the charset the request declares.)"""
    lines = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            lines += [
                f"--{BOUNDARY}".encode(),
                f'Content-Disposition: form-data; name="{key}"'.encode(),
                b"",
                str(item).encode("utf-7"),
            ]
    return b"\r\n".join([*lines, f"--{BOUNDARY}--".encode(), b""])


def utf7_post(client, url: str, data: dict):
    # The charset goes in the header only: given to the test client, it would re-encode the
    # body from UTF-8 into UTF-7 a second time.
    return client.post(
        url,
        utf7_body(data),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}; charset=utf-7",
    )


def page(response) -> str:
    return response.content.decode()


# The validators -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [SURROGATE, f"a{SURROGATE}b", "\udfff", "end \udc80"])
def test_text_with_a_lone_surrogate_is_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_text(value)
    assert error.value.code == "lone_surrogate"


@pytest.mark.parametrize(
    "value", ["", "Plain", "Two\nlines\r\nand a\ttab", "Café – “quoted” 👶", "\U0001f600"]
)
def test_ordinary_text_passes_validate_text(value):
    assert validate_text(value) is None  # no ValidationError


@pytest.mark.parametrize("value", [*NOT_ONE_LINE, "a\x1bb", "del\x7f", "a\u2028b", "a\u2029b"])
def test_a_line_break_or_control_character_is_not_one_line(value):
    with pytest.raises(ValidationError) as error:
        validate_single_line(value)
    assert error.value.code == "not_one_line"


def test_a_one_line_field_refuses_a_lone_surrogate_too():
    with pytest.raises(ValidationError) as error:
        validate_single_line(f"Title {SURROGATE}")
    assert error.value.code == "lone_surrogate"


@pytest.mark.parametrize("value", ["Welcome walks", "Café – “quoted” 👶", "Spaces  inside "])
def test_one_line_text_passes(value):
    assert validate_single_line(value) is None  # no ValidationError


# The model fields -----------------------------------------------------------------------

ONE_LINE_FIELDS = [
    (Locality, "name"),
    (Locality, "area"),
    (Tag, "name"),
    (Insight, "statement"),
    (Challenge, "title"),
    (Idea, "title"),
    (Idea, "proposed_by"),
    (Consultation, "title"),
    (Consultation, "place"),
]
SEVERAL_LINE_FIELDS = [
    (Locality, "description"),
    (Insight, "detail"),
    (Challenge, "description"),
    (Idea, "description"),
    (Idea, "rationale"),
    (Consultation, "notes"),
    (Response, "comment"),
]


def field_id(param):
    return f"{param[0].__name__}.{param[1]}"


@pytest.mark.parametrize("model_field", ONE_LINE_FIELDS, ids=field_id)
def test_one_line_model_fields_refuse_a_line_break(model_field):
    model, name = model_field
    with pytest.raises(ValidationError, match="Keep this to one line"):
        model._meta.get_field(name).run_validators("Line one\nline two")


@pytest.mark.parametrize("model_field", ONE_LINE_FIELDS + SEVERAL_LINE_FIELDS, ids=field_id)
def test_every_typed_model_field_refuses_a_lone_surrogate(model_field):
    model, name = model_field
    with pytest.raises(ValidationError, match="lone surrogate"):
        model._meta.get_field(name).run_validators(f"Text {SURROGATE}")


@pytest.mark.parametrize("model_field", SEVERAL_LINE_FIELDS, ids=field_id)
def test_fields_written_on_several_lines_keep_their_line_breaks(model_field):
    model, name = model_field
    field = model._meta.get_field(name)
    assert field.validators  # it is checked, and these lines pass the check
    field.run_validators("Line one\nline two")


# The form mixin -------------------------------------------------------------------------


class ExampleForm(TextHygieneMixin, forms.Form):
    title = forms.CharField()
    notes = forms.CharField(widget=forms.Textarea, required=False)
    colour = forms.ChoiceField(choices=[("red", "Red")], required=False)


def test_a_form_refuses_a_line_break_in_a_one_line_input_next_to_the_field():
    form = ExampleForm({"title": "Line one\nline two", "notes": "Several\nlines"})
    assert not form.is_valid()
    assert form.errors == {"title": [NOT_ONE_LINE_MESSAGE]}


def test_a_form_keeps_line_breaks_in_a_textarea():
    form = ExampleForm({"title": "One line", "notes": "Several\nlines"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["notes"] == "Several\nlines"


@pytest.mark.parametrize("name", ["title", "notes"])
def test_a_lone_surrogate_is_an_error_next_to_its_field(name):
    form = ExampleForm({"title": "One line", name: f"Has {SURROGATE} in it"})
    assert not form.is_valid()
    assert form.errors[name] == [LONE_SURROGATE_MESSAGE]
    assert name not in form.cleaned_data


def test_the_form_shown_again_holds_no_surrogate():
    """Nor does an error message quoting the value (a choice that is not one)."""
    form = ExampleForm({"title": f"T{SURROGATE}", "colour": f"bl{SURROGATE}e"})
    form.is_valid()
    html = str(form) + str(form.errors)
    html.encode("utf-8")  # would raise UnicodeEncodeError with a surrogate in it
    assert "T\ufffd" in html
    assert form.errors["colour"][-1] == LONE_SURROGATE_MESSAGE


def test_fields_a_form_adds_in_its_own_init_are_covered(locality):
    """The public form adds a comment field per idea after the mixin has run."""
    idea = IdeaFactory(locality=locality)
    form = PublicResponseForm(
        {
            "group": "parent",
            f"support_{idea.pk}": "4",
            f"comment_{idea.pk}": f"x{SURROGATE}",
            "submission_token": new_submission_token(),
        },
        ideas=[idea],
    )
    assert not form.is_valid()
    assert form.errors == {f"comment_{idea.pk}": [LONE_SURROGATE_MESSAGE]}


def test_each_row_of_a_formset_is_checked_under_its_prefix(locality):
    idea = IdeaFactory(locality=locality)
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0"}
    for i, comment in enumerate(["Fine", f"Bad {SURROGATE}"]):
        data |= {
            f"form-{i}-idea": str(idea.pk),
            f"form-{i}-group": "parent",
            f"form-{i}-support": "3",
            f"form-{i}-comment": comment,
        }
    formset = ResponseRowFormSet(data, ideas=[idea])
    assert not formset.is_valid()
    assert formset.errors == [{}, {"comment": [LONE_SURROGATE_MESSAGE]}]


def test_a_form_with_clean_text_is_left_as_it_was(locality):
    data = {"statement": "Fine", "subject": "families", "source": "other", "tag_names": "a, b"}
    form = InsightForm(data, locality=locality)
    assert form.data is data
    assert form.is_valid(), form.errors


# Through the pages ----------------------------------------------------------------------


def url(name, *args, slug="northgate"):
    return reverse(name, args=[slug, *args])


INSIGHT = {"statement": "Families hear by word of mouth", "subject": "families", "source": "other"}


@pytest.mark.parametrize("value", NOT_ONE_LINE)
def test_an_insight_statement_with_a_line_break_is_refused(client_for, editor, value):
    response = client_for(editor).post(
        url("localities:insight-create"), {**INSIGHT, "statement": value}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["statement"] == [NOT_ONE_LINE_MESSAGE]
    assert NOT_ONE_LINE_MESSAGE in page(response)
    assert not Insight.objects.exists()


def test_a_tag_name_with_a_control_character_is_refused(client_for, editor):
    response = client_for(editor).post(
        url("localities:insight-create"), {**INSIGHT, "tag_names": "trust, bell\x07"}
    )
    assert response.context["form"].errors["tag_names"] == [NOT_ONE_LINE_MESSAGE]
    assert not Insight.objects.exists()
    assert not Tag.objects.exists()


def test_a_challenge_title_with_a_line_break_changes_nothing(client_for, editor, locality):
    challenge = Challenge.objects.create(locality=locality, title="Getting there")
    response = client_for(editor).post(
        url("localities:challenge-update", challenge.pk),
        {"title": "Getting\r\nthere", "description": ""},
    )
    assert response.context["form"].errors["title"] == [NOT_ONE_LINE_MESSAGE]
    challenge.refresh_from_db()
    assert challenge.title == "Getting there"


def test_an_idea_title_with_a_line_break_is_refused(client_for, editor):
    response = client_for(editor).post(
        url("consultations:idea-create"), {"title": "Welcome\nwalks", "status": "brainstormed"}
    )
    assert response.context["form"].errors["title"] == [NOT_ONE_LINE_MESSAGE]
    assert not Idea.objects.exists()


def test_a_consultation_title_with_a_line_break_changes_nothing(client_for, editor, locality):
    idea = IdeaFactory(locality=locality)
    consultation = ConsultationFactory(locality=locality, title="Drop-in", ideas=[idea])
    response = client_for(editor).post(
        url("consultations:consultation-update", consultation.pk),
        {
            "title": "Drop-in\nat the centre",
            "held_on": "2026-03-12",
            "audience": "community",
            "method": "drop_in",
            "ideas": [idea.pk],
        },
    )
    assert response.context["form"].errors["title"] == [NOT_ONE_LINE_MESSAGE]
    consultation.refresh_from_db()
    assert consultation.title == "Drop-in"


def test_an_idea_title_with_a_lone_surrogate_is_a_form_error_not_a_500(client_for, editor):
    response = utf7_post(
        client_for(editor),
        url("consultations:idea-create"),
        {"title": f"Welcome {SURROGATE} walks", "status": "brainstormed"},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["title"] == [LONE_SURROGATE_MESSAGE]
    assert LONE_SURROGATE_MESSAGE in page(response)
    assert not Idea.objects.exists()


def test_the_crafted_body_really_carries_a_surrogate(client_for, editor, locality):
    """The helper's own check: the same body with a valid title is saved as sent."""
    response = utf7_post(
        client_for(editor),
        url("consultations:idea-create"),
        {"title": "Welcome “walks” 👶", "status": "brainstormed"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Idea.objects.get().title == "Welcome “walks” 👶"
    assert b"+2AA" in utf7_body({"t": SURROGATE})


def test_an_insight_detail_with_a_lone_surrogate_is_a_form_error(client_for, editor):
    response = utf7_post(
        client_for(editor),
        url("localities:insight-create"),
        {**INSIGHT, "detail": f"Quote {SURROGATE}"},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["detail"] == [LONE_SURROGATE_MESSAGE]
    assert not Insight.objects.exists()


def test_a_search_with_a_lone_surrogate_shows_the_list_unfiltered(client_for, viewer, locality):
    Insight.objects.create(locality=locality, **INSIGHT)
    response = client_for(viewer).get(
        url("localities:insight-list"),
        QUERY_STRING="q=%2B2AA-",
        CONTENT_TYPE="application/x-www-form-urlencoded; charset=utf-7",
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["filters"].errors["q"] == [LONE_SURROGATE_MESSAGE]
    assert INSIGHT["statement"] in page(response)


def test_a_public_comment_with_a_lone_surrogate_is_refused(client, locality):
    idea = IdeaFactory(locality=locality)
    consultation = ConsultationFactory(locality=locality, ideas=[idea])
    response = utf7_post(
        client,
        consultation.get_public_url(),
        {"group": "parent", f"support_{idea.pk}": "5", f"comment_{idea.pk}": f"Yes {SURROGATE}"},
    )
    assert response.status_code == HTTPStatus.OK
    assert LONE_SURROGATE_MESSAGE in page(response)
    assert not Response.objects.exists()


# Through the admin ----------------------------------------------------------------------


def test_the_admin_refuses_a_locality_name_with_a_line_break(client_for, superuser):
    response = client_for(superuser).post(
        reverse("admin:localities_locality_add"),
        {
            "name": "North\ngate",
            "slug": "northgate-2",
            "area": "Eastmere",
            "description": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["name"] == [NOT_ONE_LINE_MESSAGE]
    assert not Locality.objects.filter(slug="northgate-2").exists()


def test_the_admin_refuses_a_tag_name_with_a_line_break(client_for, superuser, locality):
    response = client_for(superuser).post(
        reverse("admin:localities_tag_add"), {"locality": locality.pk, "name": "bus\r\nstop"}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["name"] == [NOT_ONE_LINE_MESSAGE]
    assert not Tag.objects.exists()


def test_the_admin_refuses_an_idea_title_with_a_line_break(client_for, superuser, locality):
    response = client_for(superuser).post(
        reverse("admin:consultations_idea_add"),
        {"locality": locality.pk, "title": "Welcome\nwalks", "status": "brainstormed"},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["title"] == [NOT_ONE_LINE_MESSAGE]
    assert not Idea.objects.exists()
