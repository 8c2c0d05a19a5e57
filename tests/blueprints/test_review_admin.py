"""The review in the admin: the queue, the actions reviewers use with view permissions
only, the history and comments on the change page, comments added there."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blueprints.models import Blueprint, Comment, ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from localities.permissions import REVIEWER_GROUP
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    with_review_state,
)
from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:blueprints_blueprint_changelist"


def changelist():
    return reverse(CHANGELIST)


def state_of(blueprint):
    return Blueprint.objects.get(pk=blueprint.pk).review_state


def test_the_reviewers_group_may_read_transitions_and_read_and_add_comments():
    codenames = set(
        Group.objects.get(name=REVIEWER_GROUP)
        .permissions.filter(codename__in=["view_reviewtransition", "view_comment", "add_comment"])
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_reviewtransition", "view_comment", "add_comment"}


def test_the_reviewers_group_may_not_change_or_delete_review_records():
    codenames = set(
        Group.objects.get(name=REVIEWER_GROUP)
        .permissions.filter(content_type__app_label="blueprints")
        .values_list("codename", flat=True)
    )
    # The one exception is no site's record: the programme's starter questions (issue 12).
    library = {"change_starterquestion", "delete_starterquestion"}
    assert not {c for c in codenames if c.startswith(("change_", "delete_"))} - library


# The queue -------------------------------------------------------------------------------


def age(blueprint, days):
    """Make the blueprint `days` old, and its last review move too."""
    then = timezone.now() - timedelta(days=days)
    Blueprint.objects.filter(pk=blueprint.pk).update(created_at=then)
    ReviewTransition.objects.filter(blueprint=blueprint).update(at=then)


def test_the_list_puts_submitted_blueprints_first_then_the_oldest(
    client_for, editor, reviewer, locality
):
    draft_old = BlueprintFactory(locality=locality, title="Old draft")
    age(draft_old, 30)
    submitted_new = BlueprintFactory(locality=locality, title="New submission")
    review_actions.submit(blueprint=submitted_new, by=editor)
    age(submitted_new, 1)
    submitted_old = BlueprintFactory(locality=locality, title="Old submission")
    review_actions.submit(blueprint=submitted_old, by=editor)
    age(submitted_old, 10)
    BlueprintFactory(locality=locality, title="New draft")
    response = client_for(reviewer).get(changelist())
    titles = [b.title for b in response.context["cl"].result_list]
    assert titles == ["Old submission", "New submission", "Old draft", "New draft"]


def test_the_list_filters_by_review_state(client_for, editor, reviewer, locality):
    BlueprintFactory(locality=locality, title="A draft")
    review_actions.submit(blueprint=BlueprintFactory(locality=locality, title="Sent"), by=editor)
    response = client_for(reviewer).get(changelist() + "?review_state__exact=submitted")
    assert [b.title for b in response.context["cl"].result_list] == ["Sent"]


def test_the_list_filters_by_locality(client_for, reviewer, locality, other_locality):
    BlueprintFactory(locality=locality, title="Here")
    BlueprintFactory(locality=other_locality, title="There")
    response = client_for(reviewer).get(changelist() + f"?locality__id__exact={other_locality.pk}")
    assert [b.title for b in response.context["cl"].result_list] == ["There"]


def test_the_list_shows_the_state_in_words(client_for, editor, reviewer, blueprint):
    review_actions.submit(blueprint=blueprint, by=editor)
    with_review_state(BlueprintFactory(title="Other"), "changes_requested")
    content = client_for(reviewer).get(changelist()).content.decode()
    assert "Submitted" in content
    assert "Changes requested" in content


def queries_for_changelist(client, *, rows: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(changelist())
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].result_count == rows
    return len(queries)


def make_blueprints(count, editor):
    for index in range(count):
        blueprint = BlueprintFactory(locality=LocalityFactory())
        CardFactory(blueprint=blueprint)
        if index % 2:
            review_actions.submit(blueprint=blueprint, by=editor)


def test_the_list_costs_the_same_queries_for_2_or_20_blueprints(
    client_for, reviewer, superuser, django_assert_max_num_queries
):
    client = client_for(reviewer)
    make_blueprints(2, superuser)
    client.get(changelist())
    with django_assert_max_num_queries(12):
        few = queries_for_changelist(client, rows=2)
    make_blueprints(18, superuser)
    with django_assert_max_num_queries(12):
        many = queries_for_changelist(client, rows=20)
    assert few == many


# Actions ---------------------------------------------------------------------------------


def action_names(response):
    return {name for name, _ in response.context["action_form"].fields["action"].choices}


def test_a_reviewer_with_view_permissions_has_the_review_actions(client_for, reviewer, blueprint):
    response = client_for(reviewer).get(changelist())
    assert {"approve_selected", "request_changes_selected"} <= action_names(response)


def test_staff_outside_the_reviewers_group_do_not(client_for, blueprint):
    from django.contrib.auth.models import Permission

    from tests.localities.factories import UserFactory

    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_blueprint"))
    response = client_for(staff).get(changelist())
    assert response.status_code == HTTPStatus.OK
    assert response.context["action_form"] is None or not (
        {"approve_selected", "request_changes_selected"} & action_names(response)
    )


def test_staff_outside_the_group_cannot_post_the_action(client_for, editor, blueprint):
    from django.contrib.auth.models import Permission

    from tests.localities.factories import UserFactory

    review_actions.submit(blueprint=blueprint, by=editor)
    staff = UserFactory(username="helpdesk", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_blueprint"))
    client_for(staff).post(
        changelist(),
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [blueprint.pk], "apply": "1"}
        | {"note": "Fine."},
    )
    assert state_of(blueprint) == "submitted"


def post_action(client, action, blueprints, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [b.pk for b in blueprints], **extra}
    return client.post(changelist(), data)


@pytest.mark.parametrize("action", ["approve_selected", "request_changes_selected"])
def test_the_action_first_asks_for_a_note(client_for, editor, reviewer, blueprint, action):
    review_actions.submit(blueprint=blueprint, by=editor)
    response = post_action(client_for(reviewer), action, [blueprint], index="0")
    assert response.status_code == HTTPStatus.OK
    assert "blueprints/review/admin_note.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert "Note for the team" in content
    assert f'name="{ACTION_CHECKBOX_NAME}" value="{blueprint.pk}"' in content
    assert state_of(blueprint) == "submitted"


@pytest.mark.parametrize(
    ("action", "after"),
    [("approve_selected", "approved"), ("request_changes_selected", "changes_requested")],
)
def test_a_reviewer_decides_through_the_service(
    client_for, editor, lead, reviewer, blueprint, action, after, django_capture_on_commit_callbacks
):
    review_actions.submit(blueprint=blueprint, by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(
            client_for(reviewer), action, [blueprint], apply="1", note="See the exit phase."
        )
    assert response.status_code == HTTPStatus.FOUND
    assert state_of(blueprint) == after
    transition = ReviewTransition.objects.filter(blueprint=blueprint).last()
    assert (transition.to_state, transition.by, transition.note) == (
        after,
        reviewer,
        "See the exit phase.",
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@example.org", "lead@example.org"]


def test_the_action_without_a_note_changes_nothing(client_for, editor, reviewer, blueprint):
    review_actions.submit(blueprint=blueprint, by=editor)
    response = post_action(
        client_for(reviewer), "approve_selected", [blueprint], apply="1", note=""
    )
    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in response.content.decode()
    assert state_of(blueprint) == "submitted"


def test_the_action_leaves_a_blueprint_that_is_not_submitted(
    client_for, editor, reviewer, locality
):
    sent = BlueprintFactory(locality=locality, title="Sent")
    review_actions.submit(blueprint=sent, by=editor)
    draft = BlueprintFactory(locality=locality, title="Still a draft")
    client = client_for(reviewer)
    response = post_action(client, "approve_selected", [sent, draft], apply="1", note="Good.")
    assert (state_of(sent), state_of(draft)) == ("approved", "draft")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("“Sent”" in m for m in messages)
    assert any(
        "“Still a draft” (Only a submitted blueprint can be approved; this one is a draft.)" in m
        for m in messages
    )


# The change page ---------------------------------------------------------------------------


def test_the_change_page_shows_the_history_and_the_comments(
    client_for, editor, reviewer, blueprint
):
    card = CardFactory(blueprint=blueprint, title="Hears about the walks")
    review_actions.submit(blueprint=blueprint, by=editor, note="Ready for you.")
    review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="Who leads the walks?", card=card
    )
    response = client_for(reviewer).get(
        reverse("admin:blueprints_blueprint_change", args=[blueprint.pk])
    )
    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "Ready for you." in content
    assert "Who leads the walks?" in content
    assert "card “Hears about the walks”" in content
    assert reverse("blueprints:review", args=[blueprint.locality.slug, blueprint.pk]) in content


def test_an_admin_edit_of_an_approved_blueprint_returns_it_to_draft(
    client_for, superuser, blueprint
):
    card = CardFactory(blueprint=blueprint)
    with_review_state(blueprint, "approved")
    response = client_for(superuser).post(
        reverse("admin:blueprints_card_change", args=[card.pk]),
        {"title": "Changed in the admin", "kind": "step", "details": "", "emotion": ""},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert state_of(blueprint) == "draft"
    assert ReviewTransition.objects.get().by == superuser


# Comments in the admin ------------------------------------------------------------------------


def comment_add():
    return reverse("admin:blueprints_comment_add")


def test_a_reviewer_comments_on_a_card_in_the_admin(
    client_for, reviewer, lead, blueprint, django_capture_on_commit_callbacks
):
    card = CardFactory(blueprint=blueprint, title="Hears about the walks")
    client = client_for(reviewer)
    form_page = client.get(comment_add() + f"?blueprint={blueprint.pk}")
    assert "Hears about the walks" in form_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            comment_add(), {"blueprint": blueprint.pk, "card": card.pk, "body": "Who leads?"}
        )
    assert response.status_code == HTTPStatus.FOUND
    comment = Comment.objects.get()
    assert (comment.author, comment.card, comment.card_title) == (
        reviewer,
        card,
        "Hears about the walks",
    )
    # Through the service, so the team is told.
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]


def test_a_card_of_another_blueprint_is_refused_in_the_admin(client_for, reviewer, blueprint):
    elsewhere = CardFactory()
    response = client_for(reviewer).post(
        comment_add(), {"blueprint": blueprint.pk, "card": elsewhere.pk, "body": "Who leads?"}
    )
    assert response.status_code == HTTPStatus.OK
    assert not Comment.objects.exists()


def test_a_reviewer_resolves_conversations_with_the_admin_action(
    client_for, reviewer, editor, blueprint
):
    question = review_comments.add_comment(blueprint=blueprint, by=editor, body="Is this right?")
    client_for(reviewer).post(
        reverse("admin:blueprints_comment_changelist"),
        {"action": "resolve_selected", ACTION_CHECKBOX_NAME: [question.pk], "index": "0"},
    )
    question.refresh_from_db()
    assert question.resolved_by == reviewer


def test_a_reviewer_cannot_change_a_comment_in_the_admin(client_for, reviewer, editor, blueprint):
    question = review_comments.add_comment(blueprint=blueprint, by=editor, body="Is this right?")
    response = client_for(reviewer).post(
        reverse("admin:blueprints_comment_change", args=[question.pk]),
        {"blueprint": blueprint.pk, "body": "Rewritten"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    question.refresh_from_db()
    assert question.body == "Is this right?"


def test_a_locality_member_cannot_reach_the_comment_admin(client_for, editor):
    response = client_for(editor).get(reverse("admin:blueprints_comment_changelist"))
    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response.url
