"""The editor with the keyboard only: the grid is one Tab stop reached in a few presses from
the blueprint's tabs, the arrow keys move between cards (across lanes and phases), Shift and
an arrow moves a card, "Move to..." moves it to another lane and phase, and "?" opens the
Keyboard help; axe finds nothing serious with the dialogs and the menu open."""

import re

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Card, Lane
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import editor_path, stored, team_blueprint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

FAMILY_CARD = "Hears about the welcome walk"
SECOND_CARD = "Asks a neighbour about it"
FRONTLINE_CARD = "Parent guide rings the family"


@pytest.fixture
def blueprint():
    blueprint = team_blueprint("editor")
    first = blueprint.phases.get(position=0)
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    frontline = blueprint.lanes.get(role=Lane.Role.FRONTLINE)
    for title, lane in ((FAMILY_CARD, family), (SECOND_CARD, family), (FRONTLINE_CARD, frontline)):
        services.add_card(
            blueprint=blueprint, phase=first, lane=lane, title=title, kind="step", by=None
        )
    return blueprint


def card(page, title):
    return page.locator("article", has=page.get_by_role("heading", name=title, exact=True))


@pytest.fixture
def editor_page(blueprint, page):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    return page


def test_the_first_card_is_reached_in_at_most_three_tabs_from_the_tabs(editor_page):
    page = editor_page
    tabs = page.get_by_role("navigation", name="Sections of this blueprint")
    tabs.get_by_role("link").last.focus()
    first = card(page, FAMILY_CARD)
    for _ in range(3):
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    expect(first).to_be_focused()


def test_the_grid_is_one_tab_stop(editor_page):
    page = editor_page
    expect(page.get_by_role("region", name=re.compile("^Blueprint grid"))).to_have_attribute(
        "tabindex", "-1"
    )
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("Shift+Tab")  # straight back to the toolbar (its one Tab stop)
    toolbar = page.get_by_role("toolbar", name="Blueprint editor tools")
    assert toolbar.evaluate("bar => bar.contains(document.activeElement)")
    page.keyboard.press("Tab")
    expect(card(page, FAMILY_CARD)).to_be_focused()
    page.keyboard.press("Tab")
    focused_in_grid = page.evaluate(
        "() => document.getElementById('bp-board').contains(document.activeElement)"
    )
    assert not focused_in_grid


