"""Issue 14's worklist, in a browser: a reviewer finds on the dashboard what waits for
them, oldest first; opens the portfolio's review worklist, filters it by theme and state
with the form alone (no script needed), meets a bad link's message next to the field, and
goes from a row to its review page; a team member sees the states on the blueprint list.
axe on each page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blueprints.models import DeliveryChallenge, ReviewTransition
from blueprints.review import actions as review_actions
from localities.models import Membership
from tests.blueprints.factories import BlueprintFactory, DeliveryChallengeFactory
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_review_journey import reviewers_group
from tests.localities.factories import (
    LocalityFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def aged(blueprint, days):
    """The blueprint's moves so far, dated `days` days back (the latest is the last made)."""
    ReviewTransition.objects.filter(blueprint=blueprint).update(
        at=timezone.now() - timedelta(days=days, hours=1)
    )


@pytest.fixture
def sites():
    reviewers_group()
    reviewer = ReviewerFactory(username="unit-reviewer")
    lead = UserFactory(username="alder-lead", is_superuser=True)  # submits everywhere
    alder = LocalityFactory(name="Alder", slug="alder")
    birch = LocalityFactory(name="Birch", slug="birch")
    MembershipFactory(
        locality=alder, role=Membership.Role.EDITOR, user=UserFactory(username="alder-editor")
    )
    walks = BlueprintFactory(locality=alder, title="Welcome walks")
    DeliveryChallengeFactory(blueprint=walks, theme=DeliveryChallenge.Theme.VOLUNTEERING)
    review_actions.submit(blueprint=walks, by=lead)
    aged(walks, 3)
    cafe = BlueprintFactory(locality=birch, title="Dads' café")
    review_actions.submit(blueprint=cafe, by=lead)
    review_actions.request_changes(blueprint=cafe, by=reviewer, note="Who opens the hall?")
    review_actions.submit(blueprint=cafe, by=lead)
    aged(cafe, 8)
    library = BlueprintFactory(locality=alder, title="Toy library")
    review_actions.submit(blueprint=library, by=lead)
    review_actions.request_changes(blueprint=library, by=reviewer, note="Costs, please.")
    BlueprintFactory(locality=alder, title="Stay and play")  # a draft


def test_a_reviewer_works_through_the_worklist(sites, page):
    log_in(page, "unit-reviewer")
    page.goto("/")
    waiting = page.get_by_role("region", name="Waiting for you")
    items = waiting.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Dads' café")
    expect(items.nth(0)).to_contain_text("resubmitted")
    expect(items.nth(0)).to_contain_text("waiting 8 days")
    expect(items.nth(1)).to_contain_text("Welcome walks")
    expect(waiting).to_contain_text("1 blueprint with changes requested, waiting for its team")
    assert_accessible(page)

    page.goto("/portfolio/")
    assert_accessible(page)
    page.get_by_role("link", name="Review worklist", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portfolio/review/$"))
    rows = page.locator("#worklist tbody tr th")
    expect(rows).to_have_text(["Dads' café", "Welcome walks", "Toy library"])
    assert_accessible(page)

    page.get_by_label("Delivery-challenge theme").select_option(label="Volunteering")
    page.get_by_role("button", name="Show blueprints").click()
    expect(rows).to_have_text(["Welcome walks"])
    page.get_by_label("Delivery-challenge theme").select_option(label="Any theme")
    page.get_by_label("State").select_option(label="Draft")
    page.get_by_label("Delivery-challenge theme").press("Tab")  # to the button, by keyboard
    expect(page.get_by_role("button", name="Show blueprints")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows).to_have_text(["Stay and play"])

    page.goto("/portfolio/review/?state=forgotten")
    expect(page.get_by_text("Choose a state from the list.")).to_be_visible()
    expect(rows).to_have_text(["Dads' café", "Welcome walks", "Toy library"])
    assert_accessible(page)

    page.get_by_role("link", name="Review page of Dads' café, Birch").click()
    expect(page.get_by_role("heading", name="State: Submitted")).to_be_visible()


def test_a_team_member_sees_the_states_on_the_blueprint_list(sites, page):
    log_in(page, "alder-editor")
    page.goto("/")
    expect(page.get_by_text("Waiting for you")).to_have_count(0)
    page.goto("/localities/alder/blueprints/")
    walks = page.get_by_role("listitem").filter(has_text="Welcome walks").first
    expect(walks).to_contain_text("Submitted")
    expect(walks).to_contain_text("waiting for review 3 days")
    library = page.get_by_role("listitem").filter(has_text="Toy library").first
    expect(library).to_contain_text("Changes requested")
    assert_accessible(page)
