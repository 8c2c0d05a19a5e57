"""Issue 12's portfolio, in a browser: a reviewer reads a site's answer by pointing at its
question and, without a mouse, by moving the focus to it (Escape hides it again); then
sorts the decided prototypes by cost per family with the column's link. axe on both."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import DeliveryChallenge, Prototype
from tests.blueprints.factories import BlueprintFactory, DeliveryChallengeFactory, PrototypeFactory
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_review_journey import reviewers_group
from tests.localities.factories import LocalityFactory, ReviewerFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ANSWER = "Two evenings with a paid mentor, then shadowing."


@pytest.fixture
def sites():
    reviewers_group()
    ReviewerFactory(username="unit-reviewer")
    alder = BlueprintFactory(locality=LocalityFactory(name="Alder", slug="alder"))
    birch = BlueprintFactory(locality=LocalityFactory(name="Birch", slug="birch"))
    challenge = DeliveryChallengeFactory(
        blueprint=alder,
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        questions=["How do we train volunteers?", "Who recruits them?"],
    )
    services.update_delivery_question(
        question=challenge.questions.order_by("position").first(),
        by=None,
        status="answered",
        answer=ANSWER,
        answered_on=datetime.date(2026, 6, 1),
    )
    PrototypeFactory(
        blueprint=alder,
        title="Welcome walks",
        decision=Prototype.Decision.ADOPT,
        families_reached=4,
        cash_cost=Decimal("100"),
    )
    PrototypeFactory(
        blueprint=birch,
        title="Dads' café",
        decision=Prototype.Decision.ADAPT,
        families_reached=10,
        cash_cost=Decimal("50"),
    )


def test_a_reviewer_reads_answers_by_pointer_and_keyboard_and_sorts_prototypes(sites, page):
    log_in(page, "unit-reviewer")
    page.goto("/portfolio/questions/")
    answer = page.get_by_role("tooltip")
    question = page.get_by_role("link", name="How do we train volunteers?")
    expect(answer).to_be_hidden()
    assert_accessible(page)

    question.hover()
    expect(answer).to_be_visible()
    expect(answer).to_contain_text(ANSWER)
    page.mouse.move(0, 0)
    expect(answer).to_be_hidden()

    question.focus()
    expect(answer).to_be_visible()
    expect(question).to_have_accessible_description(f"Answer, 1 Jun 2026: {ANSWER}")
    page.keyboard.press("Escape")
    expect(answer).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(answer).to_be_visible()

    page.get_by_role("link", name="Decided prototypes").click()
    rows = page.locator("tbody tr th")
    expect(rows).to_have_text(["Alder", "Birch"])
    page.get_by_role("link", name="Cost per family").click()
    expect(page.get_by_role("columnheader", name="Cost per family")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(rows).to_have_text(["Birch", "Alder"])  # £5.00, then £25.00
    assert_accessible(page)
