"""Blueprint text: titles and names are one line (a line break in a blueprint's title made
every review email about it fail), and no text holds a lone surrogate. The rules
themselves are tested in tests/localities/test_text_hygiene.py; here, that the blueprint's
models, pages, editor, services and admin apply them, and change nothing when they refuse.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from blueprints import services
from blueprints.models import (
    Blueprint,
    Card,
    Comment,
    DeliveryChallenge,
    DeliveryQuestion,
    Lane,
    Phase,
    Prototype,
    ReviewTransition,
)
from localities.validators import LONE_SURROGATE_MESSAGE, NOT_ONE_LINE_MESSAGE
from tests.blueprints.factories import (
    CardFactory,
    DeliveryChallengeFactory,
    lane,
    phase,
)
from tests.localities.test_text_hygiene import SURROGATE, field_id, utf7_post

# The crafted UTF-7 bodies must reach the forms: see tests/conftest.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forms_without_the_utf8_gate")]


ONE_LINE_FIELDS = [
    (Blueprint, "title"),
    (Phase, "name"),
    (Lane, "name"),
    (Card, "title"),
    (DeliveryChallenge, "title"),
    (DeliveryQuestion, "text"),
    (Prototype, "title"),
]
SEVERAL_LINE_FIELDS = [
    (Blueprint, "summary"),
    (Phase, "description"),
    (Card, "details"),
    (DeliveryQuestion, "answer"),
    (Prototype, "hypothesis"),
    (Prototype, "method"),
    (Prototype, "learning"),
    (ReviewTransition, "note"),
    (Comment, "body"),
]


@pytest.mark.parametrize("model_field", ONE_LINE_FIELDS, ids=field_id)
def test_one_line_model_fields_refuse_a_line_break(model_field):
    model, name = model_field
    with pytest.raises(ValidationError, match="Keep this to one line"):
        model._meta.get_field(name).run_validators("Line one\r\nline two")


@pytest.mark.parametrize("model_field", ONE_LINE_FIELDS, ids=field_id)
def test_their_history_refuses_it_too(model_field):
    """The history tables copy the fields, validators and all (the migration alters both)."""
    model, name = model_field
    with pytest.raises(ValidationError, match="Keep this to one line"):
        model.history.model._meta.get_field(name).run_validators("a\nb")


@pytest.mark.parametrize("model_field", ONE_LINE_FIELDS + SEVERAL_LINE_FIELDS, ids=field_id)
def test_every_typed_model_field_refuses_a_lone_surrogate(model_field):
    model, name = model_field
    with pytest.raises(ValidationError, match="lone surrogate"):
        model._meta.get_field(name).run_validators(f"x{SURROGATE}")


@pytest.mark.parametrize("model_field", SEVERAL_LINE_FIELDS, ids=field_id)
def test_fields_written_on_several_lines_keep_their_line_breaks(model_field):
    model, name = model_field
    field = model._meta.get_field(name)
    assert field.validators  # it is checked, and these lines pass the check
    field.run_validators("Line one\nline two")


# Pages ----------------------------------------------------------------------------------


def to(name, blueprint, *args):
    return reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk, *args])


def unchanged(blueprint) -> tuple:
    stored = Blueprint.objects.get(pk=blueprint.pk)
    return stored.title, stored.version


@pytest.mark.parametrize("title", ["Welcome\nwalks", "Welcome\r\nwalks", "Welcome\twalks"])
def test_a_line_break_in_the_blueprint_title_is_an_error_next_to_it(
    client_for, editor, blueprint, title
):
    before = unchanged(blueprint)
    response = client_for(editor).post(
        to("update", blueprint), {"title": title, "summary": "", "idea": blueprint.idea_id}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["title"] == [NOT_ONE_LINE_MESSAGE]
    assert NOT_ONE_LINE_MESSAGE in response.content.decode()
    assert unchanged(blueprint) == before


def test_the_summary_keeps_its_line_breaks(client_for, editor, blueprint):
    response = client_for(editor).post(
        to("update", blueprint),
        {"title": "Welcome walks", "summary": "One.\nTwo.", "idea": blueprint.idea_id},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Blueprint.objects.get(pk=blueprint.pk).summary == "One.\nTwo."


def test_a_lone_surrogate_in_the_blueprint_title_is_an_error_not_a_500(
    client_for, editor, blueprint
):
    before = unchanged(blueprint)
    response = utf7_post(
        client_for(editor),
        to("update", blueprint),
        {"title": f"Welcome {SURROGATE}", "summary": "", "idea": str(blueprint.idea_id)},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["title"] == [LONE_SURROGATE_MESSAGE]
    assert unchanged(blueprint) == before


def test_a_new_blueprint_titled_on_two_lines_is_refused(client_for, editor, blueprint):
    response = client_for(editor).post(
        reverse("blueprints:create", args=[blueprint.locality.slug]),
        {"start": "idea", "idea": blueprint.idea_id, "title": "Two\nlines"},
    )
    assert response.context["form"].errors["title"] == [NOT_ONE_LINE_MESSAGE]
    assert Blueprint.objects.count() == 1


def test_a_phase_name_on_two_lines_changes_nothing(client_for, editor, blueprint):
    use = phase(blueprint, 1)
    response = client_for(editor).post(
        to("phase-edit", blueprint, use.pk), {"name": "Using\nit", "description": ""}
    )
    assert response.context["form"].errors["name"] == [NOT_ONE_LINE_MESSAGE]
    assert Phase.objects.get(pk=use.pk).name == use.name


def test_a_lane_name_on_two_lines_changes_nothing(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    response = client_for(editor).post(to("lane-edit", blueprint, family.pk), {"name": "A\nB"})
    assert response.context["form"].errors["name"] == [NOT_ONE_LINE_MESSAGE]
    assert Lane.objects.get(pk=family.pk).name == family.name


def test_a_new_lane_named_on_two_lines_is_refused(client_for, editor, blueprint):
    response = client_for(editor).post(
        to("lane-add", blueprint), {"role": "support", "name": "A\nB", "position": ""}
    )
    assert response.context["form"].errors["name"] == [NOT_ONE_LINE_MESSAGE]
    assert blueprint.lanes.count() == 5


def test_a_delivery_challenge_title_on_two_lines_is_refused(client_for, editor, blueprint):
    response = client_for(editor).post(
        to("challenge-create", blueprint),
        {"theme": "volunteering", "title": "Few\nvolunteers", "questions": "Who?\nWhere?"},
    )
    assert response.context["form"].errors == {"title": [NOT_ONE_LINE_MESSAGE]}
    assert not DeliveryChallenge.objects.exists()


def test_a_prototype_title_on_two_lines_is_refused(client_for, editor, blueprint):
    response = client_for(editor).post(
        to("prototype-create", blueprint),
        {
            "title": "Ten\nvisits",
            "hypothesis": "Line one\nline two",
            "cost": "0",
            "risk": "low",
            "status": "planned",
            "decision": "undecided",
        },
    )
    assert response.context["form"].errors == {"title": [NOT_ONE_LINE_MESSAGE]}
    assert not Prototype.objects.exists()


# The editor -----------------------------------------------------------------------------


def test_a_card_title_on_two_lines_is_refused_next_to_the_field(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    address = f"{to('card-create', blueprint)}?phase={phase(blueprint, 0).pk}&lane={family.pk}"
    response = client_for(editor).post(
        address, {"title": "Hears\nabout it", "kind": "step"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert NOT_ONE_LINE_MESSAGE in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Card.objects.exists()


def test_a_card_edit_with_a_lone_surrogate_in_its_details_changes_nothing(
    client_for, editor, blueprint
):
    card = CardFactory(blueprint=blueprint, title="Hears about it", details="From a friend.")
    response = utf7_post(
        client_for(editor),
        to("card-update", blueprint, card.pk),
        {"title": "Hears about it", "details": f"From {SURROGATE}", "kind": "step", "version": "1"},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert LONE_SURROGATE_MESSAGE in response.content.decode()
    card.refresh_from_db()
    assert (card.details, card.version) == ("From a friend.", 1)


# Services: what the views, the admin's review actions and the import call --------------


def test_the_service_refuses_a_blueprint_title_on_two_lines(blueprint, editor):
    with pytest.raises(ValidationError) as error:
        services.update_blueprint(blueprint=blueprint, title="Two\nlines", by=editor)
    assert error.value.message_dict == {"title": [NOT_ONE_LINE_MESSAGE]}
    assert unchanged(blueprint) == ("Welcome walks", 1)


def test_the_service_refuses_a_card_title_with_a_lone_surrogate(blueprint, editor):
    with pytest.raises(ValidationError) as error:
        services.add_card(
            blueprint=blueprint,
            phase=phase(blueprint, 0),
            lane=lane(blueprint, Lane.Role.FAMILY),
            title=f"Hears {SURROGATE}",
            kind="step",
            by=editor,
        )
    assert error.value.message_dict == {"title": [LONE_SURROGATE_MESSAGE]}
    assert not Card.objects.exists()


# The admin ------------------------------------------------------------------------------


def test_the_admin_refuses_a_card_title_on_two_lines(client_for, superuser, blueprint):
    card = CardFactory(blueprint=blueprint, title="Hears about it")
    response = client_for(superuser).post(
        reverse("admin:blueprints_card_change", args=[card.pk]),
        {"title": "Hears\nabout it", "kind": "step"},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["title"] == [NOT_ONE_LINE_MESSAGE]
    card.refresh_from_db()
    assert (card.title, card.version) == ("Hears about it", 1)


def test_the_admin_refuses_a_delivery_challenge_title_on_two_lines(
    client_for, superuser, blueprint
):
    challenge = DeliveryChallengeFactory(blueprint=blueprint, title="Few volunteers")
    response = client_for(superuser).post(
        reverse("admin:blueprints_deliverychallenge_change", args=[challenge.pk]),
        {"theme": "volunteering", "title": "Few\r\nvolunteers"},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["title"] == [NOT_ONE_LINE_MESSAGE]
    assert DeliveryChallenge.objects.get(pk=challenge.pk).title == "Few volunteers"
