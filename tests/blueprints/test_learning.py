"""Learning shared across sites (issue 12, item 6): a team publishes an answered question
or a decided prototype; members of every site read it at /learning/, find it by words,
theme and decision, and start their own delivery challenge or prototype from it, keeping
the link. Unpublished work stays private to its site."""

import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, DeliveryChallenge, DeliveryQuestion, Prototype
from tests.blueprints.factories import (
    BlueprintFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    with_review_state,
)
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory
from tests.roles import CONTENT_EDITORS, OK, READERS, ROLES

pytestmark = pytest.mark.django_db

ANSWER = "Grandparents became the face of the walks; disengaged parents followed them."
LEARNING = "Saturday sessions reached working fathers the weekday groups never saw."


def words(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(text.split())


def answered(challenge: DeliveryChallenge, text: str, answer: str, by=None) -> DeliveryQuestion:
    question = services.create_delivery_question(challenge=challenge, text=text, by=by)
    return services.update_delivery_question(
        question=question, status=DeliveryQuestion.Status.ANSWERED, answer=answer, by=by
    )


@pytest.fixture
def challenge(blueprint):
    return DeliveryChallengeFactory(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.ENGAGING_FAMILIES,
        title="Disengaged parents",
        questions=["Who do families trust?"],
    )


@pytest.fixture
def question(challenge, editor):
    """Northgate's answered question, not yet published."""
    return answered(challenge, "Can disengaged parents become the face of the work?", ANSWER)


@pytest.fixture
def prototype(blueprint):
    """Northgate's decided prototype, not yet published."""
    return PrototypeFactory(
        blueprint=blueprint,
        title="Saturday stay and play",
        hypothesis="Working fathers come at weekends.",
        method="Four Saturday mornings in the library.",
        decision=Prototype.Decision.ADOPT,
        learning=LEARNING,
        families_reached=12,
        cash_cost=240,
    )


@pytest.fixture
def published_question(question, editor):
    return services.publish_question(question=question, by=editor)


@pytest.fixture
def published_prototype(prototype, editor):
    return services.publish_prototype(prototype=prototype, by=editor)


@pytest.fixture
def their_blueprint(other_locality):
    """Riverside's blueprint, where the outsider (Riverside's lead) starts from Northgate."""
    return BlueprintFactory(locality=other_locality, title="Riverside walks")


def library(**query):
    return reverse("learning:index") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()))


def item_url(item) -> str:
    if isinstance(item, DeliveryQuestion):
        return reverse("learning:question", args=[item.pk])
    return reverse("learning:prototype", args=[item.pk])


def publish_url(item, action="publish") -> str:
    if isinstance(item, DeliveryQuestion):
        return reverse(
            f"blueprints:question-{action}",
            args=["northgate", item.challenge.blueprint_id, item.pk],
        )
    return reverse(f"blueprints:prototype-{action}", args=["northgate", item.blueprint_id, item.pk])


# Services ---------------------------------------------------------------------------------


def test_an_open_question_cannot_be_published(challenge, editor):
    question = challenge.questions.get()
    with pytest.raises(ValidationError) as refused:
        services.publish_question(question=question, by=editor)
    assert "status" in refused.value.message_dict
    question.refresh_from_db()
    assert question.published_at is None


def test_an_undecided_prototype_cannot_be_published(blueprint, editor):
    prototype = PrototypeFactory(blueprint=blueprint, status=Prototype.Status.FINISHED)
    with pytest.raises(ValidationError) as refused:
        services.publish_prototype(prototype=prototype, by=editor)
    assert "decision" in refused.value.message_dict
    prototype.refresh_from_db()
    assert prototype.published_at is None


def test_publishing_and_unpublishing_leave_an_approved_blueprint_approved(
    blueprint, question, prototype, editor
):
    with_review_state(blueprint, Blueprint.ReviewState.APPROVED)
    services.publish_question(question=question, by=editor)
    services.publish_prototype(prototype=prototype, by=editor)
    question.refresh_from_db()
    prototype.refresh_from_db()
    assert question.published_at is not None
    assert prototype.published_at is not None
    services.unpublish_question(question=question, by=editor)
    services.unpublish_prototype(prototype=prototype, by=editor)
    question.refresh_from_db()
    prototype.refresh_from_db()
    assert question.published_at is None
    assert prototype.published_at is None
    blueprint.refresh_from_db()
    assert blueprint.review_state == Blueprint.ReviewState.APPROVED


