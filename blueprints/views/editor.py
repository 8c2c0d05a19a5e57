"""The blueprint editor: the grid, and the endpoints that add, edit, move, delete and link
its cards in place.

Every endpoint answers an htmx request with a fragment and a plain one with a full page
(GET) or a redirect back to the editor with a message (POST), so the editor also works
without JavaScript. Writes go through `blueprints.services`; one built on a stale version
changes nothing and answers 409 with what is there now. Fragments that change a cell
redraw that cell only, so a form open in another cell is never lost, and carry the
emotion curve, the version and a status message out of band.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views import View
from django.views.generic.base import ContextMixin
from django_htmx.http import reswap, retarget

from blueprints import services
from blueprints.forms_editor import (
    CardForm,
    LinkForm,
    MoveForm,
    VersionForm,
    add_service_errors,
)
from blueprints.models import Card, CardLink, Lane, Phase
from blueprints.review import states as review_states
from blueprints.selectors import EditorBoard, EditorCell, EmotionPoint, editor_board
from blueprints.services import VersionConflict
from blueprints.views.base import BlueprintAccessMixin
from localities import permissions
from localities.models import Insight

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


@dataclass(frozen=True)
class EmotionChart:
    """The emotion curve as SVG coordinates: one column of COLUMN units per phase, so the
    chart lines up with the grid's equal phase columns; +2 at the top, -2 at the bottom."""

    COLUMN = 160
    HEIGHT = 60
    SCALE = 12  # units per emotion step: +2 sits 6 units from the top, -2 6 from the bottom

    points: list[tuple[str, str, EmotionPoint]]  # x, y (blank: no value) and the point
    segments: list[str]  # polyline "x,y x,y" for each run of phases that have a value

    @property
    def width(self) -> int:
        return max(len(self.points), 1) * self.COLUMN

    @classmethod
    def build(cls, emotion: list[EmotionPoint]) -> EmotionChart:
        points, segments, run = [], [], []
        for index, point in enumerate(emotion):
            x = index * cls.COLUMN + cls.COLUMN / 2
            if point.mean is None:
                points.append((f"{x:g}", "", point))
                if run:
                    segments.append(" ".join(run))
                run = []
                continue
            y = cls.HEIGHT / 2 - point.mean * cls.SCALE
            points.append((f"{x:g}", f"{y:g}", point))
            run.append(f"{x:g},{y:g}")
        if run:
            segments.append(" ".join(run))
        return cls(points, [segment for segment in segments if " " in segment])


# Card markup ---------------------------------------------------------------------------
#
# A card's HTML is built here rather than in a template: the grid draws up to a thousand
# cards, and the template engine spends about 0.3 ms on each (resolving some sixty
# variables and localising every integer), twenty times what these f-strings take. It is
# the one piece of the editor's markup kept in Python; everything around it is templates.

_MOVES = (("left", "←"), ("up", "↑"), ("down", "↓"), ("right", "→"))


def _emotion_text(emotion: int | None) -> str:
    if emotion is None:
        return ""
    return f"{emotion:+d}" if emotion else "0"


