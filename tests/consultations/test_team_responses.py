"""The team types in paper responses: many rows, all saved or none."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from consultations.forms import MAX_ROWS, ROWS_PER_PAGE
from consultations.models import Response

pytestmark = pytest.mark.django_db


def url(consultation):
    return reverse("consultations:consultation-responses", args=["northgate", consultation.pk])


def rows_data(*rows, total=None):
    """Form data for the rows; each row a dict of idea, group, support and comment."""
    data = {
        "rows-TOTAL_FORMS": str(total if total is not None else len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rows-{i}-{key}"] = value
    return data


def row(idea, group="parent", support="4", comment=""):
    return {"idea": str(idea.pk), "group": group, "support": support, "comment": comment}


BLANK = {"idea": "", "group": "", "support": "", "comment": ""}


def test_page_offers_ten_blank_rows(client_for, editor, consultation):
    page = client_for(editor).get(url(consultation))
    assert page.status_code == HTTPStatus.OK
    assert len(page.context["formset"].forms) == ROWS_PER_PAGE


def test_rows_are_saved_as_team_responses_and_blank_rows_ignored(
    client_for, editor, consultation, idea, other_idea
):
    data = rows_data(
        row(idea, "parent", "5", "Great"), BLANK, row(other_idea, "practitioner", "2"), BLANK
    )
    response = client_for(editor).post(url(consultation), data)
    assert response.status_code == HTTPStatus.FOUND
    assert sorted(consultation.responses.values_list("idea", "group", "support", "channel")) == [
        (idea.pk, "parent", 5, "team"),
        (other_idea.pk, "practitioner", 2, "team"),
    ]


def test_one_bad_row_saves_none_and_is_flagged(client_for, editor, consultation, idea):
    data = rows_data(row(idea), row(idea, support="7"), row(idea))
    response = client_for(editor).post(url(consultation), data)
    assert response.status_code == HTTPStatus.OK
    formset = response.context["formset"]
    assert formset.forms[1].errors["support"] == ["Support is a score from 1 to 5."]
    assert not formset.forms[0].errors
    assert "Support is a score from 1 to 5." in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"support": "0"}, "support"),
        ({"support": "abc"}, "support"),
        ({"support": ""}, "support"),
        ({"group": "martian"}, "group"),
        ({"group": ""}, "group"),
        ({"idea": ""}, "idea"),
        ({"idea": "abc"}, "idea"),
        ({"comment": "x" * 1001}, "comment"),
    ],
)
def test_bad_fields_in_a_row_save_nothing(client_for, editor, consultation, idea, bad, field):
    data = rows_data(row(idea), {**row(idea), **bad})
    response = client_for(editor).post(url(consultation), data)
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["formset"].forms[1].errors
    assert not Response.objects.exists()


def test_an_idea_not_in_this_consultation_is_refused(
    client_for, editor, consultation, idea, locality
):
    from tests.consultations.factories import IdeaFactory

    not_consulted = IdeaFactory(locality=locality)
    response = client_for(editor).post(url(consultation), rows_data(row(not_consulted)))
    assert response.status_code == HTTPStatus.OK
    assert "idea" in response.context["formset"].forms[0].errors
    assert not Response.objects.exists()


def test_another_localitys_idea_is_refused(client_for, editor, consultation, foreign_idea):
    response = client_for(editor).post(url(consultation), rows_data(row(foreign_idea)))
    assert "idea" in response.context["formset"].forms[0].errors
    assert not Response.objects.exists()


def test_all_blank_rows_is_an_error_not_a_silent_nothing(client_for, editor, consultation):
    response = client_for(editor).post(url(consultation), rows_data(BLANK, BLANK))
    assert response.status_code == HTTPStatus.OK
    assert "Fill in at least one row." in response.context["formset"].non_form_errors()


def test_too_many_rows_is_an_error_not_a_crash(client_for, editor, consultation, idea):
    response = client_for(editor).post(
        url(consultation), rows_data(row(idea), total=MAX_ROWS + 500)
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["formset"].non_form_errors()
    assert not Response.objects.exists()


@pytest.mark.parametrize("total", ["", "abc", "-3"])
def test_a_broken_management_form_is_an_error_not_a_crash(
    client_for, editor, consultation, idea, total
):
    data = rows_data(row(idea))
    data["rows-TOTAL_FORMS"] = total
    response = client_for(editor).post(url(consultation), data)
    assert response.status_code == HTTPStatus.OK
    assert not Response.objects.exists()


def test_more_rows_keeps_what_was_typed_and_saves_nothing(client_for, editor, consultation, idea):
    data = rows_data(row(idea, comment="Typed already"), BLANK)
    data["more_rows"] = "1"
    response = client_for(editor).post(url(consultation), data)
    assert response.status_code == HTTPStatus.OK
    formset = response.context["formset"]
    assert len(formset.forms) == 2 + ROWS_PER_PAGE
    assert formset.forms[0]["comment"].value() == "Typed already"
    assert not Response.objects.exists()


def test_more_rows_stops_at_the_maximum(client_for, editor, consultation, idea):
    data = rows_data(row(idea), total=MAX_ROWS - 1)
    data["more_rows"] = "1"
    response = client_for(editor).post(url(consultation), data)
    assert len(response.context["formset"].forms) == MAX_ROWS
    assert not response.context["can_add_rows"]


def test_rows_page_queries_do_not_grow_with_rows(
    client_for, editor, consultation, idea, django_assert_max_num_queries
):
    client = client_for(editor)
    with django_assert_max_num_queries(8):
        response = client.post(
            url(consultation), {**rows_data(row(idea), total=40), "more_rows": "1"}
        )
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["formset"].forms) == min(40 + ROWS_PER_PAGE, MAX_ROWS)
