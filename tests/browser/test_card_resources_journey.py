"""A card names the site's community resources, in a browser: an editor adds a frontline
card saying where it happens and which volunteers do it for how many hours a week, then
reads them in the card's panel; axe finds nothing serious with the form open or the panel.

Elements are found by role and accessible name, as a screen reader would find them.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from blueprints.models import Card
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import editor_path, read, team_blueprint
from tests.localities.factories import SpaceFactory, VolunteerRoleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TITLE = "Guide walks the family to the hub"


def test_an_editor_names_where_a_step_happens_and_who_does_it(page):
    blueprint = team_blueprint("editor")
    SpaceFactory(locality=blueprint.locality, name="Northgate Library")
    VolunteerRoleFactory(locality=blueprint.locality, name="Welcome walk guide")
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))

    page.get_by_role("button", name="Add card to Frontline staff and volunteers, Use").click()
    form = page.get_by_role("form", name="New card in Frontline staff and volunteers, Use")
    form.get_by_label("Title").fill(TITLE)
    group = form.get_by_role("group", name="Where, who and volunteers")
    group.get_by_label("Space").select_option(label="Northgate Library")
    group.get_by_label("Volunteer role").select_option(label="Welcome walk guide")
    group.get_by_label("Volunteer hours a week").fill("4")
    assert_accessible(page)  # with the form open in the grid
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    stored = read(lambda: Card.objects.select_related("space", "volunteer_role").get())
    assert (stored.space.name, stored.volunteer_role.name, stored.volunteer_hours) == (
        "Northgate Library",
        "Welcome walk guide",
        Decimal("4.0"),
    )

    page.get_by_role("link", name=TITLE, exact=True).click()
    panel = page.locator("#bp-panel")
    expect(panel.get_by_role("heading", name="Where, who and volunteers")).to_be_visible()
    expect(panel.get_by_text("Northgate Library")).to_be_visible()
    expect(panel.get_by_text("Welcome walk guide, 4 hours a week")).to_be_visible()
    assert_accessible(page)