def card_html(
    card: Card,
    cell: EditorCell,
    *,
    cards_url: str,
    review_url: str = "",
    can_edit: bool,
    csrf_token: str = "",
    focus: str | None = None,
) -> SafeString:
    """One card: its kind in words (and colour, from its class), title (which opens the card
    panel), a details excerpt, emotion, badges, and for editors the Edit, Delete and move
    buttons, each named with the card's title. Needs the attributes `editor_board` sets.

    `focus` names the control (or "card") that should take focus once htmx has swapped the
    card in (see data-bp-focus in static/js/blueprint-editor.js).
    """
    ref = card.pk
    url = f"{cards_url}{ref}/"
    title = escape(card.title)
    kind_label = Card.Kind(card.kind).label if card.kind in Card.Kind.values else card.kind
    editable = (
        f' draggable="true" data-card="{ref}" data-version="{card.version}"' if can_edit else ""
    )
    focus_attr = f' data-bp-focus="{escape(focus)}"' if focus else ""
    parts = [
        f'<article id="card-{ref}" class="bp-card bp-kind-{card.kind}" tabindex="-1"'
        f' aria-labelledby="card-{ref}-title"{editable}{focus_attr}>',
        f'<p class="bp-card-kind"><span class="bp-kind-label">{kind_label}</span></p>',
        f'<h3 class="bp-card-title" id="card-{ref}-title"><a href="{url}" hx-get="{url}"'
        f' hx-target="#bp-panel">{title}</a></h3>',
    ]
    if card.details_excerpt:
        parts.append(f'<p class="bp-card-details">{escape(card.details_excerpt)}</p>')
    if card.emotion is not None:
        parts.append(f'<p class="bp-card-emotion">Emotion: {_emotion_text(card.emotion)}</p>')
    badges = []
    if card.insight_count:
        plural = "" if card.insight_count == 1 else "s"
        badges.append(
            f'<li class="bp-badge bp-badge-insight">{card.insight_count} insight{plural}</li>'
        )
    if card.challenge_titles:
        count = len(card.challenge_titles)
        plural = "" if count == 1 else "s"
        badges.append(f'<li class="bp-badge bp-badge-challenge">{count} challenge{plural}</li>')
    badges += [
        f'<li class="bp-badge bp-badge-prototype">Prototype: {escape(prototype)}</li>'
        for prototype in card.prototype_titles
    ]
    open_comments = getattr(card, "open_comments", 0)
    if open_comments and review_url:
        plural = "" if open_comments == 1 else "s"
        badges.append(
            f'<li class="bp-badge bp-badge-comment"><a href="{review_url}?card={ref}#comments">'
            f"{open_comments} open comment{plural}"
            f'<span class="visually-hidden"> on {title}</span></a></li>'
        )
    if badges:
        parts.append(f'<ul class="bp-badges">{"".join(badges)}</ul>')
    if can_edit:
        hidden = f'<span class="visually-hidden"> {title}</span>'
        parts.append(
            '<div class="bp-card-actions">'
            f'<form method="get" action="{url}edit/" hx-get="{url}edit/"'
            f' hx-target="#card-{ref}" hx-swap="outerHTML"><button type="submit"'
            f' class="btn btn-link btn-sm" data-control="edit">Edit{hidden}</button></form>'
            f'<form method="get" action="{url}delete/" hx-get="{url}delete/"'
            f' hx-target="#card-{ref}" hx-swap="outerHTML"><button type="submit"'
            f' class="btn btn-link btn-sm" data-control="delete">Delete{hidden}</button></form>'
            f'<form method="post" action="{url}move/" hx-post="{url}move/" class="bp-move">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
            f'<input type="hidden" name="version" value="{card.version}">'
        )
        possible = {
            "left": not cell.first_phase,
            "up": not card.first_in_cell,
            "down": not card.last_in_cell,
            "right": not cell.last_phase,
        }
        for direction, arrow in _MOVES:
            if possible[direction]:
                parts.append(
                    f'<button type="submit" name="direction" value="{direction}"'
                    f' id="card-{ref}-{direction}" class="btn btn-sm bp-move-button"'
                    f' data-control="{direction}" title="Move {direction}">'
                    f'<span aria-hidden="true">{arrow}</span><span class="visually-hidden">'
                    f"Move {direction} {title}</span></button>"
                )
        parts.append("</form></div>")
    parts.append("</article>")
    # Every value a person wrote (titles, details) went through escape() above.
    return mark_safe("".join(parts))


def _render_cards(board: EditorBoard, context: dict[str, Any]) -> None:
    """Set `card.html` on every card of the board, and `cell.ref` on every cell."""
    focus_card = context.get("focus_card")
    options = {
        "cards_url": context["cards_url"],
        "review_url": context.get("review_url", ""),
        "can_edit": context.get("can_edit", False),
        "csrf_token": str(context.get("csrf_token", "")),
    }
    for row in board.rows:
        for cell in row.cells:
            cell.ref = f"{cell.phase.pk}-{cell.lane.pk}"
            for card in cell.cards:
                focus = context.get("focus_control") if card.pk == focus_card else None
                card.html = card_html(card, cell, focus=focus, **options)


