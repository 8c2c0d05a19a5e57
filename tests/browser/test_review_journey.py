"""Issue 5's review journey, in a browser: an editor submits; a reviewer, in the admin,
requests changes with a note and comments on a card; the editor reads the comment on the
review page, edits the card in the editor and submits again; the reviewer approves in the
admin and compares the two versions. axe on the non-admin pages visited."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Blueprint, Lane
from localities.models import Membership
from localities.permissions import REVIEWER_GROUP
from tests.browser.conftest import assert_accessible, log_in
from tests.localities.factories import (
    LocalityFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CARD = "Hears about the walk from a neighbour"
EDITED = "Hears about the walk at the school gate"
CHANGES = "Say how families who do not know a neighbour hear of it."
COMMENT = "Which neighbours? Most new families know nobody yet."


def reviewers_group() -> None:
    """The reviewers group as the data migrations make it: an earlier transactional test's
    flush empties the table (permissions come back with post_migrate, groups do not)."""
    group, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="blueprints").filter(
            Q(codename__startswith="view_") | Q(codename="add_comment")
        )
    )


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


def review_page(blueprint: Blueprint) -> str:
    return f"/localities/northgate/blueprints/{blueprint.pk}/review/"


def decide_in_admin(page, blueprint: Blueprint, action: str, button: str, note: str) -> None:
    page.goto("/admin/blueprints/blueprint/")
    page.get_by_role("checkbox", name=re.compile(blueprint.title)).check()
    page.locator("select[name=action]").select_option(label=action)
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Note for the team").fill(note)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".messagelist")).to_contain_text(button)


def submit(page, blueprint: Blueprint) -> None:
    page.goto(review_page(blueprint))
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted for review")


def test_a_blueprint_goes_through_review_twice_and_the_versions_compare(new_page, blueprint):
    editor, reviewer = new_page(), new_page()
    log_in(editor, "northgate-editor")
    log_in(reviewer, "unit-reviewer")

    # The editor submits from the review page.
    editor.goto(review_page(blueprint))
    assert_accessible(editor)
    submit(editor, blueprint)

    # The reviewer requests changes in the admin, with a note, and comments on the card.
    decide_in_admin(
        reviewer, blueprint, "Request changes on selected blueprints", "Request changes", CHANGES
    )
    reviewer.goto(f"/admin/blueprints/comment/add/?blueprint={blueprint.pk}")
    reviewer.get_by_label("Card").select_option(label=f"Awareness · Family experience: {CARD}")
    reviewer.get_by_label("Body").fill(COMMENT)
    reviewer.get_by_role("button", name="Save", exact=True).click()
    expect(reviewer.locator(".messagelist")).to_be_visible()

    # The editor reads the note and the comment on the card, edits the card, submits again.
    editor.goto(review_page(blueprint))
    expect(editor.get_by_text(CHANGES)).to_be_visible()
    comment = editor.get_by_role("article").filter(has_text=COMMENT)
    expect(comment).to_contain_text(CARD)
    assert_accessible(editor)
    editor.goto(f"/localities/northgate/blueprints/{blueprint.pk}/")
    editor.locator("article.bp-card", has=editor.get_by_role("heading", name=CARD)).focus()
    editor.keyboard.press("e")  # the focused card's Edit
    form = editor.get_by_role("form", name=f"Edit card {CARD}")
    form.get_by_label("Title").fill(EDITED)
    form.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("heading", name=EDITED)).to_be_visible()
    submit(editor, blueprint)

    # The reviewer approves and compares the two versions submitted.
    decide_in_admin(reviewer, blueprint, "Approve selected blueprints", "Approve", "Go ahead.")
    reviewer.goto(f"/localities/northgate/blueprints/{blueprint.pk}/versions/")
    expect(reviewer.get_by_role("rowheader", name="Version 2")).to_be_visible()
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Compare").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(
        "Version 1 compared with version 2"
    )
    changed = reviewer.get_by_role("listitem").filter(has_text="Changed")
    expect(changed).to_contain_text(CARD)
    expect(changed).to_contain_text(EDITED)
    assert_accessible(reviewer)
    assert blueprint.versions.count() == 2
