"""Structure from the grid's headers: rename, move, add after (or below) and remove a phase
or a lane from the menu in its header, and put a blueprint's lanes back in role order.

Every write goes through `blueprints.services` (the same rules as the structure page: names
unique in the blueprint, lanes in role order, the last phase or lane kept) at the blueprint
version the menu was drawn at. With htmx each answers the whole board, redrawn, with a
status message and focus back on the header; without JavaScript a success redirects to the
editor and a refusal redraws the editor page. A refusal keeps what the user typed in the
open menu, with the reason at the field (or at the header), and changes nothing.
"""

from __future__ import annotations

from functools import cached_property
from http import HTTPStatus
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django_htmx.http import reswap, retarget

from blueprints import services
from blueprints.forms import ROLE_CHOICES, add_service_errors
from blueprints.models import Lane, Phase
from blueprints.services import VersionConflict
from blueprints.views.editor import EditorBase
from localities.validators import TextHygieneMixin

NAME_LENGTH = Phase._meta.get_field("name").max_length


class _Versioned(TextHygieneMixin, forms.Form):
    """The blueprint version the header's menu was drawn at."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class NameForm(_Versioned):
    name = forms.CharField(label="Name", max_length=NAME_LENGTH, strip=True)


class NewLaneForm(_Versioned):
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=NAME_LENGTH,
        strip=True,
        help_text="Empty: the role's usual name.",
    )


class StepForm(_Versioned):
    direction = forms.ChoiceField(
        choices=[(d, d) for d in ("left", "right", "up", "down")], widget=forms.HiddenInput
    )


class _HeadView(EditorBase):
    """One phase's or lane's menu action (POST only), 404 for a part of another blueprint."""

    access = "edit"
    http_method_names = ["post"]
    model: type[Phase] | type[Lane]
    noun: str  # "phase" or "lane"
    action: str  # the menu's form that posts here: "rename", "move", "add", "remove"
    form_class: type[forms.Form] = _Versioned

    @cached_property
    def part(self) -> Phase | Lane:
        part = get_object_or_404(
            self.model.objects.filter(blueprint=self.blueprint), pk=self.kwargs["part_pk"]
        )
        part.blueprint = self.blueprint  # so the services keep its version current
        return part

    def allowed(self, access: str) -> bool:
        self.part  # noqa: B018 -- resolve (or 404) before deciding 403
        return super().allowed(access)

    def make_form(self, data=None) -> forms.Form:
        prefix = f"{self.noun}-{self.part.pk}-{self.action}"
        return self.form_class(data, auto_id=f"{prefix}-%s")

    def change(self, data: dict[str, Any]) -> str:
        """Make the change through the services; the message that says what was done."""
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                message = self.change(form.cleaned_data)
            except VersionConflict as conflict:
                form.add_error(None, conflict.message)
                return self.refused(form, HTTPStatus.CONFLICT)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return self.done(message)
        return self.refused(form, HTTPStatus.UNPROCESSABLE_ENTITY)

    def done(self, message: str, anchor: str = "") -> HttpResponse:
        anchor = anchor or f"{self.noun}-{self.part.pk}"
        if self.request.htmx:
            return self.board(HTTPStatus.OK, status_message=message, focus_head=anchor)
        messages.success(self.request, message)
        return self.back_to_editor(anchor)

    def refused(self, form: forms.Form, status: int) -> HttpResponse:
        """The board with this header's menu open, the user's input and the reasons in it."""
        head = {"noun": self.noun, "pk": self.part.pk, "action": self.action, "form": form}
        reasons = " ".join(str(e) for errors in form.errors.values() for e in errors)
        message = f"Nothing was changed: {reasons}"
        if self.request.htmx:
            return self.board(status, status_message=message, head=head)
        return self.render("detail.html", status=status, board=self.read_board(), head=head)

    def board(self, status: int, **context: Any) -> HttpResponse:
        response = self.render(
            "_swap_board.html", status=status, board=self.read_board(), **context
        )
        retarget(response, "#bp-board")
        return reswap(response, "outerHTML")

    @property
    def by(self):
        return self.request.user


# Phases ---------------------------------------------------------------------------------


class _RenameView(_HeadView):
    action, form_class = "rename", NameForm

    def rename(self, name: str, version: int) -> Phase | Lane:
        raise NotImplementedError

    def change(self, data):
        old = self.part.name
        renamed = self.rename(data["name"], data["version"])
        return f"Renamed the {self.noun} “{old}” to “{renamed.name}”."


class PhaseRenameView(_RenameView):
    model, noun = Phase, "phase"

    def rename(self, name, version):
        return services.rename_phase(
            phase=self.part, name=name, expected_version=version, by=self.by
        )


class _MoveView(_HeadView):
    """One step along the phases or down the lanes: `steps` by direction, `ends` the word
    for the end it cannot pass, `words` how the move reads."""

    action, form_class = "move", StepForm
    steps: dict[str, int]
    ends: dict[str, str]
    words: dict[str, str]

    def move(self, position: int, version: int) -> None:
        raise NotImplementedError

    def change(self, data):
        direction = data["direction"]
        if direction not in self.steps:
            raise ValidationError(f"Move a {self.noun} {' or '.join(self.steps)}.")
        position = self.part.position + self.steps[direction]
        if not 0 <= position < self.model.objects.filter(blueprint=self.blueprint).count():
            end = self.ends[direction]
            raise ValidationError(f"“{self.part.name}” is already the {end} {self.noun}.")
        self.move(position, data["version"])
        return f"Moved the {self.noun} “{self.part.name}” {self.words[direction]}."


class PhaseMoveView(_MoveView):
    model, noun = Phase, "phase"
    steps = {"left": -1, "right": 1}
    ends = {"left": "first", "right": "last"}
    words = {"left": "earlier", "right": "later"}

    def move(self, position, version):
        services.move_phase(
            phase=self.part, position=position, expected_version=version, by=self.by
        )


class PhaseAddAfterView(_HeadView):
    model, noun, action, form_class = Phase, "phase", "add", NameForm

    def change(self, data):
        self.added = services.add_phase(
            blueprint=self.blueprint,
            name=data["name"],
            position=self.part.position + 1,
            expected_version=data["version"],
            by=self.by,
        )
        return f"Added the phase “{self.added.name}” after “{self.part.name}”."

    def done(self, message, anchor=""):
        return super().done(message, f"phase-{self.added.pk}")


class _RemoveView(_HeadView):
    """The part goes with its cards; then focus goes to the header before it (or after it,
    for the first)."""

    action = "remove"

    def remove(self, version: int) -> int:
        """Remove the part through the services; how many cards went with it."""
        raise NotImplementedError

    def change(self, data):
        name, self.position = self.part.name, self.part.position
        removed = self.remove(data["version"])
        return f"Removed the {self.noun} “{name}” and {_cards(removed)}."

    def done(self, message, anchor=""):
        siblings = self.model.objects.filter(blueprint=self.blueprint).order_by("position")
        neighbour = siblings.filter(position__lt=self.position).last() or siblings.first()
        return super().done(message, f"{self.noun}-{neighbour.pk}")


class PhaseRemoveView(_RemoveView):
    model, noun = Phase, "phase"

    def remove(self, version):
        return services.delete_phase(phase=self.part, expected_version=version, by=self.by)


# Lanes ----------------------------------------------------------------------------------


class LaneRenameView(_RenameView):
    model, noun = Lane, "lane"

    def rename(self, name, version):
        return services.rename_lane(lane=self.part, name=name, expected_version=version, by=self.by)


class LaneMoveView(_MoveView):
    model, noun = Lane, "lane"
    steps = {"up": -1, "down": 1}
    ends = {"up": "top", "down": "bottom"}
    words = {"up": "up", "down": "down"}

    def move(self, position, version):
        services.move_lane(lane=self.part, position=position, expected_version=version, by=self.by)


class LaneAddBelowView(_HeadView):
    model, noun, action, form_class = Lane, "lane", "add", NewLaneForm

    def change(self, data):
        self.added = services.add_lane(
            blueprint=self.blueprint,
            role=data["role"],
            name=data["name"],
            position=self.part.position + 1,
            expected_version=data["version"],
            by=self.by,
        )
        where = (
            f"below “{self.part.name}”"
            if self.added.position == self.part.position + 1
            else "in its role’s place"
        )
        return f"Added the lane “{self.added.name}” {where}."

    def done(self, message, anchor=""):
        return super().done(message, f"lane-{self.added.pk}")


class LaneRemoveView(_RemoveView):
    model, noun = Lane, "lane"

    def remove(self, version):
        return services.delete_lane(lane=self.part, expected_version=version, by=self.by)


class LaneOrderView(EditorBase):
    """Put the lanes in role order: the warning's one-click action."""

    access = "edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = _Versioned(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError("The form lost track of the blueprint's version; reload.")
            moved = services.order_lanes_by_role(
                blueprint=self.blueprint,
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except VersionConflict as conflict:
            return self.answer(conflict.message, HTTPStatus.CONFLICT, error=True)
        except ValidationError as error:
            return self.answer(" ".join(error.messages), HTTPStatus.UNPROCESSABLE_ENTITY, True)
        message = (
            f"Put the lanes in role order ({moved} lane{'s' if moved != 1 else ''} moved)."
            if moved
            else "The lanes were already in role order."
        )
        return self.answer(message, HTTPStatus.OK)

    def answer(self, message: str, status: int, error: bool = False) -> HttpResponse:
        if self.request.htmx:
            response = self.render(
                "_swap_board.html",
                status=status,
                board=self.read_board(),
                notice=message if error else "",
                status_message=message,
            )
            retarget(response, "#bp-board")
            return reswap(response, "outerHTML")
        (messages.error if error else messages.success)(self.request, message)
        return self.back_to_editor("bp-board")


def _cards(count: int) -> str:
    return f"its {count} card{'s' if count != 1 else ''}" if count else "no cards"


PREFIX = "localities/<slug:slug>/blueprints/<int:pk>/grid/"
urlpatterns: list = [
    path(f"{PREFIX}lanes/order/", LaneOrderView.as_view(), name="grid-lanes-order"),
    *(
        path(
            f"{PREFIX}{noun}s/<int:part_pk>/{action}/", view.as_view(), name=f"grid-{noun}-{action}"
        )
        for noun, action, view in [
            ("phase", "rename", PhaseRenameView),
            ("phase", "move", PhaseMoveView),
            ("phase", "add-after", PhaseAddAfterView),
            ("phase", "remove", PhaseRemoveView),
            ("lane", "rename", LaneRenameView),
            ("lane", "move", LaneMoveView),
            ("lane", "add-below", LaneAddBelowView),
            ("lane", "remove", LaneRemoveView),
        ]
    ),
]
