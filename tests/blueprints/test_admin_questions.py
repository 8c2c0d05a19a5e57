"""Issue 12 in the admin: the delivery questions listed across sites and filtered by status,
theme and locality; a challenge's questions and a prototype's measures as rows of it; a
prototype's results; the starter library, which reviewers keep. Every write goes through
the services, and reviewers change nothing of a site's but the library."""

from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from blueprints import services
from blueprints.models import (
    Blueprint,
    DeliveryChallenge,
    DeliveryQuestion,
    Prototype,
    PrototypeMeasure,
    StarterQuestion,
)
from blueprints.services import MeasureRow
from localities.permissions import REVIEWER_GROUP
from tests.blueprints.factories import BlueprintFactory, with_review_state
from tests.localities.test_admin_memberships import admin_form_data

pytestmark = pytest.mark.django_db

State = Blueprint.ReviewState


@pytest.fixture
def blueprint(locality, editor):
    return BlueprintFactory(locality=locality, title="Welcome walks", by=editor)


@pytest.fixture
def challenge(blueprint, editor):
    return services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        title="Keeping volunteers",
        questions=["Why do they leave?", "What helps them stay?"],
        by=editor,
    )


@pytest.fixture
def elsewhere(other_locality, outsider):
    blueprint = BlueprintFactory(locality=other_locality, title="Riverside's", by=outsider)
    challenge = services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.USE_OF_SPACE,
        title="A room",
        questions=["Could we rent the hall out?"],
        by=outsider,
    )
    question = challenge.questions.get()
    services.update_delivery_question(
        question=question,
        status=DeliveryQuestion.Status.ANSWERED,
        answer="Yes, on Saturday evenings.",
        by=outsider,
    )
    return question


@pytest.fixture
def prototype(blueprint, challenge, editor):
    prototype = services.create_prototype(
        blueprint=blueprint,
        title="Ten walks",
        status=Prototype.Status.FINISHED,
        questions=[challenge.questions.first()],
        by=editor,
    )
    services.set_prototype_measures(
        prototype=prototype,
        measures=[MeasureRow("Came back", "families", Decimal(2), Decimal(6), Decimal(8))],
        by=editor,
    )
    return prototype


def questions_url(**query) -> str:
    url = reverse("admin:blueprints_deliveryquestion_changelist")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def change_url(obj) -> str:
    return reverse(f"admin:blueprints_{obj._meta.model_name}_change", args=[obj.pk])


def listed(response) -> list[str]:
    return [str(question) for question in response.context["cl"].result_list]


# Who ------------------------------------------------------------------------------------


def test_the_reviewers_group_reads_questions_and_keeps_the_starter_library():
    codenames = set(
        Group.objects.get(name=REVIEWER_GROUP)
        .permissions.filter(content_type__app_label="blueprints")
        .values_list("codename", flat=True)
    )
    assert {
        "view_deliveryquestion",
        "view_prototypemeasure",
        "view_starterquestion",
        "add_starterquestion",
        "change_starterquestion",
        "delete_starterquestion",
    } <= codenames
    assert "change_deliveryquestion" not in codenames
    assert "change_prototypemeasure" not in codenames


