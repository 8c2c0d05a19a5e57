"""The blueprint editor in a browser: an editor adds cards in three lanes with the named
buttons, moves one by keyboard (Shift+arrow) and one by drag and drop, edits from the card's
shared actions menu, and two people editing the same card see the conflict; axe finds nothing
serious on the way.

Elements are found by role and accessible name, as a screen reader would find them.
"""

import re

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Card, Lane
from localities.models import Membership
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.browser.editor import editor_path, stored, team_blueprint
from tests.localities.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

FAMILY_CARD = "Hears about the welcome walk"
FRONTLINE_CARD = "Parent guide rings the family"
BACKSTAGE_CARD = "Guide checks the open cases"


@pytest.fixture
def blueprint():
    return team_blueprint("editor", "lead")


def add_card(page, lane_name, phase_name, title, kind, emotion=None, check_axe=False):
    page.get_by_role("button", name=f"Add card to {lane_name}, {phase_name}").click()
    form = page.get_by_role("form", name=f"New card in {lane_name}, {phase_name}")
    expect(form.get_by_label("Title")).to_be_focused()
    form.get_by_label("Title").fill(title)
    form.get_by_label("Details").fill(f"{title}, as the team saw it.")
    form.get_by_label("Kind").select_option(label=kind)
    if emotion is not None:
        form.get_by_label("Emotion").select_option(label=emotion)
    else:
        expect(form.get_by_label("Emotion")).to_have_count(0)
    if check_axe:
        assert_accessible(page)  # with the form open in the grid
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def cell(page, blueprint, lane_role, phase_name):
    """The grid cell of a lane and a phase (what a sighted user aims at when dropping)."""
    lane_ = blueprint.lanes.get(role=lane_role)
    phase_ = blueprint.phases.get(name=phase_name)
    return page.locator(f"#cell-{phase_.pk}-{lane_.pk}")


def titles_in(cell_locator):
    return cell_locator.locator("article h3")


def test_editor_adds_moves_and_edits_cards_and_sees_a_conflict(blueprint, page, new_page):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    expect(page.get_by_role("heading", level=1)).to_have_text(blueprint.title)
    expect(page.get_by_role("columnheader", name="Awareness")).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("^Family experience"))).to_be_visible()
    expect(page.get_by_text("Line of interaction")).to_be_visible()
    assert_accessible(page)

    # Cards in three lanes, with the cells' named buttons.
    add_card(
        page, "Family experience", "Awareness", FAMILY_CARD, "Step", "+1 positive", check_axe=True
    )
    add_card(page, "Frontline staff and volunteers", "Awareness", FRONTLINE_CARD, "Touchpoint")
    add_card(page, "Behind the scenes", "Use", BACKSTAGE_CARD, "Pain point")
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Awareness"))).to_have_text(
        [FAMILY_CARD]
    )
    expect(titles_in(cell(page, blueprint, Lane.Role.FRONTLINE, "Awareness"))).to_have_text(
        [FRONTLINE_CARD]
    )
    expect(titles_in(cell(page, blueprint, Lane.Role.BACKSTAGE, "Use"))).to_have_text(
        [BACKSTAGE_CARD]
    )
    family_card = page.locator("article", has=page.get_by_role("heading", name=FAMILY_CARD))
    expect(family_card.get_by_text("Emotion: happy (+1)")).to_be_visible()
    expect(family_card.get_by_text("Step", exact=True)).to_be_visible()
    expect(page.get_by_text("Awareness: +1 (mean of 1 card)")).to_be_attached()
    assert stored(BACKSTAGE_CARD) == ("Behind the scenes", "Use", 0)
    assert_accessible(page)

    # A keyboard move: on the focused card, Shift+Right moves it to the next phase; focus
    # stays on the moved card, so the user can keep moving it.
    family_article = page.locator("article", has=page.get_by_role("heading", name=FAMILY_CARD))
    family_article.focus()
    page.keyboard.press("Shift+ArrowRight")
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Use"))).to_have_text([FAMILY_CARD])
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Awareness"))).to_have_count(0)
    expect(family_article).to_be_focused()
    page.keyboard.press("Shift+ArrowRight")
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Exit and advocacy"))).to_have_text(
        [FAMILY_CARD]
    )
    expect(family_article).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="Moved")).to_have_text(
        f"Moved “{FAMILY_CARD}” to Family experience, Exit and advocacy, position 1."
    )
    assert stored(FAMILY_CARD) == ("Family experience", "Exit and advocacy", 0)

    # Drag and drop: the frontline card onto the frontline cell of "Exit and advocacy".
    target = cell(page, blueprint, Lane.Role.FRONTLINE, "Exit and advocacy")
    dragged = page.locator("article", has=page.get_by_role("heading", name=FRONTLINE_CARD))
    dragged.drag_to(target)
    expect(titles_in(target)).to_have_text([FRONTLINE_CARD])
    expect(titles_in(cell(page, blueprint, Lane.Role.FRONTLINE, "Awareness"))).to_have_count(0)
    assert stored(FRONTLINE_CARD) == ("Frontline staff and volunteers", "Exit and advocacy", 0)
    assert_accessible(page)

    # Two people edit the same card from the same version.
    other = new_page()
    log_in(other, "northgate-lead")
    other.goto(editor_path(blueprint))
    for person in (page, other):
        person.get_by_role("link", name=f"Actions for {BACKSTAGE_CARD}").click()
        person.get_by_role("menu", name=f"Actions for {BACKSTAGE_CARD}").get_by_role(
            "menuitem", name="Edit"
        ).click()
    mine = page.get_by_role("form", name=f"Edit card {BACKSTAGE_CARD}")
    theirs = other.get_by_role("form", name=f"Edit card {BACKSTAGE_CARD}")
    mine.get_by_label("Title").fill("Guide checks the open cases each morning")
    mine.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="Guide checks the open cases each morning")
    ).to_be_visible()
    theirs.get_by_label("Details").fill("Only on Mondays, with the hub manager.")
    theirs.get_by_role("button", name="Save").click()
    expect(
        other.get_by_text(
            "Someone else changed this card while you were editing: here is their version."
        )
    ).to_be_visible()
    expect(other.get_by_text("Guide checks the open cases each morning").first).to_be_visible()
    expect(other.get_by_text("Only on Mondays, with the hub manager.")).to_be_visible()
    # The first person's change survives; the second's changed nothing.
    assert stored("Guide checks the open cases each morning") == ("Behind the scenes", "Use", 0)
    card = Card.objects.get(title="Guide checks the open cases each morning")
    assert card.details == f"{BACKSTAGE_CARD}, as the team saw it."
    assert_accessible(other)

    # Redoing the change on top of the current version goes through.
    redo = other.get_by_role("form", name="Edit card Guide checks the open cases each morning")
    redo.get_by_label("Details").fill("Only on Mondays, with the hub manager.")
    redo.get_by_role("button", name="Save").click()
    redone = other.locator("article", has=other.get_by_role("heading", name=card.title))
    expect(redone.get_by_text("Only on Mondays, with the hub manager.")).to_be_visible()
    assert stored(card.title) == ("Behind the scenes", "Use", 0)
    card.refresh_from_db()
    assert card.details == "Only on Mondays, with the hub manager."


