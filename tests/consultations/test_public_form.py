"""The public response form: no login, only the token; and its guards against abuse."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from consultations.models import Response

pytestmark = pytest.mark.django_db


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


def send(public, consultation, data, **kwargs):
    """GET the form for its CSRF cookie and token and its one-time submission token, then
    POST like a browser."""
    page = public.get(consultation.get_public_url())
    data = {
        "csrfmiddlewaretoken": page.context["csrf_token"],
        "submission_token": page.context["submission_token"],
        **data,
    }
    return public.post(consultation.get_public_url(), data, **kwargs)


def test_form_needs_no_login_and_shows_each_idea_as_a_labelled_group(public, consultation):
    page = public.get(consultation.get_public_url())
    text = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert consultation.title in text
    for idea in consultation.ideas.all():
        assertInHTML(f'<legend class="h5">{idea.title}</legend>', text)
    assert 'type="radio"' in text
    assert "Send my views" in text
    assert 'name="website"' in text
    assert 'tabindex="-1"' in text


def test_sending_saves_one_public_response_per_idea_answered(
    public, consultation, idea, other_idea
):
    response = send(public, consultation, answers(idea, other_idea))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("consultations:respond-thanks", args=[consultation.token])
    assert sorted(consultation.responses.values_list("idea", "group", "support", "channel")) == [
        (idea.pk, "parent", 5, "public"),
        (other_idea.pk, "parent", 2, "public"),
    ]
    assert public.get(response.url).status_code == HTTPStatus.OK


def test_ideas_left_unscored_are_skipped(public, consultation, idea, other_idea):
    data = answers(idea, other_idea)
    del data[f"support_{other_idea.pk}"]
    send(public, consultation, data)
    assert list(consultation.responses.values_list("idea", flat=True)) == [idea.pk]


def test_post_without_csrf_token_is_refused(public, consultation, idea, other_idea):
    response = public.post(consultation.get_public_url(), answers(idea, other_idea))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "token", ["nope", "x" * 64, "x" * 65, "x" * 5000, "%00", "abc%00", "..", "a b", "%C3%A9"]
)
def test_unknown_token_is_404(public, consultation, token):
    response = public.get(f"/consult/{token}/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_unknown_token_on_thanks_page_is_404(public):
    assert public.get("/consult/nope/thanks/").status_code == HTTPStatus.NOT_FOUND


def test_closed_consultation_shows_a_polite_page_and_takes_nothing(
    public, consultation, idea, other_idea
):
    consultation.is_open = False
    consultation.save()
    page = public.get(consultation.get_public_url())
    assert page.status_code == HTTPStatus.OK
    assert "This consultation has closed" in page.content.decode()
    # A form opened before closing time, sent after it (the test client skips CSRF here).
    response = Client().post(consultation.get_public_url(), answers(idea, other_idea))
    assert "This consultation has closed" in response.content.decode()
    assert not Response.objects.exists()


def test_honeypot_pretends_success_and_saves_nothing(public, consultation, idea, other_idea):
    response = send(public, consultation, answers(idea, other_idea, website="http://spam"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("consultations:respond-thanks", args=[consultation.token])
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"support_IDEA": "6"}, "support_IDEA"),
        ({"support_IDEA": "0"}, "support_IDEA"),
        ({"support_IDEA": "-1"}, "support_IDEA"),
        ({"support_IDEA": "five"}, "support_IDEA"),
        ({"comment_IDEA": "x" * 1001}, "comment_IDEA"),
        ({"comment_IDEA": "nul \x00 byte"}, "comment_IDEA"),
        ({"group": "robot"}, "group"),
        ({"group": ""}, "group"),
    ],
)
def test_bad_answers_are_form_errors_and_save_nothing(
    public, consultation, idea, other_idea, bad, field
):
    bad = {key.replace("IDEA", str(idea.pk)): value for key, value in bad.items()}
    field = field.replace("IDEA", str(idea.pk))
    response = send(public, consultation, answers(idea, other_idea, **bad))
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    assert not Response.objects.exists()


def test_over_long_comment_error_says_the_limit(public, consultation, idea, other_idea):
    response = send(
        public, consultation, answers(idea, other_idea, **{f"comment_{idea.pk}": "x" * 1500})
    )
    assert "Keep your comment to 1000 characters (it has 1500)" in response.content.decode()


def test_nothing_scored_is_an_error(public, consultation, idea, other_idea):
    response = send(public, consultation, {"group": "parent"})
    assert response.status_code == HTTPStatus.OK
    assert "Choose a score for at least one idea" in response.content.decode()
    assert not Response.objects.exists()


def test_nothing_scored_and_no_group_gives_both_errors(public, consultation):
    response = send(public, consultation, {})
    text = response.content.decode()
    assert "Choose a score for at least one idea" in text
    assert "Tell us which best describes you." in text


def test_a_comment_without_a_score_is_an_error(public, consultation, idea, other_idea):
    data = {"group": "parent", f"comment_{idea.pk}": "Hmm", f"support_{other_idea.pk}": "3"}
    response = send(public, consultation, data)
    assert f"support_{idea.pk}" in response.context["form"].errors
    assert not Response.objects.exists()


def test_a_score_for_an_idea_not_in_the_consultation_is_ignored(
    public, consultation, idea, other_idea, foreign_idea
):
    send(public, consultation, answers(idea, other_idea, **{f"support_{foreign_idea.pk}": "5"}))
    assert not Response.objects.filter(idea=foreign_idea).exists()


def test_throttle_answers_429_past_the_hourly_limit(
    public, consultation, idea, other_idea, settings
):
    settings.CONSULT_SUBMISSIONS_PER_HOUR = 3
    statuses = [send(public, consultation, answers(idea, other_idea)).status_code for _ in range(4)]
    assert statuses == [HTTPStatus.FOUND] * 3 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert Response.objects.count() == 3 * 2
    last = send(public, consultation, answers(idea, other_idea))
    assert "Please try again later" in last.content.decode()


def test_throttle_counts_each_address_apart(public, consultation, idea, other_idea, settings):
    settings.CONSULT_SUBMISSIONS_PER_HOUR = 1
    send(public, consultation, answers(idea, other_idea), REMOTE_ADDR="10.0.0.1")
    response = send(public, consultation, answers(idea, other_idea), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == HTTPStatus.FOUND
    blocked = send(public, consultation, answers(idea, other_idea), REMOTE_ADDR="10.0.0.1")
    assert blocked.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_default_limit_is_20_an_hour(public, consultation, idea, other_idea):
    for _ in range(20):
        assert send(public, consultation, answers(idea, other_idea)).status_code == 302
    assert send(public, consultation, answers(idea, other_idea)).status_code == 429


def test_public_page_shows_no_staff_navigation(public, consultation):
    text = public.get(consultation.get_public_url()).content.decode()
    assert "Log out" not in text
    assert "Dashboard" not in text
    assert 'content="noindex, nofollow"' in text
