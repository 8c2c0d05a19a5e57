"""The markup of the emotion curve's card points, built in Python rather than in the template.

Each family card is a point of the curve twice: a circle in the SVG and a link laid over it
(see _emotion_curve.html). At 300 cards that is some 60 points of a dozen values each, and
the template engine spent more on them than on the rest of a card move's response together
(localising every number, resolving each lookup): a move of a family card redraws the curve.
As in `card_markup`, the markup is constant format strings filled by `format_html`, so every
value, the card titles included, is escaped as anywhere else.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from blueprints.emotion import Curve, CurveDot

_CIRCLE = '<circle class="{classes}" cx="{x}" cy="{y}" r="{r}" data-card="{pk}"/>'
_LINK_OPEN = (
    '<li><a id="emotion-dot-{pk}" class="{classes}" style="left: {left}%; top: {top}%"'
    ' data-card="{pk}" data-emotion="{emotion}"'
)
_DESCRIBED = ' aria-describedby="{described}"'
# An editor's point opens the card's emotion form (emotion.js adds the arrow keys); a
# reader's, the card.
_EDITABLE = (
    ' href="{url}" hx-get="{url}" hx-target="#bp-emotion-edit" data-editable'
    ' data-url="{url}" data-version="{version}"'
)
_READER = ' href="{url}"'
_TEXT = '><span class="visually-hidden">{text}</span>'
_WORST_MARK = '<span class="bp-worst-mark" aria-hidden="true">Worst</span>'
_LINK_CLOSE = "</a></li>"


def _classes(base: str, dot: CurveDot) -> str:
    return (
        base + (" bp-negative" if dot.card.emotion < 0 else "") + (" bp-worst" if dot.worst else "")
    )


def _circle(dot: CurveDot) -> SafeString:
    return format_html(
        _CIRCLE,
        classes=_classes("bp-emotion-card", dot),
        x=dot.svg_x,
        y=dot.svg_y,
        r=6 if dot.worst else 3,
        pk=dot.card.pk,
    )


def _link(dot: CurveDot, *, can_edit: bool, cards_url: str) -> SafeString:
    described = " ".join(
        name
        for name, shown in (("bp-emotion-worst", dot.worst), ("bp-emotion-help", can_edit))
        if shown
    )
    shape = _LINK_OPEN + (_DESCRIBED if described else "")
    shape += (_EDITABLE if can_edit else _READER) + _TEXT
    shape += (_WORST_MARK if dot.worst else "") + _LINK_CLOSE
    url = f"{cards_url}{dot.card.pk}/emotion/" if can_edit else f"{cards_url}{dot.card.pk}/"
    return format_html(
        shape,
        pk=dot.card.pk,
        classes=_classes("bp-emotion-dot", dot),
        left=dot.left,
        top=dot.top,
        emotion=dot.card.emotion,
        described=described,
        url=url,
        version=dot.card.version,
        text=dot.card.text,
    )


def curve_points_html(
    chart: Curve, *, can_edit: bool, cards_url: str
) -> tuple[SafeString, SafeString]:
    """The SVG circles and the list items (links) of every card's point, in grid order."""
    circles = format_html_join("", "{}", ((_circle(dot),) for dot in chart.dots))
    links = format_html_join(
        "", "{}", ((_link(dot, can_edit=can_edit, cards_url=cards_url),) for dot in chart.dots)
    )
    return circles, links
