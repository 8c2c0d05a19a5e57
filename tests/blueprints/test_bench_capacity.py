"""The capacity bench (`manage.py bench capacity`) on small figures: it reports the check's
and the resources tab's queries and times against issue 15's targets. Nothing is timed
here; the lines are read."""

import io
import re

import pytest

from blueprints.bench_capacity import bench_check, bench_resources
from blueprints.management.commands.bench import SCENARIOS

pytestmark = pytest.mark.django_db

LINE = r"\s+(\d+) queries\s+\d+\.\d ms median"


def test_the_bench_command_runs_the_capacity_scenario():
    assert SCENARIOS["capacity"] == "blueprints.bench_capacity.bench_capacity"


def test_it_times_the_check_in_the_queries_of_a_small_blueprint():
    out = io.StringIO()
    bench_check(out, cards=30)
    report = out.getvalue()
    assert "Capacity check: a 30-card blueprint naming 4 roles" in report
    assert re.search(r"capacity check, 30 cards" + LINE, report)
    assert "QUERIES GREW" not in report
    # The figures it checked, in words.
    assert re.search(r"Volunteering: [\d.]+ hours a week needed, 96 available", report)


def test_it_times_the_resources_tab_and_its_csv_in_the_queries_of_fewer_sites():
    out = io.StringIO()
    bench_resources(out, sites=3, first_sites=1)
    report = out.getvalue()
    assert "Portfolio resources: 3 localities" in report
    for label in ("/portfolio/resources/", "/portfolio/resources.csv"):
        assert re.search(re.escape(label) + LINE + r"\s+\(HTTP 200\)", report), report
    assert "QUERIES GREW" not in report
