"""The editor as a canvas, in a browser at a wall screen's, a laptop's and a phone's size:
the grid fits the window and scrolls inside its own box with its headers in view, three
densities (compact fits a 60-card blueprint on a laptop screen), one phase at a time on a
phone, and cards dragged with a mouse or a finger; axe finds nothing serious on the way.
"""

import os
import re

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Lane
from tests.blueprints.factories import fill_grid
from tests.browser import editor
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import editor_path, team_blueprint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WALL, LAPTOP, PHONE = (1920, 1080), (1280, 800), (390, 844)
# How long a held drag may take to scroll the grid to a far cell. The scroll's speed is the
# same whatever the frame rate (drag.js), but a machine running the suite on every core can
# stall the page for seconds at a time.
AUTO_SCROLL_MS = 15_000
# fill_grid deals cards round the cells phase by phase: card 20 is the family lane's second
# card in the first phase.
FAMILY_CARD = "Parent hears about the walk 20"
PHASES = ["Awareness", "Use", "Exit and advocacy", "Settling in", "Giving back"]


@pytest.fixture
def blueprint():
    """5 phases by 4 lanes (no evidence lane) with 60 cards, three in each cell."""
    blueprint = team_blueprint("editor", "viewer")
    for name in PHASES[3:]:
        services.add_phase(blueprint=blueprint, name=name, by=None)
    services.delete_lane(lane=blueprint.lanes.get(role=Lane.Role.EVIDENCE), by=None)
    fill_grid(blueprint, 60, prefix="Parent hears about the walk", details="Told at clinic.")
    return blueprint


def open_editor(
    browser, live_server, blueprint, size, *, touch=False, density=None, user=None, js=True
):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": size[0], "height": size[1]},
        has_touch=touch,
        java_script_enabled=js,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, user or "northgate-editor")
    if density:
        context.add_cookies([{"name": "bp_density", "value": density, "url": live_server.url}])
    page.goto(editor_path(blueprint))
    return page


@pytest.fixture
def opened(browser, live_server):
    pages = []

    def opener(blueprint, size, **options):
        page = open_editor(browser, live_server, blueprint, size, **options)
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.context.close()


def cell(page, blueprint, lane_role, phase_name):
    lane_ = blueprint.lanes.get(role=lane_role)
    phase_ = blueprint.phases.get(name=phase_name)
    return page.locator(f"#cell-{phase_.pk}-{lane_.pk}")


def card(page, title):
    return page.locator("article.bp-card", has=page.get_by_role("heading", name=title, exact=True))


def stored(title):
    """(lane name, phase name) of the card in the database."""
    return editor.stored(title)[:2]


def shot(page, name: str) -> None:
    """With BP_SHOTS=<folder>, a screenshot of the window, to look at the canvas by eye."""
    if folder := os.environ.get("BP_SHOTS"):
        page.screenshot(path=f"{folder}/{name}.png")


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth > window.innerWidth")


def grid_box(page):
    return page.get_by_role("region", name=re.compile("^Blueprint grid"))


# Fitting the window ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [WALL, LAPTOP], ids=["1920x1080", "1280x800"])
def test_the_last_phase_and_the_lane_names_show_without_scrolling_the_page(opened, blueprint, size):
    page = opened(blueprint, size)
    shot(page, f"comfortable-{size[0]}x{size[1]}")
    expect(page.get_by_role("columnheader", name="Giving back")).to_be_in_viewport()
    for lane_ in blueprint.lanes.all():
        expect(page.get_by_role("rowheader", name=re.compile(f"^{lane_.name}"))).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("^Family experience"))).to_be_in_viewport()
    assert not page_scrolls_sideways(page)


def test_on_a_phone_the_last_phase_shows_with_the_switcher_and_lane_names_above_cells(
    opened, blueprint
):
    page = opened(blueprint, PHONE)
    switcher = page.get_by_role("combobox", name="Phase shown")
    expect(switcher).to_have_value("0")
    shot(page, "phone-390x844")
    expect(page.get_by_role("button", name="Previous phase")).to_be_disabled()
    for _ in range(4):
        page.get_by_role("button", name="Next phase").click()
    expect(switcher).to_have_value("4")
    expect(page.get_by_role("button", name="Next phase")).to_be_disabled()
    last = cell(page, blueprint, Lane.Role.FAMILY, "Giving back")
    expect(last).to_be_visible()
    expect(cell(page, blueprint, Lane.Role.FAMILY, "Awareness")).to_be_hidden()
    lane_name = page.get_by_role("rowheader", name=re.compile("^Family experience"))
    expect(lane_name).to_be_visible()
    # The lane's name sits above its cell, not in a column beside it.
    name_box, cell_box = lane_name.bounding_box(), last.bounding_box()
    assert name_box["y"] + name_box["height"] <= cell_box["y"] + 1
    assert name_box["width"] > 300
    expect(page.get_by_text("Line of interaction")).to_be_visible()
    page.get_by_role("combobox", name="Phase shown").select_option(label="2. Use")
    expect(cell(page, blueprint, Lane.Role.FAMILY, "Use")).to_be_visible()
    expect(last).to_be_hidden()
    assert not page_scrolls_sideways(page)


