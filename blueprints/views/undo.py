"""Editor: undo the person's last change to a card (`services.undo_last_change`).

With htmx the cells the undo touched are redrawn (and the Undo button, out of band, with
every swap); without, a redirect back to the editor with a message. A refused undo changes
nothing and says why, once.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.urls import path

from blueprints import services
from blueprints.services.undo import UndoRefused
from blueprints.views.editor import EditorBase


class UndoView(EditorBase):
    access = "edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            undone = services.undo_last_change(blueprint=self.blueprint, by=request.user)
        except UndoRefused as refused:
            message = " ".join(refused.messages)
            if request.htmx:
                nothing = refused.code == "nothing_to_undo"
                status = HTTPStatus.UNPROCESSABLE_ENTITY if nothing else HTTPStatus.CONFLICT
                return self.board_response(message, status, focus_card=refused.card_pk)
            messages.error(request, message)
            return self.back_to_editor(f"card-{refused.card_pk}" if refused.card_pk else "")
        if request.htmx:
            focus = (
                {"focus_card": undone.card_pk, "focus_control": "card"}
                if undone.card_pk
                else {"focus_cell": True}
            )
            # An undone delete gives back links, an undone add takes them: redraw them; and the
            # header's capacity line, when the undo changed what it counts.
            return self.cell_response(
                *undone.cells,
                status_message=undone.message,
                links=True,
                **focus,
                **self.capacity_context(undone.capacity_changed),
            )
        messages.success(request, undone.message)
        return self.back_to_editor(f"card-{undone.card_pk}" if undone.card_pk else "")


urlpatterns: list = [
    path(
        "localities/<slug:slug>/blueprints/<int:pk>/undo/",
        UndoView.as_view(),
        name="card-undo",
    ),
]
