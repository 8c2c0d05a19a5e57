"""The live bench (`manage.py bench live`), short: a few sockets for a second. It reports
delivery against issue 16's targets, and no message lost; nothing is timed here."""

import io
import re

import pytest

from blueprints.bench_live import bench_live

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def run():
    out = io.StringIO()
    result = bench_live(out, sockets=5, per_second=10, seconds=1)
    return out.getvalue(), result


def test_every_socket_hears_of_every_edit(run):
    report, result = run
    assert result["edits"] == 10
    assert result["lost"] == 0
    assert re.search(r"messages lost\s+0 of 50\s+target 0\s+PASS", report)


def test_every_client_catches_up_to_the_database(run):
    report, result = run
    assert result["final_version"] == result["stored_version"]
    assert re.search(r"final grids equal to the database\s+5 of 5\s+PASS", report)


def test_it_reports_delivery_against_the_targets(run):
    report, _ = run
    assert re.search(r"delivery \(median\)\s+\d+\.\d ms\s+target < 200 ms\s+(PASS|OVER)", report)
    assert re.search(r"delivery \(p99\)\s+\d+\.\d ms\s+target < 1000 ms\s+(PASS|OVER)", report)
