"""Live co-editing in two browsers (issue 16): what one editor does appears in the other's
grid within two seconds, without a reload, and never over a form the other has open; who
else is here shows in the header and on the card they edit; a dropped connection says so,
reconnects and catches up. Served by daphne (HTTP and WebSocket), see asgi_server.py."""

import re

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Card, Lane
from localities.models import Membership
from tests.browser.asgi_server import asgi_server_url  # noqa: F401 -- a fixture
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import editor_path, read, team_blueprint
from tests.localities.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SOON = 2_000  # ms: the "within 2 s"


@pytest.fixture
def blueprint():
    blueprint = team_blueprint("editor", "lead")
    editor = blueprint.locality.memberships.get(role="editor").user
    editor.first_name, editor.last_name = "Amira", "Khan"
    editor.save()
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    backstage = blueprint.lanes.get(role=Lane.Role.BACKSTAGE)
    awareness, use = blueprint.phases.order_by("position")[:2]
    for title, phase, lane in [
        ("Library visit", awareness, family),
        ("Bus to the hub", awareness, family),
        ("Old leaflet", use, family),
        ("Call the family", use, backstage),
    ]:
        services.add_card(
            blueprint=blueprint, phase=phase, lane=lane, title=title, kind=Card.Kind.STEP, by=None
        )
    return blueprint


@pytest.fixture
def open_as(browser, asgi_server_url):  # noqa: F811
    contexts = []

    def open_page(username):
        context = browser.new_context(
            base_url=asgi_server_url,
            viewport={"width": 1400, "height": 900},
            reduced_motion="reduce",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, username)
        return page

    yield open_page
    for context in contexts:
        context.close()


def cell_of(page, blueprint, role, position):
    lane = blueprint.lanes.get(role=role)
    phase = blueprint.phases.get(position=position)
    return page.locator(f"#cell-{phase.pk}-{lane.pk}")


def live(page):
    expect(page.locator("#bp-live-state")).to_have_text("Live")


def card_action(page, title, action):
    page.get_by_role("link", name=f"Actions for {title}").click()
    page.get_by_role("menu", name=f"Actions for {title}").get_by_role(
        "menuitem", name=action
    ).click()


def test_changes_in_one_browser_appear_in_the_other(blueprint, open_as):
    a = open_as("northgate-editor")
    b = open_as("northgate-lead")
    for page in (a, b):
        page.goto(editor_path(blueprint))
        live(page)

    # Presence: each sees the other's initials, with the name for a screen reader.
    expect(b.get_by_role("list", name="Also here").get_by_role("listitem")).to_have_text(
        "AKAmira Khan"
    )

    # B opens a card's form and starts typing.
    card_action(b, "Call the family", "Edit")
    form = b.get_by_role("form", name="Edit card Call the family")
    form.get_by_label("Details").fill("B's words, not yet saved")
    # A sees who is editing which card.
    marker = a.locator("article", has=a.get_by_role("heading", name="Call the family"))
    lead_name = read(lambda: blueprint.locality.memberships.get(role="lead").user.get_full_name())
    expect(marker.get_by_text(f"{lead_name} is editing")).to_be_visible(timeout=SOON)

    # An edit in A appears in B.
    card_action(a, "Library visit", "Edit")
    a_form = a.get_by_role("form", name="Edit card Library visit")
    a_form.get_by_label("Title").fill("Library walk")
    a_form.get_by_role("button", name="Save").click()
    expect(b.get_by_role("heading", name="Library walk")).to_be_visible(timeout=SOON)

    # A move in A (Shift+Right on the card) appears in B.
    a.locator("article", has=a.get_by_role("heading", name="Bus to the hub")).focus()
    a.keyboard.press("Shift+ArrowRight")
    expect(
        cell_of(b, blueprint, Lane.Role.FAMILY, 1).get_by_role("heading", name="Bus to the hub")
    ).to_be_visible(timeout=SOON)
    expect(
        cell_of(b, blueprint, Lane.Role.FAMILY, 0).get_by_role("heading", name="Bus to the hub")
    ).to_have_count(0)

    # A delete in A appears in B.
    card_action(a, "Old leaflet", "Delete")
    a.get_by_role("button", name="Delete card").click()
    expect(b.get_by_role("heading", name="Old leaflet")).to_have_count(0, timeout=SOON)

    # A changes the card B is editing: B's form keeps B's text and says so.
    card_action(a, "Call the family", "Edit")
    a_form = a.get_by_role("form", name="Edit card Call the family")
    a_form.get_by_label("Title").fill("Call the family within a week")
    a_form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("Changed by Amira Khan — see the new text.")).to_be_visible(
        timeout=SOON
    )
    expect(form.get_by_label("Details")).to_have_value("B's words, not yet saved")
    expect(form.get_by_role("link", name=re.compile("^See Amira Khan's version"))).to_be_visible()
    assert_accessible(b)
    assert read(lambda: Card.objects.filter(title="Old leaflet").count()) == 0


