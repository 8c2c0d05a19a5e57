"""A card names the space where its step happens, the partner who provides it and the
volunteer role that does it with the hours a week it takes (issue 15, item 4): set through
the services, the editor's card form (panel and page) and the admin, only from the
blueprint's own locality, and shown as text on the card, the detailed grid and the text
view, in a constant number of queries."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints import services
from blueprints.models import Card, Lane
from blueprints.views.canvas import DENSITY_COOKIE
from tests.blueprints.factories import BlueprintFactory, CardFactory, fill_grid, lane, phase
from tests.localities.factories import PartnerFactory, SpaceFactory, VolunteerRoleFactory
from tests.roles import CONTENT_EDITORS, READERS, ROLES

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
FIELDS = ("space", "partner", "volunteer_role")


@pytest.fixture
def resources(locality):
    """The locality's own space, partner and volunteer role."""
    return {
        "space": SpaceFactory(locality=locality, name="Northgate Library"),
        "partner": PartnerFactory(locality=locality, organisation="Health visiting team"),
        "volunteer_role": VolunteerRoleFactory(locality=locality, name="Welcome walk guide"),
    }


@pytest.fixture
def foreign(other_locality):
    """The same kinds of resource, of another locality."""
    return {
        "space": SpaceFactory(locality=other_locality, name="Riverside Hall"),
        "partner": PartnerFactory(locality=other_locality, organisation="Riverside Church"),
        "volunteer_role": VolunteerRoleFactory(locality=other_locality, name="Riverside guide"),
    }


@pytest.fixture
def card(blueprint):
    return CardFactory(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        title="Guide meets the family",
    )


def url(name, card):
    return reverse(
        f"blueprints:{name}", args=[card.blueprint.locality.slug, card.blueprint_id, card.pk]
    )


def create_url(blueprint):
    cell = f"?phase={phase(blueprint, 0).pk}&lane={lane(blueprint, Lane.Role.FRONTLINE).pk}"
    return reverse("blueprints:card-create", args=[blueprint.locality.slug, blueprint.pk]) + cell


def edit_data(card, **changes) -> dict:
    data = {"title": card.title, "kind": "step", "version": card.version}
    data.update(dict.fromkeys((*FIELDS, "volunteer_hours"), ""))
    data.update(changes)
    return data


def resource_ids(card) -> tuple:
    stored = Card.objects.get(pk=card.pk)
    return (stored.space_id, stored.partner_id, stored.volunteer_role_id, stored.volunteer_hours)


# Services --------------------------------------------------------------------------------


def test_add_card_names_the_localitys_resources(blueprint, resources, editor):
    card = services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        title="Guide meets the family",
        kind="step",
        volunteer_hours=Decimal("4"),
        by=editor,
        **resources,
    )
    assert resource_ids(card) == (
        resources["space"].pk,
        resources["partner"].pk,
        resources["volunteer_role"].pk,
        Decimal("4.0"),
    )


@pytest.mark.parametrize("field", FIELDS)
def test_add_card_refuses_another_localitys_resource_at_its_field(
    blueprint, foreign, editor, field
):
    with pytest.raises(ValidationError) as refused:
        services.add_card(
            blueprint=blueprint,
            phase=phase(blueprint, 0),
            lane=lane(blueprint, Lane.Role.FRONTLINE),
            title="Guide meets the family",
            kind="step",
            by=editor,
            **{field: foreign[field]},
        )
    assert list(refused.value.message_dict) == [field]
    assert not Card.objects.exists()


@pytest.mark.parametrize("field", FIELDS)
def test_update_card_refuses_another_localitys_resource_and_changes_nothing(
    card, foreign, editor, field
):
    with pytest.raises(ValidationError) as refused:
        services.update_card(
            card=card, expected_version=card.version, by=editor, **{field: foreign[field].pk}
        )
    assert list(refused.value.message_dict) == [field]
    assert resource_ids(card) == (None, None, None, None)
    assert Card.objects.get(pk=card.pk).version == card.version


def test_update_card_refuses_a_resource_that_does_not_exist(card, editor):
    with pytest.raises(ValidationError) as refused:
        services.update_card(card=card, expected_version=card.version, by=editor, space=999_999)
    assert list(refused.value.message_dict) == ["space"]


def test_hours_without_a_role_are_refused(card, editor):
    with pytest.raises(ValidationError) as refused:
        services.update_card(
            card=card, expected_version=card.version, by=editor, volunteer_hours=Decimal("3")
        )
    assert list(refused.value.message_dict) == ["volunteer_hours"]
    assert resource_ids(card) == (None, None, None, None)


