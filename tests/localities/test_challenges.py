"""Challenges: who may read and write them, bad input, same-locality evidence, the list."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from localities.models import Challenge
from tests.localities.factories import ChallengeFactory, InsightFactory, TagFactory
from tests.roles import CONTENT_EDITORS, READERS, REFUSED_WRITERS, ROLES, WRITERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(locality):
    return InsightFactory.create_batch(3, locality=locality)


@pytest.fixture
def challenge(locality, evidence):
    return ChallengeFactory(
        locality=locality, title="Families do not trust services", insights=evidence[:2]
    )


def url(name, *args, slug="northgate"):
    return reverse(f"localities:{name}", args=[slug, *args])


def page_urls(challenge):
    return {
        "challenge-list": url("challenge-list"),
        "challenge-detail": url("challenge-detail", challenge.pk),
        "challenge-create": url("challenge-create"),
        "challenge-update": url("challenge-update", challenge.pk),
        "challenge-delete": url("challenge-delete", challenge.pk),
    }


EXPECTED = {
    "challenge-list": READERS,
    "challenge-detail": READERS,
    "challenge-create": CONTENT_EDITORS,
    "challenge-update": CONTENT_EDITORS,
    "challenge-delete": CONTENT_EDITORS,
}


def valid(insights):
    return {
        "title": "Working parents cannot reach daytime groups",
        "description": "Every group runs between 10 and 2.",
        "insights": [insight.pk for insight in insights],
    }


def snapshot(locality):
    return sorted(
        (c.title, c.description, tuple(sorted(c.insights.values_list("pk", flat=True))))
        for c in Challenge.objects.filter(locality=locality)
    )


# Who may do what


@pytest.mark.parametrize("page", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_challenge_pages_by_role(client_for, users, challenge, page, role):
    response = client_for(users[role]).get(page_urls(challenge)[page])
    assert response.status_code == EXPECTED[page][role]


@pytest.mark.parametrize("page", list(EXPECTED))
def test_anonymous_is_sent_to_login(client, challenge, page):
    response = client.get(page_urls(challenge)[page])
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_refused_create_saves_nothing(client_for, users, locality, evidence, role):
    response = client_for(users[role]).post(url("challenge-create"), valid(evidence))
    assert response.status_code == CONTENT_EDITORS[role]
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_refused_edit_changes_nothing(client_for, users, locality, challenge, evidence, role):
    before = snapshot(locality)
    response = client_for(users[role]).post(url("challenge-update", challenge.pk), valid(evidence))
    assert response.status_code == CONTENT_EDITORS[role]
    assert snapshot(locality) == before


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_refused_delete_keeps_the_challenge(client_for, users, challenge, role):
    response = client_for(users[role]).post(url("challenge-delete", challenge.pk))
    assert response.status_code == CONTENT_EDITORS[role]
    assert Challenge.objects.filter(pk=challenge.pk).exists()


@pytest.mark.parametrize("role", WRITERS)
def test_editors_leads_and_superusers_name_challenges(client_for, users, locality, evidence, role):
    response = client_for(users[role]).post(url("challenge-create"), valid(evidence[1:]))
    challenge = Challenge.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == challenge.get_absolute_url()
    assert challenge.locality == locality
    assert challenge.created_by == users[role]
    assert set(challenge.insights.all()) == set(evidence[1:])


@pytest.mark.parametrize("page", ["challenge-detail", "challenge-update", "challenge-delete"])
def test_another_localitys_challenge_is_404_under_this_locality(
    client_for, superuser, locality, other_locality, page
):
    stranger = ChallengeFactory(locality=other_locality)
    assert client_for(superuser).get(url(page, stranger.pk)).status_code == HTTPStatus.NOT_FOUND


def test_another_localitys_challenge_cannot_be_deleted_through_this_locality(
    client_for, superuser, locality, other_locality
):
    stranger = ChallengeFactory(locality=other_locality)
    response = client_for(superuser).post(url("challenge-delete", stranger.pk))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Challenge.objects.filter(pk=stranger.pk).exists()


# Evidence comes from this locality only


def test_forged_insight_of_another_locality_is_refused(
    client_for, superuser, locality, other_locality, evidence
):
    """Even a superuser, who can see both localities, cannot cite across them."""
    theirs = InsightFactory(locality=other_locality)
    response = client_for(superuser).post(url("challenge-create"), valid([evidence[0], theirs]))
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["insights"] == [
        "Only insights recorded for Northgate can be cited; "
        f"insight {theirs.pk} is not one of them."
    ]
    assert not Challenge.objects.exists()


def test_forged_insight_on_edit_changes_nothing(
    client_for, editor, locality, other_locality, challenge, evidence
):
    theirs = InsightFactory(locality=other_locality)
    before = snapshot(locality)
    response = client_for(editor).post(
        url("challenge-update", challenge.pk), valid([*evidence, theirs])
    )
    assert response.status_code == HTTPStatus.OK
    assert "insights" in response.context["form"].errors
    assert snapshot(locality) == before
    assert not theirs.challenges.exists()


@pytest.mark.parametrize("bad_id", ["abc", "-1", "1.5", "999999"])
def test_insight_id_that_is_not_an_insight_is_a_field_error(
    client_for, editor, locality, evidence, bad_id
):
    response = client_for(editor).post(
        url("challenge-create"), {**valid(evidence), "insights": [evidence[0].pk, bad_id]}
    )
    assert response.status_code == HTTPStatus.OK
    assert "insights" in response.context["form"].errors
    assert not Challenge.objects.exists()


def test_form_offers_only_this_localitys_insights_as_checkboxes(
    client_for, editor, locality, other_locality, evidence
):
    theirs = InsightFactory(locality=other_locality, statement="A secret of Riverside")
    response = client_for(editor).get(url("challenge-create"))
    assert set(response.context["form"].fields["insights"].queryset) == set(evidence)
    assert 'type="checkbox"' in response.text
    assert evidence[0].statement in response.text
    assert theirs.statement not in response.text


def test_challenge_without_evidence_is_allowed(client_for, editor, locality):
    client_for(editor).post(url("challenge-create"), {"title": "Something", "description": ""})
    assert Challenge.objects.get().insights.count() == 0


def test_edit_replaces_the_evidence(client_for, editor, challenge, evidence):
    client_for(editor).post(url("challenge-update", challenge.pk), valid(evidence[2:]))
    challenge.refresh_from_db()
    assert list(challenge.insights.all()) == [evidence[2]]
    assert challenge.title == "Working parents cannot reach daytime groups"


# Bad input


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "t" * 201, "to 200 characters; it has 201."),
        ("description", "d" * 4001, "to 4000 characters; it has 4001."),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(
    client_for, editor, evidence, field, value, message
):
    response = client_for(editor).post(url("challenge-create"), {**valid(evidence), field: value})
    assert response.status_code == HTTPStatus.OK
    assert message in str(response.context["form"].errors[field])
    assert not Challenge.objects.exists()


def test_bad_edit_changes_nothing(client_for, editor, locality, challenge, evidence):
    before = snapshot(locality)
    response = client_for(editor).post(
        url("challenge-update", challenge.pk), {**valid(evidence), "title": ""}
    )
    assert response.status_code == HTTPStatus.OK
    assert snapshot(locality) == before


# Detail, delete


def test_challenge_page_shows_its_evidence(client_for, viewer, challenge, evidence, locality):
    evidence[0].tags.set([TagFactory(locality=locality, name="stigma")])
    response = client_for(viewer).get(url("challenge-detail", challenge.pk))
    assert evidence[0].statement in response.text
    assert evidence[1].statement in response.text
    assert evidence[2].statement not in response.text
    assert "Tags: stigma" in response.text
    assert evidence[0].get_absolute_url() in response.text


def test_delete_asks_for_confirmation_first(client_for, editor, challenge):
    response = client_for(editor).get(url("challenge-delete", challenge.pk))
    assert response.status_code == HTTPStatus.OK
    assert Challenge.objects.filter(pk=challenge.pk).exists()


def test_delete_removes_the_challenge_but_keeps_its_insights(
    client_for, editor, challenge, evidence
):
    response = client_for(editor).post(url("challenge-delete", challenge.pk))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == url("challenge-list")
    assert not Challenge.objects.filter(pk=challenge.pk).exists()
    assert all(type(i).objects.filter(pk=i.pk).exists() for i in evidence)


# The list


def listed(response):
    return [challenge.title for challenge in response.context["challenges"]]


def test_list_shows_only_this_localitys_challenges_with_evidence_counts(
    client_for, viewer, challenge, other_locality
):
    ChallengeFactory(locality=other_locality, title="Riverside's own")
    response = client_for(viewer).get(url("challenge-list"))
    assert listed(response) == ["Families do not trust services"]
    assert response.context["challenges"][0].insight_count == 2


def test_search_looks_in_title_and_description(client_for, viewer, locality):
    ChallengeFactory(locality=locality, title="Transport", description="One bus an hour")
    ChallengeFactory(locality=locality, title="Buses stop early", description="")
    ChallengeFactory(locality=locality, title="Trust", description="Fear of social workers")
    response = client_for(viewer).get(url("challenge-list"), {"q": "bus"})
    assert listed(response) == ["Buses stop early", "Transport"]


@pytest.mark.parametrize("page", ["abc", "0", "9999"])
def test_bad_page_numbers_show_a_page(client_for, viewer, locality, page):
    ChallengeFactory.create_batch(30, locality=locality)
    response = client_for(viewer).get(url("challenge-list"), {"page": page})
    assert response.status_code == HTTPStatus.OK
    assert len(listed(response)) in (25, 5)


def test_list_pages_by_25_and_keeps_the_search(client_for, viewer, locality):
    ChallengeFactory.create_batch(28, locality=locality)
    response = client_for(viewer).get(url("challenge-list"), {"q": "offer"})
    assert len(listed(response)) == 25
    assert 'href="?q=offer&amp;page=2"' in response.text


@pytest.mark.parametrize("rows", [5, 60])
def test_list_query_count_does_not_grow_with_challenges(
    client_for, viewer, locality, evidence, django_assert_max_num_queries, rows
):
    ChallengeFactory.create_batch(rows, locality=locality, insights=evidence)
    client = client_for(viewer)
    with django_assert_max_num_queries(7):
        response = client.get(url("challenge-list"))
    assert response.status_code == HTTPStatus.OK
    assert len(listed(response)) == min(rows, 25)
    assert listed(response)[0] in response.text


@pytest.mark.parametrize("cited", [2, 40])
def test_detail_query_count_does_not_grow_with_evidence(
    client_for, viewer, locality, django_assert_max_num_queries, cited
):
    tags = TagFactory.create_batch(2, locality=locality)
    insights = InsightFactory.create_batch(cited, locality=locality)
    for insight in insights:
        insight.tags.set(tags)
    challenge = ChallengeFactory(locality=locality, insights=insights)
    client = client_for(viewer)
    with django_assert_max_num_queries(9):
        response = client.get(url("challenge-detail", challenge.pk))
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["evidence"]) == cited
    assert insights[-1].statement in response.text


@pytest.mark.parametrize("insights", [3, 50])
def test_form_query_count_does_not_grow_with_insights(
    client_for, editor, locality, challenge, django_assert_max_num_queries, insights
):
    InsightFactory.create_batch(insights, locality=locality)
    client = client_for(editor)
    with django_assert_max_num_queries(9):
        response = client.get(url("challenge-update", challenge.pk))
    assert response.status_code == HTTPStatus.OK
    assert challenge.title in response.text
