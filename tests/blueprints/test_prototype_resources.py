"""A prototype names the spaces, partners and volunteer roles it uses (issue 15, item 4):
through the services, the prototype form and the admin, only its locality's, and listed on
its page."""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blueprints import services
from blueprints.models import Prototype
from tests.blueprints.factories import PrototypeFactory
from tests.blueprints.test_prototype_results import form_data
from tests.localities.factories import PartnerFactory, SpaceFactory, VolunteerRoleFactory
from tests.roles import CONTENT_EDITORS, READERS, ROLES

pytestmark = pytest.mark.django_db

FIELDS = ("spaces", "partners", "volunteer_roles")


@pytest.fixture
def resources(locality):
    return {
        "spaces": SpaceFactory(locality=locality, name="Northgate Library"),
        "partners": PartnerFactory(locality=locality, organisation="Health visiting team"),
        "volunteer_roles": VolunteerRoleFactory(locality=locality, name="Welcome walk guide"),
    }


@pytest.fixture
def foreign(other_locality):
    return {
        "spaces": SpaceFactory(locality=other_locality, name="Riverside Hall"),
        "partners": PartnerFactory(locality=other_locality, organisation="Riverside Church"),
        "volunteer_roles": VolunteerRoleFactory(locality=other_locality, name="Riverside guide"),
    }


@pytest.fixture
def prototype(blueprint):
    return PrototypeFactory(blueprint=blueprint, title="Saturday walks")


def used(prototype) -> dict[str, list[int]]:
    stored = Prototype.objects.get(pk=prototype.pk)
    return {name: sorted(getattr(stored, name).values_list("pk", flat=True)) for name in FIELDS}


NONE = {name: [] for name in FIELDS}


def page_url(name, blueprint, prototype=None):
    args = [blueprint.locality.slug, blueprint.pk] + ([prototype.pk] if prototype else [])
    return reverse(f"blueprints:{name}", args=args)


# Services --------------------------------------------------------------------------------


def test_create_prototype_uses_the_localitys_resources(blueprint, resources, editor):
    prototype = services.create_prototype(
        blueprint=blueprint,
        title="Saturday walks",
        by=editor,
        **{name: [resource] for name, resource in resources.items()},
    )
    assert used(prototype) == {name: [resource.pk] for name, resource in resources.items()}


@pytest.mark.parametrize("field", FIELDS)
def test_create_prototype_refuses_another_localitys_resource_and_saves_nothing(
    blueprint, resources, foreign, editor, field
):
    with pytest.raises(ValidationError) as refused:
        services.create_prototype(
            blueprint=blueprint,
            title="Saturday walks",
            by=editor,
            **{field: [resources[field], foreign[field]]},
        )
    assert list(refused.value.message_dict) == [field]
    assert not Prototype.objects.exists()


@pytest.mark.parametrize("field", FIELDS)
def test_update_prototype_refuses_another_localitys_resource_and_changes_nothing(
    prototype, resources, foreign, editor, field
):
    with pytest.raises(ValidationError) as refused:
        services.update_prototype(
            prototype=prototype, by=editor, title="Renamed", **{field: [foreign[field].pk]}
        )
    assert list(refused.value.message_dict) == [field]
    assert used(prototype) == NONE
    assert Prototype.objects.get(pk=prototype.pk).title == "Saturday walks"


def test_update_prototype_changes_the_resources_given_and_leaves_the_others(
    prototype, resources, editor
):
    services.update_prototype(prototype=prototype, by=editor, spaces=[resources["spaces"]])
    services.update_prototype(prototype=prototype, by=editor, partners=[resources["partners"]])
    assert used(prototype) == {
        "spaces": [resources["spaces"].pk],
        "partners": [resources["partners"].pk],
        "volunteer_roles": [],
    }


# The prototype form ----------------------------------------------------------------------


def with_resources(data: dict, chosen: dict) -> dict:
    return {**data, **{name: [resource.pk] for name, resource in chosen.items()}}


@pytest.mark.parametrize("role", ROLES)
def test_planning_a_prototype_with_resources_follows_the_role_matrix(
    client_for, users, blueprint, resources, role
):
    data = with_resources(form_data(), resources)
    response = client_for(users[role]).post(page_url("prototype-create", blueprint), data)
    if CONTENT_EDITORS[role] == HTTPStatus.OK:
        assert response.status_code == HTTPStatus.FOUND
        prototype = Prototype.objects.get()
        assert used(prototype) == {name: [resource.pk] for name, resource in resources.items()}
    else:
        assert response.status_code == CONTENT_EDITORS[role]
        assert not Prototype.objects.exists()


