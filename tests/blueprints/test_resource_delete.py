"""Deleting a volunteer role (`localities.services.delete_resource`, from the resources page
and the admin) takes the hours a week it gave the cards that named it, in the same
transaction, so no card and no capacity check is left with hours that no role gives."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints.models import Card
from localities import services
from localities.models import VolunteerRole
from tests.blueprints.factories import fill_grid
from tests.localities.factories import SpaceFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(locality):
    return VolunteerRoleFactory(locality=locality, name="Welcome walk guide")


@pytest.fixture
def driver(locality):
    return VolunteerRoleFactory(locality=locality, name="Driver")


@pytest.fixture
def cards(blueprint, guide, driver):
    """Two cards naming the guide (with hours), one the driver (with hours), one nothing."""
    made = fill_grid(blueprint, 4)
    for card, role, hours in zip(made, [guide, guide, driver, None], [4, 2, 3, None], strict=True):
        card.volunteer_role = role
        card.volunteer_hours = None if hours is None else Decimal(hours)
    Card.objects.bulk_update(made, ["volunteer_role", "volunteer_hours"])
    return made


def roles_and_hours(cards):
    return [
        tuple(row)
        for row in Card.objects.filter(pk__in=[c.pk for c in cards])
        .order_by("pk")
        .values_list("volunteer_role__name", "volunteer_hours")
    ]


AFTER_THE_GUIDE_WENT = [(None, None), (None, None), ("Driver", Decimal(3)), (None, None)]


def test_deleting_a_role_clears_the_hours_it_gave_its_cards_and_no_others(guide, cards):
    services.delete_resource(resource=guide)
    assert not VolunteerRole.objects.filter(pk=guide.pk).exists()
    assert roles_and_hours(cards) == AFTER_THE_GUIDE_WENT


def test_a_deletion_that_fails_leaves_the_cards_hours_as_they_were(guide, cards, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("the database refused")

    monkeypatch.setattr(VolunteerRole, "delete", refuse)
    with pytest.raises(RuntimeError):
        services.delete_resource(resource=guide)
    assert roles_and_hours(cards) == [
        ("Welcome walk guide", Decimal(4)),
        ("Welcome walk guide", Decimal(2)),
        ("Driver", Decimal(3)),
        (None, None),
    ]


def test_deleting_a_space_leaves_the_volunteer_hours_alone(locality, blueprint, cards):
    library = SpaceFactory(locality=locality)
    Card.objects.filter(pk=cards[0].pk).update(space=library)
    services.delete_resource(resource=library)
    card = Card.objects.get(pk=cards[0].pk)
    assert (card.space_id, card.volunteer_hours) == (None, Decimal(4))


def delete_url(locality, role):
    return reverse("localities:volunteering-delete", args=[locality.slug, role.pk])


def test_an_editor_deleting_a_role_on_the_resources_page_clears_its_cards_hours(
    editor, locality, guide, cards, client_for
):
    response = client_for(editor).post(delete_url(locality, guide), follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "Volunteer role “Welcome walk guide” deleted." in response.text
    assert roles_and_hours(cards) == AFTER_THE_GUIDE_WENT


@pytest.mark.parametrize("who", ["viewer", "reviewer"])
def test_those_who_may_not_edit_delete_neither_the_role_nor_its_hours(
    who, users, locality, guide, cards, client_for
):
    response = client_for(users[who]).post(delete_url(locality, guide))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert roles_and_hours(cards)[0] == ("Welcome walk guide", Decimal(4))


def test_an_outsider_deleting_the_role_is_not_found_and_changes_nothing(
    outsider, locality, guide, cards, client_for
):
    response = client_for(outsider).post(delete_url(locality, guide))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert roles_and_hours(cards)[0] == ("Welcome walk guide", Decimal(4))


def test_anonymous_visitors_deleting_the_role_are_sent_to_log_in(locality, guide, cards, client):
    response = client.post(delete_url(locality, guide))
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]
    assert roles_and_hours(cards)[0] == ("Welcome walk guide", Decimal(4))


def test_deleting_a_role_in_the_admin_clears_its_cards_hours(superuser, guide, cards, client_for):
    url = reverse("admin:localities_volunteerrole_delete", args=[guide.pk])
    response = client_for(superuser).post(url, {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert roles_and_hours(cards) == AFTER_THE_GUIDE_WENT


def test_deleting_roles_from_the_admins_list_clears_their_cards_hours(
    superuser, guide, driver, cards, client_for
):
    response = client_for(superuser).post(
        reverse("admin:localities_volunteerrole_changelist"),
        {"action": "delete_selected", "_selected_action": [guide.pk, driver.pk], "post": "yes"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert roles_and_hours(cards) == [(None, None)] * 4
