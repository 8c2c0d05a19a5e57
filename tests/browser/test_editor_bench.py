"""The editor's browser bench (`manage.py bench editor-browser`) runs end to end on a small
blueprint with 2 iterations and reports each metric with its target. Nothing here is
timed: the figures are only checked to be measured (present, positive, consistent), in one
test because each run of the bench collects static files and starts a server."""

import io
import re

import pytest

from blueprints.bench_editor_browser import run_editor_browser
from blueprints.models import Card

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_bench_measures_and_reports_each_metric_with_its_verdict(browser):
    out = io.StringIO()
    figures = run_editor_browser(out, cards=30, iterations=2, browser=browser)
    text = out.getvalue()

    assert "2 first visits, medians" in text
    assert 0 < figures.interactive_ms <= figures.load_ms
    assert re.search(r"navigation to interactive \(DOMContentLoaded\)\s+\d+ ms .*(PASS|OVER)", text)
    assert re.search(r"navigation to load\s+\d+ ms", text)

    # Compressed as served: a gzip page, WhiteNoise's precompressed static files.
    assert 0 < figures.html_wire_bytes < figures.html_decoded_bytes
    assert figures.html_wire_bytes < figures.wire_bytes < figures.decoded_bytes
    assert re.search(r"bytes on the wire .*\d+\.\d KB .*target < 150 KB\s+(PASS|OVER)", text)

    assert 0 < figures.move_server_ms <= figures.move_sent_ms <= figures.move_ms
    assert 0 < figures.move_swap_ms <= figures.move_ms
    assert figures.move_response_bytes > 0
    assert re.search(r"a move to settled .*\d+\.\d ms .*target < 150 ms\s+(PASS|OVER)", text)
    assert re.search(r"of which the request \(server and network\)\s+\d+\.\d ms", text)
    assert re.search(r"swap to settled \d+\.\d ms", text)

    # The two moves were accepted (a refused one raises): right, then back left.
    moved = Card.objects.get(version__gt=1)
    assert moved.version == 1 + 2
    assert moved.phase == moved.blueprint.phases.order_by("position").first()
