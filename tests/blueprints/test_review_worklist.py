"""The reviewers' worklist (issue 14, item 3, and the reviewer's half of item 1): every
blueprint in review on the portfolio, whichever idea it is for, oldest waiting first, with
filters by state and theme; the reviewer's dashboard; the review state on the blueprint
list."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from blueprints.models import Blueprint, Comment, DeliveryChallenge, ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review.worklist import rows_of, worklist
from consultations.models import Idea
from localities.models import Locality
from tests.blueprints.factories import (
    BlueprintFactory,
    CommentFactory,
    DeliveryChallengeFactory,
)
from tests.blueprints.test_admin_progress import queries_for
from tests.consultations.factories import IdeaFactory

pytestmark = pytest.mark.django_db

State = Blueprint.ReviewState
T = DeliveryChallenge.Theme
NOW = timezone.now()


def page(**params):
    url = reverse("portfolio:review")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def age(blueprint, days, *, to_state=None, hours=1):
    """Date the blueprint's latest move (into `to_state`, if given) `days` days back."""
    moves = ReviewTransition.objects.filter(blueprint=blueprint)
    if to_state:
        moves = moves.filter(to_state=to_state)
    latest = moves.order_by("-at", "-pk").first()
    ReviewTransition.objects.filter(pk=latest.pk).update(
        at=timezone.now() - timedelta(days=days, hours=hours)
    )


def submitted(locality, title, *, by, days=0, idea=None, themes=(), **kwargs):
    """A blueprint submitted `days` ago, with a delivery challenge of each of `themes` (made
    before the submission: a submitted blueprint's content is frozen)."""
    blueprint = BlueprintFactory(locality=locality, title=title, idea=idea, **kwargs)
    for theme in themes:
        DeliveryChallengeFactory(blueprint=blueprint, theme=theme)
    review_actions.submit(blueprint=blueprint, by=by)
    age(blueprint, days)
    return blueprint


def shown_titles(response):
    return [row.blueprint.title for row in response.context["rows"]]


# Who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["reviewer", "superuser"])
def test_reviewers_and_superusers_see_the_worklist(name, users, client_for, locality):
    submitted(locality, "Welcome walks", by=users["superuser"])
    response = client_for(users[name]).get(page())
    assert response.status_code == HTTPStatus.OK
    assert "Welcome walks" in response.text


@pytest.mark.parametrize("name", ["lead", "editor", "viewer", "outsider"])
def test_locality_members_get_404_from_the_worklist(name, users, client_for, locality):
    submitted(locality, "Welcome walks", by=users["superuser"])
    response = client_for(users[name]).get(page())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "Welcome walks" not in response.text