@pytest.mark.parametrize("model", ["deliveryquestion", "starterquestion"])
def test_a_member_who_is_not_staff_is_sent_to_the_admin_login(client_for, editor, model):
    response = client_for(editor).get(reverse(f"admin:blueprints_{model}_changelist"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(questions_url())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_reviewer_reads_every_sites_questions(client_for, reviewer, challenge, elsewhere):
    response = client_for(reviewer).get(questions_url())
    assert response.status_code == HTTPStatus.OK
    assert sorted(listed(response)) == [
        "Could we rent the hall out?",
        "What helps them stay?",
        "Why do they leave?",
    ]


def test_a_reviewer_cannot_change_a_question(client_for, reviewer, challenge):
    question = challenge.questions.first()
    response = client_for(reviewer).post(
        change_url(question), {"text": "Rewritten", "status": "parked"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    question.refresh_from_db()
    assert question.text == "Why do they leave?"


def test_a_reviewer_cannot_change_a_prototypes_results(client_for, reviewer, prototype):
    response = client_for(reviewer).post(change_url(prototype), {"families_reached": "99"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    prototype.refresh_from_db()
    assert prototype.families_reached is None


def test_a_reviewer_edits_the_starter_library(client_for, reviewer):
    # Its own question, not one the migration seeded: a transactional test run before this
    # one on the same worker empties the tables, seeds and all.
    starter = StarterQuestion.objects.create(theme="volunteering", text="How do we thank?")
    client = client_for(reviewer)
    response = client.post(
        change_url(starter),
        {"theme": "volunteering", "text": "How do we thank volunteers?", "position": 0},
    )
    assert response.status_code == HTTPStatus.FOUND
    starter.refresh_from_db()
    assert starter.text == "How do we thank volunteers?"
    response = client.post(
        reverse("admin:blueprints_starterquestion_add"),
        {"theme": "use_of_space", "text": "Who holds the keys?", "position": 9},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert StarterQuestion.objects.filter(text="Who holds the keys?").exists()


def test_a_starter_question_in_two_lines_is_refused_at_the_field(client_for, reviewer):
    response = client_for(reviewer).post(
        reverse("admin:blueprints_starterquestion_add"),
        {"theme": "use_of_space", "text": "Who holds\nthe keys?", "position": 9},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["text"]
    assert not StarterQuestion.objects.filter(text__startswith="Who holds").exists()


# Words a team could not keep as a question of its own: the site refuses them when a
# ticked starter question is copied (`create_delivery_challenge`), so the library refuses
# them too (the model's rules, which the admin's form applies).
NOT_A_QUESTION = {
    "two lines": "Who holds\nthe keys?",
    "a tab": "Who holds\tthe keys?",
    "a control character": "Who holds\x07 the keys?",
    "too long": "Who holds the keys? " * 16,
}


@pytest.mark.parametrize("words", NOT_A_QUESTION.values(), ids=NOT_A_QUESTION.keys())
def test_the_library_refuses_what_a_team_could_not_keep_as_its_question(
    client_for, reviewer, blueprint, editor, words
):
    with pytest.raises(ValidationError):
        services.create_delivery_challenge(
            blueprint=blueprint, theme="use_of_space", title="Keys", questions=[words], by=editor
        )
    before = StarterQuestion.objects.count()
    response = client_for(reviewer).post(
        reverse("admin:blueprints_starterquestion_add"),
        {"theme": "use_of_space", "text": words, "position": 0},
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["text"]
    assert StarterQuestion.objects.count() == before


def test_a_starter_question_may_be_as_long_as_a_teams_question(client_for, reviewer):
    limit = DeliveryQuestion._meta.get_field("text").max_length
    words = ("Who holds the keys? " * 20)[: limit - 1] + "?"
    response = client_for(reviewer).post(
        reverse("admin:blueprints_starterquestion_add"),
        {"theme": "use_of_space", "text": words, "position": 0},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert StarterQuestion.objects.filter(text=words).exists()


def test_the_library_list_refuses_a_negative_position(client_for, reviewer):
    starter = StarterQuestion.objects.create(theme="volunteering", text="How do we thank?")
    response = client_for(reviewer).post(
        reverse("admin:blueprints_starterquestion_changelist") + "?q=thank",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(starter.pk),
            "form-0-position": "-1",
            "_save": "Save",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["cl"].formset.errors[0]["position"]
    starter.refresh_from_db()
    assert starter.position == 0


# The list -------------------------------------------------------------------------------


def test_the_list_filters_by_status_theme_and_locality(
    client_for, reviewer, challenge, elsewhere, other_locality
):
    client = client_for(reviewer)
    assert listed(client.get(questions_url(status="answered"))) == ["Could we rent the hall out?"]
    assert sorted(listed(client.get(questions_url(challenge__theme="volunteering")))) == [
        "What helps them stay?",
        "Why do they leave?",
    ]
    by_locality = client.get(
        questions_url(challenge__blueprint__locality__id__exact=other_locality.pk)
    )
    assert listed(by_locality) == ["Could we rent the hall out?"]


def test_the_list_finds_a_question_by_a_word_of_its_answer(
    client_for, reviewer, challenge, elsewhere
):
    response = client_for(reviewer).get(questions_url(q="Saturday"))
    assert listed(response) == ["Could we rent the hall out?"]


def test_the_list_reads_as_many_queries_for_many_questions_as_for_few(
    client_for, reviewer, challenge, elsewhere, editor, django_assert_max_num_queries
):
    client = client_for(reviewer)
    client.get(questions_url())  # the first request also reads what the process keeps
    with django_assert_max_num_queries(50) as few:
        assert client.get(questions_url()).status_code == HTTPStatus.OK
    for n in range(20):
        question = services.create_delivery_question(
            challenge=challenge, text=f"Question {n}", owner=editor, by=editor
        )
        services.update_delivery_question(
            question=question, status="answered", answer="Yes.", by=editor
        )
    with django_assert_max_num_queries(len(few)) as many:
        response = client.get(questions_url())
    assert len(listed(response)) == 23
    assert len(many) == len(few)


# Writes through the services ------------------------------------------------------------


def test_answering_a_question_in_the_admin_goes_through_the_service(
    client_for, superuser, blueprint, challenge
):
    with_review_state(blueprint, State.APPROVED)
    version = Blueprint.objects.get(pk=blueprint.pk).version
    question = challenge.questions.first()
    client = client_for(superuser)
    data = admin_form_data(client.get(change_url(question)))
    data.update(status="answered", answer="When the rota is too heavy.", answered_on="2026-05-02")
    response = client.post(change_url(question), data)
    assert response.status_code == HTTPStatus.FOUND
    question.refresh_from_db()
    assert question.status == "answered"
    assert question.answered_on == date(2026, 5, 2)
    assert question.decided_by == superuser  # set by the service
    after = Blueprint.objects.get(pk=blueprint.pk)
    assert after.version == version + 1
    assert after.review_state == State.APPROVED  # planning leaves it approved


def test_an_owner_from_another_locality_is_refused_at_the_field(
    client_for, superuser, challenge, outsider
):
    question = challenge.questions.first()
    client = client_for(superuser)
    data = admin_form_data(client.get(change_url(question)))
    data["owner"] = str(outsider.pk)
    response = client.post(change_url(question), data)
    assert response.status_code == HTTPStatus.OK
    assert "owner" in response.context["adminform"].form.errors
    question.refresh_from_db()
    assert question.owner is None


def test_answered_without_an_answer_is_refused_at_the_field(client_for, superuser, challenge):
    question = challenge.questions.first()
    client = client_for(superuser)
    data = admin_form_data(client.get(change_url(question)))
    data.update(status="answered", answer="")
    response = client.post(change_url(question), data)
    assert response.status_code == HTTPStatus.OK
    assert "answer" in response.context["adminform"].form.errors
    question.refresh_from_db()
    assert question.status == "open"


def test_the_challenge_page_adds_changes_and_deletes_its_questions(
    client_for, superuser, blueprint, challenge, editor
):
    leave, stay = challenge.questions.order_by("position")
    client = client_for(superuser)
    response = client.get(change_url(challenge))
    data = admin_form_data(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    rows = {str(data[f"{prefix}-{i}-id"]): i for i in range(2)}
    data[f"{prefix}-{rows[str(leave.pk)]}-owner"] = str(editor.pk)
    data[f"{prefix}-{rows[str(stay.pk)]}-DELETE"] = "on"
    data[f"{prefix}-TOTAL_FORMS"] = "3"
    data.update({f"{prefix}-2-text": "Who trains them?", f"{prefix}-2-status": "open"})
    version = Blueprint.objects.get(pk=blueprint.pk).version
    response = client.post(change_url(challenge), data)
    assert response.status_code == HTTPStatus.FOUND, response.context and [
        f.errors for f in response.context["inline_admin_formsets"][0].formset.forms
    ]
    assert list(challenge.questions.order_by("position").values_list("text", "owner")) == [
        ("Why do they leave?", editor.pk),
        ("Who trains them?", None),
    ]
    assert Blueprint.objects.get(pk=blueprint.pk).version == version + 3  # one a service call


def test_a_prototypes_questions_are_only_its_own_blueprints(
    client_for, superuser, prototype, elsewhere
):
    response = client_for(superuser).get(change_url(prototype))
    choices = response.context["adminform"].form.fields["questions"].queryset
    assert elsewhere not in choices
    assert set(choices) == set(
        DeliveryQuestion.objects.filter(challenge__blueprint=prototype.blueprint)
    )


def test_a_prototypes_results_and_measures_save_through_the_services(
    client_for, superuser, blueprint, prototype
):
    with_review_state(blueprint, State.APPROVED)
    client = client_for(superuser)
    response = client.get(change_url(prototype))
    assert "Cost per family" in response.content.decode()
    data = admin_form_data(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data.update(families_reached="10", staff_hours="12.5", cash_cost="300", in_kind_value="100")
    data[f"{prefix}-0-actual"] = "9"
    data[f"{prefix}-TOTAL_FORMS"] = "2"
    data.update({f"{prefix}-1-name": "Hours given", f"{prefix}-1-actual": "-2"})
    response = client.post(change_url(prototype), data)
    assert response.status_code == HTTPStatus.FOUND
    prototype.refresh_from_db()
    assert prototype.families_reached == 10
    assert prototype.cost_per_family == Decimal("40.00")
    assert list(prototype.measures.values_list("position", "name", "actual")) == [
        (0, "Came back", Decimal("9.00")),
        (1, "Hours given", Decimal("-2.00")),
    ]
    assert Blueprint.objects.get(pk=blueprint.pk).review_state == State.APPROVED


def test_negative_hours_are_refused_at_the_field_and_nothing_saved(
    client_for, superuser, prototype
):
    client = client_for(superuser)
    response = client.get(change_url(prototype))
    data = admin_form_data(response)
    data.update(staff_hours="-3", families_reached="4")
    response = client.post(change_url(prototype), data)
    assert response.status_code == HTTPStatus.OK
    assert "staff_hours" in response.context["adminform"].form.errors
    prototype.refresh_from_db()
    assert prototype.families_reached is None


def test_a_decision_without_what_was_learned_is_refused_and_nothing_saved(
    client_for, superuser, prototype
):
    client = client_for(superuser)
    data = admin_form_data(client.get(change_url(prototype)))
    data.update(decision="adopt", learning="")
    response = client.post(change_url(prototype), data)
    assert response.status_code == HTTPStatus.OK
    assert "learning" in response.context["adminform"].form.errors
    assert Prototype.objects.get(pk=prototype.pk).decision == "undecided"


def test_deleting_a_measure_row_replaces_the_measures(client_for, superuser, prototype):
    client = client_for(superuser)
    response = client.get(change_url(prototype))
    data = admin_form_data(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-DELETE"] = "on"
    response = client.post(change_url(prototype), data)
    assert response.status_code == HTTPStatus.FOUND
    assert not PrototypeMeasure.objects.filter(prototype=prototype).exists()
