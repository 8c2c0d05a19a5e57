"""Issue 14: a submitted blueprint's content is frozen until the reviewer decides.

Every edit of the content (cards, their emotion and links, phases, lanes, the blueprint's
title, a restore, an undo) is refused with the banner's words and changes nothing; planning
is not frozen; withdrawing (by an editor or lead) opens it again and tells the reviewers.
"""

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from blueprints import services
from blueprints.interchange.json_export import export_document
from blueprints.models import Blueprint, Lane, ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review import states as review_states
from tests.blueprints.factories import BlueprintFactory, CardFactory, lane, phase
from tests.consultations.factories import IdeaFactory

pytestmark = pytest.mark.django_db

MESSAGE = review_states.FROZEN_MESSAGE
HTMX = {"HX-Request": "true"}
CONFLICT = HTTPStatus.CONFLICT


@pytest.fixture
def blueprint(locality, editor):
    """Two cards, one change the editor could undo, then submitted (version 1)."""
    blueprint = BlueprintFactory(
        locality=locality, title="Welcome walks", idea=IdeaFactory(locality=locality)
    )
    family = lane(blueprint, Lane.Role.FAMILY)
    first = CardFactory(
        blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="Hears of it"
    )
    CardFactory(blueprint=blueprint, phase=phase(blueprint, 0), lane=family, title="Comes along")
    services.update_card(card=first, expected_version=first.version, by=editor, title="Hears")
    review_actions.submit(blueprint=blueprint, by=editor)
    return Blueprint.objects.get(pk=blueprint.pk)


def content(blueprint: Blueprint) -> tuple:
    """Everything an edit could change, read fresh: the export and the edit counter."""
    fresh = Blueprint.objects.select_related("locality", "idea").get(pk=blueprint.pk)
    document = export_document(fresh)
    document.pop("exported_at", None)
    return document, fresh.version, fresh.review_state


def to(name, blueprint, *more):
    return reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk, *more])


def first_card(blueprint):
    return blueprint.cards.order_by("position").first()


# Each edit a person can attempt: (url name, extra url args from the blueprint, data).
ATTEMPTS = {
    "card add": lambda bp: (
        to("card-create", bp) + f"?phase={phase(bp, 0).pk}&lane={lane(bp, Lane.Role.FAMILY).pk}",
        {"title": "New card", "kind": "step"},
    ),
    "card edit": lambda bp: (
        to("card-update", bp, first_card(bp).pk),
        {"title": "Changed", "kind": "step", "version": first_card(bp).version},
    ),
    "card move": lambda bp: (
        to("card-move", bp, first_card(bp).pk),
        {"direction": "right", "version": first_card(bp).version},
    ),
    "card delete": lambda bp: (
        to("card-delete", bp, first_card(bp).pk),
        {"version": first_card(bp).version},
    ),
    "card emotion": lambda bp: (
        to("card-emotion", bp, first_card(bp).pk),
        {"emotion": "-2", "version": first_card(bp).version},
    ),
    "card link": lambda bp: (
        to("card-links", bp, first_card(bp).pk),
        {
            "action": "link",
            "direction": "serves",
            "other": bp.cards.order_by("position").last().pk,
        },
    ),
    "phase rename": lambda bp: (
        to("phase-edit", bp, phase(bp, 1).pk),
        {"name": "Using it", "description": ""},
    ),
    "phase add": lambda bp: (to("phase-add", bp), {"name": "Follow-up", "position": ""}),
    "lane add": lambda bp: (to("lane-add", bp), {"role": "support", "name": "Funding"}),
    "title": lambda bp: (
        to("update", bp),
        {"title": "Another title", "summary": "", "idea": bp.idea_id},
    ),
    "restore": lambda bp: (to("version-restore", bp, 1), {}),
    "undo": lambda bp: (to("card-undo", bp), {}),
    "blueprint delete": lambda bp: (to("delete", bp), {}),
}


# Undo by the editor only: the lead and the superuser have no change of their own to undo.
@pytest.mark.parametrize(
    ("attempt", "role"),
    [
        (attempt, role)
        for attempt in ATTEMPTS
        for role in ("editor", "lead", "superuser")
        if attempt != "undo" or role == "editor"
    ],
)
def test_an_edit_of_a_submitted_blueprint_is_refused_with_the_banners_words(
    client_for, users, blueprint, attempt, role
):
    before = content(blueprint)
    address, data = ATTEMPTS[attempt](blueprint)
    response = client_for(users[role]).post(address, data)
    assert response.status_code == CONFLICT
    assert MESSAGE in response.text
    assert content(blueprint) == before


@pytest.mark.parametrize(
    "attempt", ["card add", "card edit", "card move", "card delete", "card link", "undo"]
)
def test_an_htmx_edit_of_a_submitted_blueprint_reloads_the_page_with_the_message(
    client_for, editor, blueprint, attempt
):
    before = content(blueprint)
    address, data = ATTEMPTS[attempt](blueprint)
    client = client_for(editor)
    response = client.post(address, data, headers=HTMX)
    assert response.status_code == CONFLICT
    assert response["HX-Refresh"] == "true"
    assert response.text == MESSAGE
    assert content(blueprint) == before
    page = client.get(to("detail", blueprint))
    assert page.text.count(MESSAGE) == 1  # the banner gives the reason once
    assert review_states.NOT_SAVED_MESSAGE in page.text  # and the message, what became of it