def test_publishing_again_keeps_the_first_date(published_question, editor):
    again = services.publish_question(question=published_question, by=editor)
    assert again.published_at == published_question.published_at


def test_starting_a_challenge_copies_the_question_and_keeps_the_link(
    published_question, their_blueprint, outsider
):
    challenge = services.start_delivery_challenge_from(
        question=published_question, blueprint=their_blueprint, by=outsider
    )
    assert challenge.blueprint == their_blueprint
    assert challenge.based_on_question == published_question
    assert (challenge.title, challenge.theme) == ("Disengaged parents", "engaging_families")
    (first,) = challenge.questions.all()
    assert first.text == published_question.text
    assert first.status == DeliveryQuestion.Status.OPEN
    assert first.answer == ""


def test_starting_a_prototype_copies_its_plan_and_keeps_the_link(
    published_prototype, their_blueprint, outsider
):
    started = services.start_prototype_from(
        prototype=published_prototype, blueprint=their_blueprint, by=outsider, title="Our Saturdays"
    )
    assert started.based_on == published_prototype
    assert started.title == "Our Saturdays"
    assert (started.hypothesis, started.method) == (
        published_prototype.hypothesis,
        published_prototype.method,
    )
    assert started.status == Prototype.Status.PLANNED
    assert started.decision == Prototype.Decision.UNDECIDED
    assert started.learning == ""
    assert started.families_reached is None


def test_nothing_starts_from_unpublished_work(question, prototype, their_blueprint, outsider):
    with pytest.raises(ValidationError):
        services.start_delivery_challenge_from(
            question=question, blueprint=their_blueprint, by=outsider
        )
    with pytest.raises(ValidationError):
        services.start_prototype_from(prototype=prototype, blueprint=their_blueprint, by=outsider)
    assert not their_blueprint.delivery_challenges.exists()
    assert not their_blueprint.prototypes.exists()


def test_a_site_does_not_start_from_its_own_work(published_question, blueprint, editor):
    before = blueprint.delivery_challenges.count()
    with pytest.raises(ValidationError) as refused:
        services.start_delivery_challenge_from(
            question=published_question, blueprint=blueprint, by=editor
        )
    assert "blueprint" in refused.value.message_dict
    assert blueprint.delivery_challenges.count() == before


# The library ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_sites_members_and_reviewers_read_the_library(client_for, users, role):
    response = client_for(users[role]).get(reverse("learning:index"))
    assert response.status_code == HTTPStatus.OK