def test_staff_outside_the_reviewers_group_get_404_from_the_worklist(client_for, django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    assert client_for(staff).get(page()).status_code == HTTPStatus.NOT_FOUND


def test_anonymous_people_are_sent_to_log_in_from_the_worklist(client_for):
    response = client_for(None).get(page())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_the_portfolio_tabs_lead_to_the_worklist(client_for, reviewer):
    response = client_for(reviewer).get(reverse("portfolio:index"))
    assert f'href="{page()}">Review worklist</a>' in response.text


# What it lists -------------------------------------------------------------------------


def test_a_blueprint_of_an_idea_other_than_the_top_one_is_listed(
    client_for, reviewer, superuser, locality
):
    top = IdeaFactory(locality=locality, status=Idea.Status.CHOSEN, title="Dads' breakfast")
    BlueprintFactory(locality=locality, idea=top, title="Top idea's blueprint")
    other = IdeaFactory(locality=locality, title="Toy library")
    submitted(locality, "Toy library blueprint", by=superuser, idea=other)
    response = client_for(reviewer).get(page())
    assert shown_titles(response) == ["Toy library blueprint"]
    [row] = response.context["rows"]
    assert not row.is_top_idea
    assert "Toy library" in response.text


def test_the_top_ideas_blueprint_is_marked_as_such(client_for, reviewer, superuser, locality):
    top = IdeaFactory(locality=locality, status=Idea.Status.CHOSEN, title="Dads' breakfast")
    submitted(locality, "Breakfast blueprint", by=superuser, idea=top)
    response = client_for(reviewer).get(page())
    [row] = response.context["rows"]
    assert row.is_top_idea
    assert "★ Top idea" in response.text


def test_by_default_it_lists_submitted_and_changes_requested_only(
    client_for, reviewer, superuser, locality
):
    submitted(locality, "Sent", by=superuser, days=3)
    returned = submitted(locality, "Sent back", by=superuser, days=5)
    review_actions.request_changes(blueprint=returned, by=reviewer, note="Say who greets.")
    age(returned, 2)
    approved = submitted(locality, "Agreed", by=superuser)
    review_actions.approve(blueprint=approved, by=reviewer, note="Go ahead.")
    BlueprintFactory(locality=locality, title="Still a draft")
    response = client_for(reviewer).get(page())
    assert shown_titles(response) == ["Sent", "Sent back"]  # 3 days, then 2


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("submitted", ["Sent"]),
        ("changes_requested", ["Sent back"]),
        ("approved", ["Agreed"]),
        ("draft", ["Still a draft"]),
    ],
)
def test_the_state_filter_lists_that_state_only(
    state, expected, client_for, reviewer, superuser, locality
):
    submitted(locality, "Sent", by=superuser)
    returned = submitted(locality, "Sent back", by=superuser)
    review_actions.request_changes(blueprint=returned, by=reviewer, note="Say who greets.")
    approved = submitted(locality, "Agreed", by=superuser)
    review_actions.approve(blueprint=approved, by=reviewer, note="Go ahead.")
    BlueprintFactory(locality=locality, title="Still a draft")
    response = client_for(reviewer).get(page(state=state))
    assert response.status_code == HTTPStatus.OK
    assert shown_titles(response) == expected


def test_any_state_lists_every_blueprint(client_for, reviewer, superuser, locality):
    submitted(locality, "Sent", by=superuser)
    BlueprintFactory(locality=locality, title="Still a draft")
    response = client_for(reviewer).get(page(state="any"))
    assert sorted(shown_titles(response)) == ["Sent", "Still a draft"]


def test_the_theme_filter_keeps_blueprints_with_a_challenge_of_that_theme(
    client_for, reviewer, superuser, locality, other_locality
):
    submitted(locality, "Volunteer mentors", by=superuser, themes=[T.VOLUNTEERING, T.USE_OF_SPACE])
    submitted(other_locality, "Library corner", by=superuser, themes=[T.USE_OF_SPACE])
    submitted(locality, "No challenges yet", by=superuser)
    client = client_for(reviewer)
    assert shown_titles(client.get(page(theme="volunteering"))) == ["Volunteer mentors"]
    assert sorted(shown_titles(client.get(page(theme="use_of_space")))) == [
        "Library corner",
        "Volunteer mentors",
    ]
    assert shown_titles(client.get(page(theme="incentive_schemes"))) == []


def test_state_and_theme_filters_combine(client_for, reviewer, superuser, locality):
    submitted(locality, "Sent", by=superuser, themes=[T.VOLUNTEERING])
    draft = BlueprintFactory(locality=locality, title="Draft with volunteers")
    DeliveryChallengeFactory(blueprint=draft, theme=T.VOLUNTEERING)
    response = client_for(reviewer).get(page(state="draft", theme="volunteering"))
    assert shown_titles(response) == ["Draft with volunteers"]
    assert "1 blueprint matches the filters" in response.text


