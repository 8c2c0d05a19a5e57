"""The markup of one card in the editor's grid, built in Python rather than in a template.

The grid draws up to a thousand cards, and the template engine spends about 0.3 ms on
each (resolving some sixty variables and localising every integer), twenty times what
these few `format_html` calls take. It is the one piece of the editor's markup kept in
Python; everything around it is templates. Every value goes through `format_html` (or
`conditional_escape`), so what a person typed is escaped like anywhere else.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from blueprints.grid import Cell, Grid
from blueprints.models import Card

_MOVES = (("left", "←"), ("up", "↑"), ("down", "↓"), ("right", "→"))
_EMPTY = SafeString("")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _badges(card: Card, title: SafeString, review_url: str) -> SafeString:
    badges = []
    if card.insight_count:
        badges.append(
            format_html(
                '<li class="bp-badge bp-badge-insight">{}</li>',
                _plural(card.insight_count, "insight"),
            )
        )
    if card.challenge_titles:
        badges.append(
            format_html(
                '<li class="bp-badge bp-badge-challenge">{}</li>',
                _plural(len(card.challenge_titles), "challenge"),
            )
        )
    if card.prototype_titles:
        badges.append(
            format_html_join(
                "",
                '<li class="bp-badge bp-badge-prototype">Prototype: {}</li>',
                ((title,) for title in card.prototype_titles),
            )
        )
    open_comments = getattr(card, "open_comments", 0)
    if open_comments and review_url:
        badges.append(
            format_html(
                '<li class="bp-badge bp-badge-comment"><a href="{}?card={}#comments">{}'
                '<span class="visually-hidden"> on {}</span></a></li>',
                review_url,
                card.pk,
                _plural(open_comments, "open comment"),
                title,
            )
        )
    if not badges:
        return _EMPTY
    return format_html(
        '<ul class="bp-badges">{}</ul>', format_html_join("", "{}", ((b,) for b in badges))
    )


def _actions(card: Card, cell: Cell, title: SafeString, url: str, csrf_token: str) -> SafeString:
    possible = {
        "left": not cell.first_phase,
        "up": not card.first_in_cell,
        "down": not card.last_in_cell,
        "right": not cell.last_phase,
    }
    moves = format_html_join(
        "",
        '<button type="submit" name="direction" value="{0}" id="card-{1}-{0}"'
        ' class="btn btn-sm bp-move-button" data-control="{0}" title="Move {0}">'
        '<span aria-hidden="true">{2}</span><span class="visually-hidden">'
        "Move {0} {3}</span></button>",
        ((direction, card.pk, arrow, title) for direction, arrow in _MOVES if possible[direction]),
    )
    return format_html(
        '<div class="bp-card-actions">'
        '<form method="get" action="{url}edit/" hx-get="{url}edit/"'
        ' hx-target="#card-{ref}" hx-swap="outerHTML"><button type="submit"'
        ' class="btn btn-link btn-sm" data-control="edit">Edit'
        '<span class="visually-hidden"> {title}</span></button></form>'
        '<form method="get" action="{url}delete/" hx-get="{url}delete/"'
        ' hx-target="#card-{ref}" hx-swap="outerHTML"><button type="submit"'
        ' class="btn btn-link btn-sm" data-control="delete">Delete'
        '<span class="visually-hidden"> {title}</span></button></form>'
        '<form method="post" action="{url}move/" hx-post="{url}move/" class="bp-move">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
        '<input type="hidden" name="version" value="{version}">{moves}</form></div>',
        url=url,
        ref=card.pk,
        title=title,
        csrf_token=csrf_token,
        version=card.version,
        moves=moves,
    )


def card_html(
    card: Card,
    cell: Cell,
    *,
    cards_url: str,
    review_url: str = "",
    can_edit: bool,
    csrf_token: str = "",
    focus: str | None = None,
) -> SafeString:
    """One card: its kind in words (and colour, from its class), title (which opens the card
    panel), a details excerpt, emotion, badges, and for editors the Edit, Delete and move
    buttons, each named with the card's title. Needs the card as `grid.read_grid` reads it
    with `excerpt` and `touching` (and `open_comments`, where the reader may comment).

    `focus` names the control (or "card") that should take focus once htmx has swapped the
    card in (see data-bp-focus in static/js/blueprint-editor.js).
    """
    url = f"{cards_url}{card.pk}/"
    title = conditional_escape(card.title)
    editable = (
        format_html(' draggable="true" data-card="{}" data-version="{}"', card.pk, card.version)
        if can_edit
        else _EMPTY
    )
    details = (
        format_html('<p class="bp-card-details">{}</p>', card.details_excerpt)
        if card.details_excerpt
        else _EMPTY
    )
    emotion = (
        format_html('<p class="bp-card-emotion">Emotion: {}</p>', card.emotion_text)
        if card.emotion is not None
        else _EMPTY
    )
    return format_html(
        '<article id="card-{ref}" class="bp-card bp-kind-{kind}" tabindex="-1"'
        ' aria-labelledby="card-{ref}-title"{editable}{focus}>'
        '<p class="bp-card-kind"><span class="bp-kind-label">{kind_label}</span></p>'
        '<h3 class="bp-card-title" id="card-{ref}-title"><a href="{url}" hx-get="{url}"'
        ' hx-target="#bp-panel">{title}</a></h3>{details}{emotion}{badges}{actions}</article>',
        ref=card.pk,
        kind=card.kind,
        editable=editable,
        focus=format_html(' data-bp-focus="{}"', focus) if focus else _EMPTY,
        kind_label=card.kind_label,
        url=url,
        title=title,
        details=details,
        emotion=emotion,
        badges=_badges(card, title, review_url),
        actions=_actions(card, cell, title, url, csrf_token) if can_edit else _EMPTY,
    )


def render_cards(grid: Grid, context: dict[str, Any]) -> None:
    """Set `card.html` on every card of the grid, from the editor's context."""
    focus_card = context.get("focus_card")
    options = {
        "cards_url": context["cards_url"],
        "review_url": context.get("review_url", ""),
        "can_edit": context.get("can_edit", False),
        "csrf_token": str(context.get("csrf_token", "")),
    }
    for row in grid.rows:
        for cell in row.cells:
            for card in cell.cards:
                focus = context.get("focus_control") if card.pk == focus_card else None
                card.html = card_html(card, cell, focus=focus, **options)
