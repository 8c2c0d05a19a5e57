"""Commenting where the work is, in a browser (issue 14, item 4): a reviewer comments on a
card from the editor's panel, mentioning the editor; the panel updates in place; the editor
marks it addressed from the panel; the text view shows the conversation; axe finds nothing
serious on the panel, the card's page or the text view."""

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Card, Lane
from localities.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import (
    LocalityFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CARD = "Hears about the walks"


@pytest.fixture
def blueprint():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    MembershipFactory(
        locality=locality,
        user=UserFactory(username="northgate-editor"),
        role=Membership.Role.EDITOR,
    )
    ReviewerFactory(username="reviewer")
    idea = IdeaFactory(locality=locality, title="Welcome walks for new families")
    blueprint = services.create_blueprint(
        locality=locality, idea=idea, title="Welcome walks", by=None
    )
    services.add_card(
        blueprint=blueprint,
        phase=blueprint.phases.order_by("position").first(),
        lane=blueprint.lanes.get(role=Lane.Role.FAMILY),
        title=CARD,
        kind=Card.Kind.STEP,
        emotion=None,
        by=None,
    )
    return blueprint


def open_panel(page, blueprint):
    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/")
    page.get_by_role("link", name=CARD, exact=True).click()
    panel = page.get_by_role("complementary", name="Card details")
    expect(panel.get_by_role("heading", name="Comments")).to_be_visible()
    return panel


def test_comment_on_a_card_from_its_panel_then_address_it(blueprint, page, new_page):
    log_in(page, "reviewer")
    panel = open_panel(page, blueprint)
    panel.get_by_label("Comment on this card").fill("@northgate-editor <b>which</b> school?")
    panel.get_by_role("button", name="Add comment").click()
    expect(panel.get_by_text("Comment added.")).to_be_visible()
    expect(panel.locator(".bp-mention")).to_have_text("@northgate-editor")
    expect(panel.get_by_text("<b>which</b> school?", exact=False)).to_be_visible()
    assert "/cards/" not in page.url  # updated in place, not a page load
    expect(page.locator(".bp-badge-comment")).to_contain_text("1 comment to answer")
    assert_accessible(page)

    page = new_page()  # the editor, in a browser of their own
    log_in(page, "northgate-editor")
    panel = open_panel(page, blueprint)
    panel.get_by_role("button", name="Mark addressed").click()
    expect(panel.get_by_text("Marked addressed")).to_be_visible()
    expect(panel.get_by_role("button", name="Resolve")).to_have_count(0)
    expect(page.locator(".bp-badge-comment")).to_have_count(0)  # addressed: none to answer
    assert_accessible(page)

    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/text/")
    expect(page.get_by_text("school?", exact=False)).to_be_visible()
    assert_accessible(page)


def test_the_cards_page_works_without_the_panel(blueprint, page):
    log_in(page, "reviewer")
    card = blueprint.cards.get()
    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/cards/{card.pk}/")
    page.get_by_label("Comment on this card").fill("Which school?")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Which school?")).to_be_visible()
    assert "#comment-" in page.url
    assert_accessible(page)