class EditorBase(BlueprintAccessMixin, ContextMixin, View):
    """What every editor view shares: URLs, finding cards, rendering cells and pages."""

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
        )
        return context

    def render(self, template: str, status: int = HTTPStatus.OK, **context: Any) -> HttpResponse:
        context = self.get_context_data(**context)
        if "board" in context:
            context["chart"] = EmotionChart.build(context["board"].emotion)
            context["csrf_token"] = get_token(self.request)
            _render_cards(context["board"], context)
        return render(self.request, TEMPLATES + template, context, status=status)

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

    def cells(self, *cells: tuple[int, int]) -> tuple[EditorBoard, list[EditorCell]]:
        """The board (phases, lanes, emotion) with only these cells' cards, and the cells."""
        board = editor_board(self.blueprint, only_cells=cells, phases=self.phases, lanes=self.lanes)
        return board, [board.cell(*cell) for cell in dict.fromkeys(cells)]

    def cell_response(
        self,
        *cells: tuple[int, int],
        status: int = HTTPStatus.OK,
        status_message: str = "",
        **context: Any,
    ) -> HttpResponse:
        """The first cell as the swap, the others, the emotion curve, the version and a status
        message out of band."""
        board, found = self.cells(*cells)
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
        """The whole grid, fresh, with a notice: for conflicts and refused moves."""
        response = self.render(
            "_swap_board.html",
            status=status,
            board=editor_board(self.blueprint),
            notice=notice,
            status_message=notice,
            focus_card=focus_card,
            focus_control="card",
        )
        retarget(response, "#bp-board")
        return reswap(response, "outerHTML")

    def back_to_editor(self, anchor: str = "") -> HttpResponse:
        return redirect(f"{self.editor_url}#{anchor}" if anchor else self.editor_url)


class EditorView(EditorBase):
    """The grid: phases as columns, lanes as rows, the lines between them, the emotion
    curve, and for editors the controls that change cards."""

    def get(self, request, *args, **kwargs):
        return self.render("detail.html", board=editor_board(self.blueprint))


# Cards ----------------------------------------------------------------------------------


def _form_ids(prefix: str) -> str:
    """Field ids unique on the page, since several card forms can be open at once."""
    return f"{prefix}-%s"


