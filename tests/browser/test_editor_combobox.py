"""Choosing a card's insights in a browser: a searchable combobox instead of a checkbox per
insight. Type part of an insight, choose it with the arrow keys and Enter, save: the card
cites it. axe finds nothing serious with the list open."""

import pytest
from playwright.sync_api import expect

from blueprints import services
from blueprints.models import Card, Lane
from localities.models import Membership
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.editor import editor_path
from tests.localities.factories import (
    InsightFactory,
    LocalityFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WANTED = "Buses to the children's centre are late on Sundays"
OTHERS = [
    "Word of mouth matters more than leaflets",
    "Families trust the health visitor",
    "Buses are free for under-fives",
]


@pytest.fixture
def blueprint():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    MembershipFactory(
        locality=locality,
        user=UserFactory(username="northgate-editor"),
        role=Membership.Role.EDITOR,
    )
    for statement in [WANTED, *OTHERS]:
        InsightFactory(locality=locality, statement=statement)
    return services.create_blueprint(
        locality=locality, idea=None, title="Welcome walks: service blueprint", by=None
    )


def open_add_form(page, blueprint):
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    page.get_by_role("button", name="Add card to Family experience, Awareness").click()
    return page.get_by_role("form", name="New card in Family experience, Awareness")


def test_an_insight_is_found_by_typing_and_chosen_with_the_arrow_keys_and_enter(blueprint, page):
    form = open_add_form(page, blueprint)
    # The checkboxes are driven by the combobox, not shown.
    expect(form.get_by_role("checkbox")).to_have_count(0)
    combobox = form.get_by_role("combobox", name="Find an insight")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    form.get_by_label("Title").fill("Catches the bus to the walk")

    combobox.fill("buses")
    listbox = form.get_by_role("listbox", name="Matching insights")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_text(["Buses are free for under-fives", WANTED])
    assert_accessible(page)  # with the list open
    combobox.press("ArrowDown")
    combobox.press("ArrowDown")
    expect(listbox.get_by_role("option", name=WANTED)).to_have_attribute("aria-selected", "true")
    combobox.press("Enter")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(combobox).to_have_value("")
    expect(form.get_by_role("button", name=f"Remove insight: {WANTED}")).to_be_visible()
    assert_accessible(page)

    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Catches the bus to the walk")).to_be_visible()
    card = Card.objects.get(title="Catches the bus to the walk")
    assert list(card.insights.values_list("statement", flat=True)) == [WANTED]
    assert card.lane.role == Lane.Role.FAMILY


def test_a_chosen_insight_can_be_removed_before_saving(blueprint, page):
    form = open_add_form(page, blueprint)
    form.get_by_label("Title").fill("Hears about the walk")
    combobox = form.get_by_role("combobox", name="Find an insight")
    combobox.fill("word of mouth")
    combobox.press("ArrowDown")
    combobox.press("Enter")
    form.get_by_role("button", name=f"Remove insight: {OTHERS[0]}").click()
    expect(form.get_by_role("button", name=f"Remove insight: {OTHERS[0]}")).to_have_count(0)
    expect(combobox).to_be_focused()
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Hears about the walk")).to_be_visible()
    assert not Card.objects.get(title="Hears about the walk").insights.exists()


def test_editing_a_card_shows_its_insights_as_chips(blueprint, page):
    card = services.add_card(
        blueprint=blueprint,
        phase=blueprint.phases.get(position=0),
        lane=blueprint.lanes.get(role=Lane.Role.FAMILY),
        title="Hears about the walk",
        kind="step",
        insights=[blueprint.locality.insights.get(statement=WANTED)],
        by=None,
    )
    log_in(page, "northgate-editor")
    page.goto(editor_path(blueprint))
    page.locator("article.bp-card", has=page.get_by_role("heading", name=card.title)).focus()
    page.keyboard.press("e")  # the focused card's Edit
    form = page.get_by_role("form", name=f"Edit card {card.title}")
    expect(form.get_by_role("list", name="Chosen insights").get_by_role("listitem")).to_have_text(
        [f"{WANTED}×"]
    )
    form.get_by_role("combobox", name="Find an insight").fill("buses")
    # Already chosen: not offered again.
    listbox = form.get_by_role("listbox", name="Matching insights")
    expect(listbox.get_by_role("option")).to_have_text(["Buses are free for under-fives"])
