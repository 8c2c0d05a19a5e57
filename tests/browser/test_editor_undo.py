"""Conflicts and undo in a browser: two people move the same card and the second sees one
notice, announced once, beside the card; a person undoes their own move with the Undo
button and with the Z key. axe finds nothing serious on the way."""

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Lane
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import editor_path, stored, team_blueprint
from tests.browser.test_editor_journey import cell, titles_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CARD = "Hears about the welcome walk"
MOVED_MEANWHILE = f"Someone else moved or changed “{CARD}”"


def grid_card(page):
    return page.locator("article.bp-card", has=page.get_by_role("heading", name=CARD, exact=True))


@pytest.fixture
def blueprint():
    blueprint = team_blueprint("editor", "lead", idea=False)
    services.add_card(
        blueprint=blueprint,
        phase=blueprint.phases.get(position=0),
        lane=blueprint.lanes.get(role=Lane.Role.FAMILY),
        title=CARD,
        kind="step",
        by=None,
    )
    return blueprint


def announcing(page, text):
    """The live regions (alerts, status regions, aria-live) whose text includes `text`."""
    regions = page.locator('[role="alert"], [role="status"], [aria-live]')
    return regions.filter(has_text=text)


def test_two_people_moving_one_card_the_second_sees_one_notice_announced_once(
    blueprint, page, new_page
):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    other = new_page()
    log_in(other, "northgate-lead")
    other.goto(editor_path(blueprint))

    grid_card(page).focus()

    page.keyboard.press("Shift+ArrowRight")  # move it one phase right
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Use"))).to_have_text([CARD])

    grid_card(other).focus()

    other.keyboard.press("Shift+ArrowRight")  # move it one phase right
    notice = other.get_by_role("alert").filter(has_text=MOVED_MEANWHILE)
    expect(notice).to_have_count(1)
    expect(announcing(other, MOVED_MEANWHILE)).to_have_count(1)
    expect(other.get_by_text(MOVED_MEANWHILE)).to_have_count(1)
    # In the cell where the card now is, just above it.
    use_cell = cell(other, blueprint, Lane.Role.FAMILY, "Use")
    expect(use_cell.get_by_role("alert")).to_have_count(1)
    expect(use_cell.locator(".bp-cell-notice + article h3")).to_have_text(CARD)
    assert stored(CARD) == ("Family experience", "Use", 0)
    assert_accessible(other)


def test_the_undo_button_and_the_z_key_put_a_moved_card_back(blueprint, page):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    expect(page.get_by_role("button", name="Undo", exact=False)).to_have_count(0)

    grid_card(page).focus()

    page.keyboard.press("Shift+ArrowRight")  # move it one phase right
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Use"))).to_have_text([CARD])
    undo = page.get_by_role("button", name=f"Undo moving “{CARD}”")
    expect(undo).to_be_visible()
    assert_accessible(page)
    undo.click()
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Awareness"))).to_have_text([CARD])
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Use"))).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text(
        f"Undone: moved “{CARD}” back to Family experience, Awareness."
    )
    expect(undo).to_have_count(0)
    assert stored(CARD) == ("Family experience", "Awareness", 0)

    # Again, by keyboard: Z on the card (not in a text field) undoes the move.
    grid_card(page).focus()
    page.keyboard.press("Shift+ArrowRight")  # move it one phase right
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Use"))).to_have_text([CARD])
    expect(page.get_by_role("button", name=f"Undo moving “{CARD}”")).to_be_visible()
    page.locator("article", has=page.get_by_role("heading", name=CARD)).focus()
    page.keyboard.press("z")
    expect(titles_in(cell(page, blueprint, Lane.Role.FAMILY, "Awareness"))).to_have_text([CARD])
    assert stored(CARD) == ("Family experience", "Awareness", 0)


def test_z_typed_in_a_text_field_is_text_not_undo(blueprint, page):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    grid_card(page).focus()
    page.keyboard.press("Shift+ArrowRight")  # move it one phase right
    expect(page.get_by_role("button", name=f"Undo moving “{CARD}”")).to_be_visible()
    grid_card(page).focus()
    page.keyboard.press("e")  # edit it
    title = page.get_by_role("form", name=f"Edit card {CARD}").get_by_label("Title")
    title.press("End")
    title.press("z")
    expect(title).to_have_value(f"{CARD}z")
    assert stored(CARD) == ("Family experience", "Use", 0)