def test_negative_hours_are_refused(card, resources, editor):
    with pytest.raises(ValidationError) as refused:
        services.update_card(
            card=card,
            expected_version=card.version,
            by=editor,
            volunteer_role=resources["volunteer_role"],
            volunteer_hours=Decimal("-1"),
        )
    assert list(refused.value.message_dict) == ["volunteer_hours"]
    assert resource_ids(card) == (None, None, None, None)


def test_taking_the_role_away_keeps_no_hours_behind(card, resources, editor):
    saved = services.update_card(
        card=card,
        expected_version=card.version,
        by=editor,
        volunteer_role=resources["volunteer_role"],
        volunteer_hours=Decimal("2.5"),
    )
    saved = services.update_card(
        card=saved,
        expected_version=saved.version,
        by=editor,
        volunteer_role=None,
        volunteer_hours=None,
    )
    assert resource_ids(card) == (None, None, None, None)


# Who may set them ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_setting_a_cards_resources_follows_the_role_matrix(
    client_for, users, card, resources, role
):
    data = edit_data(
        card,
        space=resources["space"].pk,
        partner=resources["partner"].pk,
        volunteer_role=resources["volunteer_role"].pk,
        volunteer_hours="4",
    )
    response = client_for(users[role]).post(url("card-update", card), data)
    expected = CONTENT_EDITORS[role]
    if expected == HTTPStatus.OK:
        assert response.status_code == HTTPStatus.FOUND
        assert resource_ids(card) == (
            resources["space"].pk,
            resources["partner"].pk,
            resources["volunteer_role"].pk,
            Decimal("4.0"),
        )
    else:
        assert response.status_code == expected
        assert resource_ids(card) == (None, None, None, None)


def test_anonymous_setting_a_cards_resources_is_sent_to_log_in(client, card, resources):
    response = client.post(url("card-update", card), edit_data(card, space=resources["space"].pk))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
    assert resource_ids(card) == (None, None, None, None)


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_cards_resources_follows_the_role_matrix(
    client_for, users, card, resources, role
):
    services.update_card(
        card=card, expected_version=card.version, by=None, space=resources["space"]
    )
    response = client_for(users[role]).get(url("card-detail", card))
    assert response.status_code == READERS[role]
    if READERS[role] == HTTPStatus.OK:
        assert "Northgate Library" in response.content.decode()


def test_a_reviewer_reads_the_resources_but_gets_no_form_to_change_them(
    client_for, reviewer, card, resources
):
    services.update_card(
        card=card, expected_version=card.version, by=None, partner=resources["partner"]
    )
    client = client_for(reviewer)
    page = client.get(url("card-detail", card)).content.decode()
    assert "Health visiting team" in page
    assert client.get(url("card-update", card)).status_code == HTTPStatus.FORBIDDEN


# The card form, in the panel (htmx) and as a page ---------------------------------------


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["panel", "page"])
def test_the_card_form_refuses_another_localitys_resource_at_its_field(
    client_for, editor, card, foreign, field, headers
):
    data = edit_data(card, **{field: foreign[field].pk})
    response = client_for(editor).post(url("card-update", card), data, headers=headers)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert list(response.context["form"].errors) == [field]
    assert "of this blueprint&#x27;s own locality" in response.content.decode()
    assert resource_ids(card) == (None, None, None, None)
    assert Card.objects.get(pk=card.pk).version == card.version


