"""A delivery challenge from the programme's starter questions, then one of its questions
worked to an answer, in a browser and from the keyboard: ticking a starter and changing
its words needs no script; axe on every page visited."""

import re

import pytest
from playwright.sync_api import expect

from blueprints.models import DeliveryQuestion, StarterQuestion
from localities.models import Membership
from tests.blueprints.factories import BlueprintFactory
from tests.browser.conftest import assert_accessible, log_in
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CHALLENGE = "Too few volunteers stay past the summer"


@pytest.fixture
def blueprint():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    editor = UserFactory(username="northgate-editor", first_name="Tom", last_name="Kerrigan")
    MembershipFactory(locality=locality, user=editor, role=Membership.Role.EDITOR)
    # A transactional test starts from an empty database: the library as the programme keeps it.
    StarterQuestion.objects.all().delete()
    for n, text in enumerate(
        ["How do we get enough people to become volunteers?", "How do we train and support them?"]
    ):
        StarterQuestion.objects.create(theme="volunteering", text=text, position=n)
    StarterQuestion.objects.create(
        theme="use_of_space", text="How do we offer services where families already are?"
    )
    return BlueprintFactory(locality=locality, title="Welcome walks")


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_challenge_from_starter_questions_and_a_question_answered(page, blueprint):
    log_in(page, "northgate-editor")
    base = f"/localities/northgate/blueprints/{blueprint.pk}"

    # The theme chosen in the link opens its starters first; tick one from the keyboard and
    # put it in the team's words, add one of the team's own.
    page.goto(f"{base}/challenges/new/?theme=volunteering")
    expect(heading(page)).to_have_text("Add a delivery challenge")
    assert_accessible(page)
    page.get_by_label("Title").fill(CHALLENGE)
    words = page.locator("input[type=text][value='How do we train and support them?']")
    tick = page.get_by_role("checkbox", name="Ask this question").nth(1)
    tick.focus()
    page.keyboard.press("Space")
    expect(tick).to_be_checked()
    words.fill("How do we train and support them through the first month?")
    page.get_by_label("Questions to explore").fill("Who pays their bus fares?")
    page.get_by_role("button", name="Add delivery challenge").click()
    expect(page.get_by_role("heading", name=CHALLENGE)).to_be_visible()
    assert list(DeliveryQuestion.objects.values_list("text", flat=True)) == [
        "How do we train and support them through the first month?",
        "Who pays their bus fares?",
    ]

    # The questions page, from the blueprint's sections.
    page.get_by_role("navigation", name="Sections of this blueprint").get_by_role(
        "link", name="Questions", exact=True
    ).click()
    expect(heading(page)).to_have_text("Questions")
    assert_accessible(page)
    page.get_by_role("link", name="Who pays their bus fares?").click()
    expect(heading(page)).to_have_text("Who pays their bus fares?")
    assert_accessible(page)

    # Answered without an answer: told at the field; then answered.
    page.get_by_role("link", name="Edit question").click()
    expect(heading(page)).to_contain_text("Edit the question")
    page.get_by_label("Owner").select_option(label="Tom Kerrigan")
    page.get_by_label("Status").select_option(label="Answered")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("Say what the answer is.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Answer", exact=True).fill("The fund for volunteers' expenses pays them.")
    page.get_by_role("button", name="Save question").click()
    expect(page).to_have_url(re.compile(r"/questions/\d+/$"))
    answer = page.get_by_role("region", name="Answer")
    expect(answer).to_contain_text("The fund for volunteers' expenses pays them.")
    expect(answer).to_contain_text("decided by Tom Kerrigan")
    assert_accessible(page)

    # The list, filtered to what is answered.
    page.goto(f"{base}/questions/?status=answered")
    expect(page.get_by_role("link", name="Who pays their bus fares?")).to_be_visible()
    expect(
        page.get_by_text("How do we train and support them through the first month?")
    ).to_have_count(0)
    assert_accessible(page)
