"""The portfolio's delivery questions and decided prototypes across sites (issue 12, item 5):
reviewers only, the grid with its answers and the questions no site has answered, the
prototype table sorted by each column, both as CSV, in queries that do not grow with the
sites."""

import csv
import datetime
import io
import re
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from blueprints import services
from blueprints.bench_portfolio import build_planning
from blueprints.models import DeliveryChallenge, Prototype
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    DeliveryChallengeFactory,
    PrototypeFactory,
    phase,
)
from tests.blueprints.test_admin_progress import queries_for
from tests.localities.factories import LocalityFactory
from tests.roles import NOT_FOUND, OK, ROLES

pytestmark = pytest.mark.django_db

T = DeliveryChallenge.Theme
D = Prototype.Decision
PAGES = ["portfolio:questions", "portfolio:prototypes"]
EXPORTS = ["portfolio:questions-export", "portfolio:prototypes-export"]
# The portfolio is the innovation unit's: every member of a locality, of whatever role,
# is told it does not exist, as for another locality's pages (DESIGN section 4).
PORTFOLIO = {role: OK if role in ("reviewer", "superuser") else NOT_FOUND for role in ROLES}


def answer(question, text, *, on=datetime.date(2026, 6, 1)):
    return services.update_delivery_question(
        question=question, by=None, status="answered", answer=text, answered_on=on
    )


def site(name, *questions_by_theme):
    """A locality with a blueprint holding, for each (theme, [question texts]), a delivery
    challenge of that theme."""
    blueprint = BlueprintFactory(locality=LocalityFactory(name=name), title=f"{name} blueprint")
    challenges = [
        DeliveryChallengeFactory(blueprint=blueprint, theme=theme, questions=texts)
        for theme, texts in questions_by_theme
    ]
    return blueprint, challenges


def question_of(challenge, n=0):
    return challenge.questions.order_by("position")[n]


def get(client, name, **params):
    return client.get(reverse(name), params)


def read_csv(response):
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# Who may see it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES + EXPORTS)
def test_only_reviewers_and_superusers_see_questions_and_prototypes(role, name, users, client_for):
    assert client_for(users[role]).get(reverse(name)).status_code == PORTFOLIO[role]


@pytest.mark.parametrize("name", PAGES + EXPORTS)
def test_anonymous_people_are_sent_to_log_in(name, client_for):
    response = client_for(None).get(reverse(name))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_staff_outside_the_reviewers_group_get_404(name, client_for, django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    assert client_for(staff).get(reverse(name)).status_code == HTTPStatus.NOT_FOUND


def test_the_portfolio_pages_link_to_one_another(client_for, reviewer):
    content = client_for(reviewer).get(reverse("portfolio:index")).content.decode()
    for name in ("portfolio:questions", "portfolio:prototypes"):
        assert f'href="{reverse(name)}"' in content


# The question grid ---------------------------------------------------------------------


def test_each_question_sits_under_its_theme_and_site_with_its_status(client_for, reviewer):
    _, (engaging,) = site("Alder", (T.ENGAGING_FAMILIES, ["Who do families trust?"]))
    _, (space,) = site("Birch", (T.USE_OF_SPACE, ["Can we rent the hall?"]))
    services.update_delivery_question(question=question_of(space), by=None, status="testing")
    response = get(client_for(reviewer), "portfolio:questions")
    grid = response.context["grid"]
    assert [s.name for s in grid.sites] == ["Alder", "Birch"]
    row = {r.theme: r for r in grid.themes}
    assert [[q.text for q in cell] for cell in row[T.ENGAGING_FAMILIES].cells] == [
        ["Who do families trust?"],
        [],
    ]
    assert [[q.status_label for q in cell] for cell in row[T.USE_OF_SPACE].cells] == [
        [],
        ["Being tested"],
    ]
    content = response.content.decode()
    assert re.search(
        r"Can we rent the hall\?</a> <span class=\"badge pf-testing\">Being tested", content
    )


def test_an_answer_describes_its_question_for_hover_and_focus(client_for, reviewer):
    blueprint, (challenge,) = site("Alder", (T.VOLUNTEERING, ["How do we train them?"]))
    question = answer(question_of(challenge), "Two evenings with a paid mentor.")
    content = get(client_for(reviewer), "portfolio:questions").content.decode()
    url = reverse(
        "blueprints:question-detail", args=(blueprint.locality.slug, blueprint.pk, question.pk)
    )
    assertInHTML(
        f'<li class="pf-question" data-answer-tip>'
        f'<a href="{url}" aria-describedby="answer-{question.pk}">'
        f"How do we train them?</a> "
        f'<span class="badge pf-answered">Answered</span>'
        f'<span class="pf-answer" role="tooltip" id="answer-{question.pk}">'
        f"<strong>Answer, 1 Jun 2026:</strong> Two evenings with a paid mentor.</span></li>",
        content,
    )


def test_a_reopened_question_shows_no_answer(client_for, reviewer):
    _, (challenge,) = site("Alder", (T.VOLUNTEERING, ["How do we train them?"]))
    question = answer(question_of(challenge), "Two evenings with a paid mentor.")
    services.update_delivery_question(question=question, by=None, status="open")
    content = get(client_for(reviewer), "portfolio:questions").content.decode()
    assert "How do we train them?" in content
    assert "Two evenings with a paid mentor." not in content
    assert 'aria-describedby="answer-' not in content


def test_the_question_text_and_answer_are_escaped(client_for, reviewer):
    _, (challenge,) = site("Alder", (T.OTHER, ["<b>Bold</b> question?"]))
    answer(question_of(challenge), "<script>alert(1)</script>")
    content = get(client_for(reviewer), "portfolio:questions").content.decode()
    assert "<b>Bold</b>" not in content
    assert "&lt;b&gt;Bold&lt;/b&gt; question?" in content
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)" in content


