"""The locality overview: progress through the method, the top idea, what to do next, the nav."""

import ast
import datetime
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from blueprints.models import Blueprint
from consultations.models import Consultation, Idea, Response
from localities.progress import COUNT_NAMES, current_step, method_progress, next_step
from tests.localities.factories import ChallengeFactory, InsightFactory

pytestmark = pytest.mark.django_db


def overview(client):
    return client.get(reverse("localities:detail", args=["northgate"]))


def make_idea(locality, title="Stay-and-play at the community café", status="shortlisted"):
    return Idea.objects.create(locality=locality, title=title, status=status)


def make_consultation(locality, ideas, title="Drop-in at the library"):
    consultation = Consultation.objects.create(
        locality=locality,
        title=title,
        held_on=datetime.date(2026, 5, 12),
        audience=Consultation.Audience.COMMUNITY,
        method=Consultation.Method.DROP_IN,
    )
    consultation.ideas.set(ideas)
    return consultation


def respond(consultation, idea, count, group=Response.Group.PARENT):
    Response.objects.bulk_create(
        Response(consultation=consultation, idea=idea, group=group, support=4) for _ in range(count)
    )


def build_stage(locality, stage: int):
    """The locality's work up to `stage`: 0 nothing, 1 insights, ... 6 a top idea."""
    if stage >= 1:
        insights = InsightFactory.create_batch(2, locality=locality)
    if stage >= 2:
        ChallengeFactory(locality=locality, insights=insights)
    if stage >= 3:
        idea = make_idea(locality)
    if stage >= 4:
        consultation = make_consultation(locality, [idea])
    if stage >= 5:
        respond(consultation, idea, 3)
    if stage >= 6:
        idea.status = Idea.Status.CHOSEN
        idea.save()


def test_overview_counts_each_step_for_this_locality_only(
    client_for, viewer, locality, other_locality
):
    insights = InsightFactory.create_batch(3, locality=locality)
    ChallengeFactory.create_batch(2, locality=locality, insights=insights)
    ideas = [make_idea(locality, f"Idea {n}") for n in range(4)]
    first = make_consultation(locality, ideas[:2], "Drop-in")
    second = make_consultation(locality, ideas, "Staff meeting")
    respond(first, ideas[0], 5)
    respond(second, ideas[3], 2, Response.Group.PRACTITIONER)
    theirs = make_idea(other_locality, "Riverside idea")
    InsightFactory.create_batch(4, locality=other_locality)
    respond(make_consultation(other_locality, [theirs]), theirs, 9)

    response = overview(client_for(viewer))
    assert response.context["counts"] == {
        "insights": 3,
        "challenges": 2,
        "ideas": 4,
        "consultations": 2,
        "responses": 7,
        "blueprints": 0,
        "delivery_challenges": 0,
        "prototypes": 0,
    }
    assert "3 insights" in response.text
    assert "2 consultations, 7 responses" in response.text


def test_empty_locality_shows_zero_counts_and_no_steps_done(client_for, viewer, locality):
    response = overview(client_for(viewer))
    assert response.context["counts"]["responses"] == 0
    assert response.context["steps_done"] == 0
    assert "0 of 9 steps done" in response.text
    assert "Not chosen yet" in response.text


@pytest.mark.parametrize(
    ("stage", "hint", "steps_done"),
    [
        (0, "Record what the team has learned", 0),
        (1, "name the challenges they point to", 1),
        (2, "Brainstorm ideas that answer the challenges", 2),
        (3, "Take the ideas out to consultation", 3),
        (4, "Collect responses", 3),
        (5, "choose the top idea", 4),
        (6, "Write the service blueprint for the top idea", 5),
    ],
)
def test_what_to_do_next_follows_the_method(client_for, viewer, locality, stage, hint, steps_done):
    build_stage(locality, stage)
    response = overview(client_for(viewer))
    assert hint in response.context["next_step"].text
    assert hint in response.text
    assert response.context["steps_done"] == steps_done


def test_editor_is_invited_to_record_the_first_insight(client_for, editor, locality):
    response = overview(client_for(editor))
    assert reverse("localities:insight-create", args=["northgate"]) in response.text


