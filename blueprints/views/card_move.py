"""Moving a card: by one step (a direction), to a place in the grid (drag and drop), or with
"Move to..." (a lane, a phase and a position, chosen in a form that is a dialog with htmx and
a page without), through `services.move_card`, with the grid redrawn where it changed."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse

from blueprints import services
from blueprints.forms_editor import MoveForm, MoveToForm
from blueprints.models import Card, CardAction, Lane, LastCardChange, Phase
from blueprints.services import VersionConflict
from blueprints.services.undo import describe
from blueprints.views.editor import END_OF_CELL, EditorBase, form_ids


class CardMoveView(EditorBase):
    """Move a card: by `direction` (the keyboard's Shift+arrows and the Actions' move
    buttons), to `phase`, `lane` and `position` (drag and drop; a blank position is the end
    of the cell), or, posted with `move_to`, from the "Move to..." form (GET shows it)."""

    access = "edit"
    writes_content = True  # frozen while submitted (issue 14)
    http_method_names = ["get", "post"]

    def move_to_form(self, card: Card, data=None) -> MoveToForm:
        return MoveToForm(
            data,
            card=card,
            initial=MoveToForm.initial_for(card),
            auto_id=form_ids(f"move-{card.pk}"),
        )

    def render_move_to(self, card: Card, form: MoveToForm, status: int = HTTPStatus.OK):
        template = "_card_move.html" if self.request.htmx else "card_move_page.html"
        return self.render(template, status=status, card=card, form=form)

    def get(self, request, *args, **kwargs):
        card = self.get_card()
        return self.render_move_to(card, self.move_to_form(card))

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
        if "move_to" in request.POST:
            return self.post_move_to(card)
        form = MoveForm(request.POST)
        if not form.is_valid():
            reasons = " ".join(form.errors.get("__all__", [])) or "the request was incomplete."
            return self.refused(
                f"The card was not moved: {reasons}", HTTPStatus.UNPROCESSABLE_ENTITY, card.pk
            )
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
        return self.moved(card, moved)

    def post_move_to(self, card: Card) -> HttpResponse:
        """The "Move to..." form: errors at its fields (422, nothing moved), else the move."""
        form = self.move_to_form(card, data=self.request.POST)
        if not form.is_valid():
            return self.render_move_to(card, form, HTTPStatus.UNPROCESSABLE_ENTITY)
        phase, lane, position = form.target()
        try:
            moved = services.move_card(
                card=card,
                phase=phase,
                lane=lane,
                position=END_OF_CELL if position is None else position,
                expected_version=form.cleaned_data["version"],
                by=self.request.user,
            )
        except VersionConflict:
            return self.refused(
                f"Someone else moved or changed “{card.title}” while you were choosing where "
                "to move it. Here is the blueprint as it is now: move it again if you still "
                "want to.",
                HTTPStatus.CONFLICT,
                card.pk,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_move_to(card, form, HTTPStatus.UNPROCESSABLE_ENTITY)
        return self.moved(card, moved)

    def moved(self, card: Card, moved: Card) -> HttpResponse:
        """The cells the card left and entered, with focus back on the moved card, so a
        keyboard user can carry on from it (htmx); else a redirect to it."""
        request = self.request
        source = (card.phase_id, card.lane_id)
        target = (moved.phase_id, moved.lane_id)
        if moved.lane_id != card.lane_id:
            self.lanes = sorted([card.lane, moved.lane], key=lambda lane: lane.position)
        message = (
            f"Moved “{moved.title}” to {moved.lane.name}, {moved.phase.name}, "
            f"position {moved.position + 1}."
        )
        if request.htmx:
            context = {}
            if moved.version != card.version:
                # The service has just remembered this move as the user's last change: the
                # Undo button's words are known without reading them back.
                context["undo_label"] = describe(
                    LastCardChange(action=CardAction.MOVE, title=moved.title)
                )
            return self.cell_response(
                target,
                source,
                status_message=message,
                focus_card=moved.pk,
                focus_control="card",
                **context,
            )
        messages.success(request, message)
        return self.back_to_editor(f"card-{moved.pk}")

    def refused(self, message: str, status: int, card_pk: int | None = None) -> HttpResponse:
        if self.request.htmx:
            return self.board_response(message, status, focus_card=card_pk)
        messages.error(self.request, message)
        return self.back_to_editor(f"card-{card_pk}" if card_pk else "")
