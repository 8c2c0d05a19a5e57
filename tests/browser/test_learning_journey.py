"""Issue 12's journey across two sites: a prototype planned to test two of a delivery
challenge's questions, its results and decision recorded, one question answered with it and
published; then a member of another site finds the answer by a word of it and starts a
delivery challenge of their own from it. axe on every page visited."""

import re

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import DeliveryChallenge, DeliveryQuestion, Prototype
from localities.models import Membership
from tests.blueprints.factories import BlueprintFactory
from tests.browser.conftest import assert_accessible, log_in
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PROTOTYPE = "Six Thursday evenings at the youth centre"
ANSWER = "Young parents came back when a volunteer greeted them by name at the door."


@pytest.fixture
def sites():
    millbrook = LocalityFactory(name="Millbrook", slug="millbrook")
    editor = UserFactory(username="millbrook-editor", first_name="Liam", last_name="Walsh")
    MembershipFactory(locality=millbrook, user=editor, role=Membership.Role.EDITOR)
    blueprint = BlueprintFactory(locality=millbrook, title="The Den")
    services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.ENGAGING_FAMILIES,
        title="Young parents do not come back",
        questions=["What brings a young parent back a second time?", "Who should greet them?"],
        by=editor,
    )
    northgate = LocalityFactory(name="Northgate", slug="northgate")
    other = UserFactory(username="northgate-lead", first_name="Amira", last_name="Haddad")
    MembershipFactory(locality=northgate, user=other, role=Membership.Role.LEAD)
    BlueprintFactory(locality=northgate, title="Welcome walks")
    return blueprint


def heading(page):
    return page.get_by_role("heading", level=1)


def test_a_prototypes_answer_is_published_and_another_site_starts_from_it(page, sites):
    log_in(page, "millbrook-editor")
    prototypes = f"/localities/millbrook/blueprints/{sites.pk}/prototypes/"

    # Plan the prototype, testing both questions.
    page.goto(prototypes + "new/")
    expect(heading(page)).to_have_text("Plan a prototype")
    assert_accessible(page)
    page.get_by_label("Title").fill(PROTOTYPE)
    page.get_by_role("checkbox", name=re.compile("^What brings a young parent back")).check()
    page.get_by_role("checkbox", name=re.compile("^Who should greet them")).check()
    page.get_by_role("button", name="Save prototype plan").click()
    expect(heading(page)).to_have_text(PROTOTYPE)
    prototype = Prototype.objects.get(title=PROTOTYPE)
    assert prototype.questions.count() == 2

    # Decided without a result: told at the field, nothing saved; then with its results.
    page.goto(f"{prototypes}{prototype.pk}/edit/")
    page.get_by_label("Status").first.select_option(label="Finished")
    page.get_by_label("What we learned").fill("Greeting by name mattered more than food.")
    page.get_by_label("Decision").select_option(label="Adopt")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.locator("strong", has_text="A decision needs a result")).to_be_visible()
    assert_accessible(page)
    prototype.refresh_from_db()
    assert prototype.decision == Prototype.Decision.UNDECIDED
    page.get_by_label("Families reached").fill("31")
    page.get_by_label("Cash cost (£)").fill("1140")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(heading(page)).to_have_text(PROTOTYPE)
    expect(page.get_by_text("£36.77")).to_be_visible()  # cost per family: 1,140 / 31
    assert_accessible(page)

    # Decided, it answers one of the questions it tested.
    question = DeliveryQuestion.objects.get(text__startswith="What brings")
    page.goto(f"{prototypes}{prototype.pk}/edit/")
    answers = page.locator(f"[name='question-{question.pk}-status']")
    answers.select_option(label="Answered")
    page.locator(f"[name='question-{question.pk}-answer']").fill(ANSWER)
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(heading(page)).to_have_text(PROTOTYPE)
    question.refresh_from_db()
    assert (question.status, question.answer) == ("answered", ANSWER)

    # Published from the question's page.
    page.goto(f"/localities/millbrook/blueprints/{sites.pk}/questions/{question.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Publish to every site")).click()
    expect(page.get_by_text("Published", exact=True)).to_be_visible()
    question.refresh_from_db()
    assert question.published_at is not None

    # Another site's lead finds it by a word of its answer and starts from it.
    page.context.clear_cookies()
    log_in(page, "northgate-lead")
    page.get_by_role("link", name="Learning").click()
    expect(heading(page)).to_have_text("Learning from every site")
    assert_accessible(page)
    page.get_by_label("Words").fill("greeted")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("^What brings a young parent back")).click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Start a delivery challenge from this")).click()
    assert_accessible(page)
    page.get_by_label("In which of your blueprints").select_option(label="Northgate: Welcome walks")
    page.get_by_role("button", name=re.compile("^Start")).click()
    expect(page.get_by_text(re.compile("Based on Millbrook")).first).to_be_visible()
    assert_accessible(page)
    started = DeliveryChallenge.objects.get(blueprint__locality__slug="northgate")
    assert started.based_on_question == question
