"""Structure from the grid's headers, by keyboard: an editor opens a phase's menu, renames
the phase, closes a menu with Escape (focus back on its header), and adds a lane from a
lane's menu; axe finds nothing serious with a menu open."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import editor_path, team_blueprint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def blueprint():
    return team_blueprint("editor", title="Welcome walks")


def head(page, name):
    """A header's menu button: the phase's or lane's name, announced with what it opens."""
    return page.locator("summary[data-control=head]", has_text=re.compile("^" + re.escape(name)))


def test_rename_a_phase_and_add_a_lane_from_the_headers_by_keyboard(page, blueprint):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))

    # The phase's header is a disclosure named for the phase; Enter opens it.
    use = head(page, "Use: phase menu")
    use.focus()
    page.keyboard.press("Enter")
    menu = page.locator("details[data-bp-head][open]")
    expect(menu).to_have_count(1)
    assert_accessible(page)  # with a menu open

    # Escape closes it and hands focus back to the header.
    menu.get_by_label("Rename phase").focus()
    page.keyboard.press("Escape")
    expect(page.locator("details[data-bp-head][open]")).to_have_count(0)
    expect(use).to_be_focused()

    # Rename by keyboard: open, Tab to the name, type, Enter.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    name = page.get_by_label("Rename phase").locator("visible=true")
    expect(name).to_be_focused()
    name.fill("Using the walks")
    page.keyboard.press("Enter")
    expect(page.get_by_role("columnheader", name="Using the walks")).to_be_visible()
    expect(head(page, "Using the walks: phase menu")).to_be_focused()
    expect(page.locator("#bp-status")).to_have_text("Renamed the phase “Use” to “Using the walks”.")

    # Add a lane below the frontline lane, by keyboard.
    frontline = head(page, "Frontline staff and volunteers: lane menu")
    frontline.focus()
    page.keyboard.press("Enter")
    menu = page.locator("details[data-bp-head][open]")
    menu.get_by_label("New lane: role").select_option("frontline")
    menu.get_by_label("New lane: name (empty: the role's usual name)").focus()
    page.keyboard.type("Volunteers")
    page.keyboard.press("Enter")
    # (exact: "Frontline staff and volunteers, frontline lane" contains these words too)
    expect(
        page.get_by_role("rowheader", name="Volunteers, frontline lane", exact=True)
    ).to_be_visible()
    expect(head(page, "Volunteers: lane menu")).to_be_focused()
    names = page.locator("tbody .bp-head-name").all_inner_texts()
    assert names.index("Volunteers") == names.index("Frontline staff and volunteers") + 1
    assert_accessible(page)


def test_a_lanes_menu_disables_the_steps_out_of_role_order_and_says_why(page, blueprint):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    head(page, "Family experience: lane menu").click()
    menu = page.locator("details[data-bp-head][open]")
    up = menu.get_by_role("button", name="Move Family experience up")
    expect(up).to_be_disabled()
    expect(up).to_have_accessible_description(
        "Not up: a family lane cannot go above the evidence lane "
        "“Touchpoints and physical evidence”."
    )
    expect(menu.get_by_role("button", name="Move Family experience down")).to_be_disabled()
    expect(
        menu.get_by_text(
            "Not down: a family lane cannot go below the frontline lane "
            "“Frontline staff and volunteers”."
        )
    ).to_be_visible()
    assert_accessible(page)
