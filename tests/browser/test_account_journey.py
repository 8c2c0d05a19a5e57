"""A person who has forgotten their password: too many wrong guesses lock them out, the
lockout page sends them to reset it by email, and the emailed link lets them choose a new
password and logs them in. Every page passes axe and works from the keyboard."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.localities.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NEW_PASSWORD = "Fresh-garden-path-42"


def test_a_locked_out_person_resets_their_password_by_email_and_is_logged_in(page):
    UserFactory(username="amira", email="amira@example.org", first_name="Amira", last_name="Khan")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(page, "amira", password="not-the-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed log-ins")
    expect(page.get_by_text("Wait 15 minutes")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="reset it by email").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    assert_accessible(page)
    page.get_by_label("Email").fill("amira@example.org")
    page.get_by_label("Email").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group()
    page.goto(link.removeprefix(settings.SITE_URL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*New password\W*$")).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password set")
    expect(page.get_by_text("Signed in as")).to_contain_text("Amira Khan")
    assert_accessible(page)


def test_the_login_page_offers_the_reset_to_the_keyboard(page):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
