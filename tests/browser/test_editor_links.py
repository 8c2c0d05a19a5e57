"""Links drawn between cards, and the emotion curve's own points, in a browser: a link draws
one connector whose ends touch the two cards' boxes, "Show links" hides it (and the choice
is remembered), selecting a card highlights its connector and the card at the other end,
and a card's emotion changes from the chart by keyboard and by pointer; axe finds nothing
serious on the way."""

import re

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Card, Lane
from localities.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import read, team_blueprint
from tests.localities.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

# How far (px) a connector's end may sit from the edge of its card's box.
TOUCH = 3


@pytest.fixture
def blueprint():
    blueprint = team_blueprint("editor", title="Welcome walks")
    phases = list(blueprint.phases.order_by("position"))
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    frontline = blueprint.lanes.get(role=Lane.Role.FRONTLINE)

    def add(title, phase, lane, emotion=None):
        return services.add_card(
            blueprint=blueprint,
            phase=phase,
            lane=lane,
            title=title,
            kind=Card.Kind.STEP,
            emotion=emotion,
            by=None,
        )

    happy = add("Hears about it", phases[0], family, 2)
    add("Waits a week", phases[0], family, -1)
    guide = add("Guide rings the family", phases[1], frontline)
    services.link_cards(from_card=guide, to_card=happy, by=None)
    blueprint.refresh_from_db()
    return blueprint


@pytest.fixture
def editor_page(blueprint, page):
    log_in(page, "northgate-editor")
    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/")
    return page


def card(page, title):
    return page.locator("article.bp-card", has=page.get_by_role("heading", name=title, exact=True))


def connector_ends(page):
    """Each drawn connector's two ends, in the page's coordinates."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('svg.bp-links-layer path.bp-link'))
          .map((path) => {
            const matrix = path.getScreenCTM();
            const at = (length) => {
              const p = path.getPointAtLength(length);
              const q = new DOMPoint(p.x, p.y).matrixTransform(matrix);
              return [q.x, q.y];
            };
            return [at(0), at(path.getTotalLength())];
          })"""
    )


def touches(point, box) -> bool:
    """The point lies on the edge of the box (within TOUCH px)."""
    x, y = point
    left, top = box["x"], box["y"]
    right, bottom = left + box["width"], top + box["height"]
    inside = left - TOUCH <= x <= right + TOUCH and top - TOUCH <= y <= bottom + TOUCH
    near_edge = min(abs(x - left), abs(x - right), abs(y - top), abs(y - bottom)) <= TOUCH
    return inside and near_edge


def stored_emotion(title):
    return read(lambda: Card.objects.get(title=title).emotion)


def test_a_link_draws_one_connector_between_the_two_cards_boxes(editor_page):
    page = editor_page
    expect(page.locator("svg.bp-links-layer path.bp-link")).to_have_count(1)
    ((start, end),) = connector_ends(page)
    assert touches(start, card(page, "Guide rings the family").bounding_box())
    assert touches(end, card(page, "Hears about it").bounding_box())
    layer = page.locator("svg.bp-links-layer")
    expect(layer).to_have_attribute("aria-hidden", "true")
    assert_accessible(page)


def test_the_connector_follows_the_cards_when_the_grid_scrolls(editor_page):
    page = editor_page
    page.set_viewport_size({"width": 900, "height": 800})  # the grid now scrolls sideways
    page.locator(".bp-scroll").evaluate("(box) => { box.scrollLeft = 200; }")
    ((start, end),) = connector_ends(page)
    assert touches(start, card(page, "Guide rings the family").bounding_box())
    assert touches(end, card(page, "Hears about it").bounding_box())


def wait_for_redraw(page, before):
    """Until the connector's ends are no longer where they were (the redraw waits for the next
    animation frame), then where they are now."""
    page.wait_for_function(
        """(before) => {
          const path = document.querySelector('svg.bp-links-layer path.bp-link');
          return path && path.getAttribute('d') !== before;
        }""",
        arg=before,
    )
    return connector_ends(page)


def connector_d(page):
    return page.locator("svg.bp-links-layer path.bp-link").get_attribute("d")


def test_the_connector_follows_a_card_that_changes_size(editor_page):
    """What a density change does to the cards: the connector is redrawn to the new boxes."""
    page = editor_page
    before = connector_d(page)
    card(page, "Hears about it").evaluate("(box) => { box.style.minHeight = '260px'; }")
    ((start, end),) = wait_for_redraw(page, before)
    assert touches(start, card(page, "Guide rings the family").bounding_box())
    assert touches(end, card(page, "Hears about it").bounding_box())


def test_the_connector_follows_a_card_moved_by_htmx(editor_page, blueprint):
    page = editor_page
    before = connector_d(page)
    card(page, "Hears about it").focus()
    page.keyboard.press("Shift+ArrowRight")  # move it one phase right
    ((start, end),) = wait_for_redraw(page, before)
    expect(page.locator("svg.bp-links-layer path.bp-link")).to_have_count(1)
    assert touches(start, card(page, "Guide rings the family").bounding_box())
    assert touches(end, card(page, "Hears about it").bounding_box())


