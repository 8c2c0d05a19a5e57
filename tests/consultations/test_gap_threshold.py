"""Parents and professionals are compared only when each group has at least 5 respondents
(issue 14): one professional against five parents is not a disagreement, and the page says
why no gap is shown."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from consultations.selectors import MIN_GROUP_FOR_GAP, results_for
from tests.consultations.factories import ResponseFactory

pytestmark = pytest.mark.django_db

NOTE_ONE_PROFESSIONAL = (
    "Compared only when each group has at least 5 respondents; professionals: 1."
)


def respond(consultation, idea, group, *scores):
    for support in scores:
        ResponseFactory(consultation=consultation, idea=idea, group=group, support=support)


@pytest.fixture
def five_and_one(consultation, idea):
    respond(consultation, idea, "parent", 5, 5, 5, 5, 5)
    respond(consultation, idea, "practitioner", 1)
    return consultation


@pytest.fixture
def five_and_five(consultation, idea):
    respond(consultation, idea, "parent", 5, 5, 5, 5, 5)
    respond(consultation, idea, "practitioner", 1, 1, 1)
    respond(consultation, idea, "partner", 1, 1)
    return consultation


def only(results):
    (result,) = [r for r in results if r.overall.total]
    return result


def test_the_threshold_is_five():
    assert MIN_GROUP_FOR_GAP == 5


def test_five_parents_and_one_professional_are_not_flagged(five_and_one, locality):
    result = only(results_for(locality=locality, consultation=five_and_one))
    assert not result.disagree
    assert result.gap is None
    assert result.disagreement == ""
    assert result.gap_note == NOTE_ONE_PROFESSIONAL


def test_five_parents_and_five_professionals_are_flagged(five_and_five, locality):
    result = only(results_for(locality=locality, consultation=five_and_five))
    assert result.disagree
    assert result.gap == 4
    assert result.gap_note == ""
    assert result.disagreement == (
        "Parents and professionals disagree: parents 5.0, professionals 1.0"
    )


def test_four_parents_are_too_few_too(consultation, locality, idea):
    respond(consultation, idea, "parent", 5, 5, 5, 5)
    respond(consultation, idea, "practitioner", 1, 1, 1, 1, 1)
    result = only(results_for(locality=locality, consultation=consultation))
    assert not result.disagree
    assert result.gap_note == (
        "Compared only when each group has at least 5 respondents; parents: 4."
    )


def test_no_note_for_an_idea_nobody_answered(consultation, locality):
    results = results_for(locality=locality, consultation=consultation)
    assert results
    assert all(result.gap_note == "" for result in results)


def results_page(client, user, locality, consultation=None):
    client.force_login(user)
    if consultation is None:
        return client.get(reverse("consultations:results", args=[locality.slug]))
    return client.get(
        reverse("consultations:consultation-results", args=[locality.slug, consultation.pk])
    )


@pytest.mark.parametrize("whole_locality", [False, True])
def test_the_results_page_says_why_a_five_to_one_split_is_not_flagged(
    client, viewer, locality, five_and_one, whole_locality
):
    page = results_page(client, viewer, locality, None if whole_locality else five_and_one)
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert NOTE_ONE_PROFESSIONAL in text
    assert "Parents and professionals disagree" not in text
    assert "gap-flag" not in text
    assert "only when each group has at least 5 respondents" in text


def test_the_results_page_flags_a_five_to_five_split(client, viewer, locality, five_and_five):
    text = results_page(client, viewer, locality, five_and_five).content.decode()
    assert "Parents and professionals disagree: parents 5.0, professionals 1.0" in text
    assert "gap-flag" in text
    assert "Compared only when" not in text