def test_viewer_is_sent_to_read_insights_not_to_a_form(client_for, viewer, locality):
    response = overview(client_for(viewer))
    assert reverse("localities:insight-create", args=["northgate"]) not in response.text
    assert response.context["next_step"].url_name == "localities:insight-list"


def test_next_step_names_the_top_idea_once_chosen():
    counts = {**dict.fromkeys(COUNT_NAMES, 1), "blueprints": 0}
    step = next_step(counts, "Dads' Saturday club", can_edit=True)
    assert "Dads' Saturday club" in step.text
    assert step.url_name == "blueprints:create"


@pytest.mark.parametrize(
    ("missing", "hint"),
    [
        ("delivery_challenges", "Name the challenges delivering the blueprint will face"),
        ("prototypes", "Plan a quick, cheap prototype"),
    ],
)
def test_next_step_after_the_blueprint_follows_the_method(missing, hint):
    counts = {**dict.fromkeys(COUNT_NAMES, 1), missing: 0}
    assert next_step(counts, "Top idea", can_edit=True).text.startswith(hint)


def test_every_step_done_asks_for_decisions():
    step = next_step(
        dict.fromkeys(COUNT_NAMES, 1), "Top idea", can_edit=False, review_state="approved"
    )
    assert "adopt, adapt or drop" in step.text


@pytest.mark.parametrize(
    ("state", "hint"),
    [
        ("draft", "Submit the blueprint"),
        ("submitted", "Waiting for the reviewer"),
        ("approved", "Run the prototypes"),
    ],
)
def test_next_step_with_every_step_done_follows_the_review(state, hint):
    counts = dict.fromkeys(COUNT_NAMES, 1)
    assert next_step(counts, "Top idea", can_edit=True, review_state=state).text.startswith(hint)


def test_changes_requested_come_before_the_steps_left_undone():
    counts = {**dict.fromkeys(COUNT_NAMES, 1), "prototypes": 0}
    step = next_step(counts, "Top idea", can_edit=True, review_state="changes_requested")
    assert step.text.startswith("Answer the reviewer's comments and resubmit")


def test_changes_requested_come_before_even_the_first_step():
    counts = dict.fromkeys(COUNT_NAMES, 0)
    step = next_step(counts, None, can_edit=True, review_state="changes_requested")
    assert step.text.startswith("Answer the reviewer's comments and resubmit")


def test_waiting_for_the_reviewer_comes_before_the_steps_left_undone():
    counts = {**dict.fromkeys(COUNT_NAMES, 1), "prototypes": 0, "delivery_challenges": 0}
    step = next_step(counts, "Top idea", can_edit=True, review_state="submitted")
    assert step.text.startswith("Waiting for the reviewer")


def test_an_approved_blueprint_leads_to_the_methods_next_step():
    counts = {**dict.fromkeys(COUNT_NAMES, 1), "prototypes": 0}
    step = next_step(counts, "Top idea", can_edit=True, review_state="approved")
    assert step.text.startswith("Plan a quick, cheap prototype")


@pytest.mark.parametrize(
    ("state", "done"),
    [
        (None, False),
        ("draft", False),
        ("submitted", False),
        ("changes_requested", False),
        ("approved", True),
    ],
)
def test_the_review_is_step_9_done_only_once_approved(state, done):
    steps = method_progress(dict.fromkeys(COUNT_NAMES, 1), "Top idea", review_state=state)
    assert (steps[-1].number, steps[-1].title, steps[-1].done) == (9, "Review", done)
    assert current_step(steps) == (10 if done else 9)


def test_the_overview_reads_the_top_ideas_blueprints_review_state(client_for, viewer, locality):
    idea = make_idea(locality, "Family hub at the school gate", Idea.Status.CHOSEN)
    Blueprint.objects.create(locality=locality, idea=idea, title="Draft", review_state="approved")
    response = overview(client_for(viewer))
    review = response.context["steps"][-1]
    assert (review.summary, review.done) == ("approved", True)