class CardCreateView(EditorBase):
    """Add a card at the end of a cell, given as `?phase=<id>&lane=<id>`."""

    access = "edit"

    def get_cell(self) -> tuple[Phase, Lane]:
        try:
            phase_id = int(self.request.GET.get("phase") or self.request.POST.get("phase"))
            lane_id = int(self.request.GET.get("lane") or self.request.POST.get("lane"))
        except (TypeError, ValueError) as error:
            raise Http404("Say which cell: ?phase=<id>&lane=<id>.") from error
        self.phases = list(self.blueprint.phases.order_by("position"))
        phase = next((phase for phase in self.phases if phase.pk == phase_id), None)
        lane = self.blueprint.lanes.filter(pk=lane_id).first()
        if phase is None or lane is None:
            raise Http404("No such cell in this blueprint.")
        self.lanes = [lane]
        return phase, lane

    def make_form(self, phase: Phase, lane: Lane, data=None, initial=None) -> CardForm:
        return CardForm(
            data,
            initial=initial,
            blueprint=self.blueprint,
            lane=lane,
            auto_id=_form_ids(f"new-{phase.pk}-{lane.pk}"),
        )

    def get(self, request, *args, **kwargs):
        phase, lane = self.get_cell()
        form = self.make_form(phase, lane)
        template = "_card_form.html" if request.htmx else "card_form_page.html"
        return self.render(template, form=form, mode="create", phase=phase, lane=lane)

    def post(self, request, *args, **kwargs):
        phase, lane = self.get_cell()
        cell = (phase.pk, lane.pk)
        if "cancel" in request.POST:
            if request.htmx:
                return self.cell_response(cell, focus_cell=True)
            return self.back_to_editor(f"cell-{phase.pk}-{lane.pk}")
        form = self.make_form(phase, lane, data=request.POST)
        if form.is_valid():
            try:
                card = services.add_card(
                    blueprint=self.blueprint,
                    phase=phase,
                    lane=lane,
                    by=request.user,
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                message = f"Added “{card.title}” to {lane.name}, {phase.name}."
                if request.htmx:
                    return self.cell_response(
                        cell, status_message=message, focus_card=card.pk, focus_control="card"
                    )
                messages.success(request, message)
                return self.back_to_editor(f"card-{card.pk}")
        if request.htmx:
            return self.cell_response(
                cell,
                status=HTTPStatus.UNPROCESSABLE_ENTITY,
                add_form=form,
                status_message="The card was not added: please correct the errors.",
            )
        return self.render(
            "card_form_page.html",
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            form=form,
            mode="create",
            phase=phase,
            lane=lane,
        )


class CardUpdateView(EditorBase):
    """Edit a card's content, from the version the form was opened on."""

    access = "edit"

    def make_form(self, card: Card, data=None, initial=None, prefix="edit") -> CardForm:
        return CardForm(
            data,
            initial=initial,
            blueprint=self.blueprint,
            lane=card.lane,
            auto_id=_form_ids(f"{prefix}-{card.pk}"),
        )

    def get(self, request, *args, **kwargs):
        card = self.get_card()
        form = self.make_form(card, initial=CardForm.initial_for(card))
        template = "_card_form.html" if request.htmx else "card_form_page.html"
        return self.render(template, form=form, mode="edit", card=card, version=card.version)

    def post(self, request, *args, **kwargs):
        card = self.find_card()
        if "cancel" in request.POST:
            if card is None:  # deleted meanwhile: redraw its cell without it
                cell = self.last_known_cell()
                if request.htmx and cell:
                    return self.cell_response((cell[0].pk, cell[1].pk), focus_cell=True)
                return self.back_to_editor()
            if request.htmx:
                return self.card_response(
                    card.pk,
                    (card.phase_id, card.lane_id),
                    focus_card=card.pk,
                    focus_control="edit",
                )
            return self.back_to_editor(f"card-{card.pk}")
        if card is None:
            return self.deleted_conflict(request)
        form = self.make_form(card, data=request.POST)
        version = VersionForm(request.POST)
        if not version.is_valid():
            form.add_error(None, "This form has lost track of the card's version; reload it.")
        if form.is_valid():
            try:
                saved = services.update_card(
                    card=card,
                    expected_version=version.cleaned_data["version"],
                    by=request.user,
                    **form.service_fields(),
                )
            except VersionConflict as conflict:
                return self.conflict(request, conflict.current, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                message = f"Saved “{saved.title}”."
                if request.htmx:
                    return self.card_response(
                        saved.pk,
                        (saved.phase_id, saved.lane_id),
                        status_message=message,
                        focus_card=saved.pk,
                        focus_control="edit",
                    )
                messages.success(request, message)
                return self.back_to_editor(f"card-{saved.pk}")
        template = "_card_form.html" if request.htmx else "card_form_page.html"
        return self.render(
            template,
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            form=form,
            mode="edit",
            card=card,
            version=request.POST.get("version", card.version),
        )

    def attempt(self, form: CardForm) -> dict[str, Any]:
        """What the user tried to save, as they typed it, to show beside the other version."""
        data = form.data
        kinds = dict(Card.Kind.choices)
        emotions = dict(form.fields["emotion"].choices)
        insight_ids = {value for value in data.getlist("insights") if value.isdigit()}
        return {
            "title": data.get("title", ""),
            "details": data.get("details", ""),
            "kind": kinds.get(data.get("kind"), ""),
            "emotion": emotions.get(data.get("emotion", "")) if form.allows_emotion else "",
            "insights": list(
                Insight.objects.filter(
                    locality_id=self.blueprint.locality_id, pk__in=insight_ids
                ).values_list("statement", flat=True)
            ),
        }

    def conflict(self, request, current: Card | None, form: CardForm) -> HttpResponse:
        if current is None:
            return self.deleted_conflict(request, form)
        current = (
            Card.objects.select_related("phase", "lane")
            .prefetch_related("insights")
            .get(pk=current.pk)
        )
        redo = self.make_form(current, initial=CardForm.initial_for(current), prefix="redo")
        template = "_card_conflict.html" if request.htmx else "card_conflict_page.html"
        return self.render(
            template,
            status=HTTPStatus.CONFLICT,
            message=CONFLICT_CHANGED,
            card=current,
            current=current,
            attempt=self.attempt(form),
            form=redo,
            mode="edit",
            version=current.version,
            status_message=CONFLICT_CHANGED,
        )

    def deleted_conflict(self, request, form: CardForm | None = None) -> HttpResponse:
        cell = self.last_known_cell()
        readd = None
        if cell is not None:
            phase, lane = cell
            if form is None:
                form = CardForm(
                    request.POST, blueprint=self.blueprint, lane=lane, auto_id="unused-%s"
                )
            readd = CardForm(
                initial={
                    "title": request.POST.get("title", ""),
                    "details": request.POST.get("details", ""),
                    "kind": request.POST.get("kind", Card.Kind.STEP),
                    "emotion": request.POST.get("emotion") if lane.allows_emotion else None,
                    "insights": request.POST.getlist("insights"),
                },
                blueprint=self.blueprint,
                lane=lane,
                auto_id=_form_ids(f"readd-{self.kwargs['card_pk']}"),
            )
        template = "_card_conflict.html" if request.htmx else "card_conflict_page.html"
        return self.render(
            template,
            status=HTTPStatus.CONFLICT,
            message=CONFLICT_DELETED,
            deleted_pk=self.kwargs["card_pk"],
            current=None,
            attempt=self.attempt(form) if form is not None else self.raw_attempt(request),
            form=readd,
            mode="create",
            phase=cell[0] if cell else None,
            lane=cell[1] if cell else None,
            status_message=CONFLICT_DELETED,
        )

    def raw_attempt(self, request) -> dict[str, Any]:
        return {
            "title": request.POST.get("title", ""),
            "details": request.POST.get("details", ""),
            "kind": "",
            "emotion": "",
            "insights": [],
        }


class CardDeleteView(EditorBase):
    """Delete a card after a confirmation (in place with htmx, a page without)."""

    access = "edit"

    def get(self, request, *args, **kwargs):
        card = self.get_card()
        template = "_card_delete.html" if request.htmx else "card_delete_page.html"
        return self.render(template, card=card)

    def post(self, request, *args, **kwargs):
        card = self.find_card()
        if card is None:
            message = "Someone else has already deleted this card."
            if request.htmx:
                return self.board_response(message, HTTPStatus.CONFLICT)
            messages.info(request, message)
            return self.back_to_editor()
        cell = (card.phase_id, card.lane_id)
        if "cancel" in request.POST:
            if request.htmx:
                return self.card_response(card.pk, cell, focus_card=card.pk, focus_control="delete")
            return self.back_to_editor(f"card-{card.pk}")
        version = VersionForm(request.POST)
        expected = version.cleaned_data["version"] if version.is_valid() else -1
        try:
            services.delete_card(card=card, expected_version=expected, by=request.user)
        except VersionConflict as conflict:
            message = (
                "Someone else has already deleted this card."
                if conflict.current is None
                else f"Someone else changed “{conflict.current.title}” since you opened it, "
                "so it was not deleted. Here it is as it is now: delete it again if you "
                "still want to."
            )
            if request.htmx:
                return self.cell_response(
                    cell,
                    status=HTTPStatus.CONFLICT,
                    notice=message,
                    status_message=message,
                    focus_card=card.pk,
                    focus_control="card",
                )
            messages.error(request, message)
            return self.back_to_editor(f"card-{card.pk}")
        message = f"Deleted “{card.title}”."
        if request.htmx:
            return self.cell_response(cell, status_message=message, focus_cell=True)
        messages.success(request, message)
        return self.back_to_editor(f"cell-{cell[0]}-{cell[1]}")


class CardMoveView(EditorBase):
    """Move a card: by `direction` (the keyboard buttons) or to `phase`, `lane` and
    `position` (drag and drop; a blank position is the end of the cell)."""

    access = "edit"
    http_method_names = ["post"]

    def target(self, card: Card, data: dict[str, Any]) -> tuple[Phase, Lane, int]:
        direction = data.get("direction")
        if not direction:
            position = data["position"]
            return (
                Phase(pk=data["phase"]),
                Lane(pk=data["lane"]),
                END_OF_CELL if position is None else position,
            )
        if direction in ("up", "down"):
            step = -1 if direction == "up" else 1
            return card.phase, card.lane, max(card.position + step, 0)
        phases = self.phases = list(self.blueprint.phases.order_by("position"))
        index = next(i for i, phase in enumerate(phases) if phase.pk == card.phase_id)
        index += -1 if direction == "left" else 1
        if not 0 <= index < len(phases):
            side = "first" if direction == "left" else "last"
            raise ValidationError(f"“{card.title}” is already in the {side} phase.")
        return phases[index], card.lane, END_OF_CELL

    def post(self, request, *args, **kwargs):
        card = self.find_card()
        if card is None:
            return self.refused(
                "Someone else deleted this card while you were moving it.", HTTPStatus.CONFLICT
            )
        form = MoveForm(request.POST)
        if not form.is_valid():
            reasons = " ".join(form.errors.get("__all__", [])) or "the request was incomplete."
            return self.refused(
                f"The card was not moved: {reasons}", HTTPStatus.UNPROCESSABLE_ENTITY, card.pk
            )
        source = (card.phase_id, card.lane_id)
        try:
            phase, lane, position = self.target(card, form.cleaned_data)
            moved = services.move_card(
                card=card,
                phase=phase,
                lane=lane,
                position=position,
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except VersionConflict as conflict:
            message = (
                f"Someone else moved or changed “{card.title}” while you were moving it. "
                "Here is the blueprint as it is now: move it again if you still want to."
                if conflict.current is not None
                else "Someone else deleted this card while you were moving it."
            )
            return self.refused(message, HTTPStatus.CONFLICT, card.pk)
        except ValidationError as error:
            return self.refused(
                "The card was not moved: " + " ".join(error.messages),
                HTTPStatus.UNPROCESSABLE_ENTITY,
                card.pk,
            )
        target = (moved.phase_id, moved.lane_id)
        if moved.lane_id != card.lane_id:
            self.lanes = sorted([card.lane, moved.lane], key=lambda lane: lane.position)
        message = (
            f"Moved “{moved.title}” to {moved.lane.name}, {moved.phase.name}, "
            f"position {moved.position + 1}."
        )
        if request.htmx:
            return self.cell_response(
                target,
                source,
                status_message=message,
                focus_card=moved.pk,
                focus_control=form.cleaned_data.get("direction") or "card",
            )
        messages.success(request, message)
        return self.back_to_editor(f"card-{moved.pk}")

    def refused(self, message: str, status: int, card_pk: int | None = None) -> HttpResponse:
        if self.request.htmx:
            return self.board_response(message, status, focus_card=card_pk)
        messages.error(self.request, message)
        return self.back_to_editor(f"card-{card_pk}" if card_pk else "")


# The card panel: evidence and links --------------------------------------------------------


class CardDetailView(EditorBase):
    """A card's evidence (insights and their challenges), links, delivery challenges and
    prototypes: in the editor's side panel with htmx, or as a page."""

    def card_context(self, link_form: LinkForm | None = None) -> dict[str, Any]:
        card = get_object_or_404(
            Card.objects.filter(blueprint=self.blueprint)
            .select_related("phase", "lane")
            .prefetch_related(
                Prefetch(
                    "insights",
                    Insight.objects.order_by("statement").prefetch_related("challenges"),
                ),
                Prefetch("delivery_challenges", to_attr="challenge_list"),
                Prefetch("prototypes", to_attr="prototype_list"),
            ),
            pk=self.kwargs["card_pk"],
        )
        card.blueprint = self.blueprint
        links = CardLink.objects.select_related(
            "from_card__phase", "from_card__lane", "to_card__phase", "to_card__lane"
        )
        context = {
            "card": card,
            "serves": [link.to_card for link in links.filter(from_card=card)],
            "served_by": [link.from_card for link in links.filter(to_card=card)],
        }
        if permissions.can_edit_content(self.request.user, self.locality):
            context["link_form"] = link_form or LinkForm(
                card=card, auto_id=_form_ids(f"link-{card.pk}")
            )
        return context

    def get(self, request, *args, **kwargs):
        template = "_card_panel.html" if request.htmx else "card_detail_page.html"
        return self.render(template, **self.card_context())


class CardLinksView(CardDetailView):
    """Link the card to another card of the blueprint (serves / served by), or unlink."""

    access = "edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        card = self.get_card()
        form = LinkForm(request.POST, card=card, auto_id=_form_ids(f"link-{card.pk}"))
        message = ""
        if form.is_valid():
            from_card, to_card = form.ends()
            try:
                if form.cleaned_data["action"] == "unlink":
                    services.unlink_cards(from_card=from_card, to_card=to_card, by=request.user)
                    message = f"“{from_card.title}” no longer serves “{to_card.title}”."
                else:
                    services.link_cards(from_card=from_card, to_card=to_card, by=request.user)
                    message = f"“{from_card.title}” now serves “{to_card.title}”."
            except ValidationError as error:
                add_service_errors(form, error)
        if form.is_valid() and message:
            if request.htmx:
                return self.render(
                    "_card_panel.html", status_message=message, **self.card_context()
                )
            messages.success(request, message)
            return redirect(f"{self.editor_url}cards/{card.pk}/")
        template = "_card_panel.html" if request.htmx else "card_detail_page.html"
        return self.render(
            template,
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            status_message="The link was not changed: please correct the errors.",
            **self.card_context(link_form=form),
        )
