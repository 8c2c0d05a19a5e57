"""Steps 6-8 around the editor, in a browser: an editor creates a blueprint from the top
idea, records a delivery challenge and a prototype over a section of cards, manages the
phases and reads the text view; axe on every page visited here (the editor page itself is
the editor's own journey's to check)."""

import re

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Blueprint, Card, Lane
from consultations.services import choose_top_idea
from localities.models import Membership
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

TOP_IDEA = "Welcome walks for new families"
CHALLENGE = "Parents new to the area do not trust council staff"
PROTOTYPE = "Ten welcome walks led by local parents"


@pytest.fixture
def northgate():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    editor = UserFactory(username="northgate-editor", first_name="Tom", last_name="Kerrigan")
    MembershipFactory(locality=locality, user=editor, role=Membership.Role.EDITOR)
    IdeaFactory(locality=locality, title="A baby bank at the library")
    idea = IdeaFactory(locality=locality, title=TOP_IDEA)
    choose_top_idea(idea=idea, rationale="Parents backed it most.", by=editor)
    return locality


def add_cards(blueprint: Blueprint) -> None:
    """A few cards in three lanes of the first two phases, as the editor would add them."""
    awareness, use = blueprint.phases.order_by("position")[:2]
    lanes = {lane.role: lane for lane in blueprint.lanes.all()}
    for phase, role, title, kind, emotion in [
        (awareness, Lane.Role.FAMILY, "Hears about the walk from a neighbour", "step", 1),
        (awareness, Lane.Role.FAMILY, "Worries it is the council checking up", "pain_point", -2),
        (awareness, Lane.Role.FRONTLINE, "Parent guide knocks with a leaflet", "step", None),
        (use, Lane.Role.FAMILY, "Walks to the children's centre with others", "step", 2),
        (use, Lane.Role.BACKSTAGE, "Guides share a rota", "step", None),
    ]:
        services.add_card(
            blueprint=blueprint,
            phase=phase,
            lane=lanes[role],
            title=title,
            kind=kind,
            emotion=emotion,
            by=None,
        )


def heading(page):
    return page.get_by_role("heading", level=1)


def blueprint_sections(page):
    return page.get_by_role("navigation", name="Sections of this blueprint")