def test_the_services_refuse_a_content_change_and_roll_it_all_back(blueprint, editor):
    before = content(blueprint)
    card = first_card(blueprint)
    with pytest.raises(review_states.Frozen):
        services.update_card(card=card, expected_version=card.version, by=editor, title="X")
    with pytest.raises(review_states.Frozen):
        services.update_blueprint(blueprint=blueprint, by=editor, title="Another")
    assert content(blueprint) == before


def test_planning_is_not_frozen(client_for, editor, blueprint):
    response = client_for(editor).post(
        to("prototype-create", blueprint),
        {
            "title": "Try the walk once",
            "hypothesis": "Families come back.",
            "method": "One walk.",
            "cost": "10",
            "risk": "low",
            "status": "planned",
            "learning": "",
            "decision": "undecided",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.text[:3000]
    assert blueprint.prototypes.filter(title="Try the walk once").exists()
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == "submitted"


@pytest.mark.parametrize("action", ["request_changes", "approve"])
def test_the_reviewers_moves_are_not_frozen(blueprint, reviewer, action):
    review_actions.SERVICES[action](blueprint=blueprint, by=reviewer, note="Seen.")
    assert Blueprint.objects.get(pk=blueprint.pk).review_state != "submitted"


def test_a_reviewer_may_still_comment_on_a_submitted_blueprint(client_for, reviewer, blueprint):
    response = client_for(reviewer).post(to("comment-create", blueprint), {"body": "Why two?"})
    assert response.status_code == HTTPStatus.FOUND
    assert blueprint.comments.filter(body="Why two?").exists()


# What the pages show ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "editor", "lead", "reviewer", "superuser"])
def test_every_page_of_a_submitted_blueprint_shows_the_banner(client_for, users, blueprint, role):
    client = client_for(users[role])
    for name in ("detail", "review", "versions", "structure", "text"):
        response = client.get(to(name, blueprint))
        assert response.status_code == HTTPStatus.OK, name
        assert MESSAGE in response.text, name


def test_the_banner_is_gone_once_withdrawn(client_for, editor, blueprint):
    review_actions.withdraw(blueprint=blueprint, by=editor)
    assert MESSAGE not in client_for(editor).get(to("detail", blueprint)).text


@pytest.mark.parametrize("role", ["editor", "lead", "superuser"])
def test_the_editor_of_a_submitted_blueprint_is_read_only_with_a_withdraw_button(
    client_for, users, blueprint, role
):
    response = client_for(users[role]).get(to("detail", blueprint))
    assert response.context["can_edit"] is False
    assert "You can read this blueprint" in response.text
    assert to("card-create", blueprint) not in response.text
    assert "Withdraw to edit" in response.text
    withdraw = reverse(
        "blueprints:review-transition", args=[blueprint.locality.slug, blueprint.pk, "withdraw"]
    )
    assert f'action="{withdraw}"' in response.text


@pytest.mark.parametrize("role", ["editor", "lead"])
def test_the_structure_page_of_a_submitted_blueprint_offers_no_forms(
    client_for, users, blueprint, role
):
    response = client_for(users[role]).get(to("structure", blueprint))
    assert response.context["can_edit"] is False
    assert to("phase-add", blueprint) not in response.text
    assert "Withdraw to edit" in response.text


def test_the_planning_pages_of_a_submitted_blueprint_stay_editable(client_for, editor, blueprint):
    response = client_for(editor).get(to("prototype-list", blueprint))
    assert response.context["can_edit"] is True


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_no_withdraw_button_for_those_who_may_not_withdraw(client_for, users, blueprint, role):
    assert "Withdraw to edit" not in client_for(users[role]).get(to("detail", blueprint)).text


def test_the_editor_of_a_draft_is_editable(client_for, editor, blueprint):
    review_actions.withdraw(blueprint=blueprint, by=editor)
    response = client_for(editor).get(to("detail", blueprint))
    assert response.context["can_edit"] is True
    assert "Withdraw to edit" not in response.text


# Withdraw to edit ---------------------------------------------------------------------


def withdraw_url(blueprint):
    return reverse(
        "blueprints:review-transition", args=[blueprint.locality.slug, blueprint.pk, "withdraw"]
    )


@pytest.mark.parametrize("role", ["editor", "lead", "superuser"])
def test_the_team_withdraws_and_is_taken_back_to_the_editor(client_for, users, blueprint, role):
    response = client_for(users[role]).post(withdraw_url(blueprint), {"note": ""})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == to("detail", blueprint)
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == "draft"
    move = ReviewTransition.objects.filter(blueprint=blueprint).latest("pk")
    assert (move.from_state, move.to_state, move.by) == ("submitted", "draft", users[role])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("viewer", HTTPStatus.FORBIDDEN),
        ("reviewer", HTTPStatus.FORBIDDEN),
        ("outsider", HTTPStatus.NOT_FOUND),
    ],
)
def test_others_may_not_withdraw(client_for, users, blueprint, role, status):
    response = client_for(users[role]).post(withdraw_url(blueprint), {"note": ""})
    assert response.status_code == status
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == "submitted"


