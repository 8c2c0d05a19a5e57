"""A locality's community resources (issue 15): who may read and change them, another
locality's records, bad input refused at the field with nothing saved, and the page's
query count."""

import datetime
from decimal import Decimal
from html import escape
from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from localities.models import Contribution, Opening, Partner, Space, VolunteerMonth, VolunteerRole
from tests.localities.factories import (
    LocalityFactory,
    PartnerFactory,
    SpaceFactory,
    VolunteerRoleFactory,
)
from tests.roles import CONTENT_EDITORS, READERS, ROLES

pytestmark = pytest.mark.django_db


def url(name, *args, slug="northgate"):
    return reverse(f"localities:{name}", args=[slug, *args])


def management(prefix="rows", total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def space_data(**changes):
    data = {
        "name": "Northgate Library",
        "kind": "library",
        "area": "Town centre",
        "step_free": "yes",
        "access_notes": "Lift to the first floor.",
        "hire_cost_per_hour": "15.00",
        "income_per_hour": "",
        "managed_by": "Council libraries service",
        "out_of_hours_staffed_by": "",
        **management(total=1),
        "rows-0-day": "1",
        "rows-0-opens": "09:30",
        "rows-0-closes": "12:00",
    }
    data.update(changes)
    return data


def partner_data(**changes):
    data = {
        "organisation": "Northgate Health Visiting",
        "kind": "health",
        "contact_role": "team lead",
        "notes": "",
        **management(total=1),
        "rows-0-kind": "money",
        "rows-0-description": "Small grant for the walks",
        "rows-0-value": "500",
        "rows-0-quantity": "",
        "rows-0-status": "pledged",
        "rows-0-status_on": "2026-11-02",
    }
    data.update(changes)
    return data


def month_row(index, month, *, trained=0, active=0, **counts):
    row = {
        f"rows-{index}-month": month,
        f"rows-{index}-interested": str(counts.pop("interested", 0)),
        f"rows-{index}-checked": str(counts.pop("checked", 0)),
        f"rows-{index}-trained": str(trained),
        f"rows-{index}-active": str(active),
        f"rows-{index}-former_users": str(counts.pop("former_users", 0)),
    }
    for field in VolunteerMonth.LEFT_FIELDS:
        row[f"rows-{index}-{field}"] = str(counts.pop(field, 0))
    assert not counts
    return row


def role_data(*rows, **changes):
    data = {
        "name": "Welcome walk guide",
        "tasks": "Walks new parents to the hub.",
        "hours_needed": "12",
        "training": "Half a day on safeguarding.",
        "supervision": "Monthly with the hub manager.",
        **management(total=len(rows)),
    }
    for row in rows:
        data.update(row)
    data.update(changes)
    return data


# Who may do what -----------------------------------------------------------------------


@pytest.fixture
def records(locality):
    return {
        "spaces": SpaceFactory(locality=locality),
        "partners": PartnerFactory(locality=locality),
        "volunteering": VolunteerRoleFactory(locality=locality),
    }


def pages(records):
    found = {"resources": (url("resources"), READERS)}
    for kind, record in records.items():
        found[f"{kind}-create"] = (url(f"{kind}-create"), CONTENT_EDITORS)
        found[f"{kind}-update"] = (url(f"{kind}-update", record.pk), CONTENT_EDITORS)
        found[f"{kind}-delete"] = (url(f"{kind}-delete", record.pk), CONTENT_EDITORS)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_as_the_role_matrix_says(role, users, records, client_for):
    client = client_for(users[role])
    answers = {name: client.get(path).status_code for name, (path, _) in pages(records).items()}
    assert answers == {name: expected[role] for name, (_, expected) in pages(records).items()}


def test_anonymous_visitors_are_sent_to_log_in(records, client):
    for path, _ in pages(records).values():
        response = client.get(path)
        assert response.status_code == HTTPStatus.FOUND
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["viewer", "reviewer", "outsider"])
def test_those_who_may_not_edit_cannot_add_a_space(role, users, client_for):
    response = client_for(users[role]).post(url("spaces-create"), space_data())
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND)
    assert not Space.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_volunteer_limit_posted_to_the_page_follows_the_role_matrix(
    role, users, locality, client_for
):
    """The page reads for every reader, and its POST (the limit) writes for editors only."""
    response = client_for(users[role]).post(url("resources"), {"volunteer_hours_limit": "6"})
    locality.refresh_from_db()
    if CONTENT_EDITORS[role] == HTTPStatus.OK:
        assert response.status_code == HTTPStatus.FOUND
        assert response.url == url("resources") + "#volunteering"
        assert locality.volunteer_hours_limit == Decimal("6")
    else:
        assert response.status_code == CONTENT_EDITORS[role]
        assert locality.volunteer_hours_limit is None


