"""Results arithmetic against figures worked out by hand, and the parents-professionals flag."""

from fractions import Fraction
from http import HTTPStatus

import pytest
from django.urls import reverse

from consultations.selectors import one_decimal, results_for
from tests.consultations.factories import ConsultationFactory, IdeaFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def respond(consultation, idea, group, *scores):
    for support in scores:
        ResponseFactory(consultation=consultation, idea=idea, group=group, support=support)


def result_for(results, idea):
    (result,) = [r for r in results if r.idea.pk == idea.pk]
    return result


@pytest.fixture
def scored(consultation, idea, other_idea):
    """Welcome walks:
    parents 5, 4, 4, 5, 3 (sum 21, n 5, mean 4.2)
    practitioners 3, 2 (sum 5) and partner 3 (sum 3): professionals sum 8, n 3, mean 2.67
    volunteer 1: counts overall, in neither side of the gap.
    Overall: n 9, sum 21 + 8 + 1 = 30, mean 3.33; scores 1:1, 2:1, 3:3, 4:2, 5:2.
    """
    respond(consultation, idea, "parent", 5, 4, 4, 5, 3)
    respond(consultation, idea, "practitioner", 3, 2)
    respond(consultation, idea, "partner", 3)
    respond(consultation, idea, "volunteer", 1)
    return consultation


def test_counts_means_and_distribution_overall(scored, locality, idea):
    result = result_for(results_for(locality=locality, consultation=scored), idea)
    assert result.overall.total == 9
    assert result.overall.mean == Fraction(30, 9)
    assert result.overall.mean_display == "3.3"
    assert result.overall.counts == {1: 1, 2: 1, 3: 3, 4: 2, 5: 2}
    assert [bar.percent for bar in result.overall.bars] == [11.1, 11.1, 33.3, 22.2, 22.2]


def test_figures_by_respondent_group(scored, locality, idea):
    result = result_for(results_for(locality=locality, consultation=scored), idea)
    by_label = {tally.label: tally for tally in result.by_group}
    assert by_label["Parent or carer"].counts == {1: 0, 2: 0, 3: 1, 4: 2, 5: 2}
    assert by_label["Parent or carer"].mean_display == "4.2"
    assert by_label["Practitioner or staff"].mean == Fraction(5, 2)
    assert by_label["Partner organisation"].mean == 3
    assert by_label["Volunteer"].total == 1
    assert by_label["Other"].total == 0
    assert by_label["Other"].mean is None
    assert by_label["Other"].mean_display == "–"


def test_professionals_are_practitioners_and_partners_pooled(scored, locality, idea):
    result = result_for(results_for(locality=locality, consultation=scored), idea)
    assert result.professionals.total == 3
    assert result.professionals.mean == Fraction(8, 3)
    assert result.parents.mean == Fraction(21, 5)


@pytest.fixture
def split(consultation, idea):
    """Five parents, mean 4.2, against five professionals, mean 2.6: a gap of 1.6."""
    respond(consultation, idea, "parent", 5, 4, 4, 5, 3)
    respond(consultation, idea, "practitioner", 3, 2, 3, 2)
    respond(consultation, idea, "partner", 3)
    return consultation


def test_a_gap_of_1_6_is_flagged_in_words(split, locality, idea):
    result = result_for(results_for(locality=locality, consultation=split), idea)
    assert result.gap == Fraction(21, 5) - Fraction(13, 5)
    assert result.disagree
    assert result.disagreement == (
        "Parents and professionals disagree: parents 4.2, professionals 2.6"
    )


def test_three_professionals_are_too_few_to_flag_a_gap_of_1_5(scored, locality, idea):
    result = result_for(results_for(locality=locality, consultation=scored), idea)
    assert result.gap is None
    assert not result.disagree
    assert result.gap_note == (
        "Compared only when each group has at least 5 respondents; professionals: 3."
    )


def test_a_gap_of_exactly_1_is_flagged(consultation, locality, idea):
    respond(consultation, idea, "parent", 5, 5, 4, 4, 5, 4)  # 4.5
    respond(consultation, idea, "practitioner", 3, 4, 3, 4, 3, 4)  # 3.5
    result = result_for(results_for(locality=locality, consultation=consultation), idea)
    assert result.gap == 1
    assert result.disagree


