"""The live editor's catch-up (issue 16): what changed since the version a client drew.

A client hears on its socket that the blueprint changed (blueprints.live), or has just
reconnected, and asks here with the `since` token, `version` and review `state` of what it
drew. The answer is the changed cells drawn as the editor draws them (`_cell.html`), for
this reader (an editor gets controls, a viewer not), or the whole grid, or word to reload
the page; static/js/editor/live.js puts them in without touching an open form. Read access
exactly as the editor's: the same `EditorBase`.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.urls import path

from blueprints.live.changes import changes_since, parse_token
from blueprints.views.editor import EditorBase


class ChangesView(EditorBase):
    def get(self, request, *args, **kwargs):
        since = parse_token(request.GET.get("since", ""))
        version = request.GET.get("version", "")
        if since is None or not version.isdigit():
            return HttpResponseBadRequest(
                "Ask with the since token and version the editor page gave.",
                content_type="text/plain",
            )
        changes = changes_since(
            self.blueprint,
            since=since,
            since_version=int(version),
            review_state=request.GET.get("state", ""),
        )
        context = {
            "changes": changes,
            "changed_cards": [
                {
                    "card": card.card_id,
                    "deleted": card.deleted,
                    "by": card.by,
                    "mine": card.by_id == request.user.pk,
                }
                for card in changes.cards
            ],
        }
        if changes.reload:  # the template says so; nothing to draw
            return self.render("_live_changes.html", **context)
        if changes.board:
            context["board"] = self.read_board()
        elif changes.cells:
            context["board"], context["cells"] = self.cells(*changes.cells)
        return self.render("_live_changes.html", **context)


urlpatterns = [
    path(
        "localities/<slug:slug>/blueprints/<int:pk>/changes/",
        ChangesView.as_view(),
        name="live-changes",
    ),
]