@pytest.mark.parametrize("field", FIELDS)
def test_adding_a_card_with_another_localitys_resource_adds_nothing(
    client_for, editor, blueprint, foreign, field
):
    data = {"title": "Guide meets the family", "kind": "step", field: foreign[field].pk}
    response = client_for(editor).post(create_url(blueprint), data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert list(response.context["form"].errors) == [field]
    assert not Card.objects.exists()


def test_the_card_form_refuses_negative_hours_with_a_message_at_the_field(
    client_for, editor, card, resources
):
    data = edit_data(card, volunteer_role=resources["volunteer_role"].pk, volunteer_hours="-2")
    response = client_for(editor).post(url("card-update", card), data, headers=HTMX)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.context["form"].errors["volunteer_hours"] == [
        "Volunteer hours cannot be negative; leave it empty if none."
    ]
    assert resource_ids(card) == (None, None, None, None)


def test_the_card_form_refuses_hours_without_a_role(client_for, editor, card):
    data = edit_data(card, volunteer_hours="3")
    response = client_for(editor).post(url("card-update", card), data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.context["form"].errors["volunteer_hours"] == [
        "Choose the volunteer role that gives these hours."
    ]
    assert resource_ids(card) == (None, None, None, None)


def test_the_card_form_offers_the_localitys_resources_by_name(
    client_for, editor, card, resources, foreign, locality
):
    SpaceFactory(locality=locality, name="Allotment hut")
    form = client_for(editor).get(url("card-update", card), headers=HTMX).context["form"]
    spaces = [label for _, label in form.fields["space"].choices]
    assert spaces == ["—", "Allotment hut", "Northgate Library"]
    assert [label for _, label in form.fields["partner"].choices] == ["—", "Health visiting team"]
    assert [label for _, label in form.fields["volunteer_role"].choices] == [
        "—",
        "Welcome walk guide",
    ]


def test_the_card_form_shows_the_resources_group(client_for, editor, card):
    page = client_for(editor).get(url("card-update", card)).content.decode()
    assert '<legend class="form-label fw-semibold">Where, who and volunteers</legend>' in page
    assert 'name="volunteer_hours"' in page


def test_the_card_form_opens_with_the_cards_resources(client_for, editor, card, resources):
    services.update_card(
        card=card,
        expected_version=card.version,
        by=None,
        volunteer_role=resources["volunteer_role"],
        volunteer_hours=Decimal("6"),
    )
    form = client_for(editor).get(url("card-update", card), headers=HTMX).context["form"]
    assert form["volunteer_role"].value() == resources["volunteer_role"].pk
    assert form["volunteer_hours"].value() == Decimal("6.0")


def test_the_card_form_asks_a_constant_number_of_queries_however_many_resources(
    client_for, editor, card, locality, django_assert_max_num_queries
):
    client = client_for(editor)
    SpaceFactory(locality=locality)
    client.get(url("card-update", card), headers=HTMX)
    with CaptureQueriesContext(connection) as few:
        client.get(url("card-update", card), headers=HTMX)
    for _ in range(20):
        SpaceFactory(locality=locality)
        PartnerFactory(locality=locality)
        VolunteerRoleFactory(locality=locality)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url("card-update", card), headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["form"].fields["space"].choices) == 22


# Display ---------------------------------------------------------------------------------


@pytest.fixture
def named(card, resources):
    """The card, naming all three resources, 4 hours a week."""
    return services.update_card(
        card=card,
        expected_version=card.version,
        by=None,
        volunteer_hours=Decimal("4"),
        **resources,
    )


@pytest.mark.parametrize("headers", [HTMX, {}], ids=["panel", "page"])
def test_the_card_shows_its_space_partner_and_role_with_hours(client_for, viewer, named, headers):
    page = client_for(viewer).get(url("card-detail", named), headers=headers).content.decode()
    assert "Northgate Library" in page
    assert "Health visiting team" in page
    assert "Welcome walk guide, 4 hours a week" in page


def test_resource_names_are_text(client_for, viewer, card, locality):
    space = SpaceFactory(locality=locality, name="<b>Hub</b>")
    services.update_card(card=card, expected_version=card.version, by=None, space=space)
    page = client_for(viewer).get(url("card-detail", card)).content.decode()
    assert "&lt;b&gt;Hub&lt;/b&gt;" in page
    assert "<b>Hub</b>" not in page


def editor_page(client, blueprint, density):
    client.cookies[DENSITY_COOKIE] = density
    response = client.get(
        reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])
    )
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def test_the_detailed_grid_shows_a_short_line_of_resources(client_for, viewer, named):
    page = editor_page(client_for(viewer), named.blueprint, "detailed")
    assert "Northgate Library; Health visiting team; Welcome walk guide, 4 hours a week" in page
    assert 'class="bp-card-resources' in page


@pytest.mark.parametrize("density", ["compact", "comfortable"])
def test_the_other_densities_leave_the_card_as_it_was(client_for, viewer, named, density):
    page = editor_page(client_for(viewer), named.blueprint, density)
    assert "Guide meets the family" in page
    assert "bp-card-resources" not in page
    assert "Northgate Library" not in page


def test_the_text_view_lists_the_cards_resources(client_for, viewer, named):
    blueprint = named.blueprint
    response = client_for(viewer).get(
        reverse("blueprints:text", args=[blueprint.locality.slug, blueprint.pk])
    )
    page = response.content.decode()
    assert "Where: Northgate Library." in page
    assert "Provided by: Health visiting team." in page
    assert "Volunteers: Welcome walk guide, 4 hours a week." in page


@pytest.mark.parametrize("density", ["detailed", "comfortable"])
def test_the_editor_asks_as_many_queries_for_a_large_blueprint_with_resources(
    client_for, editor, locality, resources, density, django_assert_max_num_queries
):
    client = client_for(editor)
    small, large = BlueprintFactory(locality=locality), BlueprintFactory(locality=locality)
    fill_grid(small, 5)
    fill_grid(large, 300)
    for blueprint in (small, large):
        Card.objects.filter(blueprint=blueprint).update(
            volunteer_role=resources["volunteer_role"],
            volunteer_hours=Decimal("2"),
            space=resources["space"],
            partner=resources["partner"],
        )
    editor_page(client, small, density)  # warm the session alike for both
    with CaptureQueriesContext(connection) as queries:
        page = editor_page(client, small, density)
    assert "Card 4" in page
    with django_assert_max_num_queries(len(queries)):
        page = editor_page(client, large, density)
    assert page.count('class="bp-card bp-kind-') == 300
    expected = 300 if density == "detailed" else 0
    assert page.count("Welcome walk guide, 2 hours a week") == expected