def test_anonymous_visitors_posting_the_limit_are_sent_to_log_in(locality, client):
    response = client.post(url("resources"), {"volunteer_hours_limit": "6"})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith("/accounts/login/")
    locality.refresh_from_db()
    assert locality.volunteer_hours_limit is None


def test_another_localitys_space_answers_not_found(editor, client_for):
    theirs = SpaceFactory(locality=LocalityFactory(slug="riverside"))
    client = client_for(editor)
    assert client.get(url("spaces-update", theirs.pk)).status_code == HTTPStatus.NOT_FOUND
    response = client.post(url("spaces-delete", theirs.pk))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Space.objects.filter(pk=theirs.pk).exists()


def test_the_page_shows_what_a_viewer_may_read_without_edit_links(viewer, records, client_for):
    response = client_for(viewer).get(url("resources"))
    page = response.content.decode()
    assert records["spaces"].name in page
    assert escape(records["partners"].organisation) in page
    assert records["volunteering"].name in page
    assert url("spaces-update", records["spaces"].pk) not in page
    assert "Add a space" not in page


# Writes that work ------------------------------------------------------------------------


def test_an_editor_adds_a_space_with_its_opening_hours(editor, locality, client_for):
    response = client_for(editor).post(url("spaces-create"), space_data())
    assert response.status_code == HTTPStatus.FOUND
    space = Space.objects.get()
    assert (space.locality, space.name, space.hire_cost_per_hour) == (
        locality,
        "Northgate Library",
        Decimal("15.00"),
    )
    assert [str(o) for o in space.openings.all()] == ["Tuesday 09:30 to 12:00"]


def test_an_editor_records_a_partner_and_its_pledged_money(editor, client_for):
    client_for(editor).post(url("partners-create"), partner_data())
    partner = Partner.objects.get()
    contribution = partner.contributions.get()
    assert (contribution.kind, contribution.value, contribution.status) == (
        "money",
        Decimal("500"),
        "pledged",
    )
    page = client_for(editor).get(url("resources")).content.decode()
    assert "£500.00" in page


