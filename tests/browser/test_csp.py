"""The Content-Security-Policy in a browser (issue 9): markup slipped into a real page of
the app, an inline script and an inline event handler, does not run, and the browser
reports the violation; the app's own JavaScript, all in static files, still works.

The injection is done by intercepting the server's response and adding to its HTML while
keeping its headers, as a stored XSS would arrive. The listener for violations is an init
script, which the browser runs through the DevTools protocol, outside the page's policy.
"""

import pytest
from playwright.sync_api import expect

from blueprints import services
from localities.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.consultations.factories import ConsultationFactory, IdeaFactory
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

INJECTED = (
    '<script>document.title = "pwned"; window.__ran = true;</script>'
    '<img src="x" alt="" id="injected" onerror="window.__ran2 = true">'
)

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.effectiveDirective);
});
"""

# window.print() would open the print dialogue; count the calls instead.
COUNT_PRINTS = "window.__prints = 0; window.print = function () { window.__prints += 1; };"


@pytest.fixture
def northgate():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    editor = UserFactory(username="northgate-editor", first_name="Tom", last_name="Kerrigan")
    MembershipFactory(locality=locality, user=editor, role=Membership.Role.EDITOR)
    return locality


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def test_an_injected_inline_script_and_handler_do_not_run(page, northgate):
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, "northgate-editor")

    def inject(route):
        response = route.fetch()
        body = response.text().replace("</main>", INJECTED + "</main>", 1)
        route.fulfill(response=response, body=body)

    page.route("/", inject)
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Tom Kerrigan")
    expect(page.locator("main #injected")).to_be_attached()  # the markup did arrive
    page.wait_for_function("document.getElementById('injected').complete")  # it has failed

    assert page.evaluate("[window.__ran, window.__ran2]") == [None, None]
    assert page.title() != "pwned"
    page.wait_for_function("window.__violations.length >= 2")
    assert sorted(set(violations(page))) == ["script-src-attr", "script-src-elem"]


def test_the_print_button_works_from_the_keyboard_under_the_policy(page, northgate):
    consultation = ConsultationFactory(locality=northgate, title="Drop-in at the library")
    page.add_init_script(RECORD_VIOLATIONS)
    page.add_init_script(COUNT_PRINTS)
    log_in(page, "northgate-editor")
    page.goto(f"/localities/northgate/consultations/{consultation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Drop-in at the library")

    page.get_by_role("button", name="Print the QR code").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.__prints") == 1
    assert violations(page) == []
    # Bootstrap fades a pressed button's colours; axe must see them settled, not mid-fade.
    page.emulate_media(reduced_motion="reduce")
    assert_accessible(page)


def test_the_editor_adds_a_card_with_htmx_under_the_policy(page, northgate):
    blueprint = services.create_blueprint(
        locality=northgate,
        idea=IdeaFactory(locality=northgate, title="Welcome walks"),
        title="Welcome walks: service blueprint",
        by=None,
    )
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, "northgate-editor")
    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/")
    # The editor's own htmx settings, and base.html's that keep htmx from eval.
    assert page.evaluate("[htmx.config.allowEval, htmx.config.allowScriptTags]") == [False, False]
    assert page.evaluate("htmx.config.defaultSettleDelay") == 0

    page.get_by_role("button", name="Add card to Family experience, Awareness").click()
    form = page.get_by_role("form", name="New card in Family experience, Awareness")
    expect(form.get_by_label("Title")).to_be_focused()  # blueprint-editor.js moved focus
    form.get_by_label("Title").fill("Hears about the welcome walk")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Hears about the welcome walk")).to_be_visible()
    assert violations(page) == []