def test_a_gap_of_0_9_is_not_flagged(consultation, locality, idea):
    # Parents: nine 4s and a 5 = 41/10 = 4.1; professionals 3, 3, 4, 3, 3 = 16/5 = 3.2.
    respond(consultation, idea, "parent", *([4] * 9), 5)
    respond(consultation, idea, "practitioner", 3, 3, 4, 3, 3)
    result = result_for(results_for(locality=locality, consultation=consultation), idea)
    assert result.gap == Fraction(9, 10)
    assert not result.disagree
    assert result.disagreement == ""


def test_professionals_higher_than_parents_is_flagged_too(consultation, locality, idea):
    respond(consultation, idea, "parent", 2, 2, 2, 2, 2)
    respond(consultation, idea, "partner", 4, 5, 4, 5, 4, 5)
    result = result_for(results_for(locality=locality, consultation=consultation), idea)
    assert result.gap == Fraction(-5, 2)
    assert result.disagree
    assert result.gap_display == "2.5"


def test_no_gap_without_both_sides(consultation, locality, idea):
    respond(consultation, idea, "parent", 5, 5)
    respond(consultation, idea, "volunteer", 1, 1)
    result = result_for(results_for(locality=locality, consultation=consultation), idea)
    assert result.gap is None
    assert not result.disagree


def test_ideas_without_responses_are_listed_with_zero(consultation, locality, other_idea):
    result = result_for(results_for(locality=locality, consultation=consultation), other_idea)
    assert result.overall.total == 0
    assert result.overall.mean is None


def test_one_consultations_results_leave_out_other_consultations(
    scored, locality, idea, other_idea
):
    later = ConsultationFactory(locality=locality, ideas=[idea])
    respond(later, idea, "parent", 1, 1, 1)
    result = result_for(results_for(locality=locality, consultation=scored), idea)
    assert result.overall.total == 9


def test_locality_results_add_up_every_consultation(scored, locality, idea):
    later = ConsultationFactory(locality=locality, ideas=[idea])
    respond(later, idea, "parent", 1, 1, 1)
    result = result_for(results_for(locality=locality), idea)
    assert result.overall.total == 12
    assert result.parents.mean == Fraction(21 + 3, 8)


def test_locality_results_leave_out_other_localities(scored, locality, other_locality):
    theirs = IdeaFactory(locality=other_locality)
    respond(ConsultationFactory(locality=other_locality, ideas=[theirs]), theirs, "parent", 5)
    assert theirs.pk not in {r.idea.pk for r in results_for(locality=locality)}


def test_an_idea_taken_off_the_list_keeps_its_responses_in_results(scored, locality, idea):
    scored.ideas.remove(idea)
    result = result_for(results_for(locality=locality, consultation=scored), idea)
    assert result.overall.total == 9


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Fraction(17, 4), "4.3"), (Fraction(21, 5), "4.2"), (Fraction(5, 2), "2.5"), (3, "3.0")],
)
def test_means_round_half_up_to_one_decimal(value, shown):
    assert one_decimal(Fraction(value)) == shown


def test_results_page_shows_figures_as_text(client_for, editor, scored, locality):
    page = client_for(editor).get(
        reverse("consultations:consultation-results", args=[locality.slug, scored.pk])
    )
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert "mean support <strong>3.3</strong> out of 5" in text
    assert "<strong>9</strong> responses" in text
    assert "width: 33.3%" in text  # the 3s bar, drawn on the server


def test_results_page_does_not_flag_a_small_gap(client_for, editor, consultation, locality, idea):
    respond(consultation, idea, "parent", *([4] * 9), 5)
    respond(consultation, idea, "practitioner", 3, 3, 4, 3, 3)
    page = client_for(editor).get(reverse("consultations:results", args=[locality.slug]))
    text = page.content.decode()
    assert "disagree" not in text
    assert "Parents 4.1, professionals 3.2: within 1.0 of each other." in text