def test_arrow_keys_move_focus_between_cards_across_lanes_and_phases(editor_page):
    page = editor_page
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("ArrowDown")
    expect(card(page, SECOND_CARD)).to_be_focused()
    page.keyboard.press("ArrowDown")  # into the frontline lane, same phase
    expect(card(page, FRONTLINE_CARD)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(card(page, SECOND_CARD)).to_be_focused()
    page.keyboard.press("ArrowRight")  # the next phase's cell is empty: its Add button
    expect(page.get_by_role("button", name="Add card to Family experience, Use")).to_be_focused()
    page.keyboard.press("ArrowLeft")  # the card nearest the button's height: the top one
    expect(card(page, FAMILY_CARD)).to_be_focused()


def test_shift_and_an_arrow_moves_the_focused_card(editor_page):
    page = editor_page
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("Shift+ArrowDown")
    expect(page.get_by_role("status").filter(has_text="Moved")).to_have_text(
        f"Moved “{FAMILY_CARD}” to Family experience, Awareness, position 2."
    )
    expect(card(page, FAMILY_CARD)).to_be_focused()
    assert stored(FAMILY_CARD) == ("Family experience", "Awareness", 1)
    page.keyboard.press("Shift+ArrowRight")
    expect(page.get_by_role("status").filter(has_text="Moved")).to_have_text(
        f"Moved “{FAMILY_CARD}” to Family experience, Use, position 1."
    )
    expect(card(page, FAMILY_CARD)).to_be_focused()
    assert stored(FAMILY_CARD) == ("Family experience", "Use", 0)


def test_move_to_moves_a_card_to_another_lane_and_phase_by_keyboard(editor_page, blueprint):
    page = editor_page
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("m")
    dialog = page.get_by_role("dialog", name=f"Move “{FAMILY_CARD}”")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Lane")).to_be_focused()
    expect(dialog.get_by_label("Lane")).to_have_value(
        str(blueprint.lanes.get(role=Lane.Role.FAMILY).pk)
    )
    expect(dialog.get_by_label("Position in the cell")).to_have_value("1")
    assert_accessible(page)  # with the dialog open

    page.keyboard.type("Behind")  # a closed select's type-ahead
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Phase")).to_be_focused()
    page.keyboard.type("Exit")
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Position in the cell")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    expect(card(page, FAMILY_CARD)).to_be_focused()
    backstage = blueprint.lanes.get(role=Lane.Role.BACKSTAGE)
    exit_phase = blueprint.phases.get(name="Exit and advocacy")
    expect(page.locator(f"#cell-{exit_phase.pk}-{backstage.pk} article h3")).to_have_text(
        [FAMILY_CARD]
    )
    assert stored(FAMILY_CARD) == ("Behind the scenes", "Exit and advocacy", 0)
    page.reload()
    expect(page.locator(f"#cell-{exit_phase.pk}-{backstage.pk} article h3")).to_have_text(
        [FAMILY_CARD]
    )


def test_move_to_shows_an_error_at_the_field_and_escape_returns_to_the_card(editor_page):
    page = editor_page
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("m")
    dialog = page.get_by_role("dialog", name=f"Move “{FAMILY_CARD}”")
    position = dialog.get_by_label("Position in the cell")
    position.fill("0")
    position.press("Enter")
    expect(dialog.get_by_text("Give a position of 1 (the top) or more.")).to_be_visible()
    expect(dialog.get_by_label("Position in the cell")).to_be_focused()
    assert stored(FAMILY_CARD) == ("Family experience", "Awareness", 0)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(card(page, FAMILY_CARD)).to_be_focused()


def test_question_mark_opens_the_keyboard_help_and_escape_closes_it(editor_page):
    page = editor_page
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    expect(
        help_dialog.get_by_role("cell", name="Move to… a lane, phase and position")
    ).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    expect(card(page, FAMILY_CARD)).to_be_focused()


def test_the_keyboard_button_in_the_toolbar_opens_the_help(editor_page):
    page = editor_page
    toolbar = page.get_by_role("toolbar", name="Blueprint editor tools")
    toolbar.get_by_role("button", name="Keyboard").click()
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()


def test_a_typed_question_mark_in_a_field_opens_nothing(editor_page):
    page = editor_page
    page.get_by_role("button", name="Add card to Family experience, Use").click()
    title = page.get_by_role("form", name="New card in Family experience, Use").get_by_label(
        "Title"
    )
    expect(title).to_be_focused()
    page.keyboard.type("Why? m")
    expect(title).to_have_value("Why? m")
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_actions_menu_opens_with_a_and_runs_an_action(editor_page):
    page = editor_page
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("a")
    menu = page.get_by_role("menu", name=f"Actions for {FAMILY_CARD}")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Open details")).to_be_focused()
    expect(menu.get_by_role("menuitem", name="Move up")).to_be_hidden()  # top of its cell
    expect(menu.get_by_role("menuitem", name="Move left")).to_be_hidden()  # first phase
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(card(page, FAMILY_CARD)).to_be_focused()
    page.keyboard.press("Shift+F10")
    expect(menu).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Edit")).to_be_focused()
    page.keyboard.press("Enter")
    form = page.get_by_role("form", name=f"Edit card {FAMILY_CARD}")
    expect(form.get_by_label("Title")).to_be_focused()


def test_enter_opens_the_card_panel_and_its_actions_run_on_the_card(editor_page):
    page = editor_page
    card(page, SECOND_CARD).focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("complementary", name="Card details")
    expect(panel.get_by_role("heading", name=SECOND_CARD)).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(card(page, SECOND_CARD)).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel.get_by_role("heading", name=SECOND_CARD)).to_be_focused()
    actions = panel.get_by_role("region", name="Actions")
    expect(actions.get_by_role("link", name=f"Edit “{SECOND_CARD}”")).to_be_visible()
    actions.get_by_role("button", name="Move up").press("Enter")
    expect(panel).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Moved")).to_have_text(
        f"Moved “{SECOND_CARD}” to Family experience, Awareness, position 1."
    )
    expect(card(page, SECOND_CARD)).to_be_focused()
    assert stored(SECOND_CARD) == ("Family experience", "Awareness", 0)


def test_n_adds_a_card_to_the_focused_cards_cell(editor_page):
    page = editor_page
    card(page, FRONTLINE_CARD).focus()
    page.keyboard.press("n")
    form = page.get_by_role("form", name="New card in Frontline staff and volunteers, Awareness")
    expect(form.get_by_label("Title")).to_be_focused()


def test_delete_asks_before_deleting_the_focused_card(editor_page):
    page = editor_page
    card(page, FRONTLINE_CARD).focus()
    page.keyboard.press("Delete")
    expect(page.get_by_role("button", name="Delete card")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Deleted")).to_have_text(
        f"Deleted “{FRONTLINE_CARD}”."
    )
    assert not Card.objects.filter(title=FRONTLINE_CARD).exists()