@pytest.mark.parametrize("size", [WALL, LAPTOP], ids=["1920x1080", "1280x800"])
def test_phase_headers_stay_in_view_when_the_grid_scrolls_down(opened, blueprint, size):
    page = opened(blueprint, size)
    box = grid_box(page)
    assert box.evaluate("el => el.scrollHeight > el.clientHeight"), "nothing to scroll"
    # The box ends inside the window: its own scrollbar is on screen.
    assert box.evaluate("el => el.getBoundingClientRect().bottom <= window.innerHeight")
    box.evaluate("el => { el.scrollTop = el.scrollHeight; }")
    expect(
        page.get_by_role("link", name="Parent hears about the walk 59", exact=True)
    ).to_be_in_viewport()
    header = page.get_by_role("columnheader", name="Awareness")
    expect(header).to_be_in_viewport()
    header_top = header.bounding_box()["y"]
    box_top = box.bounding_box()["y"]
    assert abs(header_top - box_top) <= 2, (header_top, box_top)
    support = page.get_by_role("rowheader", name=re.compile("^Support structures"))
    expect(support).to_be_in_viewport()


def test_lane_names_stay_in_view_when_the_grid_scrolls_sideways(opened, blueprint):
    page = opened(blueprint, LAPTOP, density="detailed")  # wider columns than the window
    box = grid_box(page)
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "nothing to scroll"
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    expect(page.get_by_role("columnheader", name="Giving back")).to_be_in_viewport()
    lane_name = page.get_by_role("rowheader", name=re.compile("^Family experience"))
    expect(lane_name).to_be_in_viewport()
    assert abs(lane_name.bounding_box()["x"] - box.bounding_box()["x"]) <= 2
    assert not page_scrolls_sideways(page)


def test_at_compact_density_sixty_cards_fit_a_laptop_screen(opened, blueprint):
    page = opened(blueprint, LAPTOP, density="compact")
    shot(page, "compact-1280x800")
    box = grid_box(page)
    expect(page.locator("#bp-board")).to_have_class(re.compile(r"\bbp-density-compact\b"))
    size = box.evaluate("el => [el.scrollHeight, el.clientHeight, el.scrollWidth, el.clientWidth]")
    # (A pixel for rounding: scrollHeight rounds the table's height up, clientHeight down.)
    assert size[0] <= size[1] + 1, size
    assert size[2] <= size[3] + 1, size
    assert box.evaluate("el => el.getBoundingClientRect().bottom <= window.innerHeight")
    expect(
        page.get_by_role("link", name="Parent hears about the walk 59", exact=True)
    ).to_be_in_viewport()
    assert not page_scrolls_sideways(page)
    # Nor does the page scroll down: the whole blueprint is on one screen.
    assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight")


def test_the_toolbar_switches_density_at_once_and_the_next_page_remembers(opened, blueprint):
    long_details = "The guide meets the family at the school gate. " * 5 + "The end."
    services.add_card(
        blueprint=blueprint,
        phase=blueprint.phases.get(name="Use"),
        lane=blueprint.lanes.get(role=Lane.Role.FAMILY),
        title="Walks with the guide",
        details=long_details,
        kind="step",
        by=None,
    )
    page = opened(blueprint, LAPTOP)
    board = page.locator("#bp-board")
    expect(board).to_have_class(re.compile(r"\bbp-density-comfortable\b"))
    page.get_by_role("button", name="Compact").click()
    expect(board).to_have_class(re.compile(r"\bbp-density-compact\b"))
    expect(page.get_by_role("button", name="Compact")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Comfortable")).to_have_attribute(
        "aria-pressed", "false"
    )
    details = page.get_by_text("Told at clinic.").first
    expect(details).to_be_hidden()
    page.reload()
    expect(board).to_have_class(re.compile(r"\bbp-density-compact\b"))
    walks = card(page, "Walks with the guide")
    expect(walks.get_by_text("The end.")).to_have_count(0)  # an excerpt, cut short
    page.get_by_role("button", name="Detailed").click()
    expect(board).to_have_class(re.compile(r"\bbp-density-detailed\b"))
    expect(details).to_be_visible()
    # The grid is fetched again with the whole details text, without a page load.
    expect(walks.locator(".bp-card-details")).to_have_text(long_details.strip())


