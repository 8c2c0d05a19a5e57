"""Django's `{# ... #}` comment ends at the end of its line: one spread over several lines is
not a comment at all, and its words are printed into the page (it once put a three-line note
into the editor's board, which then no longer fitted a laptop screen). Longer notes use
`{% comment %}`."""

from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def unclosed_comments(text: str) -> list[int]:
    """The numbers of the lines where a `{#` opens and does not close on the same line."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        rest = line
        while "{#" in rest:
            rest = rest[rest.index("{#") + 2 :]
            if "#}" not in rest:
                found.append(number)
                break
            rest = rest[rest.index("#}") + 2 :]
    return found


def test_the_check_finds_a_comment_spread_over_lines():
    assert unclosed_comments("<p>{# one line #}</p>\n{# two\nlines #}\n") == [2]


def test_no_template_spreads_a_one_line_comment_over_several_lines():
    templates = sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))
    assert templates
    offenders = {
        str(path.relative_to(TEMPLATES)): lines
        for path in templates
        if (lines := unclosed_comments(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
