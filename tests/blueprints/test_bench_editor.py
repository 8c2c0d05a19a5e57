"""The editor bench (`manage.py bench editor`) on a small blueprint: it reports its figures
and issue 13's targets with PASS or OVER. Nothing is timed here; the lines are read."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from blueprints.bench_editor import bench_editor, first_visit, served_size

pytestmark = pytest.mark.django_db


@pytest.fixture
def report() -> str:
    out = io.StringIO()
    bench_editor(out, sizes=(10,), target_size=10, repeat=2)
    return out.getvalue()


def test_it_times_the_editor_and_the_htmx_add_and_move(report):
    for label in (
        "blueprint editor, 10 cards",
        "add a card (htmx), 10-card blueprint",
        "move a card (htmx), 10-card blueprint",
    ):
        assert re.search(
            rf"{re.escape(label)}\s+\d+ queries\s+\d+\.\d ms median\s+\(HTTP 200\)", report
        )


def test_it_reports_server_time_and_queries_against_their_targets(report):
    assert "editor at 10 cards against issue 13's targets:" in report
    assert re.search(
        r"server time \(median, gzip included\)\s+\d+\.\d ms\s+target < 300 ms\s+(PASS|OVER)",
        report,
    )
    assert re.search(r"queries\s+\d+\s+target <= 20\s+PASS", report)


def test_it_reports_the_html_uncompressed_and_gzip_compressed(report):
    found = re.search(
        r"HTML\s+(\d+\.\d) KB uncompressed, (\d+\.\d) KB gzip-compressed \(gzip\)", report
    )
    assert found, report
    assert float(found[2]) < float(found[1])


def test_it_reports_the_first_visit_on_the_wire_with_each_static_file(report):
    assert re.search(
        r"first visit on the wire\s+\d+\.\d KB\s+target < 150 KB\s+(PASS|OVER)", report
    )
    static = "/" + settings.STATIC_URL.lstrip("/")
    for name in ("bootstrap/css/bootstrap.min.css", "js/editor/core.js", "css/blueprint.css"):
        assert re.search(rf"\d+\.\d KB\s+\(of \d+\.\d KB\)\s+{re.escape(static + name)}", report)


def test_the_first_visit_counts_linked_stylesheets_scripts_and_icons_once_and_nothing_else():
    static = "/" + settings.STATIC_URL.lstrip("/")
    html = (
        f'<link rel="stylesheet" href="{static}css/blueprint.css">'
        f'<link rel="icon" href="{static}favicon.svg" type="image/svg+xml">'
        f'<link rel="preconnect" href="{static}css/app.css">'
        f'<script src="{static}js/editor/core.js" defer></script>'
        f'<script src="{static}js/editor/core.js" defer></script>'
        '<script src="https://cdn.example.org/lib.js"></script>'
        f'<a href="{static}css/app.css">not fetched</a>'
    )
    urls = [url for url, _size, _served in first_visit(html)]
    assert urls == [
        f"{static}css/blueprint.css",
        f"{static}favicon.svg",
        f"{static}js/editor/core.js",
    ]


def test_a_text_file_is_counted_compressed_and_a_tiny_one_as_it_is():
    with open(finders.find("css/blueprint.css"), "rb") as file:
        stylesheet = file.read()
    assert served_size("blueprint.css", stylesheet) < len(stylesheet) / 2
    assert served_size("tiny.css", b"a{}") == len(b"a{}")
    assert served_size("photo.png", stylesheet) == len(stylesheet)