def test_without_javascript_the_density_buttons_still_choose_and_remember(opened, blueprint):
    page = opened(blueprint, LAPTOP, js=False)
    board = page.locator("#bp-board")
    expect(board).to_have_class(re.compile(r"\bbp-density-comfortable\b"))
    page.get_by_role("button", name="Compact").click()
    expect(board).to_have_class(re.compile(r"\bbp-density-compact\b"))
    expect(page.get_by_role("button", name="Compact")).to_have_attribute("aria-pressed", "true")
    page.goto(editor_path(blueprint))
    expect(board).to_have_class(re.compile(r"\bbp-density-compact\b"))


def test_without_javascript_a_phone_shows_every_phase_stacked(opened, blueprint):
    page = opened(blueprint, PHONE, js=False)
    expect(page.get_by_role("combobox", name="Phase shown")).to_be_hidden()
    for name in PHASES:
        expect(cell(page, blueprint, Lane.Role.FAMILY, name)).to_be_visible()
    assert not page_scrolls_sideways(page)


# Adding on a phone --------------------------------------------------------------------


def test_on_a_phone_adding_a_card_shows_its_title_field_on_screen(opened, blueprint):
    page = opened(blueprint, PHONE)
    page.get_by_role("button", name="Next phase").click()
    add = page.get_by_role("button", name="Add card to Support structures and processes, Use")
    assert add.bounding_box()["height"] >= 44
    add.click()
    form = page.get_by_role("form", name="New card in Support structures and processes, Use")
    title = form.get_by_label("Title")
    expect(title).to_be_focused()
    expect(title).to_be_in_viewport()
    field = title.bounding_box()
    assert field["x"] >= 0
    assert field["x"] + field["width"] <= PHONE[0]
    assert not page_scrolls_sideways(page)
    assert_accessible(page)


# Drag and drop ------------------------------------------------------------------------


