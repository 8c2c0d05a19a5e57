"""Issue 14's whole loop in a browser: a reviewer comments on a card of a submitted blueprint
and requests changes; the editor reads the request on the dashboard, marks the comment
addressed and resubmits; the reviewer finds the resubmission waiting, resolves the comment
and approves. axe on every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Blueprint, Comment, Lane
from blueprints.review import actions as review_actions
from localities.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import read
from tests.browser.test_review_journey import reviewers_group
from tests.localities.factories import (
    LocalityFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CARD = "Hears about the walk from a neighbour"
COMMENT = "How do families who know no neighbour hear of it?"
NOTE = "Answer the comment on the first card, then send it back."


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
    services.add_card(
        blueprint=blueprint,
        phase=blueprint.phases.order_by("position").first(),
        lane=blueprint.lanes.get(role=Lane.Role.FAMILY),
        title=CARD,
        kind="step",
        by=editor,
    )
    review_actions.submit(blueprint=blueprint, by=editor)
    return blueprint


def move_form(page, label):
    """The review page's form for one move, found by its heading."""
    return page.locator("form", has=page.get_by_role("heading", name=label, exact=True))


def state_of(blueprint):
    return read(lambda: Blueprint.objects.get(pk=blueprint.pk).review_state)


def test_changes_requested_answered_resubmitted_resolved_and_approved(new_page, blueprint):
    editor_url = f"/localities/northgate/blueprints/{blueprint.pk}/"
    review_url = f"{editor_url}review/"

    # The reviewer comments on the card from the card's own panel, then requests changes.
    reviewer = new_page()
    log_in(reviewer, "unit-reviewer")
    reviewer.goto(editor_url)
    reviewer.get_by_role("link", name=CARD, exact=True).click()
    panel = reviewer.get_by_role("complementary", name="Card details")
    panel.get_by_label("Comment on this card").fill(COMMENT)
    panel.get_by_role("button", name="Add comment").click()
    expect(panel.get_by_text("Comment added.")).to_be_visible()
    assert_accessible(reviewer)
    reviewer.goto(review_url)
    request = move_form(reviewer, "Request changes")
    request.get_by_role("textbox").fill(NOTE)
    request.get_by_role("button", name="Request changes").click()
    expect(reviewer.locator("#state-heading")).to_contain_text("Changes requested")
    assert state_of(blueprint) == "changes_requested"
    assert_accessible(reviewer)

    # The editor reads the request and the comment to answer on the dashboard.
    editor = new_page()
    log_in(editor, "northgate-editor")
    editor.goto("/")
    notice = editor.locator(".review-notice")
    expect(notice).to_contain_text("Changes requested")
    expect(notice).to_contain_text(NOTE)
    expect(notice).to_contain_text("1 open comment to answer")
    expect(notice).to_contain_text(COMMENT)
    assert_accessible(editor)

    # ...marks it addressed from the card's panel, and resubmits.
    editor.goto(editor_url)
    editor.get_by_role("link", name=CARD, exact=True).click()
    panel = editor.get_by_role("complementary", name="Card details")
    panel.get_by_role("button", name="Mark addressed").click()
    expect(panel.get_by_text("Marked addressed")).to_be_visible()
    expect(panel.get_by_role("button", name="Resolve")).to_have_count(0)  # the reviewer's
    assert_accessible(editor)
    editor.goto(review_url)
    move_form(editor, "Submit for review").get_by_role("button", name="Submit for review").click()
    expect(editor.locator("#review-version")).to_contain_text("Submitted version 2")
    assert state_of(blueprint) == "submitted"
    editor.goto("/")
    expect(editor.locator(".review-notice")).to_have_count(0)
    assert_accessible(editor)

    # The reviewer finds the resubmission waiting, resolves the comment and approves.
    reviewer.goto("/")
    waiting = reviewer.get_by_role("region", name="Waiting for you")
    expect(waiting.get_by_text("resubmitted")).to_be_visible()
    assert_accessible(reviewer)
    waiting.get_by_role("link", name=re.compile(r"^Welcome walks")).click()
    expect(reviewer.get_by_text("addressed by Tom Kerrigan")).to_be_visible()
    reviewer.get_by_role("button", name="Resolve this conversation").click()
    expect(reviewer.get_by_role("button", name="Reopen this conversation")).to_be_visible()
    assert read(lambda: Comment.objects.get(parent=None).resolved_at) is not None
    approve = move_form(reviewer, "Approve")
    approve.get_by_role("textbox").fill("Thank you: the answer on the first card settles it.")
    approve.get_by_role("button", name="Approve").click()
    expect(reviewer.locator("#state-heading")).to_contain_text("Approved")
    expect(reviewer.locator("#review-version")).to_contain_text("Approved version 2")
    assert state_of(blueprint) == "approved"
    assert_accessible(reviewer)