def test_a_role_records_months_carrying_active_volunteers_over(editor, client_for):
    response = client_for(editor).post(
        url("volunteering-create"),
        role_data(
            month_row(0, "2026-09", trained=3, active=3),
            month_row(1, "2026-10", trained=1, active=4, former_users=2),
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    role = VolunteerRole.objects.get()
    assert [(m.month, m.active) for m in role.months.all()] == [
        (datetime.date(2026, 9, 1), 3),
        (datetime.date(2026, 10, 1), 4),
    ]


def test_the_volunteer_limit_is_saved(editor, locality, client_for):
    response = client_for(editor).post(url("resources"), {"volunteer_hours_limit": "6"})
    assert response.status_code == HTTPStatus.FOUND
    locality.refresh_from_db()
    assert locality.volunteer_hours_limit == Decimal("6")


def test_deleting_a_partner_takes_its_contributions(editor, locality, client_for):
    partner = PartnerFactory(locality=locality)
    Contribution.objects.create(
        partner=partner, kind="referrals", quantity=4, status_on=datetime.date(2026, 11, 1)
    )
    response = client_for(editor).post(url("partners-delete", partner.pk))
    assert response.status_code == HTTPStatus.FOUND
    assert not Partner.objects.exists()
    assert not Contribution.objects.exists()


# Bad input: a message at the field, nothing saved ----------------------------------------


def errors_of(response, prefix=None):
    """The form's (or the rows') errors by field."""
    context = response.context
    if prefix is None:
        return context["form"].errors
    merged = {}
    for form in context["rows"].forms:
        merged.update(form.errors)
    return merged


def test_negative_money_is_refused_at_the_field(editor, client_for):
    response = client_for(editor).post(url("spaces-create"), space_data(hire_cost_per_hour="-3"))
    assert response.status_code == HTTPStatus.OK
    assert errors_of(response)["hire_cost_per_hour"] == ["Enter zero or more."]
    assert "Enter zero or more." in response.content.decode()
    assert not Space.objects.exists()


def test_negative_hours_are_refused_at_the_field(editor, client_for):
    response = client_for(editor).post(url("volunteering-create"), role_data(hours_needed="-1"))
    assert errors_of(response)["hours_needed"] == ["Enter zero or more."]
    assert not VolunteerRole.objects.exists()


def test_a_negative_contribution_is_refused_at_its_field(editor, client_for):
    response = client_for(editor).post(
        url("partners-create"), partner_data(**{"rows-0-value": "-5"})
    )
    assert errors_of(response, "rows")["value"] == ["Enter zero or more."]
    assert not Partner.objects.exists()


def test_money_without_an_amount_is_refused_at_the_value(editor, client_for):
    response = client_for(editor).post(url("partners-create"), partner_data(**{"rows-0-value": ""}))
    assert errors_of(response, "rows")["value"] == ["Say how much money, in pounds."]
    assert not Partner.objects.exists()


def test_closing_before_opening_is_refused_at_the_closing_time(editor, client_for):
    response = client_for(editor).post(
        url("spaces-create"), space_data(**{"rows-0-opens": "14:00", "rows-0-closes": "09:00"})
    )
    message = errors_of(response, "rows")["closes"][0]
    assert message.startswith("Closing time must be after opening time (14:00)")
    assert message in response.content.decode()
    assert not Space.objects.exists()
    assert not Opening.objects.exists()


def test_more_active_than_trained_plus_carried_over_is_refused_at_active(editor, client_for):
    response = client_for(editor).post(
        url("volunteering-create"),
        role_data(
            month_row(0, "2026-09", trained=3, active=3),
            month_row(1, "2026-10", trained=1, active=5),
        ),
    )
    message = errors_of(response, "rows")["active"][0]
    assert message.startswith(
        "At most 4 can be active: 1 trained this month and 3 active in September 2026."
    )
    assert not VolunteerRole.objects.exists()


def test_the_first_month_carries_nothing_over(editor, client_for):
    response = client_for(editor).post(
        url("volunteering-create"), role_data(month_row(0, "2026-09", trained=2, active=3))
    )
    assert errors_of(response, "rows")["active"][0].startswith("At most 2 can be active")
    assert not VolunteerMonth.objects.exists()


def test_a_month_recorded_twice_is_refused(editor, client_for):
    response = client_for(editor).post(
        url("volunteering-create"),
        role_data(
            month_row(0, "2026-09", trained=3, active=3),
            month_row(1, "2026-09", trained=3, active=3),
        ),
    )
    assert errors_of(response, "rows")["month"] == ["September 2026 is already recorded above."]
    assert not VolunteerRole.objects.exists()


def test_a_month_that_is_not_a_month_is_refused(editor, client_for):
    response = client_for(editor).post(
        url("volunteering-create"), role_data(month_row(0, "September", trained=1, active=1))
    )
    assert errors_of(response, "rows")["month"] == [
        "Enter a month as YYYY-MM, for example 2026-11."
    ]


def test_a_space_named_as_another_of_the_locality_is_refused_at_the_name(
    editor, locality, client_for
):
    SpaceFactory(locality=locality, name="Northgate Library")
    response = client_for(editor).post(url("spaces-create"), space_data(name="northgate library"))
    assert errors_of(response)["name"] == ["This locality already has a space of that name."]
    assert Space.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "factory", "data", "field", "verb", "message"),
    [
        ("spaces", SpaceFactory, space_data, "name", "has", "a space of that name"),
        ("partners", PartnerFactory, partner_data, "organisation", "lists", "that organisation"),
        (
            "volunteering",
            VolunteerRoleFactory,
            role_data,
            "name",
            "has",
            "a volunteer role of that name",
        ),
    ],
)
def test_each_kind_refuses_a_name_its_locality_has_whatever_the_case(
    kind, factory, data, field, verb, message, editor, locality, client_for
):
    """One rule for the three kinds (`_unique_in_locality`), each with its own words."""
    factory(locality=locality, **{field: "Northgate Hub"})
    response = client_for(editor).post(url(f"{kind}-create"), data(**{field: "NORTHGATE hub"}))
    assert response.status_code == HTTPStatus.OK
    assert errors_of(response)[field] == [f"This locality already {verb} {message}."]
    assert factory._meta.model.objects.count() == 1


