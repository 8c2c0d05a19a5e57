"""The public form's one-time token (issue 14): the same submission sent again (Back and
send, a double click) is thanked and stored once; a missing or malformed token is refused
with a message; two copies sent at the same moment store one."""

import re
from http import HTTPStatus
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from consultations import services
from consultations.forms import SUBMISSION_TOKEN_SHAPE
from consultations.models import Response, new_submission_token
from consultations.services import ResponseRow, record_public_responses
from tests.consultations.factories import ConsultationFactory, IdeaFactory, ResponseFactory
from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db

ALREADY = "We already have your response — thank you"
TOKEN_MISSING = "This form had lost its one-time code, so nothing was saved."
HIDDEN_TOKEN = re.compile(r'<input type="hidden" name="submission_token" value="([^"]*)">')


@pytest.fixture
def public():
    """An anonymous visitor whose requests go through CSRF checks, as a browser's do."""
    return Client(enforce_csrf_checks=True)


def answers(idea, other_idea, **extra):
    return {
        "group": "parent",
        f"support_{idea.pk}": "5",
        f"comment_{idea.pk}": "We would use this every week.",
        f"support_{other_idea.pk}": "2",
        "website": "",
        **extra,
    }


def open_form(public, consultation) -> tuple[str, str]:
    """The CSRF token and the one-time token of the form as a browser is given it."""
    page = public.get(consultation.get_public_url())
    (token,) = HIDDEN_TOKEN.findall(page.content.decode())
    return page.context["csrf_token"], token


def post(public, consultation, csrf, data):
    return public.post(consultation.get_public_url(), {"csrfmiddlewaretoken": csrf, **data})


def thanks_url(consultation):
    return reverse("consultations:respond-thanks", args=[consultation.token])


# The token on the page --------------------------------------------------------------------


def test_the_form_carries_a_random_one_time_token(public, consultation):
    _, first = open_form(public, consultation)
    _, second = open_form(public, consultation)
    assert SUBMISSION_TOKEN_SHAPE.fullmatch(first)
    assert SUBMISSION_TOKEN_SHAPE.fullmatch(second)
    assert first != second


def test_a_form_sent_back_with_errors_keeps_its_token(public, consultation, idea, other_idea):
    csrf, token = open_form(public, consultation)
    page = post(public, consultation, csrf, {"group": "", "submission_token": token})
    assert page.status_code == HTTPStatus.OK
    assert HIDDEN_TOKEN.findall(page.content.decode()) == [token]


# Sent twice -------------------------------------------------------------------------------


def test_sending_the_same_form_twice_stores_it_once(public, consultation, idea, other_idea):
    csrf, token = open_form(public, consultation)
    data = answers(idea, other_idea, submission_token=token)
    first = post(public, consultation, csrf, data)
    again = post(public, consultation, csrf, data)
    assert first.status_code == again.status_code == HTTPStatus.FOUND
    assert first.url == thanks_url(consultation)
    assert again.url == f"{thanks_url(consultation)}?already=1"
    assert Response.objects.count() == 2  # one per idea answered, once
    assert set(Response.objects.values_list("submission_token", flat=True)) == {token}


def test_the_second_send_is_thanked_as_already_received(public, consultation, idea, other_idea):
    csrf, token = open_form(public, consultation)
    data = answers(idea, other_idea, submission_token=token)
    post(public, consultation, csrf, data)
    page = public.get(post(public, consultation, csrf, data).url)
    assert page.status_code == HTTPStatus.OK
    assert ALREADY in page.content.decode()


def test_the_first_send_is_thanked_plainly(public, consultation, idea, other_idea):
    csrf, token = open_form(public, consultation)
    response = post(public, consultation, csrf, answers(idea, other_idea, submission_token=token))
    text = public.get(response.url).content.decode()
    assert "Thank you" in text
    assert ALREADY not in text


def test_answers_changed_after_back_are_not_stored_a_second_time(
    public, consultation, idea, other_idea
):
    csrf, token = open_form(public, consultation)
    post(public, consultation, csrf, answers(idea, other_idea, submission_token=token))
    changed = {
        "group": "practitioner",
        f"support_{other_idea.pk}": "4",
        "submission_token": token,
    }
    response = post(public, consultation, csrf, changed)
    assert response.url.endswith("?already=1")
    assert sorted(Response.objects.values_list("group", "support")) == [
        ("parent", 2),
        ("parent", 5),
    ]


