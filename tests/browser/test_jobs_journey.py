"""A viewer asks for the locality report: the page shows it queued, then, without a reload,
ready with a link to the PDF once a worker has made it; every state passes axe."""

import pytest
from playwright.sync_api import expect

from localities.models import Membership
from tests.blueprints.factories import BlueprintFactory, CardFactory
from tests.blueprints.test_jobs import run_queued
from tests.browser.conftest import assert_accessible, log_in
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def site(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    northgate = LocalityFactory(name="Northgate", slug="northgate")
    viewer = UserFactory(username="northgate-viewer")
    MembershipFactory(locality=northgate, user=viewer, role=Membership.Role.VIEWER)
    blueprint = BlueprintFactory(locality=northgate, title="Welcome walks")
    CardFactory(blueprint=blueprint, title="Meets the guide at the library")
    return northgate


def test_the_report_page_follows_the_job_until_the_pdf_is_ready(page, site):
    log_in(page, "northgate-viewer")
    page.goto("/localities/northgate/")
    page.get_by_role("link", name="report", exact=False).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report of Northgate")
    progress = page.get_by_role("list", name="Progress")
    expect(progress.locator('[aria-current="step"]')).to_have_text("1. Queued")
    expect(page.get_by_text("Waiting for a worker")).to_be_visible()
    assert_accessible(page)

    # A worker makes it; the page is not reloaded. While it runs, the page's polls wait in
    # the browser: the live server answers them on the test's own SQLite connection, and a
    # read still open on it made the worker's write fail ("database table is locked"),
    # which no real worker, with a connection of its own, meets.
    held = []

    def polls(url):
        return "/jobs/" in url and "seen=" in url

    def hold(route):
        held.append(route)

    page.route(polls, hold)
    page.wait_for_timeout(1_500)  # a poll already on its way is answered meanwhile
    assert run_queued() == 1
    for route in held:  # the polls go on, and see the job ready
        route.continue_()
    page.unroute(polls)
    expect(progress.locator('[aria-current="step"]')).to_have_text("3. Ready")
    link = page.get_by_role("link", name="Open the PDF")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_response(lambda r: r.url.endswith("/download/")) as response:
        page.goto(link.get_attribute("href"))
    assert response.value.headers["content-type"] == "application/pdf"
