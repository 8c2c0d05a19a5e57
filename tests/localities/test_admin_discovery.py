"""The admin for tags, insights and challenges: reviewers read, links stay within a locality."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from localities.models import Challenge, Insight
from localities.permissions import REVIEWER_GROUP
from tests.localities.factories import ChallengeFactory, InsightFactory, TagFactory

pytestmark = pytest.mark.django_db

MODELS = ["tag", "insight", "challenge"]


@pytest.fixture
def content(locality):
    tag = TagFactory(locality=locality, name="transport")
    insight = InsightFactory(locality=locality, statement="The bus stops at 3pm")
    insight.tags.set([tag])
    challenge = ChallengeFactory(locality=locality, title="Getting there", insights=[insight])
    return {"tag": tag, "insight": insight, "challenge": challenge}


def test_reviewer_group_may_view_tags_insights_and_challenges():
    codenames = set(
        Group.objects.get(name=REVIEWER_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"view_tag", "view_insight", "view_challenge"} <= codenames
    assert not {"change_insight", "add_insight", "delete_challenge"} & codenames


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("who", ["reviewer", "superuser"])
def test_staff_read_the_changelist_and_change_page(client_for, users, content, model, who):
    client = client_for(users[who])
    changelist = client.get(reverse(f"admin:localities_{model}_changelist"))
    assert changelist.status_code == HTTPStatus.OK
    change = client.get(reverse(f"admin:localities_{model}_change", args=[content[model].pk]))
    assert change.status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", MODELS)
def test_reviewer_cannot_add(client_for, reviewer, model):
    response = client_for(reviewer).get(reverse(f"admin:localities_{model}_add"))
    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("who", ["editor", "lead"])
def test_members_who_are_not_staff_are_kept_out(client_for, users, content, who):
    response = client_for(users[who]).get(reverse("admin:localities_insight_changelist"))
    assert response.status_code == HTTPStatus.FOUND


@pytest.mark.parametrize(
    "params",
    [
        {"subject__exact": "families"},
        {"source__exact": "local_data"},
        {"q": "bus"},
        {"gathered_on__year": "2026"},
    ],
)
def test_insight_filters_and_search_answer(client_for, reviewer, content, params):
    response = client_for(reviewer).get(reverse("admin:localities_insight_changelist"), params)
    assert response.status_code == HTTPStatus.OK


def test_insight_filter_by_tag(client_for, reviewer, content, locality):
    InsightFactory(locality=locality, statement="Untagged")
    response = client_for(reviewer).get(
        reverse("admin:localities_insight_changelist"), {"tags__id__exact": content["tag"].pk}
    )
    assert list(response.context["cl"].result_list) == [content["insight"]]


@pytest.mark.parametrize("rows", [3, 40])
def test_challenge_changelist_query_count_does_not_grow(
    client_for, reviewer, locality, django_assert_max_num_queries, rows
):
    insights = InsightFactory.create_batch(3, locality=locality)
    challenges = ChallengeFactory.create_batch(rows, locality=locality, insights=insights)
    client = client_for(reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:localities_challenge_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == rows
    assert challenges[0].title in response.text


def insight_form_data(locality, tags):
    return {
        "locality": locality.pk,
        "statement": "Parents hear about groups from friends",
        "subject": "families",
        "source": "family_interview",
        "detail": "",
        "tags": [tag.pk for tag in tags],
    }


def test_admin_refuses_a_tag_of_another_locality(client_for, superuser, locality, other_locality):
    theirs = TagFactory(locality=other_locality, name="trust")
    response = client_for(superuser).post(
        reverse("admin:localities_insight_add"), insight_form_data(locality, [theirs])
    )
    assert response.status_code == HTTPStatus.OK
    assert "Only records of Northgate can be linked" in str(
        response.context["adminform"].form.errors["tags"]
    )
    assert not Insight.objects.exists()


def test_admin_accepts_a_tag_of_the_same_locality(client_for, superuser, locality):
    ours = TagFactory(locality=locality, name="trust")
    response = client_for(superuser).post(
        reverse("admin:localities_insight_add"), insight_form_data(locality, [ours])
    )
    assert response.status_code == HTTPStatus.FOUND
    assert list(Insight.objects.get().tags.all()) == [ours]


def test_admin_refuses_to_cite_an_insight_of_another_locality(
    client_for, superuser, locality, other_locality
):
    theirs = InsightFactory(locality=other_locality)
    response = client_for(superuser).post(
        reverse("admin:localities_challenge_add"),
        {"locality": locality.pk, "title": "A challenge", "insights": [theirs.pk]},
    )
    assert response.status_code == HTTPStatus.OK
    assert "insights" in response.context["adminform"].form.errors
    assert not Challenge.objects.exists()
