"""The markup of one cell of the portfolio's question grid, built in Python rather than in
a template (as `card_markup` does for the editor's cards).

For 150 sites the grid holds some 3,000 questions; the template engine took about 0.1 ms
on each, more than the rest of the page together. Each question is one `format_html` call
on a format string fixed for its status, so what a person typed is escaped like anywhere
else.
"""

from __future__ import annotations

from datetime import date

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from blueprints.portfolio_planning import ANSWERED, QUESTION_STATUS_LABELS, GridQuestion

_BADGE = '<span class="badge pf-{status}">{label}</span>'
# An answered question shows its answer while pointed at or focused (static/css/
# portfolio.css); the link is described by it, so a screen reader reads it too.
_ANSWERED = (
    '<li class="pf-question" data-answer-tip><a href="{url}" aria-describedby="answer-{pk}">'
    "{text}</a> "
    + _BADGE.format(status=ANSWERED, label=QUESTION_STATUS_LABELS[ANSWERED])
    + '<span class="pf-answer" role="tooltip" id="answer-{pk}"><strong>Answer{on}:</strong> '
    "{answer}</span></li>"
)
_OTHER = {
    status: '<li class="pf-question"><a href="{url}">{text}</a> '
    + _BADGE.format(status=status, label=label)
    + "</li>"
    for status, label in QUESTION_STATUS_LABELS.items()
}
_NONE = SafeString('<span class="text-body-secondary">none</span>')
ANSWER_WORDS = 80  # the whole answer is a click away


def _day(day: date | None) -> str:
    return f", {day.day} {day:%b %Y}" if day else ""


def _question(question: GridQuestion) -> SafeString:
    if not question.answered:
        return format_html(_OTHER[question.status], url=question.url, text=question.text)
    return format_html(
        _ANSWERED,
        url=question.url,
        pk=question.pk,
        text=question.text,
        on=_day(question.answered_on),
        answer=Truncator(question.answer).words(ANSWER_WORDS),
    )


def cell_markup(questions: list[GridQuestion]) -> SafeString:
    """A site's questions of one theme, as a list; "none" if it has none."""
    if not questions:
        return _NONE
    # Each item is markup that format_html escaped; joined as format_html_join would.
    items = SafeString("".join(_question(question) for question in questions))
    return format_html('<ul class="list-unstyled mb-0">{}</ul>', items)