def test_the_library_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("learning:index"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_someone_of_no_site_is_told_the_library_does_not_exist(client_for):
    stranger = UserFactory(username="stranger")
    assert client_for(stranger).get(reverse("learning:index")).status_code == HTTPStatus.NOT_FOUND
    assert client_for(stranger).get(reverse("dashboard")).status_code == HTTPStatus.OK
    assert "Learning" not in words(client_for(stranger).get(reverse("dashboard")))


def test_the_nav_links_the_library_exactly_for_those_it_answers(client_for, viewer):
    link = f'href="{reverse("learning:index")}"'
    assert link in client_for(viewer).get(reverse("dashboard")).content.decode()
    stranger = UserFactory(username="stranger")
    assert link not in client_for(stranger).get(reverse("dashboard")).content.decode()


def test_the_library_lists_published_work_only(client_for, outsider, question, prototype, editor):
    text = words(client_for(outsider).get(reverse("learning:index")))
    assert question.text not in text
    assert prototype.title not in text
    services.publish_question(question=question, by=editor)
    services.publish_prototype(prototype=prototype, by=editor)
    text = words(client_for(outsider).get(reverse("learning:index")))
    assert question.text in text
    assert prototype.title in text
    assert "Northgate" in text


def test_a_published_question_is_found_by_a_word_from_its_answer(
    client_for, outsider, published_question, published_prototype
):
    found = client_for(outsider).get(library(q="grandparents"))
    assert found.context["library"].questions == [published_question]
    assert published_question.text in words(found)
    missed = client_for(outsider).get(library(q="allotment"))
    assert missed.context["library"].questions == []
    assert published_question.text not in words(missed)


def test_a_published_prototype_is_found_by_a_word_from_its_learning(
    client_for, outsider, published_question, published_prototype
):
    found = client_for(outsider).get(library(q="fathers"))
    assert found.context["library"].prototypes == [published_prototype]
    assert client_for(outsider).get(library(q="allotment")).context["library"].prototypes == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_full_text_search_finds_a_stemmed_word(client_for, outsider, published_question):
    # "grandparent" is not in the answer: "Grandparents" is, and English stemming joins them;
    # "followed" is found by "following".
    library_page = client_for(outsider).get(library(q="grandparent following"))
    assert library_page.context["library"].questions == [published_question]


def test_the_library_filters_by_theme(client_for, outsider, published_question, blueprint):
    other = DeliveryChallengeFactory(
        blueprint=blueprint, theme=DeliveryChallenge.Theme.USE_OF_SPACE, title="Rooms", questions=[]
    )
    rooms = services.publish_question(
        question=answered(other, "Could we rent out the hall?", "Yes, on Sundays."), by=None
    )
    found = client_for(outsider).get(library(theme="use_of_space")).context["library"]
    assert found.questions == [rooms]
    found = client_for(outsider).get(library(theme="engaging_families")).context["library"]
    assert found.questions == [published_question]


def test_the_library_filters_prototypes_by_theme_and_decision(
    client_for, outsider, published_prototype, blueprint, challenge
):
    dropped = services.publish_prototype(
        prototype=PrototypeFactory(
            blueprint=blueprint,
            title="Text reminders",
            decision=Prototype.Decision.DROP,
            delivery_challenges=[challenge],
        ),
        by=None,
    )
    client = client_for(outsider)
    by_decision = client.get(library(decision="drop")).context["library"]
    assert by_decision.prototypes == [dropped]
    assert by_decision.questions == []  # a decision is a prototype's
    by_theme = client.get(library(theme="engaging_families")).context["library"]
    assert by_theme.prototypes == [dropped]


def test_an_unknown_filter_is_ignored(client_for, outsider, published_prototype):
    response = client_for(outsider).get(library(theme="nonsense", decision="maybe", kind="x"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["library"].prototypes == [published_prototype]


def _publish_at(locality, n: int) -> None:
    blueprint = BlueprintFactory(locality=locality)
    challenge = DeliveryChallengeFactory(blueprint=blueprint, questions=[])
    for i in range(n):
        services.publish_question(
            question=answered(challenge, f"Question {i}?", f"Answer {i}."), by=None
        )
        services.publish_prototype(
            prototype=PrototypeFactory(
                blueprint=blueprint, decision=Prototype.Decision.ADAPT, families_reached=3
            ),
            by=None,
        )


def test_the_library_reads_in_the_same_queries_however_much_is_published(
    client_for, outsider, django_assert_max_num_queries
):
    client = client_for(outsider)
    _publish_at(LocalityFactory(), 1)
    with django_assert_max_num_queries(8) as few:
        response = client.get(reverse("learning:index"))
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["library"].questions) == 1
    for _ in range(4):
        _publish_at(LocalityFactory(), 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("learning:index"))
    assert len(response.context["library"].questions) == 21
    assert len(response.context["library"].prototypes) == 21
    assert words(response).count("families reached") == 21


# An item's page ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["question", "prototype"])
@pytest.mark.parametrize("role", ROLES)
def test_a_published_item_is_readable_by_every_site(
    client_for, users, role, kind, published_question, published_prototype
):
    item = published_question if kind == "question" else published_prototype
    response = client_for(users[role]).get(item_url(item))
    assert response.status_code == HTTPStatus.OK
    assert ANSWER in words(response) or LEARNING in words(response)


@pytest.mark.parametrize("kind", ["question", "prototype"])
@pytest.mark.parametrize("role", ROLES)
def test_unpublished_work_is_404_to_other_sites(client_for, users, role, kind, question, prototype):
    item = question if kind == "question" else prototype
    response = client_for(users[role]).get(item_url(item))
    assert response.status_code == READERS[role]
    if READERS[role] == OK:
        assert "Not published" in words(response)


def test_an_item_page_sends_an_anonymous_visitor_to_log_in(client, published_question):
    response = client.get(item_url(published_question))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_the_prototype_page_shows_results_and_cost_per_family(
    client_for, outsider, published_prototype
):
    text = words(client_for(outsider).get(item_url(published_prototype)))
    assert "Cost per family reached £20.00" in text
    assert "Decision: Adopt" in text


def test_an_unpublished_question_of_a_published_prototype_stays_hidden(
    client_for, outsider, published_prototype, question, challenge
):
    services.update_prototype(prototype=published_prototype, questions=[question], by=None)
    text = words(client_for(outsider).get(item_url(published_prototype)))
    assert question.text not in text
    services.publish_question(question=question, by=None)
    text = words(client_for(outsider).get(item_url(published_prototype)))
    assert question.text in text


# Publish and unpublish buttons ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["question", "prototype"])
@pytest.mark.parametrize("role", ROLES)
def test_only_the_sites_editors_and_leads_publish(
    client_for, users, role, kind, question, prototype
):
    item = question if kind == "question" else prototype
    response = client_for(users[role]).post(publish_url(item))
    expected = CONTENT_EDITORS[role]
    assert response.status_code == (HTTPStatus.FOUND if expected == OK else expected)
    item.refresh_from_db()
    assert (item.published_at is not None) == (expected == OK)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_sites_editors_and_leads_unpublish(client_for, users, role, published_prototype):
    response = client_for(users[role]).post(publish_url(published_prototype, "unpublish"))
    expected = CONTENT_EDITORS[role]
    assert response.status_code == (HTTPStatus.FOUND if expected == OK else expected)
    published_prototype.refresh_from_db()
    assert (published_prototype.published_at is None) == (expected == OK)


def test_publishing_sends_an_anonymous_visitor_to_log_in(client, question):
    response = client.post(publish_url(question))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))
    question.refresh_from_db()
    assert question.published_at is None