def test_a_second_form_opened_afresh_is_a_second_response(public, consultation, idea, other_idea):
    """Someone else in the household: "Answer again" opens a new form with a new token."""
    for _ in range(2):
        csrf, token = open_form(public, consultation)
        post(public, consultation, csrf, answers(idea, other_idea, submission_token=token))
    assert Response.objects.count() == 4
    assert Response.objects.values("submission_token").distinct().count() == 2


def test_a_token_is_one_consultations_only(public, consultation, locality, idea, other_idea):
    csrf, token = open_form(public, consultation)
    post(public, consultation, csrf, answers(idea, other_idea, submission_token=token))
    other = ConsultationFactory(locality=locality, ideas=[idea, other_idea])
    response = post(public, other, csrf, answers(idea, other_idea, submission_token=token))
    assert response.url == thanks_url(other)
    assert other.responses.count() == 2


# Missing or malformed ---------------------------------------------------------------------


def test_a_missing_token_is_refused_with_a_message(public, consultation, idea, other_idea):
    csrf, _ = open_form(public, consultation)
    page = post(public, consultation, csrf, answers(idea, other_idea))
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert TOKEN_MISSING in text
    assert not Response.objects.exists()
    # The form comes back with a fresh token, so sending it again works.
    (fresh,) = HIDDEN_TOKEN.findall(text)
    assert SUBMISSION_TOKEN_SHAPE.fullmatch(fresh)
    again = post(public, consultation, csrf, answers(idea, other_idea, submission_token=fresh))
    assert again.url == thanks_url(consultation)
    assert Response.objects.count() == 2


@pytest.mark.parametrize(
    "token",
    [
        "",
        "short",
        "x" * 31,
        "x" * 33,
        "x" * 5000,
        "a" * 31 + "!",
        "a" * 31 + "\x00",
        "<script>alert(1)</script>" + "a" * 7,
        "a b" * 11,
    ],
)
def test_a_malformed_token_is_refused_with_a_message(public, consultation, idea, other_idea, token):
    csrf, _ = open_form(public, consultation)
    page = post(public, consultation, csrf, answers(idea, other_idea, submission_token=token))
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert TOKEN_MISSING in text
    assert "<script>alert(1)" not in text
    assert not Response.objects.exists()


# The form's other rules still hold --------------------------------------------------------


def test_a_closed_consultation_takes_nothing_even_with_a_good_token(
    public, consultation, idea, other_idea
):
    csrf, token = open_form(public, consultation)
    consultation.is_open = False
    consultation.save()
    page = post(public, consultation, csrf, answers(idea, other_idea, submission_token=token))
    assert "This consultation has closed" in page.content.decode()
    assert not Response.objects.exists()


def test_the_throttle_still_counts_submissions(public, consultation, idea, other_idea, settings):
    settings.CONSULT_SUBMISSIONS_PER_HOUR = 1
    csrf, token = open_form(public, consultation)
    post(public, consultation, csrf, answers(idea, other_idea, submission_token=token))
    csrf, token = open_form(public, consultation)
    blocked = post(public, consultation, csrf, answers(idea, other_idea, submission_token=token))
    assert blocked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Response.objects.count() == 2


def test_the_honeypot_still_saves_nothing(public, consultation, idea, other_idea):
    csrf, token = open_form(public, consultation)
    data = {**answers(idea, other_idea, website="http://spam"), "submission_token": token}
    assert post(public, consultation, csrf, data).url == thanks_url(consultation)
    assert not Response.objects.exists()


# The service and the database -------------------------------------------------------------


def rows_for(consultation, idea):
    return [ResponseRow(idea=idea, group="parent", support=4)]


def test_the_service_stores_a_submission_once(consultation, idea):
    token = new_submission_token()
    kwargs = {"consultation": consultation, "rows": rows_for(consultation, idea)}
    assert record_public_responses(**kwargs, submission_token=token) is True
    assert record_public_responses(**kwargs, submission_token=token) is False
    assert Response.objects.count() == 1
    assert Response.objects.get().channel == Response.Channel.PUBLIC


