"""Length limits in a browser (issue 14): a live count under each field with a limit, typing
and pasting past the limit allowed (nothing cut), the form refused on sending with a message
at the field, and the page axe-clean throughout."""

import pytest
from playwright.sync_api import expect

from localities.models import Insight, Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.consultations.factories import ConsultationFactory, IdeaFactory
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def northgate():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    editor = UserFactory(username="northgate-editor")
    MembershipFactory(locality=locality, user=editor, role=Membership.Role.EDITOR)
    return locality


def test_the_count_shows_lets_typing_past_the_limit_and_the_server_refuses(page, northgate):
    log_in(page, "northgate-editor")
    page.goto("/localities/northgate/insights/new/")
    statement = page.get_by_label("Statement")
    counter = page.locator("#id_statement-length")
    expect(counter).to_have_text("0 of 300 characters")
    assert statement.get_attribute("maxlength") is None
    assert "id_statement-length" in statement.get_attribute("aria-describedby").split()
    assert_accessible(page)

    # Pasted in whole, one short of the limit: the live region says what is left.
    statement.fill("s" * 299)
    expect(counter).to_have_text("299 of 300 characters")
    expect(page.locator("#id_statement-length-live")).to_have_text("1 character left")

    # Typed on past the limit from the keyboard: nothing stops it, the count says so.
    statement.press("End")
    statement.press_sequentially("abcdefghijklmnopqrstuvwxyz")
    expect(counter).to_have_text("325 of 300 characters (25 too many)")
    expect(page.locator("#id_statement-length-live")).to_have_text(
        "25 characters over the limit of 300"
    )
    assert len(statement.input_value()) == 325
    assert_accessible(page)

    page.get_by_label("Subject").select_option(index=1)
    page.get_by_label("Source").select_option(index=1)
    page.get_by_role("button", name="Record insight").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Keep the statement to 300 characters; it has 325.")).to_be_visible()
    # What was typed comes back whole, with its count, for the person to shorten.
    statement = page.get_by_label("Statement")
    assert len(statement.input_value()) == 325
    expect(page.locator("#id_statement-length")).to_have_text("325 of 300 characters (25 too many)")
    assert not Insight.objects.exists()
    assert_accessible(page)


def test_the_count_is_quiet_far_from_the_limit(page, northgate):
    log_in(page, "northgate-editor")
    page.goto("/localities/northgate/insights/new/")
    page.get_by_label("Statement").fill("Dads feel unwelcome at morning groups")
    expect(page.locator("#id_statement-length")).to_have_text("37 of 300 characters")
    expect(page.locator("#id_statement-length-live")).to_have_text("")


def test_the_public_form_counts_a_comment_and_refuses_it_over_the_limit(page, northgate):
    idea = IdeaFactory(locality=northgate, title="Welcome walks")
    consultation = ConsultationFactory(locality=northgate, ideas=[idea])
    page.goto(consultation.get_public_url())
    comment = page.get_by_label("Anything you want to say about")
    expect(page.locator(f"#id_comment_{idea.pk}-length")).to_have_text("0 of 1000 characters")
    assert comment.get_attribute("maxlength") is None
    assert_accessible(page)

    comment.fill("c" * 1010)
    expect(page.locator(f"#id_comment_{idea.pk}-length")).to_have_text(
        "1010 of 1000 characters (10 too many)"
    )
    page.get_by_label("5 – Strongly for").check()
    page.get_by_label("Parent or carer").check()
    page.get_by_role("button", name="Send my views").click()
    page.wait_for_load_state()
    expect(
        page.get_by_text("Keep your comment to 1000 characters (it has 1010).").first
    ).to_be_visible()
    assert len(page.get_by_label("Anything you want to say about").input_value()) == 1010
    assert not consultation.responses.exists()
    assert_accessible(page)


def test_a_search_box_shows_its_count_only_near_the_limit(page, northgate):
    log_in(page, "northgate-editor")
    page.goto("/localities/northgate/insights/")
    search = page.get_by_label("Search", exact=True)
    field_id = search.get_attribute("id")
    counter = page.locator(f"#{field_id}-length")
    expect(counter).to_be_hidden()
    search.fill("s" * 185)
    expect(counter).to_be_visible()
    expect(counter).to_have_text("185 of 200 characters")
    assert_accessible(page)
