"""Structure from the grid's headers: each phase and lane header's menu renames, moves, adds
and removes, with htmx (the board redrawn) and without (a redirect back to the editor);
names unique, lanes in role order, stale versions refused with nothing changed; lanes
already out of order warned about, their lines drawn where the roles change."""

import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from blueprints import services
from blueprints.models import Card, Lane
from blueprints.services.phases_lanes import lane_step_breaches
from tests.blueprints.factories import BlueprintFactory, CardFactory, lane, phase
from tests.roles import FORBIDDEN, NOT_FOUND

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def url(blueprint, noun, part, action):
    return reverse(f"blueprints:grid-{noun}-{action}", args=["northgate", blueprint.pk, part.pk])


def order_url(blueprint):
    return reverse("blueprints:grid-lanes-order", args=["northgate", blueprint.pk])


def editor_url(blueprint):
    return reverse("blueprints:detail", args=["northgate", blueprint.pk])


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.split())


def phase_names(blueprint):
    return list(blueprint.phases.order_by("position").values_list("name", flat=True))


def lane_names(blueprint):
    return list(blueprint.lanes.order_by("position").values_list("name", flat=True))


def lane_roles(blueprint):
    return list(blueprint.lanes.order_by("position").values_list("role", flat=True))


def version(blueprint):
    blueprint.refresh_from_db()
    return blueprint.version


def out_of_order(blueprint):
    """Put the backstage lane above the frontline one, as an import may."""
    services.move_lane(
        lane=lane(blueprint, Lane.Role.BACKSTAGE), position=2, as_given=True, by=None
    )


# Each action, for editors and leads, with and without htmx -------------------------------

