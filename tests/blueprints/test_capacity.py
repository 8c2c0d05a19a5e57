"""The capacity check on a blueprint (issue 15, item 5): volunteer hours needed by role
against what active volunteers can give within the site's limit, spaces open out of hours
and who staffs them, partner money against the prototypes' costs; in a fixed number of
queries however many cards. The resource fields are set directly (their forms are another
slice's)."""

import datetime
from decimal import Decimal

import pytest

from blueprints.capacity import NO_LIMIT, NO_VOLUNTEERS, UNSTAFFED, capacity_check
from blueprints.models import Blueprint, Card
from localities.models import Contribution, Opening, VolunteerMonth
from tests.blueprints.factories import BlueprintFactory, PrototypeFactory, fill_grid
from tests.localities.factories import PartnerFactory, SpaceFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db

SEPTEMBER, OCTOBER = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)


def check(blueprint):
    return capacity_check(Blueprint.objects.select_related("locality").get(pk=blueprint.pk))


def set_limit(locality, hours):
    locality.volunteer_hours_limit = hours
    locality.save()


def role_with(locality, *, active, name="Welcome walk guides", month=OCTOBER):
    role = VolunteerRoleFactory(locality=locality, name=name)
    if active is not None:
        VolunteerMonth.objects.create(role=role, month=month, trained=active, active=active)
    return role


def needing(blueprint, role, *hours, count_from=0):
    """Cards of the blueprint naming the role, one per figure of hours a week."""
    cards = fill_grid(blueprint, len(hours), prefix=f"Walk {count_from}")
    for card, figure in zip(cards, hours, strict=True):
        card.volunteer_role, card.volunteer_hours = role, Decimal(figure)
    Card.objects.bulk_update(cards, ["volunteer_role", "volunteer_hours"])
    return cards


def money(partner, status, value):
    return Contribution.objects.create(
        partner=partner, kind="money", value=Decimal(value), status=status, status_on=OCTOBER
    )


# Volunteering ------------------------------------------------------------------------------


def test_30_hours_needed_against_4_active_volunteers_of_6_hours_is_6_short(blueprint):
    set_limit(blueprint.locality, Decimal(6))
    role = role_with(blueprint.locality, active=4)
    needing(blueprint, role, 10, 12, 8)
    capacity = check(blueprint)
    (need,) = capacity.roles
    assert (need.needed, need.available, need.shortfall) == (Decimal(30), Decimal(24), Decimal(6))
    assert capacity.hours_short == Decimal(6)
    assert capacity.volunteering_text == (
        "Volunteering: 30 hours a week needed, 24 available — 6 short"
    )
    assert "Welcome walk guides: 30 hours a week needed, 24 available" in need.text


def test_enough_volunteers_is_no_shortfall(blueprint):
    set_limit(blueprint.locality, Decimal(6))
    needing(blueprint, role_with(blueprint.locality, active=5), 30)
    capacity = check(blueprint)
    assert capacity.hours_short == 0
    assert capacity.volunteering_text.endswith("30 available — enough")
    assert capacity.shortfalls == []


def test_only_the_roles_latest_month_counts_as_active(blueprint):
    set_limit(blueprint.locality, Decimal(6))
    role = role_with(blueprint.locality, active=5, month=SEPTEMBER)
    VolunteerMonth.objects.create(role=role, month=OCTOBER, trained=0, active=2, left_moved=3)
    needing(blueprint, role, 30)
    assert check(blueprint).roles[0].available == Decimal(12)


def test_volunteers_who_all_left_are_zero_capacity_not_unknown(blueprint):
    set_limit(blueprint.locality, Decimal(6))
    role = role_with(blueprint.locality, active=3, month=SEPTEMBER)
    VolunteerMonth.objects.create(role=role, month=OCTOBER, trained=0, active=0, left_time=3)
    needing(blueprint, role, 8)
    (need,) = check(blueprint).roles
    assert (need.available, need.shortfall) == (Decimal(0), Decimal(8))


@pytest.mark.parametrize("active", [None, 0], ids=["no months", "none ever active"])
def test_no_volunteers_recorded_says_so_not_zero_capacity(blueprint, active):
    set_limit(blueprint.locality, Decimal(6))
    needing(blueprint, role_with(blueprint.locality, active=active), 30)
    capacity = check(blueprint)
    (need,) = capacity.roles
    assert (need.available, need.shortfall) == (None, None)
    assert need.needed == Decimal(30)  # still counted as need
    assert capacity.volunteering_text == (
        f"Volunteering: 30 hours a week needed; available unknown — {NO_VOLUNTEERS}"
    )
    assert "0 available" not in capacity.volunteering_text
    assert capacity.shortfalls == ["volunteer hours unknown"]


def test_without_the_sites_weekly_limit_capacity_is_unknown(blueprint):
    set_limit(blueprint.locality, None)
    needing(blueprint, role_with(blueprint.locality, active=4), 30)
    capacity = check(blueprint)
    assert capacity.roles[0].available is None
    assert capacity.volunteering_text.endswith(f"available unknown — {NO_LIMIT}")