def test_a_theme_filter_that_matches_nothing_says_so(client_for, reviewer, superuser, locality):
    submitted(locality, "Sent", by=superuser)
    response = client_for(reviewer).get(page(theme="volunteering"))
    assert "No blueprint matches these filters." in response.text


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"state": "lost"}, "state", "Choose a state from the list."),
        ({"theme": "%3Cscript%3Ealert(1)%3C/script%3E"}, "theme", "Choose a theme from the list."),
        ({"state": "submitted%00"}, "state", "Choose a state from the list."),
    ],
)
def test_a_bad_filter_value_gets_a_message_next_to_the_field_and_the_default_list(
    params, field, message, client_for, reviewer, superuser, locality
):
    submitted(locality, "Sent", by=superuser)
    response = client_for(reviewer).get(page(**params))
    assert response.status_code == HTTPStatus.OK
    assert response.context["filters"].errors[field] == [message]
    assert message in response.text
    assert "<script>alert" not in response.text
    assert shown_titles(response) == ["Sent"]


def test_a_bad_page_number_still_answers(client_for, reviewer, superuser, locality):
    submitted(locality, "Sent", by=superuser)
    response = client_for(reviewer).get(page(page="last-but-one"))
    assert response.status_code == HTTPStatus.OK
    assert shown_titles(response) == ["Sent"]


# Waiting, oldest first -----------------------------------------------------------------


def test_the_oldest_waiting_comes_first(client_for, reviewer, superuser, locality):
    submitted(locality, "Four days", by=superuser, days=4)
    submitted(locality, "Eleven days", by=superuser, days=11)
    submitted(locality, "Today", by=superuser, days=0)
    response = client_for(reviewer).get(page())
    assert shown_titles(response) == ["Eleven days", "Four days", "Today"]
    assert [row.days_waiting for row in response.context["rows"]] == [11, 4, 0]


def test_days_waiting_count_from_the_latest_submission(client_for, reviewer, lead, locality):
    blueprint = submitted(locality, "Sent twice", by=lead)
    age(blueprint, 20)
    review_actions.withdraw(blueprint=blueprint, by=lead)
    review_actions.submit(blueprint=blueprint, by=lead)
    age(blueprint, 6)
    response = client_for(reviewer).get(page())
    [row] = response.context["rows"]
    assert row.days_waiting == 6
    assert "6 days" in response.text


def test_changes_requested_waits_since_the_request(client_for, reviewer, superuser, locality):
    blueprint = submitted(locality, "Sent back", by=superuser, days=15)
    review_actions.request_changes(blueprint=blueprint, by=reviewer, note="Say who greets.")
    age(blueprint, 2, to_state=State.CHANGES_REQUESTED)
    [row] = client_for(reviewer).get(page()).context["rows"]
    assert row.days_waiting == 2


def test_a_submission_of_today_waits_under_a_day(client_for, reviewer, superuser, locality):
    submitted(locality, "Sent", by=superuser, days=0)
    response = client_for(reviewer).get(page())
    assert "under a day" in response.text


def test_a_second_submission_is_marked_resubmitted(client_for, reviewer, superuser, locality):
    again = submitted(locality, "Sent again", by=superuser, days=1)
    review_actions.request_changes(blueprint=again, by=reviewer, note="Say who greets.")
    review_actions.submit(blueprint=again, by=superuser)
    submitted(locality, "Sent once", by=superuser, days=2)
    rows = client_for(reviewer).get(page()).context["rows"]
    assert [(row.blueprint.title, row.resubmitted, row.submissions) for row in rows] == [
        ("Sent once", False, 1),
        ("Sent again", True, 2),
    ]


def test_the_page_says_resubmitted(client_for, reviewer, superuser, locality):
    again = submitted(locality, "Sent again", by=superuser)
    review_actions.request_changes(blueprint=again, by=reviewer, note="Say who greets.")
    review_actions.submit(blueprint=again, by=superuser)
    response = client_for(reviewer).get(page())
    assert '<span class="badge text-bg-info">resubmitted</span>' in response.text
    assert "submitted 2 times" in response.text


