"""The insight services (`localities.services`): who may write, what they refuse (with a
message, keyed by the field it concerns), and that a refusal saves nothing."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from localities import services
from localities.models import Challenge, Insight, Tag
from tests.localities.factories import InsightFactory, TagFactory
from tests.roles import REFUSED_WRITERS, WRITERS

pytestmark = pytest.mark.django_db

GOOD = {
    "statement": "Parents hear about groups too late",
    "subject": Insight.Subject.FAMILIES,
    "source": Insight.Source.FAMILY_INTERVIEW,
    "detail": "“Nobody told us until our son was two.”",
    "gathered_on": None,
    "tag_names": ["awareness", "timing"],
}


def names(insight: Insight) -> list[str]:
    return sorted(insight.tags.values_list("name", flat=True))


# Create


@pytest.mark.parametrize("role", WRITERS)
def test_editors_leads_and_superusers_record_an_insight_with_its_tags(role, users, locality):
    insight = services.create_insight(locality=locality, by=users[role], **GOOD)
    insight.refresh_from_db()
    assert insight.locality == locality
    assert insight.recorded_by == users[role]
    assert insight.statement == GOOD["statement"]
    assert names(insight) == ["awareness", "timing"]


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_others_may_not_record_an_insight(role, users, locality):
    with pytest.raises(PermissionDenied, match="editors and leads of Northgate"):
        services.create_insight(locality=locality, by=users[role], **GOOD)
    assert not Insight.objects.exists()
    assert not Tag.objects.exists()


def test_an_anonymous_user_may_not_record_an_insight(locality):
    with pytest.raises(PermissionDenied):
        services.create_insight(locality=locality, by=AnonymousUser(), **GOOD)
    assert not Insight.objects.exists()


def test_the_system_records_an_insight_with_no_recorder(locality):
    insight = services.create_insight(locality=locality, by=None, **GOOD)
    assert insight.recorded_by is None
    assert Insight.objects.filter(pk=insight.pk).exists()


def test_a_tag_the_locality_has_is_reused_whatever_its_capitals(locality, editor):
    existing = TagFactory(locality=locality, name="Awareness")
    insight = services.create_insight(locality=locality, by=editor, **GOOD)
    assert existing in insight.tags.all()
    assert Tag.objects.filter(locality=locality, name__iexact="awareness").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"statement": ""}, "statement", "This field cannot be blank."),
        ({"statement": "Two\nlines"}, "statement", "Keep this to one line"),
        ({"subject": "pets"}, "subject", "is not a valid choice"),
        ({"source": "rumour"}, "source", "is not a valid choice"),
        ({"tag_names": ["x" * 51]}, "tag_names", "at most 50 characters"),
        ({"tag_names": ["a\tb"]}, "tag_names", "one line"),
        ({"tag_names": ["  "]}, "tag_names", "cannot be empty"),
        ({"tag_names": [f"t{n}" for n in range(21)]}, "tag_names", "at most 20 tags"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    change, field, message, locality, editor
):
    with pytest.raises(ValidationError) as refused:
        services.create_insight(locality=locality, by=editor, **{**GOOD, **change})
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert not Insight.objects.exists()
    assert not Tag.objects.exists()


# Update


@pytest.mark.parametrize("role", WRITERS)
def test_editors_leads_and_superusers_change_an_insight_and_its_tags(role, users, locality):
    insight = InsightFactory(locality=locality, statement="Old")
    insight.tags.add(TagFactory(locality=locality, name="stale"))
    services.update_insight(
        insight=insight, by=users[role], **{**GOOD, "statement": "New", "tag_names": ["fresh"]}
    )
    insight.refresh_from_db()
    assert insight.statement == "New"
    assert names(insight) == ["fresh"]


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_others_may_not_change_an_insight(role, users, locality):
    insight = InsightFactory(locality=locality, statement="Old")
    with pytest.raises(PermissionDenied):
        services.update_insight(insight=insight, by=users[role], **GOOD)
    insight.refresh_from_db()
    assert insight.statement == "Old"


def test_a_refused_change_leaves_the_insight_and_its_tags_as_they_were(locality, editor):
    insight = InsightFactory(locality=locality, statement="Old")
    insight.tags.add(TagFactory(locality=locality, name="kept"))
    with pytest.raises(ValidationError) as refused:
        services.update_insight(
            insight=insight, by=editor, **{**GOOD, "tag_names": ["y" * 60], "statement": "New"}
        )
    assert "tag_names" in refused.value.message_dict
    insight.refresh_from_db()
    assert insight.statement == "Old"
    assert names(insight) == ["kept"]


# Delete


@pytest.mark.parametrize("role", WRITERS)
def test_editors_leads_and_superusers_delete_an_insight(role, users, locality):
    insight = InsightFactory(locality=locality)
    services.delete_insight(insight=insight, by=users[role])
    assert not Insight.objects.filter(pk=insight.pk).exists()


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_others_may_not_delete_an_insight(role, users, locality):
    insight = InsightFactory(locality=locality)
    with pytest.raises(PermissionDenied):
        services.delete_insight(insight=insight, by=users[role])
    assert Insight.objects.filter(pk=insight.pk).exists()


# The views show what the services refuse


def test_a_refusal_by_the_service_shows_on_the_form(locality, editor, client_for, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"statement": "Someone changed this meanwhile."})

    monkeypatch.setattr(services, "create_insight", refuse)
    response = client_for(editor).post(
        reverse("localities:insight-create", args=[locality.slug]),
        {"statement": "Fine", "subject": "families", "source": "observation", "tag_names": ""},
    )
    assert response.status_code == HTTPStatus.OK
    assert "Someone changed this meanwhile." in response.text
    assert not Insight.objects.exists()


# Naming a challenge (the create view and the demo loader call this)


def test_create_challenge_cites_the_localitys_insights(locality, editor):
    insight = InsightFactory(locality=locality)
    challenge = services.create_challenge(
        locality=locality, by=editor, title="Families do not know the hub", insights=[insight]
    )
    assert (challenge.created_by, list(challenge.insights.all())) == (editor, [insight])


def test_create_challenge_refuses_another_localitys_insight(locality, other_locality, editor):
    stranger = InsightFactory(locality=other_locality)
    with pytest.raises(ValidationError) as error:
        services.create_challenge(locality=locality, by=editor, title="A", insights=[stranger])
    assert "insights" in error.value.message_dict
    assert not Challenge.objects.exists()


def test_a_viewer_may_not_name_a_challenge(locality, viewer):
    with pytest.raises(PermissionDenied):
        services.create_challenge(locality=locality, by=viewer, title="A")
    assert not Challenge.objects.exists()
