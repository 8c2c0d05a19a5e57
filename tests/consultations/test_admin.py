"""The admin for ideas, consultations and responses: reviewers read, superusers change."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.admin import RESPONSES_SHOWN_INLINE
from consultations.models import Consultation, Idea, Response
from tests.consultations.factories import ConsultationFactory, IdeaFactory, ResponseFactory

pytestmark = pytest.mark.django_db

MODELS = ["idea", "consultation", "response"]


@pytest.fixture
def content(consultation, idea):
    return {
        "idea": idea,
        "consultation": consultation,
        "response": ResponseFactory(consultation=consultation, idea=idea),
    }


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("who", ["reviewer", "superuser"])
def test_reviewers_and_superusers_read_every_model(client_for, users, content, model, who):
    client = client_for(users[who])
    changelist = client.get(reverse(f"admin:consultations_{model}_changelist"), {"q": "a"})
    change = client.get(reverse(f"admin:consultations_{model}_change", args=[content[model].pk]))
    assert (changelist.status_code, change.status_code) == (HTTPStatus.OK, HTTPStatus.OK)


@pytest.mark.parametrize("model", MODELS)
def test_reviewers_cannot_add(client_for, reviewer, model):
    response = client_for(reviewer).get(reverse(f"admin:consultations_{model}_add"))
    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("who", ["editor", "lead", "viewer"])
def test_locality_members_are_kept_out_of_the_admin(client_for, users, who):
    response = client_for(users[who]).get(reverse("admin:consultations_idea_changelist"))
    assert response.status_code == HTTPStatus.FOUND


def test_consultation_page_shows_only_the_newest_responses_inline(
    client_for, superuser, consultation, idea
):
    ResponseFactory.create_batch(RESPONSES_SHOWN_INLINE + 5, consultation=consultation, idea=idea)
    page = client_for(superuser).get(
        reverse("admin:consultations_consultation_change", args=[consultation.pk])
    )
    formset = page.context["inline_admin_formsets"][0].formset
    assert len(formset.forms) == RESPONSES_SHOWN_INLINE


def consultation_form(consultation, ideas, responses):
    data = {
        "locality": consultation.locality.pk,
        "title": consultation.title,
        "held_on": "2026-03-12",
        "audience": "community",
        "method": "drop_in",
        "place": "",
        "notes": "",
        "ideas": [idea.pk for idea in ideas],
        "is_open": "on",
        "responses-TOTAL_FORMS": str(len(responses)),
        "responses-INITIAL_FORMS": str(len(responses)),
        "responses-MIN_NUM_FORMS": "0",
        "responses-MAX_NUM_FORMS": "1000",
    }
    for i, response in enumerate(responses):
        data.update(
            {
                f"responses-{i}-id": response.pk,
                f"responses-{i}-consultation": consultation.pk,
                f"responses-{i}-idea": response.idea_id,
                f"responses-{i}-group": response.group,
                f"responses-{i}-support": response.support,
                f"responses-{i}-comment": response.comment,
                f"responses-{i}-channel": response.channel,
            }
        )
    return data


def test_superuser_saves_a_consultation_with_its_inline_responses(
    client_for, superuser, consultation, idea
):
    response = ResponseFactory(consultation=consultation, idea=idea, support=2)
    data = consultation_form(consultation, [idea], [response])
    data["responses-0-support"] = "5"
    result = client_for(superuser).post(
        reverse("admin:consultations_consultation_change", args=[consultation.pk]), data
    )
    assert result.status_code == HTTPStatus.FOUND
    response.refresh_from_db()
    assert response.support == 5


def test_admin_refuses_another_localitys_idea_on_a_consultation(
    client_for, superuser, consultation, idea, foreign_idea
):
    data = consultation_form(consultation, [idea, foreign_idea], [])
    page = client_for(superuser).post(
        reverse("admin:consultations_consultation_change", args=[consultation.pk]), data
    )
    assert page.status_code == HTTPStatus.OK
    assert "ideas" in page.context["adminform"].form.errors
    assert list(Consultation.objects.get().ideas.all()) == list(consultation.ideas.all())


def test_admin_cannot_make_an_idea_chosen_directly(client_for, superuser, idea):
    data = {
        "locality": idea.locality.pk,
        "title": idea.title,
        "description": "",
        "proposed_by": "",
        "status": "chosen",
        "rationale": "",
    }
    page = client_for(superuser).post(
        reverse("admin:consultations_idea_change", args=[idea.pk]), data
    )
    assert page.status_code == HTTPStatus.OK
    assert "status" in page.context["adminform"].form.errors
    idea.refresh_from_db()
    assert idea.status == Idea.Status.SHORTLISTED


def test_admin_refuses_a_response_to_another_localitys_idea(
    client_for, superuser, consultation, foreign_idea
):
    data = {
        "consultation": consultation.pk,
        "idea": foreign_idea.pk,
        "group": "parent",
        "support": "3",
        "comment": "",
        "channel": "team",
    }
    page = client_for(superuser).post(reverse("admin:consultations_response_add"), data)
    assert page.status_code == HTTPStatus.OK
    assert not Response.objects.exists()


def test_reviewers_group_has_view_permissions(reviewer):
    for codename in ("view_idea", "view_consultation", "view_response"):
        assert reviewer.has_perm(f"consultations.{codename}")
    assert not reviewer.has_perm("consultations.change_idea")


# The lists at the scale of a programme ----------------------------------------------------


def test_the_response_list_filters_by_support(client_for, reviewer, consultation, idea):
    for support in (2, 4, 4):
        ResponseFactory(consultation=consultation, idea=idea, support=support)
    response = client_for(reviewer).get(
        reverse("admin:consultations_response_changelist"), {"support": "4"}
    )
    assert response.status_code == HTTPStatus.OK
    assert sorted(r.support for r in response.context["cl"].result_list) == [4, 4]


def test_the_response_list_filters_by_date(client_for, reviewer, consultation, idea):
    old = ResponseFactory(consultation=consultation, idea=idea)
    Response.objects.filter(pk=old.pk).update(created_at="2020-01-01T12:00:00Z")
    new = ResponseFactory(consultation=consultation, idea=idea)
    response = client_for(reviewer).get(
        reverse("admin:consultations_response_changelist"),
        # As the filter's own "Past 7 days" link says it: midnight, in the site's time zone.
        {
            "created_at__gte": str(
                timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
                - timedelta(days=7)
            )
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert list(response.context["cl"].result_list) == [new]


@pytest.mark.parametrize("model", MODELS)
def test_each_list_costs_the_same_queries_for_few_or_many_rows(
    client_for, reviewer, consultation, idea, model, django_assert_max_num_queries
):
    client = client_for(reviewer)
    url = reverse(f"admin:consultations_{model}_changelist")
    ResponseFactory.create_batch(2, consultation=consultation, idea=idea)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(20):
        place = ConsultationFactory(locality=consultation.locality, title=f"Survey {n}")
        ResponseFactory.create_batch(
            3, consultation=place, idea=IdeaFactory(locality=place.locality, title=f"Idea {n}")
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert ("Idea 19" if model == "idea" else "Survey 19") in response.text


def test_the_consultation_list_counts_each_consultations_responses(
    client_for, reviewer, consultation, idea
):
    ResponseFactory.create_batch(3, consultation=consultation, idea=idea)
    response = client_for(reviewer).get(reverse("admin:consultations_consultation_changelist"))
    assert response.status_code == HTTPStatus.OK
    (row,) = response.context["cl"].result_list
    assert row._responses == 3