def test_publishing_is_a_post(client_for, editor, question):
    response = client_for(editor).get(publish_url(question))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_publishing_an_open_question_says_why_and_changes_nothing(client_for, editor, challenge):
    question = challenge.questions.get()
    response = client_for(editor).post(publish_url(question), follow=True)
    assert "Answer the question before publishing it." in words(response)
    question.refresh_from_db()
    assert question.published_at is None


def test_publishing_returns_to_the_page_of_the_button_not_elsewhere(client_for, editor, prototype):
    here = reverse("blueprints:prototype-list", args=["northgate", prototype.blueprint_id])
    response = client_for(editor).post(publish_url(prototype), {"next": here})
    assert response.url == here
    response = client_for(editor).post(
        publish_url(prototype, "unpublish"), {"next": "https://evil.example/"}
    )
    assert response.url == here


def test_the_prototype_list_offers_publishing_to_editors_only(
    client_for, editor, viewer, prototype, blueprint
):
    url = reverse("blueprints:prototype-list", args=["northgate", blueprint.pk])
    assert "Publish to every site" in words(client_for(editor).get(url))
    assert "Publish to every site" not in words(client_for(viewer).get(url))
    services.publish_prototype(prototype=prototype, by=None)
    assert "Unpublish" in words(client_for(editor).get(url))
    text = words(client_for(viewer).get(url))
    assert "Published" in text
    assert "Unpublish" not in text


def test_the_challenge_list_offers_publishing_an_answered_question_only(
    client_for, editor, question, blueprint
):
    response = client_for(editor).get(
        reverse("blueprints:challenge-list", args=["northgate", blueprint.pk])
    )
    assert words(response).count("Publish to every site") == 1
    assert publish_url(question) in response.content.decode()


# Starting from another site's work --------------------------------------------------------

START = {
    "lead": HTTPStatus.FORBIDDEN,  # Northgate's own team: theirs already
    "editor": HTTPStatus.FORBIDDEN,
    "viewer": HTTPStatus.FORBIDDEN,
    "outsider": OK,  # Riverside's lead
    "reviewer": HTTPStatus.FORBIDDEN,
    "superuser": OK,
}