def centre(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_mouse_drags_a_card_to_another_lane_and_phase(opened, blueprint):
    page = opened(blueprint, WALL, density="compact")  # every cell in view
    title = FAMILY_CARD
    assert stored(title) == ("Family experience", "Awareness")
    target = cell(page, blueprint, Lane.Role.BACKSTAGE, "Giving back")
    x, y = centre(card(page, title).locator(".bp-card-kind"))
    page.mouse.move(x, y)
    page.mouse.down()
    tx, ty = centre(target.locator(".bp-add"))
    page.mouse.move(tx, ty, steps=12)
    expect(target).to_have_class(re.compile(r"\bbp-drop-target\b"))
    page.mouse.up()
    expect(target.get_by_role("heading", name=title, exact=True)).to_be_visible()
    assert stored(title) == ("Behind the scenes", "Giving back")
    page.reload()
    expect(target.get_by_role("heading", name=title, exact=True)).to_be_visible()


def test_a_card_held_near_the_grids_edge_scrolls_the_grid_to_its_target(opened, blueprint):
    page = opened(blueprint, LAPTOP)
    box = grid_box(page)
    target = cell(page, blueprint, Lane.Role.SUPPORT, "Awareness")
    expect(target.locator(".bp-add")).not_to_be_in_viewport()
    x, y = centre(card(page, FAMILY_CARD).locator(".bp-card-kind"))
    page.mouse.move(x, y)
    page.mouse.down()
    edge = box.bounding_box()
    page.mouse.move(x, edge["y"] + edge["height"] - 8, steps=6)
    expect(target.locator(".bp-add")).to_be_in_viewport(ratio=1, timeout=AUTO_SCROLL_MS)
    assert box.evaluate("el => el.scrollTop") > 0
    page.mouse.move(x, edge["y"] + edge["height"] / 2, steps=2)  # away from the edge
    page.mouse.move(*centre(target.locator(".bp-add")), steps=4)
    expect(target).to_have_class(re.compile(r"\bbp-drop-target\b"))
    page.mouse.up()
    expect(target.get_by_role("heading", name=FAMILY_CARD, exact=True)).to_be_visible()
    assert stored(FAMILY_CARD) == ("Support structures and processes", "Awareness")


def test_escape_puts_a_dragged_card_back(opened, blueprint):
    page = opened(blueprint, WALL, density="compact")
    title = FAMILY_CARD
    target = cell(page, blueprint, Lane.Role.BACKSTAGE, "Giving back")
    x, y = centre(card(page, title).locator(".bp-card-kind"))
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(*centre(target), steps=8)
    expect(target).to_have_class(re.compile(r"\bbp-drop-target\b"))
    page.keyboard.press("Escape")
    page.mouse.up()
    expect(target).not_to_have_class(re.compile(r"\bbp-drop-target\b"))
    expect(
        cell(page, blueprint, Lane.Role.FAMILY, "Awareness").get_by_role(
            "heading", name=title, exact=True
        )
    ).to_be_visible()
    assert stored(title) == ("Family experience", "Awareness")


def touch(cdp, kind, x=None, y=None):
    points = [] if x is None else [{"x": x, "y": y}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_a_finger_drags_a_card_after_a_long_press_on_a_phone(opened, blueprint):
    page = opened(blueprint, PHONE, touch=True)
    title = FAMILY_CARD
    assert stored(title) == ("Family experience", "Awareness")
    target = cell(page, blueprint, Lane.Role.FRONTLINE, "Awareness")
    dragged = card(page, title)
    dragged.scroll_into_view_if_needed()
    cdp = page.context.new_cdp_session(page)
    x, y = centre(dragged.locator(".bp-card-kind"))
    touch(cdp, "touchStart", x, y)
    # The long press picks the card up (the page marks it); then the finger moves it.
    expect(dragged).to_have_class(re.compile(r"\bbp-dragging\b"))
    # Held near the bottom of the screen, the card scrolls the page up to the target.
    bottom = PHONE[1] - 10
    for step in range(1, 6):
        touch(cdp, "touchMove", x, y + (bottom - y) * step / 5)
    expect(target.locator(".bp-add")).to_be_in_viewport(ratio=1, timeout=AUTO_SCROLL_MS)
    touch(cdp, "touchMove", x, PHONE[1] / 2)  # away from the edge: the scrolling stops
    tx, ty = centre(target.locator(".bp-add"))
    touch(cdp, "touchMove", tx, ty)
    expect(target).to_have_class(re.compile(r"\bbp-drop-target\b"))
    touch(cdp, "touchEnd")
    expect(target.get_by_role("heading", name=title, exact=True)).to_be_visible()
    assert stored(title) == ("Frontline staff and volunteers", "Awareness")
    page.reload()
    expect(
        cell(page, blueprint, Lane.Role.FRONTLINE, "Awareness").get_by_role(
            "heading", name=title, exact=True
        )
    ).to_be_visible()


def test_a_quick_swipe_on_a_card_scrolls_instead_of_dragging(opened, blueprint):
    page = opened(blueprint, PHONE, touch=True)
    title = FAMILY_CARD
    dragged = card(page, title)
    cdp = page.context.new_cdp_session(page)
    x, y = centre(dragged.locator(".bp-card-kind"))
    before = page.evaluate("window.scrollY")
    touch(cdp, "touchStart", x, y)
    for step in range(1, 6):
        touch(cdp, "touchMove", x, y - 40 * step)
    touch(cdp, "touchEnd")
    page.wait_for_function(f"window.scrollY > {before}")
    expect(dragged).not_to_have_class(re.compile(r"\bbp-dragging\b"))
    assert stored(title) == ("Family experience", "Awareness")


# Accessibility ------------------------------------------------------------------------


@pytest.mark.parametrize("density", ["compact", "comfortable", "detailed"])
def test_axe_finds_nothing_serious_at_each_density(opened, blueprint, density):
    page = opened(blueprint, LAPTOP, density=density)
    expect(page.locator("#bp-board")).to_have_class(re.compile(rf"\bbp-density-{density}\b"))
    assert_accessible(page)


def test_axe_finds_nothing_serious_on_a_phone(opened, blueprint):
    page = opened(blueprint, PHONE)
    expect(page.get_by_role("combobox", name="Phase shown")).to_be_visible()
    assert_accessible(page)


def test_a_viewer_chooses_a_density_too(opened, blueprint):
    page = opened(blueprint, LAPTOP, user="northgate-viewer")
    page.get_by_role("button", name="Compact").click()
    expect(page.locator("#bp-board")).to_have_class(re.compile(r"\bbp-density-compact\b"))
    page.reload()
    expect(page.locator("#bp-board")).to_have_class(re.compile(r"\bbp-density-compact\b"))
