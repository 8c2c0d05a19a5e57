"""Phases and lanes: add, rename, reorder and remove them, with a confirmation that says how
many cards go, and clear errors for empty names and the last phase or lane."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Card, Lane, Phase
from tests.blueprints.factories import CardFactory, lane, phase

pytestmark = pytest.mark.django_db


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.split())


def to(name, blueprint, *more):
    return reverse(f"blueprints:{name}", args=["northgate", blueprint.pk, *more])


def phase_names(blueprint):
    return list(blueprint.phases.order_by("position").values_list("name", flat=True))


def lane_names(blueprint):
    return list(blueprint.lanes.order_by("position").values_list("name", flat=True))


# The page -------------------------------------------------------------------------------


def test_structure_lists_phases_and_lanes_in_order_with_card_counts(client_for, viewer, blueprint):
    CardFactory.create_batch(2, blueprint=blueprint, phase=phase(blueprint, 1))
    response = client_for(viewer).get(to("structure", blueprint))
    assert [p.name for p in response.context["phases"]] == phase_names(blueprint)
    assert [p.card_count for p in response.context["phases"]] == [0, 2, 0]
    assert [ln.name for ln in response.context["lanes"]] == lane_names(blueprint)


def accessible_names_of_buttons(html: str) -> list[str]:
    """Each button's text as a screen reader hears it: hidden-from-them parts left out."""
    html = re.sub(r'<span aria-hidden="true">.*?</span>', "", html)
    return [
        " ".join(re.sub(r"<[^>]+>", "", button).split())
        for button in re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)
    ]


def test_move_buttons_are_named_for_the_phase_and_the_lane(client_for, editor, blueprint):
    names = accessible_names_of_buttons(
        client_for(editor).get(to("structure", blueprint)).content.decode()
    )
    assert "Move Use earlier" in names
    assert "Move Use later" in names
    assert "Move Family experience down" in names
    assert "Move Family experience up" in names


def test_structure_says_where_the_lines_fall(client_for, viewer, blueprint):
    text = words(client_for(viewer).get(to("structure", blueprint)))
    assert "Family experience" in text
    assert "Below this lane: Line of interaction" in text


# Phases ---------------------------------------------------------------------------------


def test_editor_adds_a_phase_at_the_end(client_for, editor, blueprint):
    response = client_for(editor).post(
        to("phase-add", blueprint), {"name": " Follow-up ", "description": "After", "position": ""}
    )
    added = blueprint.phases.get(name="Follow-up")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == to("structure", blueprint) + f"#phase-{added.pk}"
    assert phase_names(blueprint) == ["Awareness", "Use", "Exit and advocacy", "Follow-up"]


def test_editor_adds_a_phase_before_another(client_for, editor, blueprint):
    client_for(editor).post(to("phase-add", blueprint), {"name": "First contact", "position": "1"})
    assert phase_names(blueprint) == ["Awareness", "First contact", "Use", "Exit and advocacy"]


@pytest.mark.parametrize("position", ["99", "-1", "abc"])
def test_a_position_not_offered_is_a_form_error(client_for, editor, blueprint, position):
    response = client_for(editor).post(
        to("phase-add", blueprint), {"name": "Odd", "position": position}
    )
    assert response.status_code == HTTPStatus.OK
    assert "position" in response.context["form"].errors
    assert blueprint.phases.count() == 3


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_phase_name_is_a_clear_error(client_for, editor, blueprint, name):
    response = client_for(editor).post(to("phase-add", blueprint), {"name": name})
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert "Please correct the errors below; nothing has been saved yet." in words(response)
    assert blueprint.phases.count() == 3


def test_an_over_long_phase_name_is_refused(client_for, editor, blueprint):
    response = client_for(editor).post(to("phase-add", blueprint), {"name": "x" * 81})
    message = "Keep the name to 80 characters; it has 81."
    assert message in response.context["form"].errors["name"][0]
    assert blueprint.phases.count() == 3


def test_editor_renames_and_describes_a_phase(client_for, editor, blueprint):
    use = phase(blueprint, 1)
    response = client_for(editor).post(
        to("phase-edit", blueprint, use.pk), {"name": "Using it", "description": "Week by week"}
    )
    use.refresh_from_db()
    assert response.status_code == HTTPStatus.FOUND
    assert (use.name, use.description) == ("Using it", "Week by week")


