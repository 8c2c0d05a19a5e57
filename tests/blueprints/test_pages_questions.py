"""The team's question pages (issue 12, items 1 and 2): every question of a blueprint by
challenge and theme, one question's trail, adding, changing and deleting questions, and
the starter questions offered when a delivery challenge is created."""

import datetime
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from blueprints import services
from blueprints.models import Blueprint, DeliveryChallenge, DeliveryQuestion, StarterQuestion
from localities.models import Membership
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    with_review_state,
)
from tests.conftest import _member
from tests.consultations.factories import ConsultationFactory, IdeaFactory, ResponseFactory
from tests.localities.factories import InsightFactory, UserFactory
from tests.roles import CONTENT_EDITORS, READERS, REFUSED_WRITERS, ROLES, WRITERS

pytestmark = pytest.mark.django_db

FOUND = HTTPStatus.FOUND


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.split())


def to(name, blueprint, *more, slug="northgate"):
    return reverse(f"blueprints:{name}", args=[slug, blueprint.pk, *more])


@pytest.fixture
def challenge(blueprint):
    return DeliveryChallengeFactory(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        title="Volunteers burn out",
        questions=["How much is too much?", "Who trains them?"],
    )


@pytest.fixture
def question(challenge):
    return challenge.questions.get(position=0)


def answer(question, by, text="Four hours a week, in pairs.", **more):
    return services.update_delivery_question(
        question=question,
        by=by,
        status=DeliveryQuestion.Status.ANSWERED,
        answer=text,
        answered_on=more.pop("answered_on", datetime.date(2026, 10, 2)),
        **more,
    )


# The role matrix, both ways ----------------------------------------------------------------

GET_PAGES = {
    "question-list": READERS,
    "question-detail": READERS,
    "question-create": CONTENT_EDITORS,
    "question-update": CONTENT_EDITORS,
    "question-delete": CONTENT_EDITORS,
}
ONE_QUESTION = {"question-detail", "question-update", "question-delete"}


def page_url(name, blueprint, question):
    return to(name, blueprint, question.pk) if name in ONE_QUESTION else to(name, blueprint)


