"""Issue 14 in a browser: an editor's edit to a blueprint submitted meanwhile is refused and
the page comes back read-only with the banner; "Withdraw to edit" opens it again; after a
reviewer requests changes, the dashboard and the overview carry the note and the comments to
answer. axe on each page."""

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Blueprint, Lane
from blueprints.review import actions as review_actions
from blueprints.review import states as review_states
from localities.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_review_journey import reviewers_group
from tests.localities.factories import (
    LocalityFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CARD = "Hears about the walk from a neighbour"
NOTE = "Say how families who do not know a neighbour hear of it."


@pytest.fixture
def blueprint():
    reviewers_group()
    locality = LocalityFactory(name="Northgate", slug="northgate")
    editor = UserFactory(username="northgate-editor", first_name="Tom", last_name="Kerrigan")
    MembershipFactory(locality=locality, user=editor, role=Membership.Role.EDITOR)
    ReviewerFactory(username="unit-reviewer", first_name="Ada", last_name="Reyes")
    blueprint = services.create_blueprint(
        locality=locality, idea=None, title="Welcome walks", by=editor
    )
    awareness = blueprint.phases.order_by("position").first()
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    services.add_card(
        blueprint=blueprint, phase=awareness, lane=family, title=CARD, kind="step", by=editor
    )
    return blueprint


def test_an_edit_after_submission_is_refused_then_withdraw_opens_it_again(new_page, blueprint):
    editor_user = blueprint.created_by
    page = new_page()
    log_in(page, "northgate-editor")
    editor_url = f"/localities/northgate/blueprints/{blueprint.pk}/"
    page.goto(editor_url)
    page.locator("article.bp-card", has=page.get_by_role("heading", name=CARD)).focus()
    page.keyboard.press("e")
    form = page.get_by_role("form", name=f"Edit card {CARD}")
    form.get_by_label("Title").fill("Changed while submitted")

    # Meanwhile, a colleague submits it.
    review_actions.submit(blueprint=blueprint, by=editor_user)

    form.get_by_role("button", name="Save").click()
    banner = page.locator("#bp-frozen")
    expect(banner).to_contain_text(review_states.FROZEN_MESSAGE)
    expect(page.get_by_role("heading", name=CARD)).to_be_visible()
    assert blueprint.cards.get().title == CARD
    expect(page.locator(".bp-version-label")).to_contain_text("Submitted version 1")
    assert_accessible(page)

    page.get_by_role("button", name="Withdraw to edit").click()
    expect(page.get_by_role("status").first).to_contain_text("Submission withdrawn")
    expect(page.locator("#bp-frozen")).to_have_count(0)
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == "draft"
    assert_accessible(page)


def test_the_team_reads_the_reviewers_request_on_the_dashboard_and_overview(new_page, blueprint):
    reviewer = ReviewerFactory._meta.model.objects.get(username="unit-reviewer")
    review_actions.submit(blueprint=blueprint, by=blueprint.created_by)
    review_actions.request_changes(blueprint=blueprint, by=reviewer, note=NOTE)
    page = new_page()
    log_in(page, "northgate-editor")
    page.goto("/")
    notice = page.get_by_role("region", name="Changes requested on “Welcome walks”")
    expect(notice).to_contain_text(NOTE)
    expect(notice).to_contain_text("Ada Reyes")
    assert_accessible(page)
    page.goto("/localities/northgate/")
    expect(page.get_by_role("region", name="What to do next")).to_contain_text(
        "Answer the reviewer's comments and resubmit"
    )
    expect(page.get_by_text(NOTE)).to_be_visible()
    assert_accessible(page)