def test_open_comments_count_open_conversations_only(client_for, reviewer, superuser, locality):
    blueprint = submitted(locality, "Sent", by=superuser)
    first = CommentFactory(blueprint=blueprint, author=reviewer)
    CommentFactory(blueprint=blueprint, author=superuser, parent=first)  # a reply
    CommentFactory(blueprint=blueprint, author=reviewer)
    CommentFactory(blueprint=blueprint, author=reviewer, resolved_at=timezone.now())
    [row] = client_for(reviewer).get(page()).context["rows"]
    assert row.open_comments == 2
    assert Comment.objects.filter(blueprint=blueprint).count() == 4


def test_each_row_links_to_the_blueprint_and_its_review_page(
    client_for, reviewer, superuser, locality
):
    blueprint = submitted(locality, "Sent", by=superuser)
    response = client_for(reviewer).get(page())
    editor = reverse("blueprints:detail", args=[locality.slug, blueprint.pk])
    review = reverse("blueprints:review", args=[locality.slug, blueprint.pk])
    assert f'<a href="{editor}">Sent</a>' in response.text
    assert f'<a href="{review}">Review page' in response.text
    assert f'href="{locality.get_absolute_url()}">Northgate</a>' in response.text


def test_titles_are_text_not_markup(client_for, reviewer, superuser, locality):
    submitted(locality, "<b>Bold</b> walks", by=superuser)
    response = client_for(reviewer).get(page())
    assert "&lt;b&gt;Bold&lt;/b&gt; walks" in response.text
    assert "<b>Bold</b>" not in response.text


def test_the_worklist_function_reads_states_themes_and_counts(superuser, locality, lead):
    submitted(locality, "Sent", by=lead, days=3, themes=[T.CHANGING_PERCEPTIONS])
    BlueprintFactory(locality=locality, title="Draft")
    rows = rows_of(worklist(Blueprint.objects.all(), theme=T.CHANGING_PERCEPTIONS))
    assert [(row.blueprint.title, row.days_waiting, row.submissions) for row in rows] == [
        ("Sent", 3, 1)
    ]
    assert list(worklist(Blueprint.objects.all(), states=[State.APPROVED])) == []


# Queries -------------------------------------------------------------------------------


def build_sites(count: int, *, start: int = 0, per_site: int = 3) -> None:
    """`count` localities (numbered from `start`), each with `per_site` blueprints: one
    submitted twice, one with changes requested, the others drafts; each with two delivery
    challenges and two open comments. Bulk-made, as the portfolio benchmark does."""
    localities = Locality.objects.bulk_create(
        Locality(name=f"Site {n:03d}", slug=f"site-{n:03d}", area="Council")
        for n in range(start, start + count)
    )
    ideas = Idea.objects.bulk_create(
        Idea(locality=place, title=f"{place.name} idea {i}")
        for place in localities
        for i in range(per_site)
    )
    states = [State.SUBMITTED, State.CHANGES_REQUESTED]
    blueprints = Blueprint.objects.bulk_create(
        Blueprint(
            locality=idea.locality,
            idea=idea,
            title=f"{idea.title} blueprint",
            review_state=states[i % per_site] if i % per_site < 2 else State.DRAFT,
        )
        for i, idea in enumerate(ideas)
    )
    moves = []
    for blueprint in blueprints:
        if blueprint.review_state == State.SUBMITTED:
            path = [State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED, State.SUBMITTED]
        elif blueprint.review_state == State.CHANGES_REQUESTED:
            path = [State.DRAFT, State.SUBMITTED, State.CHANGES_REQUESTED]
        else:
            continue
        moves += [
            ReviewTransition(blueprint=blueprint, from_state=a, to_state=b, blueprint_version=1)
            for a, b in zip(path, path[1:], strict=False)
        ]
    ReviewTransition.objects.bulk_create(moves)
    DeliveryChallenge.objects.bulk_create(
        DeliveryChallenge(blueprint=blueprint, theme=theme, title=f"Challenge {theme}")
        for blueprint in blueprints
        for theme in (T.VOLUNTEERING, T.USE_OF_SPACE)
    )
    Comment.objects.bulk_create(
        Comment(blueprint=blueprint, body=f"Question {n}")
        for blueprint in blueprints
        for n in range(2)
    )