ACTIONS = {
    "phase-rename": (
        lambda b: url(b, "phase", phase(b, 1), "rename"),
        {"name": "Using it"},
        lambda b: phase_names(b) == ["Awareness", "Using it", "Exit and advocacy"],
    ),
    "phase-move": (
        lambda b: url(b, "phase", phase(b, 1), "move"),
        {"direction": "left"},
        lambda b: phase_names(b) == ["Use", "Awareness", "Exit and advocacy"],
    ),
    "phase-add-after": (
        lambda b: url(b, "phase", phase(b, 0), "add-after"),
        {"name": "First contact"},
        lambda b: phase_names(b) == ["Awareness", "First contact", "Use", "Exit and advocacy"],
    ),
    "phase-remove": (
        lambda b: url(b, "phase", phase(b, 2), "remove"),
        {},
        lambda b: phase_names(b) == ["Awareness", "Use"],
    ),
    "lane-rename": (
        lambda b: url(b, "lane", lane(b, Lane.Role.FAMILY), "rename"),
        {"name": "Parents and carers"},
        lambda b: lane_names(b)[1] == "Parents and carers",
    ),
    "lane-add-below": (
        lambda b: url(b, "lane", lane(b, Lane.Role.FRONTLINE), "add-below"),
        {"role": "frontline", "name": "Volunteers"},
        lambda b: lane_names(b)[3] == "Volunteers",
    ),
    "lane-remove": (
        lambda b: url(b, "lane", lane(b, Lane.Role.EVIDENCE), "remove"),
        {},
        lambda b: lane_roles(b) == ["family", "frontline", "backstage", "support"],
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ["editor", "lead"])
def test_each_action_redraws_the_board_with_htmx(client_for, users, blueprint, action, role):
    make_url, data, changed = ACTIONS[action]
    response = client_for(users[role]).post(
        make_url(blueprint), {**data, "version": blueprint.version}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert response["HX-Retarget"] == "#bp-board"
    assert 'id="bp-board"' in response.content.decode()
    assert 'data-bp-focus="head"' in response.content.decode()
    assert changed(blueprint)
    assert version(blueprint) == 2


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_without_javascript_redirects_to_the_editor(
    client_for, editor, blueprint, action
):
    make_url, data, changed = ACTIONS[action]
    response = client_for(editor).post(make_url(blueprint), {**data, "version": 1})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(editor_url(blueprint) + "#")
    assert changed(blueprint)


def test_the_message_says_what_was_done(client_for, editor, blueprint):
    response = client_for(editor).post(
        url(blueprint, "phase", phase(blueprint, 1), "rename"),
        {"name": "Using it", "version": 1},
        follow=True,
    )
    assert "Renamed the phase “Use” to “Using it”." in words(response)


def test_removing_a_phase_says_how_many_cards_go_first(client_for, editor, blueprint):
    CardFactory.create_batch(3, blueprint=blueprint, phase=phase(blueprint, 1))
    page = words(client_for(editor).get(editor_url(blueprint)))
    assert "Removing Use deletes its 3 cards." in page
    assert "Removing Awareness deletes no cards: it is empty." in page
    response = client_for(editor).post(
        url(blueprint, "phase", phase(blueprint, 1), "remove"),
        {"version": version(blueprint)},
        follow=True,
    )
    assert "Removed the phase “Use” and its 3 cards." in words(response)
    assert not Card.objects.exists()


# Who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("role", "status"), [("viewer", FORBIDDEN), ("reviewer", FORBIDDEN), ("outsider", NOT_FOUND)]
)
def test_others_are_refused_and_nothing_changes(client_for, users, blueprint, action, role, status):
    make_url, data, changed = ACTIONS[action]
    response = client_for(users[role]).post(
        make_url(blueprint), {**data, "version": 1}, headers=HTMX
    )
    assert response.status_code == status
    assert not changed(blueprint)
    assert version(blueprint) == 1


def test_anonymous_is_sent_to_log_in(client, blueprint):
    response = client.post(url(blueprint, "phase", phase(blueprint, 1), "rename"), {"name": "X"})
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response.url
    assert phase_names(blueprint)[1] == "Use"


def test_the_order_action_is_refused_to_a_viewer(client_for, viewer, blueprint):
    out_of_order(blueprint)
    response = client_for(viewer).post(order_url(blueprint), {"version": 2})
    assert response.status_code == FORBIDDEN
    assert lane_roles(blueprint)[2] == "backstage"


def test_a_phase_of_another_blueprint_is_not_found(client_for, editor, blueprint, locality):
    theirs = BlueprintFactory(locality=locality)
    response = client_for(editor).post(
        reverse("blueprints:grid-phase-rename", args=["northgate", blueprint.pk, phase(theirs).pk]),
        {"name": "Mine now", "version": 1},
    )
    assert response.status_code == NOT_FOUND
    assert phase(theirs).name == "Awareness"


def test_get_is_not_allowed(client_for, editor, blueprint):
    response = client_for(editor).get(url(blueprint, "phase", phase(blueprint), "rename"))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_viewers_see_the_headers_without_menus(client_for, viewer, editor, blueprint):
    assert "data-bp-head" not in client_for(viewer).get(editor_url(blueprint)).content.decode()
    page = client_for(editor).get(editor_url(blueprint)).content.decode()
    assert page.count("data-bp-head") == 8  # three phases and five lanes


# Bad input: refused at the field, nothing changed ----------------------------------------

BAD_NAMES = [
    ("", "This field is required."),
    ("   ", "This field is required."),
    ("x" * 81, "Keep the name to 80 characters; it has 81."),
    ("exit AND advocacy", "This blueprint already has a phase called “Exit and advocacy”."),
    ("Two\nlines", "one line"),
]


@pytest.mark.parametrize(("name", "error"), BAD_NAMES)
@pytest.mark.parametrize("action", ["rename", "add-after"])
def test_a_bad_phase_name_is_refused_at_the_field(
    client_for, editor, blueprint, name, error, action
):
    response = client_for(editor).post(
        url(blueprint, "phase", phase(blueprint, 1), action),
        {"name": name, "version": 1},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    field_id = f"phase-{phase(blueprint, 1).pk}-{'rename' if action == 'rename' else 'add'}-name"
    errors = re.search(rf'<ul class="bp-errors" id="{field_id}_error">(.*?)</ul>', html, re.S)
    assert errors
    assert error in errors.group(1)
    assert f'id="{field_id}"' in html
    assert 'aria-invalid="true"' in html
    assert phase_names(blueprint) == ["Awareness", "Use", "Exit and advocacy"]
    assert version(blueprint) == 1


def test_a_refused_rename_keeps_what_was_typed_without_javascript(client_for, editor, blueprint):
    response = client_for(editor).post(
        url(blueprint, "lane", lane(blueprint, Lane.Role.FAMILY), "rename"),
        {"name": "Behind the SCENES", "version": 1},
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    assert "<html" in html  # the editor page, the menu open
    assert 'value="Behind the SCENES"' in html
    assert "This blueprint already has a lane called “Behind the scenes”." in html
    assert lane_names(blueprint)[1] == "Family experience"


def test_a_stale_version_is_refused_and_keeps_the_typed_name(client_for, editor, blueprint):
    services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint),
        lane=lane(blueprint),
        title="Someone else's",
        kind=Card.Kind.STEP,
        by=None,
    )
    response = client_for(editor).post(
        url(blueprint, "phase", phase(blueprint, 1), "rename"),
        {"name": "Using it", "version": 1},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.CONFLICT
    html = response.content.decode()
    assert "Someone else changed this blueprint since you opened it" in html
    assert 'value="Using it"' in html
    assert 'name="version" value="2"' in html  # sending it again applies it on top
    assert phase_names(blueprint)[1] == "Use"


def test_a_stale_removal_is_refused(client_for, editor, blueprint):
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 1))
    services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 1),
        lane=lane(blueprint),
        title="New",
        kind="step",
        by=None,
    )
    response = client_for(editor).post(
        url(blueprint, "phase", phase(blueprint, 1), "remove"), {"version": 1}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.CONFLICT
    assert phase_names(blueprint) == ["Awareness", "Use", "Exit and advocacy"]
    assert Card.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [{}, {"version": "abc"}, {"version": "0"}, {"version": "1", "direction": "sideways"}],
)
def test_a_malformed_move_is_refused_not_a_500(client_for, editor, blueprint, data):
    response = client_for(editor).post(
        url(blueprint, "phase", phase(blueprint, 1), "move"), data, headers=HTMX
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert phase_names(blueprint) == ["Awareness", "Use", "Exit and advocacy"]


def test_the_first_phase_cannot_move_left(client_for, editor, blueprint):
    response = client_for(editor).post(
        url(blueprint, "phase", phase(blueprint, 0), "move"),
        {"direction": "left", "version": 1},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "“Awareness” is already the first phase." in words(response)


def test_the_last_phase_cannot_be_removed(client_for, editor, locality):
    blueprint = BlueprintFactory(locality=locality)
    for position in (2, 1):
        services.delete_phase(phase=phase(blueprint, position), by=None)
    page = words(client_for(editor).get(editor_url(blueprint)))
    assert "A blueprint needs at least one phase" in page
    response = client_for(editor).post(
        url(blueprint, "phase", phase(blueprint), "remove"),
        {"version": version(blueprint)},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert phase_names(blueprint) == ["Awareness"]


# Role order -------------------------------------------------------------------------------


def test_moving_a_lane_out_of_role_order_is_refused_at_its_header(client_for, editor, blueprint):
    family = lane(blueprint, Lane.Role.FAMILY)
    response = client_for(editor).post(
        url(blueprint, "lane", family, "move"), {"direction": "down", "version": 1}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    html = response.content.decode()
    menu = re.search(rf'<details class="bp-head-menu" id="lane-{family.pk}"[^>]*>', html).group(0)
    assert "open" in menu
    assert "a family lane cannot go below the frontline lane" in words(response)
    assert lane_roles(blueprint) == ["evidence", "family", "frontline", "backstage", "support"]


def test_a_lane_moves_within_its_role(client_for, editor, blueprint):
    services.add_lane(blueprint=blueprint, role="family", name="Carers", by=None)
    family = blueprint.lanes.get(name="Family experience")
    response = client_for(editor).post(
        url(blueprint, "lane", family, "move"), {"direction": "down", "version": 2}, headers=HTMX
    )
    assert response.status_code == HTTPStatus.OK
    assert lane_names(blueprint)[1:3] == ["Carers", "Family experience"]


def move_button(html: str, lane_name: str, direction: str) -> str:
    """The opening tag of a lane menu's Move up / Move down button."""
    buttons = re.findall(r"<button [^>]*>(?:(?!</button>).)*</button>", html)
    label = f'Move<span class="visually-hidden"> {lane_name}</span> {direction}</button>'
    (button,) = [button for button in buttons if button.endswith(label)]
    return button.split(">", 1)[0]


def test_a_lane_step_out_of_role_order_is_disabled_with_the_reason(client_for, editor, blueprint):
    response = client_for(editor).get(editor_url(blueprint))
    html = response.content.decode()
    family = lane(blueprint, Lane.Role.FAMILY)
    for direction in ("up", "down"):
        button = move_button(html, "Family experience", direction)
        assert " disabled" in button
        assert f'aria-describedby="lane-{family.pk}-{direction}-why"' in button
    assert (
        f'<p class="bp-head-why small mb-0" id="lane-{family.pk}-up-why">Not up: a family lane '
        "cannot go above the evidence lane “Touchpoints and physical evidence”.</p>"
    ) in html
    assert (
        f'id="lane-{family.pk}-down-why">Not down: a family lane cannot go below the '
        "frontline lane “Frontline staff and volunteers”.</p>"
    ) in html


def test_the_first_and_last_lanes_are_disabled_at_their_ends_without_a_role_reason(
    client_for, editor, blueprint
):
    html = client_for(editor).get(editor_url(blueprint)).content.decode()
    evidence, support = lane(blueprint, Lane.Role.EVIDENCE), lane(blueprint, Lane.Role.SUPPORT)
    assert " disabled" in move_button(html, "Touchpoints and physical evidence", "up")
    assert f"lane-{evidence.pk}-up-why" not in html
    assert " disabled" in move_button(html, "Support structures and processes", "down")
    assert f"lane-{support.pk}-down-why" not in html


def test_a_lane_step_within_its_role_is_offered(client_for, editor, blueprint):
    services.add_lane(blueprint=blueprint, role="family", name="Carers", by=None)
    family = blueprint.lanes.get(name="Family experience")
    html = client_for(editor).get(editor_url(blueprint)).content.decode()
    assert " disabled" not in move_button(html, "Family experience", "down")
    assert f"lane-{family.pk}-down-why" not in html
    assert " disabled" not in move_button(html, "Carers", "up")
    assert " disabled" in move_button(html, "Carers", "down")  # below it, frontline


def test_with_lanes_out_of_order_the_steps_back_into_order_are_offered(
    client_for, editor, blueprint
):
    out_of_order(blueprint)  # evidence, family, backstage, frontline, support
    html = client_for(editor).get(editor_url(blueprint)).content.decode()
    assert " disabled" not in move_button(html, "Behind the scenes", "down")
    assert " disabled" not in move_button(html, "Frontline staff and volunteers", "up")
    assert " disabled" in move_button(html, "Behind the scenes", "up")
    assert "Not up: a backstage lane cannot go above the family lane “Family experience”." in html


@pytest.mark.parametrize("setup", ["in_order", "two_family_lanes", "out_of_order"])
def test_the_move_buttons_disable_exactly_the_steps_the_service_refuses(blueprint, setup):
    """Every lane, both ways: the reason given beside a button is the service's refusal."""
    if setup == "two_family_lanes":
        services.add_lane(blueprint=blueprint, role="family", name="Carers", by=None)
    elif setup == "out_of_order":
        out_of_order(blueprint)
    lanes = list(blueprint.lanes.order_by("position"))
    breaches = lane_step_breaches(lanes)
    for index, moving in enumerate(lanes):
        for direction, position in (("up", index - 1), ("down", index + 1)):
            if not 0 <= position < len(lanes):
                assert breaches[moving.pk][direction] == ""
                continue
            refusal = ""
            with transaction.atomic():
                try:
                    services.move_lane(lane=moving, position=position, by=None)
                except ValidationError as error:
                    refusal = error.messages[0]
                transaction.set_rollback(True)
            breach = breaches[moving.pk][direction]
            assert bool(refusal) == bool(breach), (moving.name, direction, refusal)
            assert breach in refusal


def test_a_lane_added_below_another_role_goes_in_its_roles_place(client_for, editor, blueprint):
    response = client_for(editor).post(
        url(blueprint, "lane", lane(blueprint, Lane.Role.SUPPORT), "add-below"),
        {"role": "family", "name": "Grandparents", "version": 1},
        follow=True,
    )
    assert "Added the lane “Grandparents” in its role’s place." in words(response)
    assert lane_names(blueprint)[1:3] == ["Family experience", "Grandparents"]


def test_an_unknown_role_is_refused_at_the_field(client_for, editor, blueprint):
    response = client_for(editor).post(
        url(blueprint, "lane", lane(blueprint), "add-below"),
        {"role": "managers", "name": "Managers", "version": 1},
        headers=HTMX,
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert 'aria-describedby="lane-' in response.content.decode()
    assert "Select a valid choice." in words(response)
    assert len(lane_names(blueprint)) == 5


# Lanes already out of order: the warning, the lines, the fix -----------------------------


def test_lanes_in_order_show_no_warning(client_for, editor, blueprint):
    assert "Lanes out of role order" not in words(client_for(editor).get(editor_url(blueprint)))


def test_lanes_out_of_order_are_named_in_a_warning_above_the_grid(client_for, viewer, blueprint):
    out_of_order(blueprint)
    text = words(client_for(viewer).get(editor_url(blueprint)))
    assert (
        "Lanes out of role order: “Frontline staff and volunteers” (frontline)." in text
        or "Lanes out of role order: “Behind the scenes” (backstage)." in text
    )
    assert text.index("Lanes out of role order") < text.index("Family experience")
    assert "Put lanes in role order" not in text  # a viewer may not


def test_lines_are_drawn_where_the_roles_change(client_for, viewer, blueprint):
    out_of_order(blueprint)
    html = client_for(viewer).get(editor_url(blueprint)).content.decode()
    rows = [
        line or name
        for line, name in re.findall(
            r'class="bp-line bp-line-(\w+)"|<th scope="row" class="bp-lane-name">([^<]+)<', html
        )
        if name != "Emotion curve"
    ]
    assert rows == [
        "Touchpoints and physical evidence",
        "Family experience",
        "interaction",
        "visibility",
        "Behind the scenes",
        "visibility",  # back above the line, as the lanes are
        "Frontline staff and volunteers",
        "visibility",
        "internal_interaction",
        "Support structures and processes",
    ]


def test_put_lanes_in_role_order_fixes_them(client_for, editor, blueprint):
    out_of_order(blueprint)
    response = client_for(editor).post(order_url(blueprint), {"version": 2}, headers=HTMX)
    assert response.status_code == HTTPStatus.OK
    assert "Lanes out of role order" not in words(response)
    assert lane_roles(blueprint) == ["evidence", "family", "frontline", "backstage", "support"]
    assert version(blueprint) == 3


def test_put_lanes_in_role_order_without_javascript(client_for, editor, blueprint):
    out_of_order(blueprint)
    response = client_for(editor).post(order_url(blueprint), {"version": 2}, follow=True)
    assert "Put the lanes in role order (2 lanes moved)." in words(response)
    assert lane_roles(blueprint) == ["evidence", "family", "frontline", "backstage", "support"]


def test_put_lanes_in_role_order_on_a_stale_version_changes_nothing(client_for, editor, blueprint):
    out_of_order(blueprint)
    response = client_for(editor).post(order_url(blueprint), {"version": 1}, headers=HTMX)
    assert response.status_code == HTTPStatus.CONFLICT
    assert lane_roles(blueprint)[2] == "backstage"


# Queries --------------------------------------------------------------------------------


def board_queries(client, blueprint, django_assert_max_num_queries, cards: int) -> None:
    CardFactory.create_batch(cards, blueprint=blueprint, phase=phase(blueprint, 0))
    with django_assert_max_num_queries(MAX_BOARD_QUERIES):
        response = client.post(
            url(blueprint, "phase", phase(blueprint, 1), "rename"),
            {"name": f"Use {cards}", "version": version(blueprint)},
            headers=HTMX,
        )
    assert response.status_code == HTTPStatus.OK
    assert f"Use {cards}" in response.content.decode()


MAX_BOARD_QUERIES = 22  # the board, its card links and the undo offer; the same at 1 card or 30


@pytest.mark.parametrize("cards", [1, 30])
def test_the_board_response_reads_a_bounded_number_of_queries(
    client_for, editor, blueprint, django_assert_max_num_queries, cards
):
    board_queries(client_for(editor), blueprint, django_assert_max_num_queries, cards)


# The services' role-order rule, as every caller gets it -----------------------------------


def test_putting_lanes_in_role_order_keeps_the_order_within_a_role(blueprint):
    services.add_lane(blueprint=blueprint, role="family", name="Carers", by=None)
    out_of_order(blueprint)
    services.move_lane(lane=lane(blueprint, Lane.Role.SUPPORT), position=0, as_given=True, by=None)
    moved = services.order_lanes_by_role(blueprint=blueprint, by=None)
    assert moved == 6
    assert lane_names(blueprint) == [
        "Touchpoints and physical evidence",
        "Family experience",
        "Carers",
        "Frontline staff and volunteers",
        "Behind the scenes",
        "Support structures and processes",
    ]


def test_lanes_in_order_are_left_alone_by_put_in_order(blueprint):
    assert services.order_lanes_by_role(blueprint=blueprint, by=None) == 0
    assert version(blueprint) == 1


def test_a_lane_added_among_lanes_out_of_order_goes_where_its_neighbours_fit(blueprint):
    out_of_order(blueprint)  # evidence, family, backstage, frontline, support
    added = services.add_lane(blueprint=blueprint, role="frontline", position=2, by=None)
    lanes = list(blueprint.lanes.order_by("position"))
    index = [ln.pk for ln in lanes].index(added.pk)
    above, below = lanes[index - 1], lanes[index + 1] if index + 1 < len(lanes) else None
    assert above.role in ("family", "frontline")
    assert below is None or below.role in ("frontline", "backstage", "support")