def test_the_same_name_in_another_locality_is_allowed(editor, client_for):
    SpaceFactory(locality=LocalityFactory(slug="riverside"), name="Northgate Library")
    response = client_for(editor).post(url("spaces-create"), space_data())
    assert response.status_code == HTTPStatus.FOUND
    assert Space.objects.filter(name="Northgate Library").count() == 2


def test_a_limit_out_of_range_is_refused_at_the_field(editor, locality, client_for):
    SpaceFactory(locality=locality, name="Cobden Street hall")
    response = client_for(editor).post(url("resources"), {"volunteer_hours_limit": "-2"})
    assert response.status_code == HTTPStatus.OK
    (message,) = response.context["limit_form"].errors["volunteer_hours_limit"]
    page = response.content.decode()
    # The whole resources page again, with the message at the field and the value typed.
    assert "Cobden Street hall" in page
    assert escape(message) in page
    assert 'name="volunteer_hours_limit" value="-2"' in page
    locality.refresh_from_db()
    assert locality.volunteer_hours_limit is None


def test_the_database_refuses_negative_money_and_backwards_hours(locality):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpaceFactory(locality=locality, hire_cost_per_hour=Decimal("-1"))
    space = SpaceFactory(locality=locality)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opening.objects.create(space=space, day=0, opens=datetime.time(12), closes=datetime.time(9))


# The page's cost ------------------------------------------------------------------------


def fill(locality, count):
    for n in range(count):
        space = SpaceFactory(locality=locality)
        Opening.objects.create(
            space=space, day=n % 7, opens=datetime.time(9), closes=datetime.time(12)
        )
        partner = PartnerFactory(locality=locality)
        Contribution.objects.create(
            partner=partner,
            kind="money",
            value=100,
            status="delivered",
            status_on=datetime.date(2026, 10, 1),
        )
        role = VolunteerRoleFactory(locality=locality)
        VolunteerMonth.objects.create(
            role=role, month=datetime.date(2026, 10, 1), trained=2, active=2
        )


def test_the_page_costs_the_same_queries_with_more_records(
    editor, locality, client_for, django_assert_max_num_queries
):
    client = client_for(editor)
    fill(locality, 1)
    with django_assert_max_num_queries(14) as small:
        response = client.get(url("resources"))
    assert response.status_code == HTTPStatus.OK
    fill(locality, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("resources"))
    assert response.content.decode().count("Delete<span") == 63


def test_a_partners_money_columns_count_money_only(viewer, locality, client_for):
    partner = PartnerFactory(locality=locality)
    for kind, value in (("money", "120"), ("space", "60"), ("in_kind", "35")):
        Contribution.objects.create(
            partner=partner,
            kind=kind,
            value=Decimal(value),
            quantity=3 if kind == "space" else None,
            status="delivered",
            status_on=datetime.date(2026, 11, 1),
        )
    response = client_for(viewer).get(url("resources"))
    (shown,) = response.context["partners"]
    assert shown.money["delivered"] == Decimal("120")
    assert "Space, £60.00, 3 sessions" in response.content.decode()