def test_show_links_hides_the_connectors_and_is_remembered(editor_page):
    page = editor_page
    toggle = page.get_by_role("button", name="Show links")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("svg.bp-links-layer path.bp-link")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("button", name="Show links")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("svg.bp-links-layer path.bp-link")).to_have_count(0)
    page.get_by_role("button", name="Show links").click()
    expect(page.locator("svg.bp-links-layer path.bp-link")).to_have_count(1)


def test_selecting_a_card_highlights_its_connector_and_the_linked_card(editor_page):
    page = editor_page
    connector = page.locator("svg.bp-links-layer path.bp-link")
    expect(connector).not_to_have_class("bp-link bp-link-active")
    card(page, "Guide rings the family").locator(".bp-card-kind").click()
    expect(connector).to_have_class("bp-link bp-link-active")
    expect(card(page, "Hears about it")).to_have_class("bp-card bp-kind-step bp-linked")
    card(page, "Waits a week").focus()  # a card with no links: nothing highlighted
    expect(connector).to_have_class("bp-link")
    expect(card(page, "Hears about it")).to_have_class("bp-card bp-kind-step")


def test_an_emotion_changes_from_the_chart_by_keyboard(editor_page):
    page = editor_page
    point = page.get_by_role("link", name="Waits a week: emotion −1 (unhappy)", exact=True)
    point.focus()
    page.keyboard.press("ArrowUp")
    moved = page.get_by_role(
        "link", name="Waits a week: emotion 0 (neither happy nor unhappy)", exact=True
    )
    expect(moved).to_be_focused()
    assert stored_emotion("Waits a week") == 0
    expect(card(page, "Waits a week")).to_contain_text("Emotion: neither happy nor unhappy (0)")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Waits a week: emotion −1 (unhappy)")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Waits a week: emotion −2 (very unhappy)")).to_be_focused()
    assert stored_emotion("Waits a week") == -2
    expect(page.get_by_text("Worst moment: Waits a week, −2", exact=True)).to_be_visible()
    assert_accessible(page)


def test_an_emotion_changes_from_the_chart_by_pointer(editor_page):
    page = editor_page
    page.get_by_role("link", name="Hears about it: emotion +2 (very happy)").click()
    form = page.get_by_role("form", name="How does the family feel at “Hears about it”?")
    expect(form.get_by_label("Emotion")).to_be_focused()
    assert_accessible(page)  # with the form open under the chart
    form.get_by_label("Emotion").select_option(label="-2 very negative")
    form.get_by_role("button", name="Save emotion").click()
    expect(
        page.get_by_role("link", name="Hears about it: emotion −2 (very unhappy)")
    ).to_be_visible()
    expect(form).to_have_count(0)
    assert stored_emotion("Hears about it") == -2
    expect(page.get_by_text("Worst moment: Hears about it, −2", exact=True)).to_be_visible()


def test_unlinking_in_the_card_panel_removes_the_connector(editor_page):
    page = editor_page
    expect(page.locator("svg.bp-links-layer path.bp-link")).to_have_count(1)
    page.get_by_role("link", name="Guide rings the family", exact=True).click()
    panel = page.get_by_role("complementary", name="Card details")
    panel.get_by_role("button", name="Unlink Hears about it").click()
    expect(panel.get_by_role("status")).to_contain_text("no longer serves")
    expect(page.locator("svg.bp-links-layer path.bp-link")).to_have_count(0)


def test_a_viewer_sees_the_connector_and_the_points_lead_to_the_cards(blueprint, page):
    viewer = UserFactory(username="northgate-viewer")
    MembershipFactory(locality=blueprint.locality, user=viewer, role=Membership.Role.VIEWER)
    log_in(page, "northgate-viewer")
    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/")
    expect(page.locator("svg.bp-links-layer path.bp-link")).to_have_count(1)
    point = page.get_by_role("link", name="Waits a week: emotion −1 (unhappy)", exact=True)
    card_id = Card.objects.get(title="Waits a week").pk
    expect(point).to_have_attribute("href", re.compile(rf"/cards/{card_id}/$"))
    expect(point).not_to_have_attribute("data-editable", "")
    assert_accessible(page)


def test_deleting_a_card_removes_its_connector_and_undo_draws_it_again(editor_page):
    page = editor_page
    connectors = page.locator("svg.bp-links-layer path.bp-link")
    expect(connectors).to_have_count(1)
    card(page, "Hears about it").focus()
    page.keyboard.press("Delete")
    page.get_by_role("button", name="Delete card").click()
    expect(page.get_by_role("status").filter(has_text="Deleted")).to_have_text(
        "Deleted “Hears about it”."
    )
    expect(connectors).to_have_count(0)
    assert page.locator("#bp-links").get_attribute("data-links") == "[]"
    page.get_by_role("button", name="Undo deleting “Hears about it”").click()
    expect(card(page, "Hears about it")).to_be_visible()
    expect(connectors).to_have_count(1)  # to the card as it is back, with its new id
    ((start, end),) = connector_ends(page)
    assert touches(start, card(page, "Guide rings the family").bounding_box())
    assert touches(end, card(page, "Hears about it").bounding_box())
    assert_accessible(page)