# Admin -----------------------------------------------------------------------------------


def admin_url(card):
    return reverse("admin:blueprints_card_change", args=[card.pk])


def admin_data(card, **changes) -> dict:
    data = {"title": card.title, "kind": "step", "details": "", "emotion": ""}
    data.update(dict.fromkeys((*FIELDS, "volunteer_hours"), ""))
    data.update(changes)
    return data


def test_a_superuser_sets_a_cards_resources_in_the_admin(client_for, superuser, card, resources):
    data = admin_data(
        card,
        space=resources["space"].pk,
        partner=resources["partner"].pk,
        volunteer_role=resources["volunteer_role"].pk,
        volunteer_hours="3.5",
    )
    response = client_for(superuser).post(admin_url(card), data)
    assert response.status_code == HTTPStatus.FOUND
    assert resource_ids(card) == (
        resources["space"].pk,
        resources["partner"].pk,
        resources["volunteer_role"].pk,
        Decimal("3.5"),
    )
    assert Card.objects.get(pk=card.pk).version == card.version + 1


@pytest.mark.parametrize("field", FIELDS)
def test_the_admin_refuses_another_localitys_resource_at_its_field(
    client_for, superuser, card, foreign, field
):
    response = client_for(superuser).post(
        admin_url(card), admin_data(card, **{field: foreign[field].pk})
    )
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert list(response.context["adminform"].form.errors) == [field]
    assert resource_ids(card) == (None, None, None, None)


def test_the_admin_offers_only_the_localitys_resources(
    client_for, superuser, card, resources, foreign
):
    form = client_for(superuser).get(admin_url(card)).context["adminform"].form
    assert list(form.fields["space"].queryset) == [resources["space"]]
    assert list(form.fields["partner"].queryset) == [resources["partner"]]
    assert list(form.fields["volunteer_role"].queryset) == [resources["volunteer_role"]]


def test_the_admin_refuses_hours_without_a_role(client_for, superuser, card):
    response = client_for(superuser).post(admin_url(card), admin_data(card, volunteer_hours="2"))
    assert response.status_code == HTTPStatus.OK
    assert "volunteer_hours" in response.context["adminform"].form.errors
    assert resource_ids(card) == (None, None, None, None)


def test_the_history_page_names_the_space_a_card_was_given(client_for, viewer, card, resources):
    services.update_card(
        card=card, expected_version=card.version, by=None, space=resources["space"]
    )
    blueprint = card.blueprint
    response = client_for(viewer).get(
        reverse("blueprints:history", args=[blueprint.locality.slug, blueprint.pk])
    )
    assert response.status_code == HTTPStatus.OK
    assert "Northgate Library" in response.content.decode()


# Undo ------------------------------------------------------------------------------------


def test_undoing_an_edit_puts_back_the_resources_the_card_named(editor, named, resources):
    services.update_card(
        card=named,
        expected_version=named.version,
        by=editor,
        space=None,
        volunteer_role=None,
        volunteer_hours=None,
    )
    services.undo_last_change(blueprint=named.blueprint, by=editor)
    assert resource_ids(named) == (
        resources["space"].pk,
        resources["partner"].pk,
        resources["volunteer_role"].pk,
        Decimal("4.0"),
    )


def test_undoing_a_delete_adds_the_card_again_with_its_resources(editor, named, resources):
    services.delete_card(card=named, expected_version=named.version, by=editor)
    services.undo_last_change(blueprint=named.blueprint, by=editor)
    again = Card.objects.get(title="Guide meets the family")
    assert resource_ids(again) == (
        resources["space"].pk,
        resources["partner"].pk,
        resources["volunteer_role"].pk,
        Decimal("4.0"),
    )


def test_undo_leaves_out_a_role_deleted_since_and_its_hours(editor, named, resources):
    services.update_card(card=named, expected_version=named.version, by=editor, title="Renamed")
    resources["volunteer_role"].delete()  # the card's role and hours go with it
    services.undo_last_change(blueprint=named.blueprint, by=editor)
    assert resource_ids(named) == (resources["space"].pk, resources["partner"].pk, None, None)


def test_a_card_whose_role_was_deleted_can_still_be_changed(editor, named, resources):
    resources["volunteer_role"].delete()
    stored = Card.objects.get(pk=named.pk)
    saved = services.update_card(
        card=stored, expected_version=stored.version, by=editor, emotion=None, title="Renamed"
    )
    assert saved.title == "Renamed"
    assert resource_ids(named) == (resources["space"].pk, resources["partner"].pk, None, None)
