"""Issue 12 as CSV: the blueprint's questions, and its prototypes with their results, each
a table beside the cards CSV, with the same guard against formulas, linked from the
blueprint's pages, in a number of queries that does not grow with the rows."""

import csv
import io
from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints import services
from blueprints.models import DeliveryChallenge, DeliveryQuestion, Prototype
from blueprints.services import MeasureRow
from tests.blueprints.factories import BlueprintFactory
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import InsightFactory
from tests.roles import READERS, ROLES

pytestmark = pytest.mark.django_db

URLS = ["export-questions-csv", "export-prototypes-csv"]


@pytest.fixture
def blueprint(locality, editor):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks", by=editor)
    space = services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.USE_OF_SPACE,
        title="A room that is not an office",
        questions=["Could we rent the hall out?"],
        by=editor,
    )
    volunteers = services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        title="=cmd|' /C calc'!A0",
        questions=["How much is too much?", "@SUM(A1:A9)"],
        by=editor,
    )
    too_much, formula = volunteers.questions.order_by("position")
    services.update_delivery_question(
        question=too_much,
        status=DeliveryQuestion.Status.ANSWERED,
        owner=editor,
        answer="-Two sessions a week at most",
        answered_on=date(2026, 4, 3),
        insights=[InsightFactory(locality=locality, statement="Volunteers burn out by spring")],
        ideas=[IdeaFactory(locality=locality, title="Buddy rota")],
        by=editor,
    )
    walks = services.create_prototype(
        blueprint=blueprint,
        title="Ten walks",
        starts_on=date(2026, 3, 1),
        status=Prototype.Status.FINISHED,
        learning="+Eight came back",
        decision=Prototype.Decision.ADOPT,
        questions=[too_much, formula],
        delivery_challenges=[volunteers],
        families_reached=10,
        hardest_to_reach=3,
        staff_hours=Decimal("12.5"),
        volunteer_hours=Decimal("30"),
        cash_cost=Decimal("300"),
        in_kind_description="=Room at the library",
        in_kind_value=Decimal("150"),
        income=Decimal("50"),
        by=editor,
    )
    services.set_prototype_measures(
        prototype=walks,
        measures=[MeasureRow("Wait", "days", Decimal(9), Decimal(5), Decimal("4.5"))],
        by=editor,
    )
    services.create_prototype(
        blueprint=blueprint,
        title="Hall hire",
        starts_on=date(2026, 5, 1),
        status=Prototype.Status.FINISHED,
        families_reached=0,
        cash_cost=Decimal("20"),
        income=Decimal("200"),
        questions=[space.questions.get()],
        by=editor,
    )
    return blueprint


def rows_of(response) -> list[list[str]]:
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def get(client, name, blueprint):
    return client.get(reverse(f"blueprints:{name}", args=["northgate", blueprint.pk]))


def test_questions_csv_has_a_row_a_question_with_status_owner_and_answer(
    client, blueprint, editor, viewer
):
    client.force_login(viewer)
    header, *rows = rows_of(get(client, "export-questions-csv", blueprint))
    assert header[:7] == [
        "theme",
        "delivery challenge",
        "question",
        "status",
        "owner",
        "answer",
        "date answered",
    ]
    assert [row[2] for row in rows] == [
        "How much is too much?",
        "'@SUM(A1:A9)",
        "Could we rent the hall out?",
    ]
    answered = rows[0]
    assert answered[0] == "Volunteering"
    assert answered[3:7] == [
        "Answered",
        editor.get_full_name(),
        "'-Two sessions a week at most",
        "2026-04-03",
    ]
    assert answered[7:] == ["Volunteers burn out by spring", "Buddy rota", "Ten walks"]
    assert rows[2][3] == "Open"
    assert rows[2][4] == ""


def test_prototypes_csv_has_results_cost_per_family_and_measures(client, blueprint, viewer):
    client.force_login(viewer)
    header, walks, hall = rows_of(get(client, "export-prototypes-csv", blueprint))
    row = dict(zip(header, walks, strict=True))
    assert row["prototype"] == "Ten walks"
    assert row["decision"] == "Adopt"
    assert row["questions tested"] == "How much is too much?; @SUM(A1:A9)"
    assert row["families reached"] == "10"
    assert row["of them hardest to reach"] == "3"
    assert row["staff hours"] == "12.5"
    assert row["cash cost"] == "300.00"
    assert row["net cost"] == "400.00"
    assert row["cost per family"] == "40.00"
    assert row["measures"] == "Wait (days): baseline 9, target 5, actual 4.5"
    assert row["given in kind"] == "'=Room at the library"
    assert row["what we learned"] == "'+Eight came back"
    other = dict(zip(header, hall, strict=True))
    assert other["cost per family"] == "not reached"
    assert other["net cost"] == "'-180.00"  # income beyond the cost: text, not a formula


def test_no_cell_reads_as_a_formula(client, blueprint, viewer):
    client.force_login(viewer)
    for name in URLS:
        rows = rows_of(get(client, name, blueprint))
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    challenge = rows_of(get(client, "export-questions-csv", blueprint))[1][1]
    assert challenge == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize("name", URLS)
def test_query_count_does_not_grow_with_questions_and_prototypes(
    client, blueprint, editor, viewer, name
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows_of(get(client, name, blueprint))
        return len(captured)

    client.force_login(viewer)
    small = queries()
    challenge = blueprint.delivery_challenges.first()
    for n in range(8):
        question = services.create_delivery_question(
            challenge=challenge, text=f"Question {n}", owner=editor, by=editor
        )
        prototype = services.create_prototype(
            blueprint=blueprint, title=f"Prototype {n}", questions=[question], by=editor
        )
        services.set_prototype_measures(
            prototype=prototype, measures=[MeasureRow("M"), MeasureRow("N")], by=editor
        )
    assert queries() == small


@pytest.mark.parametrize("name", URLS)
@pytest.mark.parametrize("role", ROLES)
def test_planning_csvs_are_for_anyone_who_may_read_the_locality(
    client_for, users, blueprint, name, role
):
    response = client_for(users[role]).get(
        reverse(f"blueprints:{name}", args=["northgate", blueprint.pk])
    )
    assert response.status_code == READERS[role]


@pytest.mark.parametrize("name", URLS)
def test_another_localitys_blueprint_is_not_found_through_this_one(
    client, blueprint, other_locality, outsider, name
):
    theirs = BlueprintFactory(locality=other_locality, by=outsider)
    client.force_login(outsider)
    response = client.get(reverse(f"blueprints:{name}", args=["riverside", blueprint.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    response = client.get(reverse(f"blueprints:{name}", args=["northgate", theirs.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_blueprints_pages_link_to_both(client, blueprint, viewer):
    client.force_login(viewer)
    page = client.get(reverse("blueprints:text", args=["northgate", blueprint.pk]))
    html = page.content.decode()
    for name, label in zip(URLS, ["Questions as CSV", "Prototypes as CSV"], strict=True):
        url = reverse(f"blueprints:{name}", args=["northgate", blueprint.pk])
        assert f'href="{url}">{label}</a>' in html


@pytest.mark.parametrize("name", URLS)
def test_anonymous_goes_to_the_login_page(client, blueprint, name):
    url = reverse(f"blueprints:{name}", args=["northgate", blueprint.pk])
    response = client.get(url)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