WORKLIST_PAGES = [
    page(),
    page(state="any"),
    page(state="submitted", theme="volunteering"),
    page(theme="lost"),
]


def test_the_worklist_costs_the_same_queries_for_6_or_150_sites(
    client_for, reviewer, django_assert_max_num_queries
):
    client = client_for(reviewer)
    build_sites(6)
    few = {}
    for url in WORKLIST_PAGES:
        with django_assert_max_num_queries(6):
            few[url] = queries_for(client, url, shows="Site 005 idea 0 blueprint")
    build_sites(144, start=6)
    for url in WORKLIST_PAGES:
        with django_assert_max_num_queries(6):
            # Sites are named in order and all waited the same: site 000 comes first.
            many = queries_for(client, url, shows="Site 000 idea 0 blueprint")
        assert many == few[url], url
    response = client.get(page())
    assert response.context["page_obj"].paginator.count == 300  # 150 sites, 2 in review each
    assert len(response.context["rows"]) == 50  # a page at a time
    assert "showing 1 to 50" in response.text


# The reviewer's dashboard --------------------------------------------------------------


def dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.OK
    return response


@pytest.mark.parametrize("name", ["reviewer", "superuser"])
def test_the_reviewers_dashboard_lists_new_and_resubmitted_blueprints_oldest_first(
    name, users, client_for, locality, other_locality
):
    superuser, reviewer = users["superuser"], users["reviewer"]
    new = submitted(other_locality, "New one", by=superuser, days=3)
    again = submitted(locality, "Sent again", by=superuser, days=12)
    review_actions.request_changes(blueprint=again, by=reviewer, note="Say who greets.")
    review_actions.submit(blueprint=again, by=superuser)
    age(again, 5)
    BlueprintFactory(locality=locality, title="A draft")
    response = dashboard(client_for(users[name]))
    waiting = response.context["waiting"]
    assert [(row.blueprint, row.resubmitted, row.days_waiting) for row in waiting.rows] == [
        (again, True, 5),
        (new, False, 3),
    ]
    text = response.text
    assert "Waiting for you" in text
    assert text.index("Sent again") < text.index("New one")
    assert "waiting 5 days" in text
    assert '<span class="badge text-bg-info">resubmitted</span>' in text
    review = reverse("blueprints:review", args=[other_locality.slug, new.pk])
    assert f'<a href="{review}">New one' in text
    assert "A draft" not in text


def test_the_reviewers_dashboard_counts_blueprints_waiting_for_their_teams(
    client_for, reviewer, superuser, locality
):
    for title in ("One", "Two"):
        blueprint = submitted(locality, title, by=superuser)
        review_actions.request_changes(blueprint=blueprint, by=reviewer, note="More, please.")
    response = dashboard(client_for(reviewer))
    assert response.context["waiting"].changes_requested == 2
    assert response.context["waiting"].rows == []
    assert "Nothing is waiting for you" in response.text
    assert "2 blueprints with changes requested, waiting for their teams" in response.text
    assert f'href="{page()}?state=changes_requested"' in response.text


def test_the_reviewers_dashboard_shows_the_oldest_ten_and_links_to_the_rest(
    client_for, reviewer, superuser, locality
):
    for n in range(12):
        submitted(locality, f"Blueprint aged {n}", by=superuser, days=n)
    response = dashboard(client_for(reviewer))
    waiting = response.context["waiting"]
    assert [row.days_waiting for row in waiting.rows] == list(range(11, 1, -1))
    assert (waiting.submitted, waiting.more) == (12, 2)
    assert "2 more submitted blueprints on the review worklist" in response.text