@pytest.mark.parametrize("page", list(GET_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_get_by_role(client_for, users, blueprint, question, page, role):
    response = client_for(users[role]).get(page_url(page, blueprint, question))
    assert response.status_code == GET_PAGES[page][role]


@pytest.mark.parametrize("page", list(GET_PAGES))
def test_anonymous_get_is_sent_to_login(client, blueprint, question, page):
    response = client.get(page_url(page, blueprint, question))
    assert response.status_code == FOUND
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", ["question-create", "question-update", "question-delete"])
def test_anonymous_post_is_sent_to_login_and_changes_nothing(client, blueprint, question, page):
    response = client.post(page_url(page, blueprint, question), {"text": "Changed"})
    assert response.status_code == FOUND
    assert response.url.startswith(reverse("login"))
    assert list(DeliveryQuestion.objects.order_by("pk").values_list("text", flat=True)) == [
        "How much is too much?",
        "Who trains them?",
    ]


@pytest.mark.parametrize("role", WRITERS)
def test_writers_add_a_question(client_for, users, blueprint, challenge, role):
    response = client_for(users[role]).post(
        to("question-create", blueprint),
        {"challenge": challenge.pk, "text": " Who covers the summer? ", "owner": ""},
    )
    new = DeliveryQuestion.objects.get(text="Who covers the summer?")
    assert response.status_code == FOUND
    assert response.url == to("question-detail", blueprint, new.pk)
    assert (new.challenge, new.status, new.position) == (challenge, "open", 2)


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_others_cannot_add_a_question(client_for, users, blueprint, challenge, role):
    response = client_for(users[role]).post(
        to("question-create", blueprint), {"challenge": challenge.pk, "text": "Sneaky"}
    )
    assert response.status_code == CONTENT_EDITORS[role]
    assert not DeliveryQuestion.objects.filter(text="Sneaky").exists()


@pytest.mark.parametrize("role", WRITERS)
def test_writers_change_a_question(client_for, users, blueprint, question, editor, role):
    response = client_for(users[role]).post(
        to("question-update", blueprint, question.pk),
        {"text": "How many hours?", "status": "testing", "owner": editor.pk},
    )
    assert response.status_code == FOUND
    question.refresh_from_db()
    assert (question.text, question.status, question.owner) == (
        "How many hours?",
        "testing",
        editor,
    )


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_others_cannot_change_a_question(client_for, users, blueprint, question, role):
    response = client_for(users[role]).post(
        to("question-update", blueprint, question.pk), {"text": "Changed", "status": "parked"}
    )
    assert response.status_code == CONTENT_EDITORS[role]
    question.refresh_from_db()
    assert (question.text, question.status) == ("How much is too much?", "open")


@pytest.mark.parametrize("role", WRITERS)
def test_writers_delete_a_question(client_for, users, blueprint, question, role):
    response = client_for(users[role]).post(to("question-delete", blueprint, question.pk))
    assert response.status_code == FOUND
    assert response.url == to("question-list", blueprint)
    assert not DeliveryQuestion.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_others_cannot_delete_a_question(client_for, users, blueprint, question, role):
    response = client_for(users[role]).post(to("question-delete", blueprint, question.pk))
    assert response.status_code == CONTENT_EDITORS[role]
    assert DeliveryQuestion.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize("page", sorted(ONE_QUESTION))
def test_a_question_of_another_blueprint_is_not_found_here(
    client_for, editor, blueprint, locality, page
):
    sibling = BlueprintFactory(locality=locality, title="Baby bank")
    theirs = DeliveryChallengeFactory(blueprint=sibling).questions.first()
    assert (
        client_for(editor).get(to(page, blueprint, theirs.pk)).status_code == HTTPStatus.NOT_FOUND
    )
    assert client_for(editor).get(to(page, sibling, theirs.pk)).status_code == HTTPStatus.OK


def test_the_blueprint_pages_link_to_the_questions(client_for, viewer, blueprint):
    html = client_for(viewer).get(to("challenge-list", blueprint)).content.decode()
    assert f'href="{to("question-list", blueprint)}">Questions</a>' in html
    html = client_for(viewer).get(to("question-list", blueprint)).content.decode()
    assert 'aria-current="page" href="{}">Questions'.format(to("question-list", blueprint)) in html


# The list -------------------------------------------------------------------------------


def test_the_list_groups_questions_by_challenge_under_its_theme(
    client_for, viewer, blueprint, challenge, question, editor
):
    DeliveryChallengeFactory(
        blueprint=blueprint, theme="use_of_space", title="The hall is cold", questions=["Heat?"]
    )
    answer(question, editor)
    response = client_for(viewer).get(to("question-list", blueprint))
    groups = [
        (
            theme["label"],
            [(c.title, [q.text for q in c.question_list]) for c in theme["challenges"]],
        )
        for theme in response.context["themes"]
    ]
    assert groups == [
        ("Volunteering", [("Volunteers burn out", ["How much is too much?", "Who trains them?"])]),
        ("Use of space", [("The hall is cold", ["Heat?"])]),
    ]
    text = words(response)
    assert "Answered · Owner: no one yet · answered 2 October 2026" in text
    assert "Answer: Four hours a week, in pairs." in text
    assert f'href="{to("question-detail", blueprint, question.pk)}"' in response.content.decode()


def test_the_list_shows_each_owner(client_for, viewer, blueprint, question, editor):
    services.update_delivery_question(question=question, by=editor, owner=editor)
    text = words(client_for(viewer).get(to("question-list", blueprint)))
    assert f"Open · Owner: {editor.get_full_name()}" in text


def test_the_list_filters_by_status(client_for, viewer, blueprint, challenge, question, editor):
    answer(question, editor)
    DeliveryChallengeFactory(blueprint=blueprint, title="Nothing answered", questions=["Open one"])
    response = client_for(viewer).get(to("question-list", blueprint), {"status": "answered"})
    shown = [
        q.text for t in response.context["themes"] for c in t["challenges"] for q in c.question_list
    ]
    assert shown == ["How much is too much?"]
    assert "Nothing answered" not in words(response)
    assert "Answered (1)" in words(response)


def test_an_unknown_status_filter_shows_everything(client_for, viewer, blueprint, question):
    response = client_for(viewer).get(to("question-list", blueprint), {"status": "<b>x</b>"})
    assert response.context["status"] == ""
    assert response.context["shown"] == 2


def test_a_filter_with_no_match_says_so(client_for, viewer, blueprint, question):
    response = client_for(viewer).get(to("question-list", blueprint), {"status": "parked"})
    assert "No question is “parked” at the moment." in words(response)


def test_editors_are_offered_to_add_a_question_to_each_challenge(
    client_for, editor, viewer, blueprint, challenge
):
    link = to("question-create", blueprint) + f"?challenge={challenge.pk}"
    assert link in client_for(editor).get(to("question-list", blueprint)).content.decode()
    assert link not in client_for(viewer).get(to("question-list", blueprint)).content.decode()


def test_the_list_reads_a_fixed_number_of_queries(
    client_for, viewer, blueprint, django_assert_max_num_queries
):
    client = client_for(viewer)

    def fetch():
        with django_assert_max_num_queries(9) as queries:  # +1: the version label (issue 14)
            response = client.get(to("question-list", blueprint))
        assert response.status_code == HTTPStatus.OK
        return response.context["shown"], len(queries)

    owner = _member(blueprint.locality, Membership.Role.EDITOR, "owner")
    DeliveryChallengeFactory(blueprint=blueprint, questions=["One"])
    shown, few = fetch()
    assert shown == 1
    for n in range(8):
        made = DeliveryChallengeFactory(
            blueprint=blueprint, theme=DeliveryChallenge.Theme.values[n % 7], questions=["a", "b"]
        )
        services.update_delivery_question(question=made.questions.first(), by=owner, owner=owner)
    assert fetch() == (17, few)


# A question's page: its trail --------------------------------------------------------------


def test_the_page_shows_the_answer_with_its_date_and_who_decided(
    client_for, viewer, blueprint, question, editor
):
    answer(question, editor)
    text = words(client_for(viewer).get(to("question-detail", blueprint, question.pk)))
    assert "Question of the delivery challenge Volunteers burn out (Volunteering)" in text
    assert "How much is too much?" in text
    assert "Answer Four hours a week, in pairs." in text
    assert f"Reached 2 October 2026; decided by {editor.get_full_name()}." in text


def test_a_reopened_question_shows_its_last_answer_as_such(
    client_for, viewer, blueprint, question, editor
):
    answer(question, editor)
    services.update_delivery_question(question=question, by=editor, status="open")
    text = words(client_for(viewer).get(to("question-detail", blueprint, question.pk)))
    assert "The last answer, before it was re-opened Four hours a week, in pairs." in text


def test_the_page_links_the_insights_behind_it(client_for, viewer, blueprint, question, editor):
    insight = InsightFactory(locality=blueprint.locality, statement="Volunteers leave in winter")
    services.update_delivery_question(question=question, by=editor, insights=[insight])
    html = client_for(viewer).get(to("question-detail", blueprint, question.pk)).content.decode()
    assert f'<a href="{insight.get_absolute_url()}">Volunteers leave in winter</a>' in html


def test_the_page_shows_an_ideas_support_by_group(client_for, viewer, blueprint, question, editor):
    idea = IdeaFactory(locality=blueprint.locality, title="Buddy volunteers")
    consultation = ConsultationFactory(locality=blueprint.locality, ideas=[idea])
    for group, support in [("parent", 5), ("parent", 4), ("practitioner", 2)]:
        ResponseFactory(consultation=consultation, idea=idea, group=group, support=support)
    unconsulted = IdeaFactory(locality=blueprint.locality, title="Rota app")
    services.update_delivery_question(question=question, by=editor, ideas=[idea, unconsulted])
    response = client_for(viewer).get(to("question-detail", blueprint, question.pk))
    text = words(response)
    assert "Buddy volunteers 3 responses; mean support 3.7 out of 5." in text
    # Two parents and one practitioner are too few to compare (issue 14).
    assert "Compared only when each group has at least 5 respondents; parents: 2, " in text
    assert "disagree" not in text
    assert "Parent or carer 2 4.5" in text
    assert "Practitioner or staff 1 2.0" in text
    assert "Rota app Not consulted on yet." in text


def test_the_page_shows_the_prototypes_that_test_it_with_their_results(
    client_for, viewer, blueprint, question, editor
):
    PrototypeFactory(
        blueprint=blueprint,
        title="Paired shifts",
        questions=[question],
        decision="adopt",
        families_reached=12,
        hardest_to_reach=5,
        cash_cost=Decimal("300"),
        in_kind_value=Decimal("60"),
    )
    PrototypeFactory(
        blueprint=blueprint,
        title="Evening rota",
        questions=[question],
        status="finished",
        learning="Nobody came.",
        decision="drop",
        families_reached=0,
        cash_cost=Decimal("80"),
    )
    PrototypeFactory(blueprint=blueprint, title="Not about it")
    text = words(client_for(viewer).get(to("question-detail", blueprint, question.pk)))
    assert "Paired shifts Finished 12 (5 hardest to reach) £30.00 Adopt" in text
    assert "Evening rota Finished 0 Not reached Drop" in text
    assert "Not about it" not in text


def test_the_page_shows_who_changed_the_question_and_how(
    client_for, viewer, blueprint, question, editor
):
    services.update_delivery_question(question=question, by=editor, owner=editor, status="testing")
    text = words(client_for(viewer).get(to("question-detail", blueprint, question.pk)))
    name = editor.get_full_name()
    assert f"{name} changed the question" in text
    assert "Status: from “Open” to “Being tested”" in text
    assert f"Owner: set to “{name}”" in text


def test_the_page_reads_a_fixed_number_of_queries(
    client_for, viewer, editor, blueprint, question, django_assert_max_num_queries
):
    client = client_for(viewer)

    def fetch():
        with django_assert_max_num_queries(15) as queries:  # +1: the version label (issue 14)
            response = client.get(to("question-detail", blueprint, question.pk))
        assert response.status_code == HTTPStatus.OK
        response.query_count = len(queries)
        return response

    idea = IdeaFactory(locality=blueprint.locality)
    ResponseFactory(
        consultation=ConsultationFactory(locality=blueprint.locality, ideas=[idea]), idea=idea
    )
    services.update_delivery_question(
        question=question,
        by=editor,
        owner=editor,
        ideas=[idea],
        insights=[InsightFactory(locality=blueprint.locality)],
    )
    PrototypeFactory(blueprint=blueprint, questions=[question])
    small = fetch()
    assert len(small.context["prototypes"]) == 1
    ideas = [IdeaFactory(locality=blueprint.locality) for _ in range(5)]
    consultation = ConsultationFactory(locality=blueprint.locality, ideas=ideas)
    for each in ideas:
        ResponseFactory(consultation=consultation, idea=each, group="practitioner")
    services.update_delivery_question(
        question=question,
        by=editor,
        owner=editor,
        ideas=[idea, *ideas],
        insights=[InsightFactory(locality=blueprint.locality) for _ in range(5)],
    )
    for n in range(5):
        PrototypeFactory(blueprint=blueprint, questions=[question], title=f"Test {n}")
    answer(question, editor)
    response = fetch()
    assert (len(response.context["prototypes"]), len(response.context["ideas"])) == (6, 6)
    assert len(response.context["insights"]) == 5
    assert response.query_count == small.query_count


# Adding and changing: bad input gets a message at its field and changes nothing ------------


def test_an_owner_from_another_locality_is_refused_at_the_field(
    client_for, editor, outsider, blueprint, question
):
    response = client_for(editor).post(
        to("question-update", blueprint, question.pk),
        {"text": "Changed", "status": "open", "owner": outsider.pk},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["owner"] == ["Choose a member of this locality's team."]
    question.refresh_from_db()
    assert (question.text, question.owner) == ("How much is too much?", None)


def test_an_owner_from_another_locality_is_refused_when_adding(
    client_for, editor, outsider, blueprint, challenge
):
    response = client_for(editor).post(
        to("question-create", blueprint),
        {"challenge": challenge.pk, "text": "New one", "owner": outsider.pk},
    )
    assert "owner" in response.context["form"].errors
    assert not DeliveryQuestion.objects.filter(text="New one").exists()


def test_the_owner_is_chosen_among_the_team(
    client_for, editor, viewer, outsider, blueprint, question
):
    form = client_for(editor).get(to("question-update", blueprint, question.pk)).context["form"]
    assert set(form.fields["owner"].queryset) == {editor, viewer}


def test_answered_without_an_answer_is_refused_at_the_field(
    client_for, editor, blueprint, question
):
    response = client_for(editor).post(
        to("question-update", blueprint, question.pk),
        {"text": "How much is too much?", "status": "answered", "answer": "  "},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["answer"] == ["Say what the answer is."]
    assert "Please correct the errors below; nothing has been saved yet." in words(response)
    question.refresh_from_db()
    assert question.status == "open"


def test_answered_without_a_date_is_dated_today_and_records_who_decided(
    client_for, editor, blueprint, question
):
    client_for(editor).post(
        to("question-update", blueprint, question.pk),
        {"text": question.text, "status": "answered", "answer": "Two shifts a week."},
    )
    question.refresh_from_db()
    assert (question.status, question.answer, question.answered_on, question.decided_by) == (
        "answered",
        "Two shifts a week.",
        timezone.localdate(),
        editor,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 301}, "text"),
        ({"text": "Two\nlines"}, "text"),
        ({"status": "solved"}, "status"),
        ({"answered_on": "not a date"}, "answered_on"),
        ({"owner": "abc"}, "owner"),
        ({"insights": ["abc"]}, "insights"),
    ],
)
def test_bad_question_input_is_a_field_error(client_for, editor, blueprint, question, data, field):
    post = {"text": "Changed", "status": "open", "answer": "", **data}
    response = client_for(editor).post(to("question-update", blueprint, question.pk), post)
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    question.refresh_from_db()
    assert question.text == "How much is too much?"


def test_evidence_from_another_locality_is_refused_at_its_field(
    client_for, editor, blueprint, question, other_locality
):
    theirs = {
        "insights": InsightFactory(locality=other_locality).pk,
        "ideas": IdeaFactory(locality=other_locality).pk,
    }
    for name, pk in theirs.items():
        response = client_for(editor).post(
            to("question-update", blueprint, question.pk),
            {"text": "Changed", "status": "open", name: [pk]},
        )
        assert response.context["form"].errors[name] == [f"Choose {name} of this locality only."]
    question.refresh_from_db()
    assert (question.text, question.insights.count(), question.ideas.count()) == (
        "How much is too much?",
        0,
        0,
    )


def test_a_challenge_of_another_blueprint_is_refused_when_adding(
    client_for, editor, blueprint, challenge, locality
):
    theirs = DeliveryChallengeFactory(blueprint=BlueprintFactory(locality=locality))
    response = client_for(editor).post(
        to("question-create", blueprint), {"challenge": theirs.pk, "text": "Sneaky"}
    )
    assert response.context["form"].errors["challenge"] == [
        "Choose one of this blueprint's delivery challenges."
    ]
    assert not DeliveryQuestion.objects.filter(text="Sneaky").exists()


def test_a_challenge_in_the_link_is_preselected(client_for, editor, blueprint, challenge):
    url = to("question-create", blueprint)
    form = client_for(editor).get(url, {"challenge": challenge.pk}).context["form"]
    assert form["challenge"].value() == str(challenge.pk)
    assert (
        client_for(editor).get(url, {"challenge": "<x>"}).context["form"]["challenge"].value()
        is None
    )


def test_adding_needs_a_challenge_first(client_for, editor, blueprint):
    text = words(client_for(editor).get(to("question-create", blueprint)))
    assert "this blueprint has none yet. Add a delivery challenge first." in text


def test_a_refused_edit_keeps_the_heading(client_for, editor, blueprint, question):
    response = client_for(editor).post(
        to("question-update", blueprint, question.pk), {"text": "", "status": "open"}
    )
    assert "Edit the question “How much is too much?”" in words(response)


def test_answering_on_an_approved_blueprint_leaves_it_approved(
    client_for, editor, blueprint, question
):
    with_review_state(blueprint, Blueprint.ReviewState.APPROVED)
    client_for(editor).post(
        to("question-update", blueprint, question.pk),
        {"text": question.text, "status": "answered", "answer": "Yes", "answered_on": "2026-11-01"},
    )
    blueprint.refresh_from_db()
    question.refresh_from_db()
    assert (question.status, blueprint.review_state) == ("answered", "approved")


def test_deleting_asks_first_and_names_the_prototypes_that_test_it(
    client_for, editor, blueprint, question
):
    PrototypeFactory(blueprint=blueprint, title="Paired shifts", questions=[question])
    text = words(client_for(editor).get(to("question-delete", blueprint, question.pk)))
    assert "Delete the question “How much is too much?”?" in text
    assert "1 prototype tests it and will no longer list it: Paired shifts" in text


# Starter questions when a delivery challenge is created ------------------------------------


@pytest.fixture
def library(db):
    """The programme's library, as a test controls it (the migration's seed set aside)."""
    StarterQuestion.objects.all().delete()
    return {
        "vol": [
            StarterQuestion.objects.create(
                theme="volunteering", text="How many volunteers?", position=0
            ),
            StarterQuestion.objects.create(
                theme="volunteering", text="How do we train them?", position=1
            ),
        ],
        "space": [
            StarterQuestion.objects.create(
                theme="use_of_space", text="Could we rent it out?", position=0
            )
        ],
    }


def test_the_migration_seeds_every_themes_starter_questions(starter_library):
    themes = set(StarterQuestion.objects.values_list("theme", flat=True))
    assert themes == set(DeliveryChallenge.Theme.values) - {"other"}
    assert StarterQuestion.objects.filter(
        text__startswith="Could we rent out spaces to other businesses"
    ).exists()


def test_the_form_offers_every_themes_starters_the_chosen_theme_first(
    client_for, editor, blueprint, library
):
    response = client_for(editor).get(to("challenge-create", blueprint), {"theme": "use_of_space"})
    groups = response.context["form"].starter_groups()
    assert [(g["label"], g["chosen"], [w.value() for _, w in g["rows"]]) for g in groups] == [
        ("Use of space", True, ["Could we rent it out?"]),
        ("Volunteering", False, ["How many volunteers?", "How do we train them?"]),
    ]
    html = response.content.decode()
    assert re.search(r'<details class="[^"]*" open>\s*<summary[^>]*>Use of space', html)
    assert re.search(r'<details class="[^"]*">\s*<summary[^>]*>Volunteering', html)


def test_every_starter_checkbox_and_its_words_have_a_label(client_for, editor, blueprint, library):
    html = client_for(editor).get(to("challenge-create", blueprint)).content.decode()
    ids = re.findall(r'<input type="(?:checkbox|text)"[^>]*name="starter-[^"]*" id="([^"]+)"', html)
    assert len(ids) == 6
    for input_id in ids:
        assert f'for="{input_id}"' in html


def test_ticked_starters_in_the_teams_words_come_before_its_own(
    client_for, editor, blueprint, library
):
    vol = library["vol"]
    response = client_for(editor).post(
        to("challenge-create", blueprint),
        {
            "theme": "volunteering",
            "title": "Too few volunteers",
            f"starter-{vol[0].pk}": "on",
            f"starter-{vol[0].pk}-text": " How many volunteers do we need by June? ",
            f"starter-{vol[1].pk}-text": "How do we train them?",  # not ticked
            f"starter-{library['space'][0].pk}": "on",
            f"starter-{library['space'][0].pk}-text": "Could we rent it out?",
            "questions": "Who pays their bus fares?",
        },
    )
    assert response.status_code == FOUND
    challenge = DeliveryChallenge.objects.get()
    # The challenge's own theme's first, as the form lists them.
    assert list(challenge.questions.values_list("text", "status")) == [
        ("How many volunteers do we need by June?", "open"),
        ("Could we rent it out?", "open"),
        ("Who pays their bus fares?", "open"),
    ]


def test_a_sites_copy_is_its_own(client_for, editor, blueprint, library):
    starter = library["vol"][0]
    client_for(editor).post(
        to("challenge-create", blueprint),
        {
            "theme": "volunteering",
            "title": "Too few volunteers",
            f"starter-{starter.pk}": "on",
            f"starter-{starter.pk}-text": starter.text,
        },
    )
    starter.text = "Rewritten by the programme"
    starter.save()
    starter.delete()
    assert list(DeliveryQuestion.objects.values_list("text", flat=True)) == ["How many volunteers?"]


@pytest.mark.parametrize(
    ("words_typed", "message"),
    [
        ("   ", "Write the question, or untick it."),
        ("x" * 301, "Keep this to 300 characters; it has 301."),
        ("Two\nlines", "Keep this to one line"),
    ],
)
def test_a_ticked_starter_with_bad_words_is_refused_at_its_field(
    client_for, editor, blueprint, library, words_typed, message
):
    starter = library["vol"][0]
    response = client_for(editor).post(
        to("challenge-create", blueprint),
        {
            "theme": "volunteering",
            "title": "Too few volunteers",
            f"starter-{starter.pk}": "on",
            f"starter-{starter.pk}-text": words_typed,
        },
    )
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors[f"starter-{starter.pk}-text"]
    assert errors[0].startswith(message)
    assert message.split(" (")[0] in words(response)
    assert not DeliveryChallenge.objects.exists()


def test_a_refused_form_keeps_the_ticks_and_words(client_for, editor, blueprint, library):
    starter = library["vol"][1]
    response = client_for(editor).post(
        to("challenge-create", blueprint),
        {
            "theme": "volunteering",
            "title": "",
            f"starter-{starter.pk}": "on",
            f"starter-{starter.pk}-text": "How do we train them well?",
        },
    )
    html = response.content.decode()
    assert re.search(rf'name="starter-{starter.pk}" id="[^"]+" value="on" checked', html)
    assert 'value="How do we train them well?"' in html


def test_editing_a_challenge_offers_no_starters(client_for, editor, blueprint, challenge, library):
    form = client_for(editor).get(to("challenge-update", blueprint, challenge.pk)).context["form"]
    assert not [name for name in form.fields if name.startswith("starter-")]


def test_the_create_form_reads_the_library_in_a_fixed_number_of_queries(
    client_for, editor, blueprint, library, django_assert_max_num_queries
):
    CardFactory(blueprint=blueprint)
    client = client_for(editor)

    def fetch():
        with django_assert_max_num_queries(8) as queries:  # +1: the version label (issue 14)
            response = client.get(to("challenge-create", blueprint))
        assert response.status_code == HTTPStatus.OK
        groups = response.context["form"].starter_groups()
        return sum(len(g["rows"]) for g in groups), len(queries)

    shown, few = fetch()
    assert shown == 3
    for n in range(20):
        StarterQuestion.objects.create(theme="incentive_schemes", text=f"Q{n}", position=n)
    assert fetch() == (23, few)


def test_a_member_of_no_team_is_never_an_owner(client_for, editor, blueprint, question):
    stranger = UserFactory(username="stranger")
    response = client_for(editor).post(
        to("question-update", blueprint, question.pk),
        {"text": "Changed", "status": "open", "owner": stranger.pk},
    )
    assert "owner" in response.context["form"].errors
    question.refresh_from_db()
    assert question.owner is None