def test_renaming_a_phase_to_nothing_is_refused(client_for, editor, blueprint):
    use = phase(blueprint, 1)
    response = client_for(editor).post(to("phase-edit", blueprint, use.pk), {"name": ""})
    assert "name" in response.context["form"].errors
    use.refresh_from_db()
    assert use.name == "Use"


def test_the_rename_form_starts_from_the_current_name(client_for, editor, blueprint):
    use = phase(blueprint, 1)
    form = client_for(editor).get(to("phase-edit", blueprint, use.pk)).context["form"]
    assert form["name"].value() == "Use"


@pytest.mark.parametrize(
    ("position", "direction", "expected"),
    [
        (1, "earlier", ["Use", "Awareness", "Exit and advocacy"]),
        (1, "later", ["Awareness", "Exit and advocacy", "Use"]),
        (0, "earlier", ["Awareness", "Use", "Exit and advocacy"]),
        (2, "later", ["Awareness", "Use", "Exit and advocacy"]),
    ],
)
def test_moving_a_phase_one_step(client_for, editor, blueprint, position, direction, expected):
    moved = phase(blueprint, position)
    response = client_for(editor).post(
        to("phase-move", blueprint, moved.pk), {"direction": direction}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert phase_names(blueprint) == expected


@pytest.mark.parametrize("direction", ["", "sideways", "x" * 500])
def test_a_bad_direction_moves_nothing(client_for, editor, blueprint, direction):
    use = phase(blueprint, 1)
    response = client_for(editor).post(
        to("phase-move", blueprint, use.pk), {"direction": direction}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert "Choose which way to move it." in words(response)
    assert phase_names(blueprint) == ["Awareness", "Use", "Exit and advocacy"]


def test_removing_a_phase_asks_first_and_says_how_many_cards_go(client_for, editor, blueprint):
    use = phase(blueprint, 1)
    CardFactory.create_batch(7, blueprint=blueprint, phase=use)
    response = client_for(editor).get(to("phase-delete", blueprint, use.pk))
    assert "Removing Use deletes its 7 cards." in words(response)
    assert blueprint.phases.count() == 3
    assert Card.objects.count() == 7


def test_removing_an_empty_phase_says_so(client_for, editor, blueprint):
    response = client_for(editor).get(to("phase-delete", blueprint, phase(blueprint, 2).pk))
    assert "Removing Exit and advocacy deletes no cards: it is empty." in words(response)


def test_removing_a_phase_takes_its_cards(client_for, editor, blueprint):
    use = phase(blueprint, 1)
    CardFactory.create_batch(2, blueprint=blueprint, phase=use)
    kept = CardFactory(blueprint=blueprint, phase=phase(blueprint, 0))
    response = client_for(editor).post(to("phase-delete", blueprint, use.pk), follow=True)
    assert "Removed the phase “Use” and its 2 cards." in words(response)
    assert phase_names(blueprint) == ["Awareness", "Exit and advocacy"]
    assert list(Card.objects.all()) == [kept]
    assert list(blueprint.phases.values_list("position", flat=True)) == [0, 1]


def test_the_last_phase_cannot_be_removed(client_for, editor, blueprint):
    client = client_for(editor)
    for position in (2, 1):
        client.post(to("phase-delete", blueprint, phase(blueprint, position).pk))
    last = phase(blueprint, 0)
    CardFactory(blueprint=blueprint, phase=last)
    confirm = client.get(to("phase-delete", blueprint, last.pk))
    assert "A blueprint needs at least one phase" in words(confirm)
    assert "Remove phase" not in words(confirm)
    response = client.post(to("phase-delete", blueprint, last.pk))
    assert response.status_code == HTTPStatus.OK
    assert "A blueprint needs at least one phase" in words(response)
    assert phase_names(blueprint) == ["Awareness"]
    assert Card.objects.count() == 1


# Lanes ----------------------------------------------------------------------------------


def test_a_new_lane_takes_its_roles_default_name(client_for, editor, blueprint):
    client_for(editor).post(to("lane-add", blueprint), {"role": "frontline", "position": "2"})
    lanes = list(blueprint.lanes.order_by("position"))
    assert (lanes[2].role, lanes[2].name) == ("frontline", "Frontline staff and volunteers (2)")
    assert len(lanes) == 6


def test_a_new_lane_can_be_named(client_for, editor, blueprint):
    client_for(editor).post(to("lane-add", blueprint), {"role": "support", "name": "Funding"})
    assert lane_names(blueprint)[-1] == "Funding"


@pytest.mark.parametrize("role", ["", "customer", "x" * 100])
def test_an_unknown_role_is_a_form_error(client_for, editor, blueprint, role):
    response = client_for(editor).post(to("lane-add", blueprint), {"role": role})
    assert "role" in response.context["form"].errors
    assert blueprint.lanes.count() == 5


def test_editor_renames_a_lane(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    client_for(editor).post(to("lane-edit", blueprint, family.pk), {"name": "Parents and carers"})
    family.refresh_from_db()
    assert (family.name, family.role) == ("Parents and carers", "family")


def test_renaming_a_lane_to_nothing_is_refused(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    response = client_for(editor).post(to("lane-edit", blueprint, family.pk), {"name": " "})
    assert "name" in response.context["form"].errors
    family.refresh_from_db()
    assert family.name == "Family experience"


def test_moving_a_lane_down_within_its_role(client_for, editor, blueprint):
    services.add_lane(blueprint=blueprint, role="family", name="Carers", by=editor)
    family = blueprint.lanes.get(name="Family experience")
    client_for(editor).post(to("lane-move", blueprint, family.pk), {"direction": "down"})
    assert lane_names(blueprint)[1:3] == ["Carers", "Family experience"]


def test_moving_a_lane_out_of_role_order_is_refused_with_a_message(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    response = client_for(editor).post(
        to("lane-move", blueprint, family.pk), {"direction": "down"}, follow=True
    )
    assert "a family lane cannot go below the frontline lane" in words(response)
    assert lane_names(blueprint)[1:3] == ["Family experience", "Frontline staff and volunteers"]


def test_the_page_disables_a_lane_step_out_of_role_order_and_says_why(
    client_for, editor, blueprint
):
    """The refusal above, said before the button is pressed: the same rule as the editor's
    lane menus (`lane_step_breaches`)."""
    family = lane(blueprint, Lane.Role.FAMILY)
    html = client_for(editor).get(to("structure", blueprint)).content.decode()
    down = re.search(rf'<button[^>]*aria-describedby="lane-{family.pk}-down-why"[^>]*>', html)
    assert down
    assert " disabled" in down.group(0)
    why = re.search(rf'<p[^>]*id="lane-{family.pk}-down-why"[^>]*>([^<]*)</p>', html)
    assert why
    assert why.group(1).startswith("Not down: a family lane cannot go below the frontline lane")


def test_the_page_offers_a_lane_step_that_keeps_role_order(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    second = services.add_lane(
        blueprint=blueprint, role=Lane.Role.FAMILY, name="Grandparents", by=None
    )
    html = client_for(editor).get(to("structure", blueprint)).content.decode()
    assert f'id="lane-{second.pk}-up-why"' not in html
    assert f'id="lane-{family.pk}-down-why"' not in html


def test_removing_a_lane_says_how_many_cards_go(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    CardFactory.create_batch(3, blueprint=blueprint, lane=family)
    text = words(client_for(editor).get(to("lane-delete", blueprint, family.pk)))
    assert "Removing Family experience deletes its 3 cards." in text


def test_removing_a_lane_takes_its_cards(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    CardFactory(blueprint=blueprint, lane=family)
    client_for(editor).post(to("lane-delete", blueprint, family.pk))
    assert not Lane.objects.filter(pk=family.pk).exists()
    assert not Card.objects.exists()


def test_the_last_lane_cannot_be_removed(client_for, editor, blueprint):
    client = client_for(editor)
    for other in blueprint.lanes.exclude(role=Lane.Role.FAMILY):
        client.post(to("lane-delete", blueprint, other.pk))
    family = lane(blueprint, Lane.Role.FAMILY)
    response = client.post(to("lane-delete", blueprint, family.pk))
    assert "A blueprint needs at least one lane" in words(response)
    assert list(Lane.objects.values_list("pk", flat=True)) == [family.pk]


def test_a_phase_removed_meanwhile_is_404_not_500(client_for, editor, blueprint):
    use = phase(blueprint, 1)
    url = to("phase-edit", blueprint, use.pk)
    Phase.objects.filter(pk=use.pk).delete()
    assert client_for(editor).post(url, {"name": "Late"}).status_code == HTTPStatus.NOT_FOUND
