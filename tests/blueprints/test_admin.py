from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints.models import BlueprintVersion, Card, Lane
from blueprints.review import actions as review_actions
from localities.permissions import REVIEWER_GROUP
from tests.blueprints.checks import cell_titles
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["blueprint", "card", "deliverychallenge", "prototype"]


def changelist(model):
    return reverse(f"admin:blueprints_{model}_changelist")


def test_the_reviewers_group_may_view_every_blueprint_model():
    codenames = set(
        Group.objects.get(name=REVIEWER_GROUP)
        .permissions.filter(content_type__app_label="blueprints")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_blueprint",
        "view_phase",
        "view_lane",
        "view_card",
        "view_cardlink",
        "view_deliverychallenge",
        "view_prototype",
        "view_reviewtransition",
        "view_blueprintversion",
        "view_comment",
        "add_comment",
        "view_deliveryquestion",
        "view_prototypemeasure",
        "view_starterquestion",
        "add_starterquestion",
        "change_starterquestion",
        "delete_starterquestion",
    }


@pytest.mark.parametrize("model", MODELS)
def test_a_reviewer_reads_each_list_in_the_admin(client_for, reviewer, model):
    card = CardFactory()
    DeliveryChallengeFactory(blueprint=card.blueprint, cards=[card])
    PrototypeFactory(blueprint=card.blueprint, cards=[card])
    response = client_for(reviewer).get(changelist(model))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("model", MODELS)
def test_a_member_who_is_not_staff_is_sent_to_the_admin_login(client_for, editor, model):
    response = client_for(editor).get(changelist(model))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response.url


def test_a_reviewer_reads_a_blueprint_with_its_phases_and_lanes(client_for, reviewer):
    blueprint = BlueprintFactory()
    url = reverse("admin:blueprints_blueprint_change", args=[blueprint.pk])
    response = client_for(reviewer).get(url)
    assert response.status_code == HTTPStatus.OK
    assert b"Exit and advocacy" in response.content
    assert b"Support structures and processes" in response.content


def test_a_reviewer_cannot_change_a_card(client_for, reviewer):
    card = CardFactory(title="Hears about it")
    url = reverse("admin:blueprints_card_change", args=[card.pk])
    response = client_for(reviewer).post(url, {"title": "Changed", "kind": "step"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert Card.objects.get(pk=card.pk).title == "Hears about it"


def test_a_reviewer_reads_a_cards_history(client_for, reviewer):
    card = CardFactory()
    url = reverse("admin:blueprints_card_history", args=[card.pk])
    assert client_for(reviewer).get(url).status_code == HTTPStatus.OK


def test_reverting_to_an_old_record_is_refused(client_for, superuser):
    card = CardFactory()
    record = card.history.earliest()
    url = reverse("admin:blueprints_card_simple_history", args=[card.pk, record.history_id])
    response = client_for(superuser).post(url, {"title": "Old", "kind": "step"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_a_superuser_edit_counts_a_new_version(client_for, superuser):
    card = CardFactory(title="Hears about it")
    url = reverse("admin:blueprints_card_change", args=[card.pk])
    response = client_for(superuser).post(url, {"title": "Hears from a friend", "kind": "step"})
    assert response.status_code == HTTPStatus.FOUND
    stored = Card.objects.get(pk=card.pk)
    assert (stored.title, stored.version) == ("Hears from a friend", 2)
    assert stored.history.latest().history_user == superuser


def test_a_superuser_edit_giving_a_backstage_card_an_emotion_is_refused(client_for, superuser):
    blueprint = BlueprintFactory()
    card = CardFactory(blueprint=blueprint, lane=blueprint.lanes.get(role=Lane.Role.BACKSTAGE))
    url = reverse("admin:blueprints_card_change", args=[card.pk])
    response = client_for(superuser).post(url, {"title": "x", "kind": "step", "emotion": "1"})
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert Card.objects.get(pk=card.pk).emotion is None


def test_deleting_a_card_in_the_admin_closes_the_gap(client_for, superuser):
    blueprint = BlueprintFactory()
    a, b, c = (CardFactory(blueprint=blueprint, title=title) for title in "ABC")
    url = reverse("admin:blueprints_card_delete", args=[b.pk])
    response = client_for(superuser).post(url, {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert cell_titles(a.phase, a.lane) == ["A", "C"]
    assert list(Card.objects.order_by("position").values_list("position", flat=True)) == [0, 1]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_read_as_many_queries_for_many_rows_as_for_few(
    client_for, reviewer, model, django_assert_num_queries
):
    client = client_for(reviewer)

    def make(n):
        """Rows for every list; the title the `model` list shows for the last of them."""
        for _ in range(n):
            card = CardFactory()
            challenge = DeliveryChallengeFactory(blueprint=card.blueprint, cards=[card])
            prototype = PrototypeFactory(blueprint=card.blueprint, cards=[card])
        shown = {"blueprint": card.blueprint, "card": card}
        return {**shown, "deliverychallenge": challenge, "prototype": prototype}[model].title

    make(2)
    client.get(changelist(model))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        assert client.get(changelist(model)).status_code == HTTPStatus.OK
    newest = make(12)
    with django_assert_num_queries(len(few)):
        response = client.get(changelist(model))
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == 14
    assert newest in response.text


def test_reviewer_reads_versions_in_the_admin_but_cannot_change_them(
    client_for, reviewer, editor, locality, django_assert_max_num_queries
):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    review_actions.submit(blueprint=blueprint, by=editor)
    version = BlueprintVersion.objects.get(blueprint=blueprint)
    client = client_for(reviewer)
    listing = client.get(reverse("admin:blueprints_blueprintversion_changelist"))
    assert listing.status_code == HTTPStatus.OK
    assert "Welcome walks" in listing.text
    change = reverse("admin:blueprints_blueprintversion_change", args=[version.pk])
    response = client.post(change, {"reason": "tampered"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    version.refresh_from_db()
    assert version.reason == "submitted"


def test_the_versions_list_leaves_the_snapshots_in_the_database(
    client_for, reviewer, editor, locality
):
    review_actions.submit(
        blueprint=BlueprintFactory(locality=locality, title="Welcome walks"), by=editor
    )
    with CaptureQueriesContext(connection) as queries:
        response = client_for(reviewer).get(reverse("admin:blueprints_blueprintversion_changelist"))
    assert response.status_code == HTTPStatus.OK
    assert "Welcome walks" in response.text
    (listing,) = [
        q["sql"]
        for q in queries
        if 'FROM "blueprints_blueprintversion"' in q["sql"] and "COUNT(" not in q["sql"]
    ]
    assert '"blueprints_blueprintversion"."data"' not in listing