def test_the_service_refuses_an_empty_token(consultation, idea):
    with pytest.raises(ValueError, match="one-time token"):
        record_public_responses(
            consultation=consultation, rows=rows_for(consultation, idea), submission_token=""
        )
    assert not Response.objects.exists()


def test_a_copy_that_slips_past_the_lookup_is_stopped_by_the_constraint(consultation, idea):
    """What the second of two racing copies meets: the first is stored after it looked."""
    token = new_submission_token()
    kwargs = {"consultation": consultation, "rows": rows_for(consultation, idea)}
    record_public_responses(**kwargs, submission_token=token)
    # Not there when it looked; there when it checked again after the constraint refused it.
    with mock.patch.object(services, "submission_received", side_effect=[False, True]):
        assert record_public_responses(**kwargs, submission_token=token) is False
    assert Response.objects.count() == 1


def test_the_database_refuses_one_submission_twice_for_one_idea(consultation, idea):
    token = new_submission_token()
    ResponseFactory(consultation=consultation, idea=idea, submission_token=token)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(consultation=consultation, idea=idea, submission_token=token)


def test_responses_typed_in_by_the_team_need_no_token(consultation, idea):
    ResponseFactory.create_batch(3, consultation=consultation, idea=idea)
    assert Response.objects.filter(submission_token="").count() == 3


# Two copies at the same moment, on PostgreSQL ---------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent writers")
def test_two_copies_sent_at_once_store_one(run_together):
    locality = LocalityFactory()
    ideas = IdeaFactory.create_batch(2, locality=locality)
    consultation = ConsultationFactory(locality=locality, ideas=ideas)
    for _ in range(5):
        token = new_submission_token()
        rows = [ResponseRow(idea=idea, group="parent", support=5) for idea in ideas]
        outcomes = run_together(
            *[
                lambda token=token, rows=rows: record_public_responses(
                    consultation=consultation, rows=rows, submission_token=token
                )
                for _ in range(4)
            ]
        )
        assert sorted(outcomes.values()) == [False, False, False, True]
        assert Response.objects.filter(submission_token=token).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent writers")
def test_two_copies_racing_past_the_lock_meet_the_constraint(run_together):
    """Without the row lock (as on a database that has none), the unique constraint still
    keeps one copy, and the loser is told it was already received."""
    locality = LocalityFactory()
    ideas = IdeaFactory.create_batch(2, locality=locality)
    consultation = ConsultationFactory(locality=locality, ideas=ideas)
    token = new_submission_token()
    rows = [ResponseRow(idea=idea, group="parent", support=5) for idea in ideas]
    real = services.submission_received
    calls = {"n": 0}

    def first_look_sees_nothing(**kwargs):
        calls["n"] += 1
        return False if calls["n"] <= 2 else real(**kwargs)

    with (
        mock.patch.object(services.Consultation.objects, "select_for_update") as no_lock,
        mock.patch.object(services, "submission_received", first_look_sees_nothing),
    ):
        no_lock.return_value.filter.return_value.values.return_value = []
        outcomes = run_together(
            *[
                lambda: record_public_responses(
                    consultation=consultation, rows=rows, submission_token=token
                )
                for _ in range(2)
            ]
        )
    assert sorted(outcomes.values()) == [False, True]
    assert Response.objects.filter(submission_token=token).count() == 2


# Queries ----------------------------------------------------------------------------------


def send_with_ideas(public, locality, count, django_assert_max_num_queries, budget):
    ideas = [IdeaFactory(locality=locality) for _ in range(count)]
    consultation = ConsultationFactory(locality=locality, ideas=ideas)
    csrf, token = open_form(public, consultation)
    data = {"group": "parent", "website": "", "submission_token": token}
    data |= {f"support_{idea.pk}": "4" for idea in ideas}
    with django_assert_max_num_queries(budget):
        response = post(public, consultation, csrf, data)
    assert response.url == thanks_url(consultation)
    assert consultation.responses.count() == count
    with django_assert_max_num_queries(budget):
        again = post(public, consultation, csrf, data)
    assert again.url.endswith("?already=1")
    assert consultation.responses.count() == count


@pytest.mark.parametrize("count", [1, 12])
def test_sending_costs_the_same_queries_whatever_the_number_of_ideas(
    public, locality, count, django_assert_max_num_queries
):
    send_with_ideas(public, locality, count, django_assert_max_num_queries, budget=11)