def test_anonymous_planning_a_prototype_is_sent_to_log_in(client, blueprint, resources):
    data = with_resources(form_data(), resources)
    response = client.post(page_url("prototype-create", blueprint), data)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
    assert not Prototype.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_prototypes_resources_follows_the_role_matrix(
    client_for, users, prototype, resources, role
):
    data = with_resources(form_data(prototype), resources)
    response = client_for(users[role]).post(
        page_url("prototype-update", prototype.blueprint, prototype), data
    )
    if CONTENT_EDITORS[role] == HTTPStatus.OK:
        assert response.status_code == HTTPStatus.FOUND
        assert used(prototype) == {name: [resource.pk] for name, resource in resources.items()}
    else:
        assert response.status_code == CONTENT_EDITORS[role]
        assert used(prototype) == NONE


@pytest.mark.parametrize("field", FIELDS)
def test_the_prototype_form_refuses_another_localitys_resource_at_its_field(
    client_for, editor, prototype, foreign, field
):
    data = with_resources(form_data(prototype, title="Renamed"), {field: foreign[field]})
    response = client_for(editor).post(
        page_url("prototype-update", prototype.blueprint, prototype), data
    )
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert list(response.context["form"].errors) == [field]
    assert "of this blueprint&#x27;s own locality only" in response.content.decode()
    assert used(prototype) == NONE
    assert Prototype.objects.get(pk=prototype.pk).title == "Saturday walks"


def test_the_prototype_form_offers_the_localitys_resources_as_checkboxes(
    client_for, editor, blueprint, resources, foreign
):
    response = client_for(editor).get(page_url("prototype-create", blueprint))
    page = response.content.decode()
    assert 'name="spaces" value=' in page
    assert "Northgate Library" in page
    assert "Health visiting team" in page
    assert "Welcome walk guide" in page
    assert "Riverside" not in page


# The prototype's page --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_prototype_page_lists_the_resources_it_uses(
    client_for, users, prototype, resources, role
):
    services.update_prototype(
        prototype=prototype, by=None, **{name: [r] for name, r in resources.items()}
    )
    response = client_for(users[role]).get(
        page_url("prototype-detail", prototype.blueprint, prototype)
    )
    assert response.status_code == READERS[role]
    if READERS[role] == HTTPStatus.OK:
        page = response.content.decode()
        assert "Community resources it uses" in page
        assert "Northgate Library" in page
        assert "Health visiting team" in page
        assert "Welcome walk guide" in page


def test_the_prototype_page_shows_resource_names_as_text(client_for, viewer, prototype, locality):
    space = SpaceFactory(locality=locality, name="<i>Hall</i>")
    services.update_prototype(prototype=prototype, by=None, spaces=[space])
    page = (
        client_for(viewer)
        .get(page_url("prototype-detail", prototype.blueprint, prototype))
        .content.decode()
    )
    assert "&lt;i&gt;Hall&lt;/i&gt;" in page


# Admin -----------------------------------------------------------------------------------


def admin_url(prototype):
    return reverse("admin:blueprints_prototype_change", args=[prototype.pk])


def admin_data(client, prototype, **changes) -> dict:
    """The admin's change form as it opens (the plan, the results, the measures' management
    form), then `changes`."""
    response = client.get(admin_url(prototype))
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{inline.formset.prefix}-{name}"] = management[name].value()
    data.update(changes)
    return data


def test_a_superuser_sets_a_prototypes_resources_in_the_admin(
    client_for, superuser, prototype, resources
):
    client = client_for(superuser)
    data = admin_data(client, prototype, **{name: [r.pk] for name, r in resources.items()})
    response = client.post(admin_url(prototype), data)
    assert response.status_code == HTTPStatus.FOUND
    assert used(prototype) == {name: [resource.pk] for name, resource in resources.items()}


@pytest.mark.parametrize("field", FIELDS)
def test_the_admin_refuses_another_localitys_resource_at_its_field(
    client_for, superuser, prototype, foreign, field
):
    client = client_for(superuser)
    response = client.post(
        admin_url(prototype), admin_data(client, prototype, **{field: [foreign[field].pk]})
    )
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert list(response.context["adminform"].form.errors) == [field]
    assert used(prototype) == NONE


def test_the_admin_offers_only_the_localitys_resources(
    client_for, superuser, prototype, resources, foreign
):
    form = client_for(superuser).get(admin_url(prototype)).context["adminform"].form
    for name, resource in resources.items():
        assert list(form.fields[name].queryset) == [resource]


def test_the_refusal_shows_among_the_localitys_own_choices_too(
    client_for, editor, prototype, resources, foreign
):
    data = with_resources(form_data(prototype), {"spaces": foreign["spaces"]})
    response = client_for(editor).post(
        page_url("prototype-update", prototype.blueprint, prototype), data
    )
    page = response.content.decode()
    assert list(response.context["form"].errors) == ["spaces"]
    assert "Choose spaces of this blueprint&#x27;s own locality only" in page
    assert "Northgate Library" in page
    assert used(prototype) == NONE