@pytest.fixture
def page_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_without_javascript_the_actions_link_leads_to_a_move_to_page(
    blueprint, page_without_javascript
):
    page = page_without_javascript
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    page.get_by_role("link", name=f"Actions for {FAMILY_CARD}").click()
    actions = page.get_by_role("region", name="Actions")
    expect(actions).to_be_visible()
    actions.get_by_role("link", name=f"Move to… (“{FAMILY_CARD}”)").click()
    form = page.get_by_role("form", name=f"Move “{FAMILY_CARD}”")
    form.get_by_label("Lane").select_option(label="Frontline staff and volunteers")
    form.get_by_label("Phase").select_option(label="Use")
    form.get_by_label("Position in the cell").fill("")
    form.get_by_role("button", name="Move").click()
    expect(
        page.get_by_text(f"Moved “{FAMILY_CARD}” to Frontline staff and volunteers, Use")
    ).to_be_visible()
    assert stored(FAMILY_CARD) == ("Frontline staff and volunteers", "Use", 0)


def test_home_and_end_go_to_the_ends_of_the_lane_and_with_ctrl_of_the_grid(editor_page):
    page = editor_page
    card(page, SECOND_CARD).focus()
    page.keyboard.press("End")
    expect(
        page.get_by_role("button", name="Add card to Family experience, Exit and advocacy")
    ).to_be_focused()
    page.keyboard.press("Home")
    expect(card(page, FAMILY_CARD)).to_be_focused()
    page.keyboard.press("Control+End")
    expect(
        page.get_by_role(
            "button", name="Add card to Support structures and processes, Exit and advocacy"
        )
    ).to_be_focused()


def test_arrows_reach_the_phase_and_lane_headers_and_their_menus(editor_page):
    page = editor_page
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("ArrowLeft")  # the first phase: on to the lane's header
    lane_menu = page.locator("tr.bp-lane-family th summary.bp-head-summary")
    expect(lane_menu).to_be_focused()
    expect(lane_menu).to_have_attribute("tabindex", "0")  # now the grid's one Tab stop
    page.keyboard.press("ArrowRight")
    expect(card(page, FAMILY_CARD)).to_be_focused()
    for _ in range(5):  # up the phase's column to its header
        page.keyboard.press("ArrowUp")
    first_phase_menu = page.locator("thead th.bp-phase summary.bp-head-summary").first
    expect(first_phase_menu).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("thead th.bp-phase details.bp-head-menu").first).to_have_attribute(
        "open", ""
    )
    page.keyboard.press("Escape")
    expect(first_phase_menu).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator("thead th.bp-phase summary.bp-head-summary").nth(1)).to_be_focused()


def focused_name(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_arrow_keys_move_between_the_toolbars_controls(editor_page):
    page = editor_page
    toolbar = page.get_by_role("toolbar", name="Blueprint editor tools")
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("Shift+Tab")  # into the toolbar, at its one Tab stop
    expect(toolbar.get_by_role("button", name="Compact")).to_be_focused()
    seen = []
    for _ in range(5):
        page.keyboard.press("ArrowRight")
        seen.append(focused_name(page))
    assert seen == ["Comfortable", "Detailed", "Show links", "Keyboard", "Compact"]  # wraps
    page.keyboard.press("ArrowLeft")
    expect(toolbar.get_by_role("button", name="Keyboard")).to_be_focused()
    page.keyboard.press("Home")
    expect(toolbar.get_by_role("button", name="Compact")).to_be_focused()
    page.keyboard.press("End")
    expect(toolbar.get_by_role("button", name="Keyboard")).to_be_focused()
    # One Tab stop, and it remembers where it was: out and back lands on "Keyboard" again.
    tab_stops = toolbar.locator('[tabindex="0"]')
    expect(tab_stops).to_have_count(1)
    page.keyboard.press("Tab")
    expect(card(page, FAMILY_CARD)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(toolbar.get_by_role("button", name="Keyboard")).to_be_focused()
    # A control pressed from the keyboard keeps the arrow keys going from where it is.
    page.keyboard.press("Home")
    page.keyboard.press("Enter")
    compact = toolbar.get_by_role("button", name="Compact")
    expect(compact).to_have_attribute("aria-pressed", "true")
    expect(compact).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Comfortable")).to_be_focused()


def test_the_undo_button_joins_the_toolbars_arrow_keys_when_it_appears(editor_page):
    page = editor_page
    toolbar = page.get_by_role("toolbar", name="Blueprint editor tools")
    card(page, FAMILY_CARD).focus()
    page.keyboard.press("Shift+ArrowRight")  # move it: now there is something to undo
    undo = toolbar.get_by_role("button", name=f"Undo moving “{FAMILY_CARD}”")
    expect(undo).to_be_visible()
    toolbar.get_by_role("button", name="Show links").focus()
    page.keyboard.press("ArrowRight")
    expect(undo).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Keyboard")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(undo).to_be_focused()
    expect(toolbar.locator('[tabindex="0"]')).to_have_count(1)