def test_questions_no_site_has_answered_are_listed_by_theme(client_for, reviewer):
    """The same question asked at two sites (in other case and spacing) counts once; it
    leaves the list once either site answers it."""
    _, (a,) = site("Alder", (T.VOLUNTEERING, ["How do we train them?", "Who recruits?"]))
    _, (b,) = site("Birch", (T.VOLUNTEERING, ["how do we  train them", "Who pays?"]))
    answer(question_of(b, 1), "The council.")
    services.update_delivery_question(question=question_of(a, 1), by=None, status="parked")
    grid = get(client_for(reviewer), "portfolio:questions").context["grid"]
    row = next(r for r in grid.themes if r.theme == T.VOLUNTEERING)
    assert [(q.text, q.sites, q.answered_by) for q in row.programme] == [
        ("How do we train them?", 2, 0),
        ("Who recruits?", 1, 0),
        ("Who pays?", 1, 1),
    ]
    assert [(q.text, q.status_summary) for q in row.unanswered] == [
        ("How do we train them?", "2 open"),
        ("Who recruits?", "1 parked"),
    ]
    assert (grid.unanswered_count, grid.programme_count) == (2, 3)

    answer(question_of(a, 0), "Shadowing a peer for a month.")
    content = get(client_for(reviewer), "portfolio:questions").content.decode()
    assert "Volunteering: 1 of 3 unanswered" in content
    assert "1 of the 3 questions</strong> the sites ask has no answer" in content


# The decided prototypes ----------------------------------------------------------------


@pytest.fixture
def prototypes():
    """Three decided prototypes at two sites (and one undecided, not shown)."""
    alder, (challenge,) = site("Alder", (T.ENGAGING_FAMILIES, ["Who do families trust?", "Where?"]))
    birch, _ = site("Birch")
    use, awareness = phase(alder, 1), phase(alder, 0)
    cards = [
        CardFactory(blueprint=alder, phase=use),
        CardFactory(blueprint=alder, phase=awareness),
        CardFactory(blueprint=alder, phase=use),
    ]
    walks = PrototypeFactory(
        blueprint=alder,
        title="Welcome walks",
        decision=D.ADOPT,
        cards=cards,
        questions=list(challenge.questions.all()),
        families_reached=8,
        hardest_to_reach=3,
        staff_hours=Decimal("12.5"),
        volunteer_hours=Decimal("30"),
        cash_cost=Decimal("90"),
        in_kind_value=Decimal("20"),
        income=Decimal("10"),
    )
    stall = PrototypeFactory(
        blueprint=alder,
        title="Market stall",
        decision=D.DROP,
        families_reached=0,
        cash_cost=Decimal("40"),
        staff_hours=Decimal("4"),
    )
    cafe = PrototypeFactory(
        blueprint=birch,
        title="Dads' café",
        decision=D.ADAPT,
        families_reached=5,
        cash_cost=Decimal("25"),
        staff_hours=Decimal("20"),
    )
    PrototypeFactory(blueprint=birch, title="Still planned")
    return walks, stall, cafe


