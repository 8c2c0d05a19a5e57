"""SQLite for a team on `make run`: 20 card moves at the same moment, against a real server
on a file-backed SQLite database, all wait their turn: no 500 ("database is locked"), every
cell's positions stay 0..n-1, no card is lost.

The suite's own SQLite database is in memory and the test client runs in this process, so
neither can show what a team's browsers do to a server: hence gunicorn, with 2 workers of
10 threads, on a copy of a migrated database file. It runs in the SQLite pass of the suite
only: on PostgreSQL the template it copies is not a SQLite file, and the test is about
SQLite.
"""

import re
import sqlite3
from collections import defaultdict
from contextlib import closing
from http import HTTPStatus

import dj_database_url
import pytest

from tests.ops.conftest import (
    Browser,
    app_environment,
    copy_database,
    csrf_token,
    run_script,
    suite_runs_on_postgresql,
)

pytestmark = pytest.mark.skipif(
    suite_runs_on_postgresql(), reason="about SQLite: runs in the suite's SQLite pass"
)

PASSWORD = "a-test-password-1"
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception): .*$", re.MULTILINE)
MOVES = 20

# A blueprint with 4 cards in each of 4 cells: phases 1 and 2, family and frontline lanes.
CREATE_BLUEPRINT = f"""
import json
from django.contrib.auth import get_user_model
from blueprints import services
from blueprints.models import Lane
from localities.models import Locality, Membership

user = get_user_model().objects.create_user("mover", password="{PASSWORD}")
locality = Locality.objects.create(name="Movers", slug="movers", area="Eastmere")
Membership.objects.create(user=user, locality=locality, role="editor")
blueprint = services.create_blueprint(locality=locality, idea=None, title="Walks", by=user)
phases = list(blueprint.phases.order_by("position"))[:2]
lanes = [blueprint.lanes.get(role=Lane.Role.FAMILY), blueprint.lanes.get(role=Lane.Role.FRONTLINE)]
cards = []
for lane in lanes:
    for phase in phases:
        for n in range(4):
            card = services.add_card(
                blueprint=blueprint, phase=phase, lane=lane, title=f"{{phase.name}} {{n}}",
                kind="step", by=user,
            )
            cards.append({{"pk": card.pk, "phase": phases.index(phase)}})
print(json.dumps({{
    "blueprint": blueprint.pk,
    "slug": locality.slug,
    "cards": cards,
    "phases": [phase.pk for phase in phases],
    "lanes": [lane.pk for lane in lanes],
}}))
"""


def planned_moves(grid: dict) -> list[tuple[int, dict]]:
    """20 moves of version 1: each of the 16 cards once (sideways to the other phase, up,
    down, or dropped at the top of the other lane), then 4 cards a second time, which
    should find their card already moved (409) unless the first move changed nothing."""
    moves = []
    for index, card in enumerate(grid["cards"]):
        kind = index % 4
        if kind == 0:
            data = {"direction": "right" if card["phase"] == 0 else "left"}
        elif kind == 1:
            data = {"direction": "up"}
        elif kind == 2:
            data = {"direction": "down"}
        else:
            data = {
                "phase": grid["phases"][1 - card["phase"]],
                "lane": grid["lanes"][1 - index // 8],  # the other lane
                "position": "0",
            }
        moves.append((card["pk"], {**data, "version": "1"}))
    for card in grid["cards"][:4]:
        moves.append((card["pk"], {"direction": "down", "version": "1"}))
    assert len(moves) == MOVES
    return moves


def log_in(port: int) -> Browser:
    browser = Browser(port=port)
    page = browser.get("/accounts/login/")
    answer = browser.post(
        "/accounts/login/",
        {"username": "mover", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)},
    )
    assert answer.status == HTTPStatus.FOUND, answer.body[:500]
    assert "sessionid" in browser.cookies
    return browser


def move_all_at_once(session: Browser, grid: dict, run_together) -> list[tuple[int, str]]:
    """Each move from its own thread and connection, with the same session, released
    together; (status, start of body) for each."""
    base = f"/localities/{grid['slug']}/blueprints/{grid['blueprint']}/cards"
    headers = {"HX-Request": "true", "X-CSRFToken": session.cookies["csrftoken"]}

    def move(card_pk: int, data: dict):
        def post() -> tuple[int, str]:
            browser = Browser(port=session.port, cookies=dict(session.cookies))
            try:
                answer = browser.post(f"{base}/{card_pk}/move/", data, headers=headers)
            except OSError as error:
                return (0, repr(error))
            return (answer.status, answer.body[:300])

        return post

    moves = [move(card_pk, data) for card_pk, data in planned_moves(grid)]
    return run_together(*moves, timeout=120).values()


def cards_by_cell(database_url: str, blueprint: int) -> dict[tuple[int, int], list[int]]:
    path = dj_database_url.parse(database_url)["NAME"]
    cells = defaultdict(list)
    with closing(sqlite3.connect(path, timeout=30)) as db:
        rows = db.execute(
            "SELECT phase_id, lane_id, position, id FROM blueprints_card WHERE blueprint_id = ?",
            (blueprint,),
        ).fetchall()
    for phase_id, lane_id, position, pk in rows:
        cells[(phase_id, lane_id)].append((position, pk))
    return cells


@pytest.fixture
def database(migrated_template, tmp_path):
    yield from copy_database(migrated_template, tmp_path)


def test_twenty_moves_at_once_wait_their_turn_and_keep_the_grid_whole(
    database, app_servers, run_together
):
    grid = run_script(CREATE_BLUEPRINT, database_url=database)
    cards_before = sorted(card["pk"] for card in grid["cards"])
    server = app_servers(app_environment(DATABASE_URL=database, DEBUG="1"), workers=2, threads=10)
    session = log_in(server.port)

    answers = move_all_at_once(session, grid, run_together)

    statuses = [status for status, _ in answers]
    errors = sorted(set(EXCEPTION_LINE.findall(server.log_text())))  # "...: database is locked"
    assert set(statuses) <= {HTTPStatus.OK, HTTPStatus.CONFLICT}, (statuses, errors)
    # Every card's first move went through; only second moves of a card may be stale.
    assert statuses.count(HTTPStatus.OK) >= MOVES - 4, statuses
    cells = cards_by_cell(database, grid["blueprint"])
    for cell, rows in cells.items():
        assert sorted(position for position, _ in rows) == list(range(len(rows))), (cell, rows)
    assert sorted(pk for rows in cells.values() for _, pk in rows) == cards_before
