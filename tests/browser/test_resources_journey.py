"""Community resources in a browser: an editor records a space with its opening hours,
is told at the field when a closing time comes before the opening time, and records a
volunteer role's months; the page fits a phone and axe finds nothing serious."""

import re

import pytest
from playwright.sync_api import expect

from localities.models import Membership, Space, VolunteerMonth
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.browser.editor import read
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

RESOURCES = "/localities/northgate/resources/"


@pytest.fixture
def team():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    MembershipFactory(
        locality=locality,
        user=UserFactory(username="northgate-editor"),
        role=Membership.Role.EDITOR,
    )
    return locality


def test_an_editor_records_a_space_and_a_volunteer_role(team, new_page):
    page = new_page(390, 844)
    log_in(page, "northgate-editor")
    page.goto(RESOURCES)
    expect(page.get_by_role("heading", name="Community resources")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page, 390)

    page.get_by_role("link", name="Add a space").click()
    page.get_by_label("Name").fill("Marsh Lane Library")
    page.get_by_label("Kind").select_option(label="Library")
    page.get_by_label("Hire cost per hour (£)").fill("12.50")
    first = page.get_by_role("group", name="New row 1")
    first.get_by_label("Day").select_option(label="Tuesday")
    first.get_by_label("Opens").fill("14:00")
    first.get_by_label("Closes").fill("09:00")
    page.get_by_role("button", name="Add space").click()

    closes = page.get_by_role("group", name="New row 1").get_by_label("Closes")
    expect(closes).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Closing time must be after opening time (14:00)")).to_be_visible()
    assert_accessible(page)
    assert read(lambda: Space.objects.count()) == 0

    closes.fill("16:30")
    page.get_by_role("button", name="Add space").click()
    expect(page.get_by_text("Space “Marsh Lane Library” added.")).to_be_visible()
    expect(page.get_by_text("Tuesday 14:00 to 16:30")).to_be_visible()
    assert_fits_width(page, 390)

    page.get_by_role("link", name="Add a volunteer role").click()
    page.get_by_label("Name").fill("Welcome walk guide")
    page.get_by_label("Hours a week the role needs").fill("30")
    row = page.get_by_role("group", name="New row 1")
    row.get_by_label("Month").fill("2026-10")
    row.get_by_label("Trained").fill("4")
    row.get_by_role("spinbutton", name=re.compile(r"^Active")).fill("4")
    page.get_by_role("button", name="Add volunteer role").click()
    expect(page.get_by_text("Volunteer role “Welcome walk guide” added.")).to_be_visible()
    assert read(lambda: list(VolunteerMonth.objects.values_list("active", flat=True))) == [4]
    assert_accessible(page)