def titles(response):
    return [row.prototype.title for row in response.context["table"].rows]


def test_only_decided_prototypes_are_listed_by_site(prototypes, client_for, reviewer):
    response = get(client_for(reviewer), "portfolio:prototypes")
    assert titles(response) == ["Market stall", "Welcome walks", "Dads' café"]
    assert "Still planned" not in response.content.decode()


def test_a_prototypes_row_says_what_it_tested_reached_and_cost(prototypes, client_for, reviewer):
    walks, *_ = prototypes
    response = get(client_for(reviewer), "portfolio:prototypes")
    row = next(r for r in response.context["table"].rows if r.prototype == walks)
    assert row.section == ["Awareness", "Use"]  # its cards' phases, once each, in order
    assert [q.text for q in row.questions] == ["Who do families trust?", "Where?"]
    assert row.cost_per_family_text == "£12.50"  # (90 + 20 - 10) / 8
    slug = walks.blueprint.locality.slug
    assert row.url == reverse(
        "blueprints:prototype-detail", args=(slug, walks.blueprint_id, walks.pk)
    )
    content = response.content.decode()
    assertInHTML(
        '<td class="text-end">8<span class="d-block small text-body-secondary">'
        "3 hardest to reach</span></td>",
        content,
    )
    assertInHTML('<td class="text-end">£12.50</td>', content)
    assertInHTML("<td>Adopt</td>", content)


def test_no_family_reached_is_said_in_words_not_divided_by(prototypes, client_for, reviewer):
    content = get(client_for(reviewer), "portfolio:prototypes").content.decode()
    assertInHTML('<td class="text-end">not reached</td>', content)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("site", ["Market stall", "Welcome walks", "Dads' café"]),
        ("-site", ["Dads' café", "Market stall", "Welcome walks"]),
        ("prototype", ["Dads' café", "Market stall", "Welcome walks"]),
        ("staff-hours", ["Market stall", "Welcome walks", "Dads' café"]),
        ("-staff-hours", ["Dads' café", "Welcome walks", "Market stall"]),
        ("families", ["Market stall", "Dads' café", "Welcome walks"]),
        # No cost per family (no family reached) comes last, either way round.
        ("cost-per-family", ["Dads' café", "Welcome walks", "Market stall"]),
        ("-cost-per-family", ["Welcome walks", "Dads' café", "Market stall"]),
        ("decision", ["Welcome walks", "Dads' café", "Market stall"]),
        ("-questions", ["Welcome walks", "Market stall", "Dads' café"]),
        ("nonsense", ["Market stall", "Welcome walks", "Dads' café"]),
    ],
)
def test_the_table_sorts_by_each_column(sort, expected, prototypes, client_for, reviewer):
    assert titles(get(client_for(reviewer), "portfolio:prototypes", sort=sort)) == expected


def test_the_sorted_column_says_so_and_its_link_turns_the_order_round(
    prototypes, client_for, reviewer
):
    content = get(client_for(reviewer), "portfolio:prototypes", sort="cost-per-family").content
    content = content.decode()
    assert content.count("aria-sort=") == 1
    assert re.search(
        r'<th scope="col" aria-sort="ascending" class="text-end">'
        r'<a href="\?sort=-cost-per-family#decided">Cost per family</a>',
        content,
    )
    assert 'href="?sort=site#decided">Site</a>' in content
    content = get(client_for(reviewer), "portfolio:prototypes", sort="-cost-per-family").content
    assert 'aria-sort="descending" class="text-end"><a href="?sort=cost-per-family#decided"' in (
        content.decode()
    )


