"""The editor's card endpoints: add a card to a cell, edit one (with the conflict pages
when someone else changed or deleted it meanwhile), delete one.

See `editor` for how every endpoint answers htmx and plain requests alike.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse

from blueprints import services
from blueprints.capacity import changes_capacity
from blueprints.forms_editor import (
    RESOURCE_FIELD_NAMES,
    CardForm,
    VersionForm,
    add_service_errors,
)
from blueprints.models import Card, Lane, Phase
from blueprints.services import VersionConflict
from blueprints.views.editor import CONFLICT_CHANGED, CONFLICT_DELETED, EditorBase, form_ids
from localities.models import Insight


class CardCreateView(EditorBase):
    """Add a card at the end of a cell, given as `?phase=<id>&lane=<id>`."""

    access = "edit"
    writes_content = True  # frozen while submitted (issue 14)

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
            auto_id=form_ids(f"new-{phase.pk}-{lane.pk}"),
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
                        cell,
                        status_message=message,
                        focus_card=card.pk,
                        focus_control="card",
                        **self.capacity_context(changes_capacity(None, card)),
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
    writes_content = True  # frozen while submitted (issue 14)

    def make_form(self, card: Card, data=None, initial=None, prefix="edit") -> CardForm:
        return CardForm(
            data,
            initial=initial,
            blueprint=self.blueprint,
            lane=card.lane,
            auto_id=form_ids(f"{prefix}-{card.pk}"),
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
                        **self.capacity_context(changes_capacity(card, saved)),
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
                    **{name: request.POST.get(name) for name in RESOURCE_FIELD_NAMES},
                },
                blueprint=self.blueprint,
                lane=lane,
                auto_id=form_ids(f"readd-{self.kwargs['card_pk']}"),
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
    writes_content = True  # frozen while submitted (issue 14)

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
                    notice_card=card.pk,
                    focus_card=card.pk,
                    focus_control="card",
                )
            messages.error(request, message)
            return self.back_to_editor(f"card-{card.pk}")
        message = f"Deleted “{card.title}”."
        if request.htmx:
            # Its links went with it: the connectors to and from it go too.
            return self.cell_response(
                cell,
                status_message=message,
                focus_cell=True,
                links=True,
                **self.capacity_context(changes_capacity(card, None)),
            )
        messages.success(request, message)
        return self.back_to_editor(f"cell-{cell[0]}-{cell[1]}")
