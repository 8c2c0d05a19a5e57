"""The capacity check in the editor's header, in a browser (issue 15, item 5): on a laptop
at compact density a 60-card blueprint with a volunteer shortfall still fits the window; the
check is one line, opens from the keyboard to the shortfall in words and the chart over the
grid without moving it, and axe finds nothing serious either way. The prototypes page shows
the same."""

import datetime
import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Card, Lane
from localities.models import VolunteerMonth
from tests.blueprints.factories import fill_grid
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import editor_path, team_blueprint
from tests.localities.factories import VolunteerRoleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LAPTOP = (1280, 800)
SHORTFALL = "Volunteering: 30 hours a week needed, 24 available — 6 short"


@pytest.fixture
def blueprint():
    """The canvas tests' 60 cards in 5 phases by 4 lanes; three cards need 30 volunteer
    hours a week of a role with 4 active volunteers, at a 6-hour limit."""
    blueprint = team_blueprint("viewer")
    for name in ("Settling in", "Giving back"):
        services.add_phase(blueprint=blueprint, name=name, by=None)
    services.delete_lane(lane=blueprint.lanes.get(role=Lane.Role.EVIDENCE), by=None)
    cards = fill_grid(blueprint, 60, prefix="Parent hears about the walk", details="At clinic.")
    locality = blueprint.locality
    locality.volunteer_hours_limit = Decimal(6)
    locality.save()
    role = VolunteerRoleFactory(locality=locality, name="Welcome walk guides")
    VolunteerMonth.objects.create(role=role, month=datetime.date(2026, 10, 1), trained=4, active=4)
    for card, hours in zip(cards[:3], (10, 12, 8), strict=True):
        card.volunteer_role, card.volunteer_hours = role, Decimal(hours)
    Card.objects.bulk_update(cards[:3], ["volunteer_role", "volunteer_hours"])
    return blueprint


def shot(page, name: str) -> None:
    """With BP_SHOTS=<folder>, a screenshot of the window, to look at by eye."""
    if folder := os.environ.get("BP_SHOTS"):
        page.screenshot(path=f"{folder}/{name}.png")


@pytest.fixture
def laptop(browser, live_server, blueprint):  # the team exists before logging in
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": LAPTOP[0], "height": LAPTOP[1]},
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "northgate-viewer")
    context.add_cookies([{"name": "bp_density", "value": "compact", "url": live_server.url}])
    yield page
    context.close()


def test_the_check_opens_over_the_grid_and_the_blueprint_still_fits(laptop, blueprint):
    page = laptop
    page.goto(editor_path(blueprint))
    grid = page.get_by_role("region", name=re.compile("^Blueprint grid"))
    summary = page.locator(".bp-capacity > summary")
    expect(summary).to_have_text("6 volunteer hours a week short")
    # One line, and the 60 cards still fit the laptop's window.
    assert summary.bounding_box()["height"] < 30
    assert page.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight")
    top = grid.bounding_box()["y"]
    shot(page, "capacity-closed-1280x800")
    assert_accessible(page)

    summary.focus()
    page.keyboard.press("Enter")
    body = page.locator(".bp-capacity-body")
    expect(body).to_be_visible()
    expect(body.get_by_text(SHORTFALL)).to_be_visible()
    shot(page, "capacity-open-1280x800")
    expect(
        body.get_by_role("img", name=re.compile("^Capacity, needed against available"))
    ).to_be_visible()
    # Over the grid: the grid has not moved, and the page does not scroll sideways.
    assert grid.bounding_box()["y"] == top
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


def test_the_prototypes_page_shows_the_check(laptop, blueprint):
    page = laptop
    page.goto(f"{editor_path(blueprint)}prototypes/")
    section = page.get_by_role("region", name="Capacity check")
    expect(section.get_by_text(SHORTFALL)).to_be_visible()
    expect(section.get_by_role("img")).to_be_visible()
    shot(page, "capacity-prototypes-1280x800")
    assert_accessible(page)


@pytest.fixture
def editing(browser, live_server):
    """An editor of a blueprint with one card needing 30 volunteer hours a week of a role
    whose 4 active volunteers can give 24 (a 6-hour limit)."""
    blueprint = team_blueprint("editor")
    locality = blueprint.locality
    locality.volunteer_hours_limit = Decimal(6)
    locality.save()
    role = VolunteerRoleFactory(locality=locality, name="Welcome walk guides")
    VolunteerMonth.objects.create(role=role, month=datetime.date(2026, 10, 1), trained=4, active=4)
    (card,) = fill_grid(blueprint, 1, prefix="Guide meets the family")
    Card.objects.filter(pk=card.pk).update(volunteer_role=role, volunteer_hours=Decimal(30))
    context = browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    yield page, Card.objects.get(pk=card.pk).title
    context.close()


def test_changing_a_cards_hours_updates_the_open_check_without_a_reload(editing):
    page, title = editing
    summary = page.locator(".bp-capacity > summary")
    expect(summary).to_have_text("6 volunteer hours a week short")
    summary.click()
    page.evaluate("window.notReloaded = true")

    page.get_by_role("link", name=f"Actions for {title}").click()
    page.get_by_role("menu", name=f"Actions for {title}").get_by_role(
        "menuitem", name="Edit"
    ).click()
    form = page.get_by_role("form", name=f"Edit card {title}")
    form.get_by_label("Volunteer hours a week").fill("36")
    form.get_by_role("button", name="Save").click()

    expect(summary).to_have_text("12 volunteer hours a week short")
    body = page.locator(".bp-capacity-body")
    expect(body).to_be_visible()  # still open, as the person left it
    expect(
        body.get_by_text("Volunteering: 36 hours a week needed, 24 available — 12 short")
    ).to_be_visible()
    assert page.evaluate("window.notReloaded === true")
    assert_accessible(page)