# CSV -----------------------------------------------------------------------------------


def test_the_questions_csv_has_a_row_per_question(client_for, reviewer):
    _, (a,) = site("Alder", (T.VOLUNTEERING, ["How do we train them?", "Who recruits?"]))
    site("Birch", (T.VOLUNTEERING, ["How do we train them?"]))
    answer(question_of(a), "Shadowing a peer.")
    rows = read_csv(get(client_for(reviewer), "portfolio:questions-export"))
    assert [(r["locality"], r["question"], r["status"]) for r in rows] == [
        ("Alder", "How do we train them?", "Answered"),
        ("Alder", "Who recruits?", "Open"),
        ("Birch", "How do we train them?", "Open"),
    ]
    assert rows[0]["answer"] == "Shadowing a peer."
    assert rows[0]["date answered"] == "2026-06-01"
    assert (rows[2]["sites asking it"], rows[2]["sites that answered it"]) == ("2", "1")
    assert (rows[1]["sites asking it"], rows[1]["sites that answered it"]) == ("1", "0")


def test_the_questions_csv_keeps_formulas_as_text(client_for, reviewer):
    _, (a,) = site("=Alder", (T.OTHER, ["=HYPERLINK(1)", "Plain?"]))
    answer(question_of(a), "@SUM(A1)")
    row = read_csv(get(client_for(reviewer), "portfolio:questions-export"))[0]
    assert (row["locality"], row["question"], row["answer"]) == (
        "'=Alder",
        "'=HYPERLINK(1)",
        "'@SUM(A1)",
    )


def test_the_prototypes_csv_follows_the_tables_order(prototypes, client_for, reviewer):
    rows = read_csv(
        get(client_for(reviewer), "portfolio:prototypes-export", sort="-cost-per-family")
    )
    assert [r["prototype"] for r in rows] == ["Welcome walks", "Dads' café", "Market stall"]
    walks, cafe, stall = rows
    assert walks["section of the blueprint"] == "Awareness; Use"
    assert walks["questions tested"] == "Who do families trust?; Where?"
    assert (walks["families reached"], walks["of them hardest to reach"]) == ("8", "3")
    assert (walks["net cost"], walks["cost per family"]) == ("100.00", "12.50")
    assert stall["cost per family"] == "not reached"
    assert cafe["decision"] == "Adapt"


def test_the_prototypes_csv_keeps_formulas_as_text(client_for, reviewer):
    blueprint = BlueprintFactory(locality=LocalityFactory(name="+Alder"))
    PrototypeFactory(blueprint=blueprint, title="-1 walks", decision=D.ADOPT)
    row = read_csv(get(client_for(reviewer), "portfolio:prototypes-export"))[0]
    assert (row["locality"], row["prototype"]) == ("'+Alder", "'-1 walks")


# Queries -------------------------------------------------------------------------------


def test_the_questions_and_prototypes_cost_the_same_queries_for_6_or_150_sites(
    client_for, reviewer, django_assert_max_num_queries
):
    """Each page and export over 6 sites, then over 150 (bulk-built, as `make bench` does:
    6 challenges, 20 questions and 5 prototypes a site)."""
    client = client_for(reviewer)
    build_planning(6)
    urls = [
        (reverse("portfolio:questions"), "Site 005"),
        (reverse("portfolio:questions-export"), "Site 005"),
        (reverse("portfolio:prototypes"), "Site 005"),
        (reverse("portfolio:prototypes") + "?sort=-cost-per-family", "Site 005"),
        (reverse("portfolio:prototypes-export"), "Site 005"),
    ]
    few = {}
    for url, shows in urls:
        with django_assert_max_num_queries(7):
            few[url] = queries_for(client, url, shows=shows)
    build_planning(144, start=6)
    for url, _ in urls:
        with django_assert_max_num_queries(7):
            many = queries_for(client, url, shows="Site 149")
        assert many == few[url], url