def test_the_card_panel_opens_and_closes_from_the_keyboard(blueprint, page):
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    services.add_card(
        blueprint=blueprint,
        phase=blueprint.phases.get(position=0),
        lane=family,
        title=FAMILY_CARD,
        kind="step",
        by=None,
    )
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    page.get_by_role("link", name=FAMILY_CARD, exact=True).focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("complementary", name="Card details")
    expect(panel.get_by_role("heading", name=FAMILY_CARD)).to_be_focused()
    expect(panel.get_by_role("heading", name="Evidence")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(
        page.locator("article", has=page.get_by_role("heading", name=FAMILY_CARD))
    ).to_be_focused()


def test_a_viewer_sees_the_blueprint_without_editing_controls(blueprint, page):
    locality = blueprint.locality
    MembershipFactory(
        locality=locality, user=UserFactory(username="northgate-viewer"), role="viewer"
    )
    services.add_card(
        blueprint=blueprint,
        phase=blueprint.phases.get(position=0),
        lane=blueprint.lanes.get(role=Lane.Role.FAMILY),
        title=FAMILY_CARD,
        kind="step",
        by=None,
    )
    log_in(page, "northgate-viewer")
    page.goto(editor_path(blueprint))
    expect(page.get_by_role("heading", name=FAMILY_CARD)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Add card to"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("^Actions for"))).to_have_count(0)
    expect(page.get_by_role("menuitem")).to_have_count(0)
    assert_accessible(page)


def test_a_refused_write_says_so_instead_of_doing_nothing(blueprint, page):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    # The editor is made a viewer while the page is open: the next write is refused.
    Membership.objects.filter(user__username="northgate-editor").update(role=Membership.Role.VIEWER)
    page.get_by_role("button", name="Add card to Family experience, Awareness").click()
    expect(page.get_by_role("alert")).to_contain_text("You may not change this blueprint")
    expect(page.get_by_role("form", name=re.compile("^New card"))).to_have_count(0)


def test_dragging_a_card_above_another_reorders_the_cell(blueprint, page):
    first_phase = blueprint.phases.get(position=0)
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    for title in ("First step", "Second step", "Third step"):
        services.add_card(
            blueprint=blueprint, phase=first_phase, lane=family, title=title, kind="step", by=None
        )
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    the_cell = cell(page, blueprint, Lane.Role.FAMILY, "Awareness")
    expect(titles_in(the_cell)).to_have_text(["First step", "Second step", "Third step"])
    third = page.locator("article", has=page.get_by_role("heading", name="Third step"))
    first = page.locator("article", has=page.get_by_role("heading", name="First step"))
    third.drag_to(first, target_position={"x": 20, "y": 5})  # the top edge of the first card
    expect(titles_in(the_cell)).to_have_text(["Third step", "First step", "Second step"])
    assert stored("Third step") == ("Family experience", "Awareness", 0)


def test_a_wide_blueprint_scrolls_inside_its_grid_not_the_page(blueprint, page):
    for name in ("Settling in", "Growing", "Moving on", "Giving back"):
        services.add_phase(blueprint=blueprint, name=name, by=None)
    family = blueprint.lanes.get(role="family")
    last = blueprint.phases.order_by("position").last()
    services.add_card(
        blueprint=blueprint, phase=last, lane=family, title="Tells a friend", kind="step", by=None
    )
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    grid = page.get_by_role("region", name=re.compile("^Blueprint grid, 7 phases"))
    assert grid.evaluate("el => el.scrollWidth > el.clientWidth")
    assert_fits_width(page, 1280)