def test_shortfalls_are_counted_role_by_role(blueprint):
    set_limit(blueprint.locality, Decimal(5))
    guides = role_with(blueprint.locality, active=4, name="Guides")  # 20 h
    cooks = role_with(blueprint.locality, active=1, name="Cooks")  # 5 h
    needing(blueprint, guides, 10)
    needing(blueprint, cooks, 15, count_from=1)
    capacity = check(blueprint)
    assert [(r.name, r.shortfall) for r in capacity.roles] == [
        ("Cooks", Decimal(10)),
        ("Guides", Decimal(0)),
    ]
    # The guides' spare 10 hours do not cover the cooks' 10 short.
    assert capacity.hours_short == Decimal(10)
    assert "25 available — 10 short (counted role by role)" in capacity.volunteering_text


def test_a_role_without_figures_beside_one_with_them_is_named_unknown(blueprint):
    set_limit(blueprint.locality, Decimal(6))
    needing(blueprint, role_with(blueprint.locality, active=4, name="Guides"), 30)
    needing(blueprint, role_with(blueprint.locality, active=None, name="Cooks"), 5, count_from=1)
    capacity = check(blueprint)
    assert capacity.hours_needed == Decimal(35)
    assert capacity.volunteering_text == (
        "Volunteering: 35 hours a week needed, 24 available — 6 short; "
        f"unknown for Cooks ({NO_VOLUNTEERS})"
    )


def test_another_blueprints_cards_are_not_counted(blueprint):
    set_limit(blueprint.locality, Decimal(6))
    role = role_with(blueprint.locality, active=4)
    needing(blueprint, role, 30)
    needing(BlueprintFactory(locality=blueprint.locality), role, 50)
    assert check(blueprint).hours_needed == Decimal(30)


# Spaces ------------------------------------------------------------------------------------


def open_on(space, *, out_of_hours):
    start = 18 if out_of_hours else 9
    Opening.objects.create(
        space=space,
        day=1,
        opens=datetime.time(start),
        closes=datetime.time(start + 2),
        out_of_hours=out_of_hours,
    )


def test_a_space_open_out_of_hours_with_no_one_to_staff_it_is_a_shortfall(blueprint):
    hall = SpaceFactory(locality=blueprint.locality, name="St Mark's hall")
    open_on(hall, out_of_hours=True)
    open_on(hall, out_of_hours=False)
    hub = SpaceFactory(locality=blueprint.locality, name="Family hub")
    open_on(hub, out_of_hours=False)
    card, other = fill_grid(blueprint, 2)
    card.space, other.space = hall, hub
    Card.objects.bulk_update([card, other], ["space"])
    capacity = check(blueprint)
    assert [space.name for space in capacity.unstaffed_spaces] == ["St Mark's hall"]
    assert capacity.spaces_text == (
        f"Spaces: 2 used, 1 open out of hours — 1 with {UNSTAFFED} (St Mark's hall)"
    )
    assert capacity.out_of_hours_spaces[0].text == f"St Mark's hall, open out of hours: {UNSTAFFED}"
    assert "1 space unstaffed out of hours" in capacity.shortfalls


def test_a_staffed_out_of_hours_space_used_by_a_prototype_says_who_staffs_it(blueprint):
    hall = SpaceFactory(
        locality=blueprint.locality, name="Hall", out_of_hours_staffed_by="Caretaker"
    )
    open_on(hall, out_of_hours=True)
    PrototypeFactory(blueprint=blueprint).spaces.add(hall)
    capacity = check(blueprint)
    assert capacity.spaces_text == (
        "Spaces: 1 used, 1 open out of hours, each with someone named to staff it"
    )
    assert capacity.out_of_hours_spaces[0].text == "Hall, open out of hours: staffed by Caretaker"
    assert capacity.shortfalls == []


# Partner money ------------------------------------------------------------------------------


def test_partner_money_pledged_and_delivered_against_prototype_costs(blueprint):
    school, clinic = (PartnerFactory(locality=blueprint.locality) for _ in range(2))
    money(school, "pledged", "300")
    money(school, "asked", "5000")  # asked is not money to count on
    money(clinic, "delivered", "200")
    Contribution.objects.create(
        partner=clinic, kind="in_kind", value=Decimal(900), status="delivered", status_on=OCTOBER
    )
    PartnerFactory(locality=blueprint.locality)  # named by no card or prototype
    money(PartnerFactory(locality=blueprint.locality), "delivered", "7000")
    card = fill_grid(blueprint, 1)[0]
    card.partner = school
    card.save()
    PrototypeFactory(blueprint=blueprint, cost=Decimal(400)).partners.add(clinic)
    # Run: its cash cost replaces its estimate.
    PrototypeFactory(blueprint=blueprint, cost=Decimal(100), status="running", cash_cost=600)
    capacity = check(blueprint)
    assert (capacity.money_pledged, capacity.money_delivered) == (Decimal(300), Decimal(200))
    assert (capacity.prototype_costs, capacity.money_short) == (Decimal(1000), Decimal(500))
    assert capacity.money_text == (
        "Partner money: £300.00 pledged and £200.00 delivered against £1,000.00 "
        "of prototype costs — £500.00 short"
    )
    assert "£500.00 of prototype costs not covered" in capacity.shortfalls