@pytest.mark.parametrize("kind", ["question", "prototype"])
@pytest.mark.parametrize("role", ROLES)
def test_members_of_other_sites_who_edit_may_start_from_an_item(
    client_for, users, role, kind, published_question, published_prototype, their_blueprint
):
    item = published_question if kind == "question" else published_prototype
    response = client_for(users[role]).get(item_url(item) + "start/")
    assert response.status_code == START[role]
    page = client_for(users[role]).get(item_url(item))
    assert ("Start a " in words(page)) == (START[role] == OK)


def test_a_viewer_of_another_site_may_not_start(client_for, published_question, their_blueprint):
    viewer_there = MembershipFactory(
        locality=their_blueprint.locality, role="viewer", user=UserFactory(username="v2")
    ).user
    response = client_for(viewer_there).get(item_url(published_question) + "start/")
    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("kind", ["question", "prototype"])
def test_nothing_starts_from_an_unpublished_item(
    client_for, outsider, kind, question, prototype, their_blueprint
):
    item = question if kind == "question" else prototype
    url = item_url(item) + "start/"
    assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND
    response = client_for(outsider).post(
        url, {"blueprint": their_blueprint.pk, "title": "Ours", "theme": "volunteering"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not their_blueprint.delivery_challenges.exists()
    assert not their_blueprint.prototypes.exists()


def test_starting_sends_an_anonymous_visitor_to_log_in(client, published_question):
    response = client.get(item_url(published_question) + "start/")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_another_site_starts_a_challenge_shown_as_based_on_the_question(
    client_for, outsider, published_question, their_blueprint
):
    client = client_for(outsider)
    response = client.post(
        item_url(published_question) + "start/",
        {"blueprint": their_blueprint.pk, "title": "Our quiet parents", "theme": "volunteering"},
    )
    challenge = their_blueprint.delivery_challenges.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.endswith(f"#challenge-{challenge.pk}")
    assert challenge.based_on_question == published_question
    assert (challenge.title, challenge.theme) == ("Our quiet parents", "volunteering")
    assert [q.text for q in challenge.questions.all()] == [published_question.text]
    page = words(client.get(response.url))
    assert f"Based on Northgate’s question “{published_question.text}”" in page


def test_another_site_starts_a_prototype_shown_as_based_on_it(
    client_for, outsider, published_prototype, their_blueprint
):
    client = client_for(outsider)
    response = client.post(
        item_url(published_prototype) + "start/",
        {"blueprint": their_blueprint.pk, "title": "Riverside Saturdays"},
    )
    started = their_blueprint.prototypes.get()
    assert started.based_on == published_prototype
    assert started.hypothesis == published_prototype.hypothesis
    page = words(client.get(response.url))
    assert "Based on Northgate’s prototype “Saturday stay and play”" in page


def test_the_link_stays_when_the_source_is_unpublished(
    client_for, outsider, published_prototype, their_blueprint, editor
):
    started = services.start_prototype_from(
        prototype=published_prototype, blueprint=their_blueprint, by=outsider
    )
    services.unpublish_prototype(prototype=published_prototype, by=editor)
    started.refresh_from_db()
    assert started.based_on == published_prototype
    url = reverse("blueprints:prototype-detail", args=["riverside", their_blueprint.pk, started.pk])
    page = client_for(outsider).get(url)
    assert "(no longer published)" in words(page)
    assert item_url(published_prototype) not in page.content.decode()


def test_a_blueprint_of_the_source_site_is_an_error_at_the_field(
    client_for, superuser, published_question, blueprint, their_blueprint
):
    before = DeliveryChallenge.objects.count()
    response = client_for(superuser).post(
        item_url(published_question) + "start/",
        {"blueprint": blueprint.pk, "title": "Ours", "theme": "volunteering"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "blueprint" in response.context["form"].errors
    assert DeliveryChallenge.objects.count() == before


def test_a_blank_title_is_an_error_at_the_field(
    client_for, outsider, published_question, their_blueprint
):
    response = client_for(outsider).post(
        item_url(published_question) + "start/",
        {"blueprint": their_blueprint.pk, "title": "", "theme": "volunteering"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "title" in response.context["form"].errors
    assert not their_blueprint.delivery_challenges.exists()
