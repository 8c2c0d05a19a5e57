"""An editor logs in, sees only their locality and opens it; every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from localities.models import Membership
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def two_sites():
    mine = LocalityFactory(name="Northgate", slug="northgate", area="Eastmere City Council")
    theirs = LocalityFactory(name="Riverside East", slug="riverside")
    editor = UserFactory(username="northgate-editor", first_name="Tom", last_name="Kerrigan")
    MembershipFactory(locality=mine, user=editor, role=Membership.Role.EDITOR)
    MembershipFactory(locality=mine, role=Membership.Role.LEAD)
    MembershipFactory(locality=theirs, role=Membership.Role.LEAD)
    return mine, theirs


def test_editor_logs_in_and_opens_only_their_locality(page, two_sites):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    assert_accessible(page)

    log_in(page, "northgate-editor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Tom Kerrigan")
    expect(page.get_by_text("Signed in as")).to_contain_text("Tom Kerrigan")
    localities = page.get_by_role("list", name="Your localities")
    expect(localities.get_by_role("heading")).to_have_text(["Northgate"])
    expect(localities.get_by_role("link", name="Record an insight in Northgate")).to_be_visible()
    expect(page.get_by_text("Your role: Editor")).to_be_visible()
    assert_accessible(page)

    localities.get_by_role("link", name="Northgate", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northgate")
    expect(page.get_by_role("heading", name="Team")).to_be_visible()
    assert_accessible(page)

    page.goto("/localities/riverside/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def test_wrong_password_shows_an_error_on_the_form(page, two_sites):
    log_in(page, "northgate-editor", password="not-the-password")
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    assert_accessible(page)


def test_pages_fit_a_360px_screen_and_menu_opens_by_keyboard(new_page, two_sites):
    page = new_page(width=360, height=740)
    log_in(page, "northgate-editor")
    assert_fits_width(page, 360)
    menu = page.get_by_role("button", name="Show navigation")
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/localities/northgate/")
    assert_fits_width(page, 360)


def test_skip_link_is_first_and_moves_focus_to_main(page, two_sites):
    log_in(page, "northgate-editor")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_log_out_returns_to_login(page, two_sites):
    log_in(page, "northgate-editor")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/localities/northgate/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