def test_a_dropped_connection_reconnects_and_catches_up(blueprint, open_as):
    b = open_as("northgate-lead")
    b.goto(editor_path(blueprint))
    live(b)
    b.context.set_offline(True)
    expect(b.locator("#bp-live-state")).to_have_text("Offline, reconnecting…")
    card = read(lambda: Card.objects.get(title="Library visit"))
    services.update_card(card=card, expected_version=card.version, by=None, title="Library walk")
    b.context.set_offline(False)
    live(b)
    expect(b.get_by_role("heading", name="Library walk")).to_be_visible(timeout=5_000)
    assert_accessible(b)


def test_logging_out_in_one_tab_says_so_in_the_other(blueprint, open_as):
    editing = open_as("northgate-lead")
    editing.goto(editor_path(blueprint))
    live(editing)
    other_tab = editing.context.new_page()
    other_tab.goto(editor_path(blueprint))
    live(other_tab)

    other_tab.get_by_role("button", name="Log out").click()

    state = editing.locator("#bp-live-state")
    expect(state).to_contain_text("Live updates stopped: you have signed out.", timeout=SOON)
    log_in_again = state.get_by_role("link", name="Log in again")
    expect(log_in_again).to_have_attribute(
        "href", "/accounts/login/?next=" + editor_path(blueprint)
    )
    assert_accessible(editing)
    # It stays stopped: no reconnect brings "Live" back over the message.
    editing.wait_for_timeout(1_500)
    expect(state).to_contain_text("you have signed out")
    log_in_again.click()
    expect(editing.get_by_label("Username")).to_be_visible()


def test_presence_shows_each_person_once_and_namesakes_apart(blueprint, open_as):
    lead = read(lambda: blueprint.locality.memberships.get(role="lead").user)
    namesake = read(
        lambda: (
            MembershipFactory(
                locality=blueprint.locality,
                role=Membership.Role.VIEWER,
                user=UserFactory(
                    username="northgate-namesake",
                    first_name=lead.first_name,
                    last_name=lead.last_name,
                ),
            ).user
        )
    )
    watching = open_as("northgate-editor")
    watching.goto(editor_path(blueprint))
    live(watching)
    first_tab = open_as("northgate-lead")
    second_tab = first_tab.context.new_page()
    for page in (first_tab, second_tab, open_as(namesake.username)):
        page.goto(editor_path(blueprint))
        live(page)

    people = watching.get_by_role("list", name="Also here").get_by_role("listitem")
    expect(people).to_have_count(2, timeout=SOON)
    expect(people).to_contain_text([lead.get_full_name()] * 2)
    # The lead sees the namesake, and not themself from their other tab.
    expect(second_tab.get_by_role("list", name="Also here").get_by_role("listitem")).to_have_count(
        2, timeout=SOON
    )  # the editor and the namesake


def test_a_rename_in_one_browser_changes_the_others_header(blueprint, open_as):
    a = open_as("northgate-editor")
    b = open_as("northgate-lead")
    b.goto(editor_path(blueprint))
    live(b)
    card_action(b, "Call the family", "Edit")
    form = b.get_by_role("form", name="Edit card Call the family")
    form.get_by_label("Details").fill("B's words, not yet saved")

    a.goto(editor_path(blueprint) + "edit/")
    a.get_by_label("Title").fill("Walks <b>& talks</b>")
    a.get_by_role("button", name="Save blueprint").click()

    expect(b.get_by_role("heading", level=1)).to_have_text("Walks <b>& talks</b>", timeout=SOON)
    expect(b).to_have_title(re.compile(r"^Walks <b>& talks</b> · Northgate"))
    expect(b.locator("h1 b")).to_have_count(0)  # text, not markup
    expect(form.get_by_label("Details")).to_have_value("B's words, not yet saved")


def test_a_card_added_by_keyboard_keeps_focus_when_the_page_hears_of_its_own_change(
    blueprint, open_as
):
    """The socket tells every open editor of a change, the one that made it included, and
    often before the change's own response arrives: the echo redraws the cell, and the new
    card that the add had just focused must stay focused, so the keyboard user carries on."""
    page = open_as("northgate-editor")
    page.goto(editor_path(blueprint))
    live(page)
    page.locator("article", has=page.get_by_role("heading", name="Library visit")).focus()
    page.keyboard.press("n")
    page.keyboard.type("Grandad walks too")
    with page.expect_response(lambda response: "/changes/" in response.url, timeout=SOON):
        page.keyboard.press("Enter")
    added = page.locator("article", has=page.get_by_role("heading", name="Grandad walks too"))
    expect(added).to_be_focused()
    page.wait_for_timeout(300)  # whatever the echo sets off has run
    expect(added).to_be_focused()