def test_editor_creates_a_blueprint_and_plans_a_challenge_and_a_prototype(page, northgate):
    log_in(page, "northgate-editor")

    # The list, empty, then the form with the top idea offered first and preselected.
    page.goto("/localities/northgate/blueprints/")
    expect(heading(page)).to_have_text("Blueprints")
    assert_accessible(page)
    page.get_by_role("link", name="New blueprint").click()
    expect(heading(page)).to_have_text("New blueprint")
    top = page.get_by_role("radio", name=f"Top idea: {TOP_IDEA}")
    expect(top).to_be_checked()
    expect(page.get_by_label("Title")).to_have_value(TOP_IDEA)
    assert_accessible(page)
    page.get_by_label("Summary").fill("Local parents walk new families round the services.")
    page.get_by_role("button", name="Create blueprint").click()

    # Lands in the editor.
    expect(page).to_have_url(re.compile(r"/localities/northgate/blueprints/\d+/$"))
    expect(heading(page)).to_contain_text(TOP_IDEA)
    blueprint = Blueprint.objects.get()
    assert blueprint.idea.title == TOP_IDEA
    add_cards(blueprint)

    # A delivery challenge touching two cards.
    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/challenges/")
    expect(heading(page)).to_have_text("Delivery challenges")
    expect(page.get_by_text("No challenge about changing perceptions yet.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a delivery challenge").click()
    expect(heading(page)).to_have_text("Add a delivery challenge")
    assert_accessible(page)
    page.get_by_label("Theme").select_option(label="Changing perceptions")
    page.get_by_label("Title").fill(CHALLENGE)
    page.get_by_label("Questions to explore").fill(
        "Who do new parents trust?\nShould guides wear lanyards?"
    )
    page.get_by_role("checkbox", name="Worries it is the council checking up").check()
    page.get_by_role("checkbox", name="Parent guide knocks with a leaflet").check()
    page.get_by_role("button", name="Add delivery challenge").click()
    expect(page.get_by_role("heading", name=CHALLENGE)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Changing perceptions 1"))).to_be_visible()
    expect(page.get_by_text("Should guides wear lanyards?")).to_be_visible()
    assert_accessible(page)

    # A prototype over a section of the blueprint, exploring that challenge.
    blueprint_sections(page).get_by_role("link", name="Prototypes", exact=True).click()
    expect(heading(page)).to_have_text("Prototypes")
    assert_accessible(page)
    page.get_by_role("link", name="Plan a prototype").click()
    expect(heading(page)).to_have_text("Plan a prototype")
    assert_accessible(page)
    page.get_by_label("Title").fill(PROTOTYPE)
    page.get_by_label("Hypothesis").fill("Families come to a first session with a parent.")
    page.get_by_label("Method").fill("Two parents lead ten walks in May.")
    for title in (
        "Hears about the walk from a neighbour",
        "Worries it is the council checking up",
        "Walks to the children's centre with others",
    ):
        page.get_by_role("checkbox", name=title).check()
    page.get_by_role("checkbox", name=CHALLENGE, exact=True).check()
    page.get_by_label("Estimated cost (£)").fill("-5")
    page.get_by_label("Start date").fill("2026-05-20")
    page.get_by_label("End date").fill("2026-05-01")
    page.get_by_role("button", name="Save prototype plan").click()

    # Refused: a negative cost and an end before the start, said next to the fields.
    expect(page.get_by_text("The cost cannot be negative")).to_be_visible()
    expect(page.get_by_text("The end date cannot be before the start date.")).to_be_visible()
    expect(
        page.get_by_role("checkbox", name="Walks to the children's centre with others")
    ).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Estimated cost (£)").fill("120")
    page.get_by_label("End date").fill("2026-06-01")
    page.get_by_role("button", name="Save prototype plan").click()

    expect(heading(page)).to_have_text(PROTOTYPE)
    section = page.get_by_role("region", name="The section of the blueprint it tests")
    expect(section.get_by_role("heading", level=3)).to_have_text(["Awareness", "Use"])
    expect(section).to_contain_text("Worries it is the council checking up")
    expect(page.get_by_role("link", name=CHALLENGE)).to_be_visible()
    assert_accessible(page)

    # The text view reads it all out.
    blueprint_sections(page).get_by_role("link", name="Text view").click()
    expect(heading(page)).to_have_text(TOP_IDEA)
    expect(page.get_by_role("heading", level=2, name="Phase 1 of 3: Awareness")).to_be_visible()
    expect(
        page.get_by_role("heading", level=3, name="Family experience in Awareness")
    ).to_be_visible()
    expect(page.get_by_text("The family feels very unhappy")).to_be_visible()
    expect(
        page.get_by_text("between Family experience and Frontline staff and volunteers")
    ).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=PROTOTYPE)).to_be_visible()
    assert_accessible(page)


def test_editor_reorders_and_removes_a_phase_after_a_warning(page, northgate):
    blueprint = services.create_blueprint(
        locality=northgate,
        idea=northgate.ideas.get(title=TOP_IDEA),
        title="Walks",
        by=None,
    )
    add_cards(blueprint)
    log_in(page, "northgate-editor")
    page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/structure/")
    expect(heading(page)).to_have_text("Phases and lanes")
    assert_accessible(page)

    page.get_by_role("button", name="Move Use earlier").click()
    expect(page.get_by_text("Moved the phase “Use” earlier.")).to_be_visible()
    phases = page.get_by_role("region", name=re.compile(r"^Phases"))
    expect(phases.get_by_role("heading", level=3)).to_have_text(
        ["1. Use", "2. Awareness", "3. Exit and advocacy", "Add a phase"]
    )

    phases.get_by_role("link", name="Remove Use").click()
    expect(page.get_by_text("Removing Use deletes its 2 cards.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove phase and 2 cards").click()
    expect(page.get_by_text("Removed the phase “Use” and its 2 cards.")).to_be_visible()
    assert Card.objects.count() == 3
    assert_accessible(page)


def test_blueprint_pages_fit_a_360px_screen(new_page, northgate):
    blueprint = services.create_blueprint(
        locality=northgate, idea=None, title="A rather long blueprint title for a phone", by=None
    )
    add_cards(blueprint)
    page = new_page(width=360, height=740)
    log_in(page, "northgate-editor")
    for path in ("text/", "structure/", "challenges/", "prototypes/new/", "history/"):
        page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/{path}")
        assert_fits_width(page, 360)
    for path in ("", "new/"):
        page.goto(f"/localities/northgate/blueprints/{path}")
        assert_fits_width(page, 360)