def test_partner_money_covering_the_costs_is_no_shortfall(blueprint):
    school = PartnerFactory(locality=blueprint.locality)
    money(school, "delivered", "500")
    PrototypeFactory(blueprint=blueprint, cost=Decimal(400)).partners.add(school)
    capacity = check(blueprint)
    assert capacity.money_text.endswith("— covered")
    assert capacity.shortfalls == []


def test_a_blueprint_naming_nothing_has_nothing_to_say(blueprint):
    fill_grid(blueprint, 5)
    PrototypeFactory(blueprint=blueprint, cost=Decimal(400))
    capacity = check(blueprint)
    assert capacity.named_nothing
    assert capacity.sentences == []
    assert capacity.shortfalls == []


# Queries -----------------------------------------------------------------------------------


def named_everything(blueprint, cards: int) -> None:
    locality = blueprint.locality
    set_limit(locality, Decimal(6))
    roles = [role_with(locality, active=2, name=f"Role {blueprint.pk}.{n}") for n in range(3)]
    spaces = [SpaceFactory(locality=locality) for _ in range(2)]
    for space in spaces:
        open_on(space, out_of_hours=True)
    partners = [PartnerFactory(locality=locality) for _ in range(2)]
    for partner in partners:
        money(partner, "pledged", "100")
    made = fill_grid(blueprint, cards)
    for n, card in enumerate(made):
        card.volunteer_role, card.volunteer_hours = roles[n % 3], Decimal(2)
        card.space, card.partner = spaces[n % 2], partners[n % 2]
    Card.objects.bulk_update(made, ["volunteer_role", "volunteer_hours", "space", "partner"])
    PrototypeFactory(blueprint=blueprint, cost=Decimal(250)).partners.add(*partners)


def test_the_check_costs_the_same_queries_for_10_and_300_cards(
    locality, django_assert_max_num_queries
):
    small, large = (BlueprintFactory(locality=locality) for _ in range(2))
    named_everything(small, 10)
    named_everything(large, 300)
    small, large = (
        Blueprint.objects.select_related("locality").get(pk=b.pk) for b in (small, large)
    )
    with django_assert_max_num_queries(4) as few:
        capacity = capacity_check(small)
    assert capacity.hours_needed == Decimal(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        capacity = capacity_check(large)
    assert capacity.hours_needed == Decimal(600)
    assert (len(capacity.spaces), len(capacity.partners)) == (2, 2)


def test_the_costs_note_says_which_prototypes_count_at_their_cash_cost(blueprint):
    PrototypeFactory(blueprint=blueprint, cost=Decimal(100))
    assert check(blueprint).costs_note == (
        "1 prototype, at the estimated cost (no cash cost recorded yet)."
    )
    PrototypeFactory(blueprint=blueprint, cost=Decimal(100), status="running", cash_cost=90)
    PrototypeFactory(blueprint=blueprint, cost=Decimal(100), status="running", cash_cost=90)
    assert check(blueprint).costs_note == (
        "3 prototypes: the cash cost recorded for 2, the estimate for the other."
    )


def test_a_dropped_prototypes_cost_is_not_set_against_partner_money(blueprint):
    school = PartnerFactory(locality=blueprint.locality)
    money(school, "pledged", "300")
    PrototypeFactory(blueprint=blueprint, cost=Decimal(400)).partners.add(school)
    PrototypeFactory(
        blueprint=blueprint, cost=Decimal(100), cash_cost=900, status="finished", decision="drop"
    )
    capacity = check(blueprint)
    assert (capacity.prototypes, capacity.prototype_costs) == (1, Decimal(400))
    assert capacity.money_text.endswith("against £400.00 of prototype costs — £100.00 short")
    assert capacity.costs_note == (
        "1 prototype, at the estimated cost (no cash cost recorded yet). "
        "1 dropped prototype not counted."
    )


def test_only_dropped_prototypes_leave_no_costs_to_set_money_against(blueprint):
    school = PartnerFactory(locality=blueprint.locality)
    money(school, "pledged", "300")
    for _ in range(2):
        PrototypeFactory(blueprint=blueprint, cost=Decimal(400), decision="drop").partners.add(
            school
        )
    capacity = check(blueprint)
    assert capacity.money_text == (
        "Partner money: £300.00 pledged and £0.00 delivered; no prototypes to set it against"
    )
    assert capacity.shortfalls == []
    assert capacity.costs_note == "2 dropped prototypes not counted."