@pytest.mark.urls("tests.localities.urls_nav_with_consultations")
def test_top_idea_links_to_its_page(client_for, viewer, locality):
    idea = make_idea(locality, "Family hub at the school gate", Idea.Status.CHOSEN)
    make_idea(locality, "Another idea", Idea.Status.SHORTLISTED)
    response = overview(client_for(viewer))
    assert response.context["top_idea"] == idea
    idea_url = reverse("consultations:idea-detail", args=["northgate", idea.pk])
    assertInHTML(f'<a href="{idea_url}">Family hub at the school gate</a>', response.text)


@pytest.mark.urls("tests.localities.urls_nav")
def test_top_idea_shows_without_a_link_while_idea_pages_do_not_exist(client_for, viewer, locality):
    make_idea(locality, "Family hub at the school gate", Idea.Status.CHOSEN)
    response = overview(client_for(viewer))
    assert response.status_code == HTTPStatus.OK
    assert "Chosen: Family hub at the school gate" in response.text


def test_another_localitys_top_idea_is_not_shown(client_for, viewer, locality, other_locality):
    make_idea(other_locality, "Riverside's choice", Idea.Status.CHOSEN)
    response = overview(client_for(viewer))
    assert response.context["top_idea"] is None
    assert "Riverside's choice" not in response.text


def test_overview_query_count_does_not_grow_with_the_work(
    client_for, viewer, locality, django_assert_max_num_queries
):
    client = client_for(viewer)
    build_stage(locality, 6)
    with django_assert_max_num_queries(13) as small:
        overview(client)
    insights = InsightFactory.create_batch(40, locality=locality)
    ChallengeFactory.create_batch(15, locality=locality, insights=insights)
    ideas = [make_idea(locality, f"Idea {n}") for n in range(12)]
    for n in range(4):
        consultation = make_consultation(locality, ideas, f"Consultation {n}")
        for idea in ideas:
            respond(consultation, idea, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = overview(client)
    assert response.status_code == HTTPStatus.OK
    assert response.context["counts"]["responses"] == 3 + 4 * 12 * 10
    assert locality.name in response.text


# The locality navigation


NAV_LABELS = ["Overview", "Insights", "Challenges", "Ideas", "Consultations", "Results", "Team"]


def nav_links(html: str) -> list[str]:
    start = html.index('<nav aria-label="Northgate sections"')
    nav = html[start : html.index("</nav>", start)]
    return [label for label in NAV_LABELS if f">{label}</a>" in nav]


@pytest.mark.urls("tests.localities.urls_nav_with_consultations")
def test_nav_links_every_section_when_they_exist(client_for, viewer, locality):
    response = overview(client_for(viewer))
    assert nav_links(response.text) == NAV_LABELS
    assert f'href="{reverse("consultations:results", args=["northgate"])}"' in response.text


@pytest.mark.urls("tests.localities.urls_nav")
def test_nav_leaves_out_sections_whose_pages_do_not_exist_yet(client_for, viewer, locality):
    response = overview(client_for(viewer))
    assert response.status_code == HTTPStatus.OK
    assert nav_links(response.text) == ["Overview", "Insights", "Challenges", "Team"]


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("localities:detail", "Overview"),
        ("localities:insight-list", "Insights"),
        ("localities:challenge-list", "Challenges"),
        ("localities:members", "Team"),
    ],
)
def test_nav_marks_the_current_page(client_for, viewer, locality, url_name, current):
    response = client_for(viewer).get(reverse(url_name, args=["northgate"]))
    assert f'aria-current="page" href="{reverse(url_name, args=["northgate"])}">{current}</a>' in (
        response.text
    )
    assert response.text.count('aria-current="page" href=') == 1


def test_localities_app_imports_neither_consultations_nor_blueprints():
    """Imports run one way (DESIGN section 3): the overview reads through related managers."""
    app = Path(__file__).resolve().parents[2] / "localities"
    offenders = []
    for source in app.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{source.name}: {name}"
                for name in names
                if name.split(".")[0] in {"consultations", "blueprints"}
            ]
    assert offenders == []
