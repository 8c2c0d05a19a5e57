"""The markup of one card in the editor's grid, built in Python rather than in a template.

The grid draws up to a thousand cards, and the template engine spends about 0.3 ms on
each (resolving some sixty variables and localising every integer), twenty times what
these few `format_html` calls take. It is the one piece of the editor's markup kept in
Python; everything around it is templates. Every value goes through `format_html` (or
`conditional_escape`), so what a person typed is escaped like anywhere else.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from blueprints.grid import Grid
from blueprints.models import Card

# The card's markup is one format string with named fields, put together from the fixed
# pieces below for each shape a card can take (which parts it shows), and filled by one
# `format_html` call: escaping a dozen values per card with a call each took seven times as
# long. The pieces are constants; every value is a field.
_OPEN = (
    '<article id="card-{ref}" class="bp-card bp-kind-{kind}" tabindex="-1"'
    ' aria-labelledby="card-{ref}-title"'
)
_EDITABLE = ' draggable="true" data-card="{ref}" data-version="{version}"'
_FOCUS = ' data-bp-focus="{focus}"'
_HEAD = (
    '><p class="bp-card-kind"><span class="bp-kind-label">{kind_label}</span></p>'
    '<h3 class="bp-card-title" id="card-{ref}-title"><a href="{cards_url}{ref}/"'
    ' hx-get="{cards_url}{ref}/" hx-target="#bp-panel">{title}</a></h3>'
)
_DETAILS = '<p class="bp-card-details">{details}</p>'
_EMOTION = '<p class="bp-card-emotion">Emotion: {emotion}</p>'
# At the detailed density only (the grid is then read with `resources`): where, who and
# which volunteers, in one short line.
_RESOURCES = (
    '<p class="bp-card-resources small"><span class="visually-hidden">Where, who and'
    " volunteers: </span>{resources}</p>"
)
_INSIGHTS = '<li class="bp-badge bp-badge-insight">{insights}</li>'
_CHALLENGES = '<li class="bp-badge bp-badge-challenge">{challenges}</li>'
# The card's conversations are in its panel (or, without JavaScript, on its page), where
# the team answers them: the badge opens the panel at its comments.
_COMMENTS = (
    '<li class="bp-badge bp-badge-comment"><a href="{cards_url}{ref}/#card-panel-comments"'
    ' hx-get="{cards_url}{ref}/?at=comments" hx-target="#bp-panel">'
    '{comments}<span class="visually-hidden"> on {title}</span></a></li>'
)
# Editors get one link to the card's actions (Edit, Delete, Move..., in the shared menu, the
# card panel or the card's page), not a form and button per action: that kept a 300-card
# grid near 900 KB. keyboard.js opens the shared menu from it; without JavaScript it is a page.
_ACTIONS = (
    '<a class="bp-card-menu" href="{cards_url}{ref}/#card-actions">Actions'
    '<span class="visually-hidden"> for {title}</span></a>'
)


@lru_cache(maxsize=512)
def _shape(
    editable: bool,
    focus: bool,
    details: bool,
    emotion: bool,
    insights: bool,
    challenges: bool,
    prototypes: bool,
    comments: bool,
    resources: bool = False,
) -> str:
    """The format string of a card of this shape (made of the constant pieces above)."""
    parts = [_OPEN, _EDITABLE if editable else "", _FOCUS if focus else "", _HEAD]
    parts += [_DETAILS if details else "", _EMOTION if emotion else ""]
    parts.append(_RESOURCES if resources else "")
    if insights or challenges or prototypes or comments:
        parts.append('<ul class="bp-badges">')
        parts += [_INSIGHTS if insights else "", _CHALLENGES if challenges else ""]
        parts += ["{prototypes}" if prototypes else "", _COMMENTS if comments else ""]
        parts.append("</ul>")
    if editable:
        parts.append(_ACTIONS)
    parts.append("</article>")
    return "".join(parts)


@lru_cache(maxsize=1024)
def _shared(text: str) -> SafeString:
    """`text` escaped, remembered: for values that many cards of a grid share, so each is
    escaped once rather than once per card. Escaping, not trusting: the result is exactly
    what `format_html` would have made of it."""
    return conditional_escape(text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def card_html(
    card: Card,
    *,
    cards_url: str,
    review_url: str = "",
    can_edit: bool,
    focus: str | None = None,
) -> SafeString:
    """One card: its kind in words (and colour, from its class), title (which opens the card
    panel), a details excerpt, emotion, badges, and for editors one "Actions" link named
    with the card's title (the actions themselves are shared controls: see keyboard.js and
    _card_panel.html). Needs the card as `grid.read_grid` reads it
    with `excerpt` and `touching` (and `open_comments`, where the reader may comment).

    `focus` names the control (or "card") that should take focus once htmx has swapped the
    card in (see data-bp-focus in static/js/editor/core.js).
    """
    open_comments = getattr(card, "open_comments", 0) if review_url else 0
    resources = getattr(card, "resource_text", "")  # read only for the detailed density
    shape = _shape(
        can_edit,
        bool(focus),
        bool(card.details_excerpt),
        card.emotion is not None,
        bool(card.insight_count),
        bool(card.challenge_titles),
        bool(card.prototype_titles),
        bool(open_comments),
        bool(resources),
    )
    # Only the values this shape shows, each escaped once: those many cards share (the
    # URLs, a kind's label, an emotion's words, a count) through `_shared`, the
    # card's own text here; `format_html` then only asks each for its escaped form.
    values = {
        "ref": card.pk,
        "kind": _shared(card.kind),
        "kind_label": _shared(card.kind_label),
        "cards_url": _shared(cards_url),
        "title": conditional_escape(card.title),  # escaped once, shown up to three times
    }
    if can_edit:
        values["version"] = card.version
    if focus:
        values["focus"] = _shared(focus)
    if card.details_excerpt:
        values["details"] = conditional_escape(card.details_excerpt)
    if card.emotion is not None:
        values["emotion"] = _shared(card.emotion_text)
    if resources:
        values["resources"] = conditional_escape(resources)
    if card.insight_count:
        values["insights"] = _shared(_plural(card.insight_count, "insight"))
    if card.challenge_titles:
        values["challenges"] = _shared(_plural(len(card.challenge_titles), "challenge"))
    if card.prototype_titles:
        values["prototypes"] = format_html_join(
            "",
            '<li class="bp-badge bp-badge-prototype">Prototype: {}</li>',
            ((title,) for title in card.prototype_titles),
        )
    if open_comments:
        values.update(
            review_url=_shared(review_url),
            # Open and not marked addressed (issue 14): what the team has to answer.
            comments=_shared(_plural(open_comments, "comment") + " to answer"),
        )
    return format_html(shape, **values)


def render_cards(grid: Grid, context: dict[str, Any]) -> None:
    """Set `card.html` on every card of the grid, from the editor's context."""
    focus_card = context.get("focus_card")
    options = {
        "cards_url": context["cards_url"],
        "review_url": context.get("review_url", ""),
        "can_edit": context.get("can_edit", False),
    }
    for row in grid.rows:
        for cell in row.cells:
            for card in cell.cards:
                focus = context.get("focus_control") if card.pk == focus_card else None
                card.html = card_html(card, focus=focus, **options)