def test_anonymous_withdraw_goes_to_the_login_page(client, blueprint):
    response = client.post(withdraw_url(blueprint), {"note": ""})
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == "submitted"


def test_withdraw_then_edit_works_and_the_reviewer_is_told_and_sees_it(
    client_for, editor, reviewer, blueprint, django_capture_on_commit_callbacks
):
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(withdraw_url(blueprint), {"note": "Adding the exit phase."})
    address, data = ATTEMPTS["card edit"](blueprint)
    response = client.post(address, data)
    assert response.status_code == HTTPStatus.FOUND
    assert first_card(blueprint).title == "Changed"
    [email] = mail.outbox
    assert email.to == [reviewer.email]
    name = editor.get_full_name() or editor.get_username()
    assert f"withdrawn by {name} to make changes" in email.body
    assert "Adding the exit phase." in email.body
    page = client_for(reviewer).get(to("review", blueprint))
    assert f"Withdrawn by {escape(name)} to make changes" in page.text
    history = page.text[page.text.index('id="history-heading"') :]
    assert "<strong>Withdrawn</strong> to edit" in history
    assert "Adding the exit phase." in history


def test_a_withdrawn_blueprint_can_be_submitted_again_as_the_next_version(
    client_for, editor, blueprint
):
    review_actions.withdraw(blueprint=blueprint, by=editor)
    review_actions.submit(blueprint=blueprint, by=editor)
    assert list(blueprint.versions.values_list("number", flat=True)) == [1, 2]


def test_the_admin_refuses_a_card_change_on_a_submitted_blueprint(client_for, superuser, blueprint):
    card = first_card(blueprint)
    before = content(blueprint)
    address = reverse("admin:blueprints_card_change", args=[card.pk])
    page = client_for(superuser).get(address)
    assert page.status_code == HTTPStatus.OK
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(title="Changed in admin", opened_at_version=card.version)
    data["insights"] = []
    response = client_for(superuser).post(address, data, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert MESSAGE in response.text
    assert content(blueprint) == before


# Opening a form that could only be refused ---------------------------------------------

FORM_PAGES = {
    "card new": lambda bp: (
        to("card-create", bp) + f"?phase={phase(bp, 0).pk}&lane={lane(bp, Lane.Role.FAMILY).pk}"
    ),
    "card edit": lambda bp: to("card-update", bp, first_card(bp).pk),
    "card move": lambda bp: to("card-move", bp, first_card(bp).pk),
    "card delete": lambda bp: to("card-delete", bp, first_card(bp).pk),
    "blueprint edit": lambda bp: to("update", bp),
    "phase add": lambda bp: to("phase-add", bp),
    "phase edit": lambda bp: to("phase-edit", bp, phase(bp, 1).pk),
    "phase delete": lambda bp: to("phase-delete", bp, phase(bp, 1).pk),
    "lane add": lambda bp: to("lane-add", bp),
    "lane edit": lambda bp: to("lane-edit", bp, lane(bp, Lane.Role.FAMILY).pk),
    "lane delete": lambda bp: to("lane-delete", bp, lane(bp, Lane.Role.FAMILY).pk),
    "restore": lambda bp: to("version-restore", bp, 1),
    "blueprint delete": lambda bp: to("delete", bp),
}


@pytest.mark.parametrize("page", FORM_PAGES)
def test_a_content_form_of_a_submitted_blueprint_opens_as_the_refusal(
    client_for, editor, blueprint, page
):
    response = client_for(editor).get(FORM_PAGES[page](blueprint))
    assert response.status_code == CONFLICT
    text = response.content.decode()
    assert "This blueprint cannot be changed now" in text
    assert escape(MESSAGE) in text
    assert "<textarea" not in text
    assert "Withdraw to edit" in text


@pytest.mark.parametrize("page", FORM_PAGES)
def test_a_content_form_of_a_withdrawn_blueprint_opens(client_for, editor, blueprint, page):
    review_actions.withdraw(blueprint=blueprint, by=editor)
    response = client_for(editor).get(FORM_PAGES[page](blueprint))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider", 404)])
def test_who_may_not_edit_is_told_so_before_the_freeze(client_for, users, blueprint, role, status):
    response = client_for(users[role]).get(FORM_PAGES["card edit"](blueprint))
    assert response.status_code == status


def test_an_htmx_request_for_a_content_form_reloads_the_page(client_for, editor, blueprint):
    response = client_for(editor).get(FORM_PAGES["card edit"](blueprint), headers=HTMX)
    assert response.status_code == CONFLICT
    assert response["HX-Refresh"] == "true"