@pytest.mark.parametrize("name", ["lead", "editor", "viewer", "outsider"])
def test_a_team_members_dashboard_has_no_worklist(name, users, client_for, locality):
    submitted(locality, "Sent", by=users["superuser"])
    response = dashboard(client_for(users[name]))
    assert "waiting" not in response.context
    assert "Waiting for you" not in response.text


def test_the_reviewers_dashboard_costs_the_same_queries_for_6_or_150_sites(
    client_for, reviewer, django_assert_max_num_queries
):
    client = client_for(reviewer)
    build_sites(6)
    few = queries_for(client, reverse("dashboard"), shows="Site 005 idea 0 blueprint")
    build_sites(144, start=6)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["waiting"].submitted == 150
    assert "Site 000 idea 0 blueprint" in response.text


# The blueprint list ---------------------------------------------------------------------


def blueprint_list(client, locality):
    response = client.get(reverse("blueprints:list", args=[locality.slug]))
    assert response.status_code == HTTPStatus.OK
    return response


def test_the_blueprint_list_shows_each_blueprints_review_state(
    client_for, editor, reviewer, superuser, locality
):
    submitted(locality, "Sent", by=superuser, days=4)
    returned = submitted(locality, "Sent back", by=superuser)
    review_actions.request_changes(blueprint=returned, by=reviewer, note="Say who greets.")
    BlueprintFactory(locality=locality, title="A draft")
    text = blueprint_list(client_for(editor), locality).text
    for label in ("Submitted", "Changes requested", "Draft"):
        assert f"{label}</span>" in text
    assert 'class="badge review-state text-bg-primary">Submitted</span>' in text
    assert "waiting for review 4 days" in text
    assert text.count("waiting for review") == 1  # only the submitted one waits


@pytest.mark.parametrize("name", ["lead", "editor", "viewer", "reviewer", "superuser"])
def test_every_reader_of_the_list_sees_the_states(name, users, client_for, locality):
    submitted(locality, "Sent", by=users["superuser"])
    text = blueprint_list(client_for(users[name]), locality).text
    assert 'class="badge review-state text-bg-primary">Submitted</span>' in text


def test_an_outsider_gets_404_from_the_blueprint_list(client_for, outsider, superuser, locality):
    submitted(locality, "Sent", by=superuser)
    response = client_for(outsider).get(reverse("blueprints:list", args=[locality.slug]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_blueprint_list_costs_the_same_queries_for_1_or_25_blueprints(
    client_for, editor, reviewer, superuser, locality, django_assert_max_num_queries
):
    client = client_for(editor)
    submitted(locality, "First", by=superuser)
    few = queries_for(client, reverse("blueprints:list", args=[locality.slug]), shows="First")
    for n in range(24):
        blueprint = submitted(locality, f"More {n}", by=superuser, days=n)
        if n % 2:
            review_actions.request_changes(blueprint=blueprint, by=reviewer, note="More.")
    with django_assert_max_num_queries(few):
        text = blueprint_list(client, locality).text
    assert text.count("review-state") == 25


# The portfolio's sites -----------------------------------------------------------------


def test_the_sites_table_links_each_blueprint_state_to_its_review_page(
    client_for, reviewer, superuser, locality, other_locality
):
    top = IdeaFactory(locality=locality, status=Idea.Status.CHOSEN)
    blueprint = submitted(locality, "Sent", by=superuser, idea=top)
    response = client_for(reviewer).get(reverse("portfolio:index"))
    review = reverse("blueprints:review", args=[locality.slug, blueprint.pk])
    assert f'<a href="{review}">Submitted<span class="visually-hidden">' in response.text
    # A site without a blueprint has nothing to link to.
    assert "<td>no blueprint yet</td>" in response.text
