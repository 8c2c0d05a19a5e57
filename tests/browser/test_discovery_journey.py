"""Steps 1-5 of the method in a browser: from an insight to the top idea, axe on every page.

An editor records an insight, names a challenge citing it, adds an idea answering the
challenge and takes it to consultation; a parent, in a second browser with no account,
answers through the public link; the results show the answer; the editor chooses the idea.
"""

import re

import pytest
from playwright.sync_api import expect

from consultations.models import Idea, Response
from localities.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

INSIGHT = "Parents new to the area hear about groups only from the health visitor"
CHALLENGE = "Families new to Northgate do not know what is on offer"
IDEA = "A welcome walk from the library to the children's centre"
CONSULTATION = "Library drop-in, spring"
COMMENT = "We moved here last year and nobody told us about the groups."
RATIONALE = "Parents backed it most strongly, and the library already runs a Saturday session."


@pytest.fixture
def northgate():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    editor = UserFactory(username="northgate-editor", first_name="Tom", last_name="Kerrigan")
    MembershipFactory(locality=locality, user=editor, role=Membership.Role.EDITOR)
    return locality


def heading(page):
    return page.get_by_role("heading", level=1)


def test_editor_goes_from_an_insight_to_the_top_idea_with_a_parent_answering(
    page, new_page, northgate
):
    log_in(page, "northgate-editor")

    # 1. An insight.
    page.goto("/localities/northgate/insights/new/")
    expect(heading(page)).to_have_text("Record an insight")
    assert_accessible(page)
    page.get_by_label("Statement").fill(INSIGHT)
    page.get_by_label("Subject").select_option(label="Families")
    page.get_by_label("Source").select_option(label="Family interview")
    page.get_by_label("Detail or quote").fill("“The health visitor told me; nobody else did.”")
    page.get_by_label("Tags").fill("word of mouth, new arrivals")
    page.get_by_role("button", name="Record insight", exact=True).click()
    expect(heading(page)).to_have_text(INSIGHT)
    expect(page.get_by_role("link", name="Insights tagged new arrivals")).to_be_visible()
    assert_accessible(page)

    # 2. A challenge citing it.
    page.get_by_role("navigation", name="Northgate sections").get_by_role(
        "link", name="Challenges"
    ).click()
    assert_accessible(page)
    page.goto("/localities/northgate/challenges/new/")
    expect(heading(page)).to_have_text("Name a challenge")
    assert_accessible(page)
    page.get_by_label("Title").fill(CHALLENGE)
    page.get_by_label("Description").fill("Services exist, but newcomers never hear of them.")
    page.get_by_role("group", name=re.compile("Evidence")).get_by_label(INSIGHT).check()
    page.get_by_role("button", name="Name challenge").click()
    expect(heading(page)).to_have_text(CHALLENGE)
    evidence = page.get_by_role("region", name="Evidence: 1 insight")
    expect(evidence.get_by_role("link", name=INSIGHT)).to_be_visible()
    assert_accessible(page)

    # 3. An idea answering the challenge.
    page.goto("/localities/northgate/ideas/new/")
    expect(heading(page)).to_have_text("Add an idea")
    assert_accessible(page)
    page.get_by_label("Title").fill(IDEA)
    page.get_by_label("Description").fill("Volunteers walk new families to their first group.")
    page.get_by_role("group", name="The challenges it answers").get_by_label(CHALLENGE).check()
    page.get_by_label("Proposed by").fill("Library staff")
    page.get_by_role("button", name="Add idea").click()
    expect(heading(page)).to_contain_text(IDEA)
    answers = page.get_by_role("region", name="Challenges it answers")
    expect(answers.get_by_role("link", name=CHALLENGE)).to_be_visible()
    assert_accessible(page)

    # 4. A consultation of the idea.
    page.goto("/localities/northgate/consultations/new/")
    expect(heading(page)).to_have_text("Add a consultation")
    assert_accessible(page)
    page.get_by_label("Title").fill(CONSULTATION)
    page.get_by_label("Date").fill("2025-04-12")
    page.get_by_label("Method").select_option(label="Drop-in")
    page.get_by_label("Audience").select_option(label="Community")
    page.get_by_label("Place").fill("Northgate library")
    page.get_by_role("group", name="Ideas consulted on").get_by_label(IDEA).check()
    page.get_by_role("button", name="Add consultation").click()
    expect(heading(page)).to_have_text(CONSULTATION)
    expect(page.get_by_text("Open for responses.")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    public = page.get_by_role("region", name="Public link")
    public_url = public.get_by_role("link", name=re.compile("consult")).get_attribute("href")
    consultation_url = page.url

    # 5. A parent answers through the public link, in a browser with no session.
    parent = new_page(width=390, height=844)
    parent.goto(public_url)
    expect(heading(parent)).to_have_text(CONSULTATION)
    expect(parent.get_by_role("link", name="Log out")).to_have_count(0)
    assert_accessible(parent)
    idea = parent.get_by_role("group", name=IDEA, exact=True)
    support = idea.get_by_role("group", name=re.compile(f"How much do you support “{IDEA}”"))
    support.get_by_role("radio", name="5 – Strongly for").check()
    idea.get_by_label(re.compile(f"^Anything you want to say about “{re.escape(IDEA)}”")).fill(
        COMMENT
    )
    parent.get_by_role("radio", name="Parent or carer").check()
    parent.get_by_role("button", name="Send my views").click()
    expect(heading(parent)).to_have_text("Thank you")
    assert_accessible(parent)
    assert Response.objects.filter(channel=Response.Channel.PUBLIC, support=5).count() == 1

    # 6. The results show the parent's answer.
    page.goto(consultation_url)
    expect(page.get_by_role("heading", name="Responses so far: 1")).to_be_visible()
    expect(page.get_by_role("cell", name=COMMENT)).to_be_visible()
    # Two links say "Results": the locality's (in its navigation) and this consultation's.
    results_links = page.get_by_role("link", name="Results", exact=True)
    expect(results_links).to_have_count(2)
    results_links.nth(1).click()
    expect(heading(page)).to_have_text(f"Results: {CONSULTATION}")
    assert_accessible(page)
    result = page.get_by_role("region", name=IDEA)
    expect(result).to_contain_text("1 response; mean support 5.0 out of 5")
    by_group = result.get_by_role("table", name=re.compile("by respondent group"))
    parents_row = by_group.get_by_role("row", name=re.compile("^Parent or carer"))
    expect(parents_row.get_by_role("cell").first).to_have_text("1")

    # 7. The editor chooses the idea as the top idea, with a rationale.
    result.get_by_role("link", name=re.compile("^Choose as top idea")).click()
    expect(heading(page)).to_have_text(f"Choose “{IDEA}” as the top idea?")
    assert_accessible(page)
    page.get_by_label("Why is this the top idea?").fill(RATIONALE)
    page.get_by_role("button", name="Choose as top idea").click()
    expect(heading(page)).to_contain_text(IDEA)
    chosen = page.get_by_role("region", name="Why it is the top idea")
    expect(chosen).to_contain_text(RATIONALE)
    expect(chosen).to_contain_text("by Tom Kerrigan")
    assert_accessible(page)
    idea = Idea.objects.get(title=IDEA)
    assert idea.status == Idea.Status.CHOSEN
    assert idea.rationale == RATIONALE
