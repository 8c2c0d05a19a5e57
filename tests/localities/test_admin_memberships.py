"""The Membership inline on a locality's admin page, and the Membership admin of its own,
keep the last-lead rule of `localities.services`: the last lead can be neither removed nor
demoted there."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils.text import capfirst

from localities.models import Membership
from localities.services import LAST_LEAD_MESSAGE
from tests.localities.factories import UserFactory

pytestmark = pytest.mark.django_db


def admin_form_data(response) -> dict:
    """The POST a browser would send back from an admin change page, as it was rendered."""

    def add(data: dict, form) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            data[form.add_prefix(name)] = value

    data: dict = {}
    add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(data, formset.management_form)
        for form in formset.forms:
            add(data, form)
    return data


def change_url(locality) -> str:
    return reverse("admin:localities_locality_change", args=[locality.pk])


def open_form(client, locality) -> tuple[dict, dict[int, str]]:
    """The change page's data, and each membership's form prefix by membership pk."""
    response = client.get(change_url(locality))
    assert response.status_code == HTTPStatus.OK
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is Membership
    ]
    prefixes = {form.instance.pk: form.prefix for form in formset.forms if form.instance.pk}
    return admin_form_data(response), prefixes


def last_lead_message(membership) -> str:
    """As the admin shows it (its message list capitalises the first letter)."""
    return capfirst(
        LAST_LEAD_MESSAGE.format(
            name=membership.user.get_username(), locality=membership.locality.name
        )
    )


def test_removing_the_last_lead_in_the_inline_is_refused(client_for, superuser, lead, locality):
    client = client_for(superuser)
    membership = Membership.objects.get(user=lead)
    data, prefixes = open_form(client, locality)
    data[f"{prefixes[membership.pk]}-DELETE"] = "on"
    response = client.post(change_url(locality), data, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert last_lead_message(membership) in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk, role=Membership.Role.LEAD).exists()


def test_demoting_the_last_lead_in_the_inline_is_refused(client_for, superuser, lead, locality):
    client = client_for(superuser)
    membership = Membership.objects.get(user=lead)
    data, prefixes = open_form(client, locality)
    data[f"{prefixes[membership.pk]}-role"] = Membership.Role.EDITOR
    response = client.post(change_url(locality), data, follow=True)
    assert last_lead_message(membership) in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.LEAD


def test_a_refused_save_keeps_nothing_of_the_locality_form(client_for, superuser, lead, locality):
    client = client_for(superuser)
    membership = Membership.objects.get(user=lead)
    data, prefixes = open_form(client, locality)
    data[f"{prefixes[membership.pk]}-DELETE"] = "on"
    data["area"] = "Changed in the same save"
    client.post(change_url(locality), data)
    locality.refresh_from_db()
    assert locality.area != "Changed in the same save"


def test_removing_one_of_two_leads_in_the_inline_works(
    client_for, superuser, lead, editor, locality
):
    Membership.objects.filter(user=editor).update(role=Membership.Role.LEAD)
    client = client_for(superuser)
    membership = Membership.objects.get(user=lead)
    data, prefixes = open_form(client, locality)
    data[f"{prefixes[membership.pk]}-DELETE"] = "on"
    response = client.post(change_url(locality), data)
    assert response.status_code == HTTPStatus.FOUND
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_one_save_can_hand_the_lead_to_someone_else(client_for, superuser, lead, editor, locality):
    client = client_for(superuser)
    old, new = Membership.objects.get(user=lead), Membership.objects.get(user=editor)
    data, prefixes = open_form(client, locality)
    data[f"{prefixes[old.pk]}-role"] = Membership.Role.EDITOR
    data[f"{prefixes[new.pk]}-role"] = Membership.Role.LEAD
    response = client.post(change_url(locality), data)
    assert response.status_code == HTTPStatus.FOUND
    roles = dict(Membership.objects.filter(locality=locality).values_list("pk", "role"))
    assert roles == {old.pk: Membership.Role.EDITOR, new.pk: Membership.Role.LEAD}


# The Membership admin of its own (not the inline) -------------------------------------------


def membership_url(membership, view: str = "change") -> str:
    return reverse(f"admin:localities_membership_{view}", args=[membership.pk])


def test_demoting_the_last_lead_on_the_membership_page_is_refused(client_for, superuser, lead):
    membership = Membership.objects.get(user=lead)
    response = client_for(superuser).post(
        membership_url(membership), {"role": Membership.Role.EDITOR}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert last_lead_message(membership) in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.LEAD


def test_deleting_the_last_lead_on_the_membership_page_is_refused(client_for, superuser, lead):
    membership = Membership.objects.get(user=lead)
    response = client_for(superuser).post(
        membership_url(membership, "delete"), {"post": "yes"}, follow=True
    )
    assert response.status_code == HTTPStatus.OK
    assert last_lead_message(membership) in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_deleting_the_last_lead_from_the_membership_list_removes_nobody(
    client_for, superuser, lead, editor
):
    selected = list(Membership.objects.filter(user__in=[lead, editor]).order_by("pk"))
    response = client_for(superuser).post(
        reverse("admin:localities_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [m.pk for m in selected], "post": "yes"},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert last_lead_message(selected[0]) in response.content.decode()
    assert Membership.objects.filter(pk__in=[m.pk for m in selected]).count() == 2


def test_demoting_one_of_two_leads_on_the_membership_page_works(
    client_for, superuser, lead, editor
):
    Membership.objects.filter(user=editor).update(role=Membership.Role.LEAD)
    membership = Membership.objects.get(user=lead)
    response = client_for(superuser).post(
        membership_url(membership), {"role": Membership.Role.VIEWER}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Membership.objects.get(pk=membership.pk).role == Membership.Role.VIEWER


def test_who_a_membership_is_for_is_fixed_on_its_page(
    client_for, superuser, lead, editor, other_locality
):
    membership = Membership.objects.get(user=editor)
    client_for(superuser).post(
        membership_url(membership),
        {"user": lead.pk, "locality": other_locality.pk, "role": Membership.Role.VIEWER},
    )
    stored = Membership.objects.get(pk=membership.pk)
    assert (stored.user, stored.locality, stored.role) == (editor, membership.locality, "viewer")


def test_adding_a_member_on_the_membership_page_works(client_for, superuser, locality):
    newcomer = UserFactory(username="newcomer")
    response = client_for(superuser).post(
        reverse("admin:localities_membership_add"),
        {"user": newcomer.pk, "locality": locality.pk, "role": Membership.Role.EDITOR},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Membership.objects.get(user=newcomer, locality=locality).role == "editor"
