"""The blueprint editor: the grid page, and what its card endpoints share (`EditorBase`).

The endpoints that change cards are in `cards` (add, edit, delete), `card_move` and
`card_panel` (evidence and links); the markup of one card in `card_markup`. Every endpoint
answers an htmx request with a fragment and a plain one with a full page (GET) or a
redirect back to the editor with a message (POST), so the editor also works without
JavaScript. Writes go through `blueprints.services`; one built on a stale version changes
nothing and answers 409 with what is there now. Fragments that change a cell redraw that
cell only, so a form open in another cell is never lost, and carry the emotion curve, the
version and a status message out of band.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views import View
from django.views.generic.base import ContextMixin
from django_htmx.http import reswap, retarget

from blueprints.capacity import capacity_check
from blueprints.emotion import Curve
from blueprints.grid import Cell, Grid, read_grid, read_link_pairs
from blueprints.models import Blueprint, Card, Lane, Phase
from blueprints.review import queries as review_queries
from blueprints.review import states as review_states
from blueprints.services.last_change import last_change
from blueprints.services.phases_lanes import lane_step_breaches
from blueprints.services.undo import describe
from blueprints.views.base import BlueprintAccessMixin
from blueprints.views.canvas import DENSITIES, density_of
from blueprints.views.card_markup import render_cards
from blueprints.views.curve_markup import curve_points_html

TEMPLATES = "blueprints/editor/"
CONFLICT_CHANGED = (
    "Someone else changed this card while you were editing: here is their version. "
    "Your text is below so you can redo your change on top."
)
CONFLICT_DELETED = (
    "Someone else deleted this card while you were editing. Your text is below: "
    "you can add it again as a new card."
)
# Past any real position: the services clamp it to the end of the cell.
END_OF_CELL = 1_000_000
# A card shows this much of its details in the grid; its panel shows them whole.
DETAILS_EXCERPT_LENGTH = 140
# At the "detailed" density a card shows all its details (the field's own maximum).
DETAILS_FULL_LENGTH = Card._meta.get_field("details").max_length
# The emotion curve in SVG units: one column of 160 per phase, so that it lines up with the
# grid's equal phase columns; +2 sits 6 units from the top, -2 6 from the bottom.
CHART = {"column": 160, "height": 60, "pad": 6}


def form_ids(prefix: str) -> str:
    """Field ids unique on the page, since several card forms can be open at once."""
    return f"{prefix}-%s"


class EditorBase(BlueprintAccessMixin, ContextMixin, View):
    """What every editor view shares: URLs, finding cards, rendering cells and pages."""

    # Submitted: the editor is the read-only grid, with the banner and (for the team) the
    # button to withdraw (`BlueprintAccessMixin`).
    freezes_content = True

    # What a view has read already, so that redrawing a cell need not read it again: all
    # the blueprint's phases in order, and the lanes of the cells it redraws.
    phases: list[Phase] | None = None
    lanes: list[Lane] | None = None

    @property
    def editor_url(self) -> str:
        return reverse("blueprints:detail", args=[self.locality.slug, self.blueprint.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            editor_url=self.editor_url,
            cards_url=f"{self.editor_url}cards/",
            review_url=f"{self.editor_url}review/",
            will_reopen=review_states.will_reopen(self.blueprint),
            density=density_of(self.request),
            densities=DENSITIES,
            density_url=f"{self.editor_url}density/",
        )
        context["review_notice"] = SimpleLazyObject(self.review_notice)  # read if shown
        if "undo_label" not in context:  # a write that has just made the change says so
            change = (
                last_change(blueprint_id=self.blueprint.pk, user=self.request.user)
                if context.get("can_edit")
                else None
            )
            context["undo_label"] = describe(change) if change else ""
        return context

    def review_notice(self) -> review_queries.ChangesRequested | None:
        """The reviewer's request for changes, for the team (no query unless requested)."""
        if self.blueprint.review_state != Blueprint.ReviewState.CHANGES_REQUESTED:
            return None
        found = review_queries.changes_requested(Blueprint.objects.filter(pk=self.blueprint.pk))
        return found[0] if found else None

    def render(self, template: str, status: int = HTTPStatus.OK, **context: Any) -> HttpResponse:
        context = self.get_context_data(**context)
        if "board" in context:
            chart = context["chart"] = Curve.build(context["board"].emotion, **CHART)
            context["chart_circles"], context["chart_links"] = curve_points_html(
                chart, can_edit=context.get("can_edit", False), cards_url=context["cards_url"]
            )
            render_cards(context["board"], context)
            if hasattr(context["board"], "link_pairs"):
                context["link_pairs_json"] = json.dumps(context["board"].link_pairs)
        return render(self.request, TEMPLATES + template, context, status=status)

    def read_board(self, only_cells: Iterable[tuple[int, int]] | None = None) -> Grid:
        """The grid as the editor draws it (see `grid.read_grid`), each card with its count
        of open comments; with `only_cells`, those cells only."""
        detailed = density_of(self.request) == "detailed"
        board = read_grid(
            self.blueprint,
            only_cells=only_cells,
            phases=self.phases,
            lanes=self.lanes if only_cells is not None else None,
            excerpt=DETAILS_FULL_LENGTH if detailed else DETAILS_EXCERPT_LENGTH,
            touching=True,
            resources=detailed,  # the card's short line of where, who and volunteers
        )
        open_comments = review_queries.open_comment_counts(self.blueprint)
        for card in board.cards:
            card.open_comments = open_comments.get(card.pk, 0)
        if only_cells is None:  # the whole grid carries its links, for the connectors
            board.link_pairs = read_link_pairs(self.blueprint)
            # and, for the lanes' move buttons, which steps role order refuses, and why.
            breaches = lane_step_breaches(board.lanes)
            for lane in board.lanes:
                lane.step_breaches = breaches[lane.pk]
        return board

    def get_card(self) -> Card:
        card = get_object_or_404(
            Card.objects.filter(blueprint=self.blueprint).select_related("phase", "lane"),
            pk=self.kwargs["card_pk"],
        )
        card.blueprint = self.blueprint  # so the services keep its version current
        return card

    def find_card(self) -> Card | None:
        """The card, or None if it was part of this blueprint and has been deleted since
        (a card id never seen in this blueprint is a 404, not a conflict)."""
        card = (
            Card.objects.filter(blueprint=self.blueprint, pk=self.kwargs["card_pk"])
            .select_related("phase", "lane")
            .first()
        )
        if card is not None:
            card.blueprint = self.blueprint
            self.lanes = [card.lane]
            return card
        if not Card.history.filter(
            id=self.kwargs["card_pk"], blueprint_id=self.blueprint.pk
        ).exists():
            raise Http404("No such card in this blueprint.")
        return None

    def last_known_cell(self) -> tuple[Phase, Lane] | None:
        """Where a deleted card last was, if that cell is still there."""
        record = (
            Card.history.filter(id=self.kwargs["card_pk"], blueprint_id=self.blueprint.pk)
            .order_by("-history_id")
            .first()
        )
        if record is None:
            return None
        phase = self.blueprint.phases.filter(pk=record.phase_id).first()
        lane = self.blueprint.lanes.filter(pk=record.lane_id).first()
        return (phase, lane) if phase and lane else None

    def cells(self, *cells: tuple[int, int]) -> tuple[Grid, list[Cell]]:
        """The board (phases, lanes, emotion) with only these cells' cards, and the cells."""
        board = self.read_board(only_cells=cells)
        return board, [board.cell(*cell) for cell in dict.fromkeys(cells)]

    def cell_response(
        self,
        *cells: tuple[int, int],
        status: int = HTTPStatus.OK,
        status_message: str = "",
        links: bool = False,
        **context: Any,
    ) -> HttpResponse:
        """The first cell as the swap, the others, the emotion curve, the version and a status
        message out of band; with `links` (a change that took or gave back a card's links),
        the blueprint's links too, so the connectors over the grid follow."""
        board, found = self.cells(*cells)
        if links:
            context["link_pairs_json"] = json.dumps(read_link_pairs(self.blueprint))
        if context.get("notice"):  # shown in the first cell; see _cell.html
            context.setdefault("notice_cell", found[0].dom_id)
        response = self.render(
            "_swap_cells.html",
            status=status,
            board=board,
            cell=found[0],
            oob_cells=found[1:],
            status_message=status_message,
            **context,
        )
        retarget(response, f"#{found[0].dom_id}")
        return reswap(response, "outerHTML")

    def card_response(
        self, card_pk: int, cell: tuple[int, int], status_message: str = "", **context: Any
    ) -> HttpResponse:
        """One card, redrawn in place of its form, with the curve and version out of band."""
        board, (found,) = self.cells(cell)
        card = next(card for card in found.cards if card.pk == card_pk)
        response = self.render(
            "_swap_card.html",
            board=board,
            cell=found,
            card=card,
            status_message=status_message,
            **context,
        )
        retarget(response, f"#card-{card.pk}")
        return reswap(response, "outerHTML")

    def board_response(
        self, notice: str, status: int, focus_card: int | None = None
    ) -> HttpResponse:
        """The whole grid, fresh, with a notice: for conflicts and refused moves.

        The notice is shown once, in the cell where the card now is, just above it (or above
        the grid if the card is gone), and is the only announcement: `#bp-status` is
        cleared rather than given the same words again.
        """
        board = self.read_board()
        card = next((card for card in board.cards if card.pk == focus_card), None)
        response = self.render(
            "_swap_board.html",
            status=status,
            board=board,
            notice=notice,
            notice_cell=f"cell-{card.phase_id}-{card.lane_id}" if card else "",
            notice_card=card.pk if card else None,
            status_message="",
            focus_card=focus_card,
            focus_control="card",
        )
        retarget(response, "#bp-board")
        return reswap(response, "outerHTML")

    def capacity_context(self, changed: bool) -> dict[str, Any]:
        """For a fragment after a card's change: the header's capacity line, redrawn out of
        band, when the change touched what the check counts (`capacity.changes_capacity`);
        otherwise nothing, so a move or a title edit reads no more than before."""
        if not changed:
            return {}
        return {"capacity": capacity_check(self.blueprint), "capacity_oob": True}

    def back_to_editor(self, anchor: str = "") -> HttpResponse:
        return redirect(f"{self.editor_url}#{anchor}" if anchor else self.editor_url)


class EditorView(EditorBase):
    """The grid: phases as columns, lanes as rows, the lines between them, the emotion
    curve, and for editors the controls that change cards."""

    def get(self, request, *args, **kwargs):
        # The header's capacity check (four queries, whatever the size of the blueprint).
        capacity = capacity_check(self.blueprint)
        return self.render("detail.html", board=self.read_board(), capacity=capacity)
