"""Editor: the canvas, how densely the grid draws its cards.

Three densities (compact: kind and title; comfortable; detailed: the whole details text),
chosen in the toolbar and remembered in a cookie that the editor reads, so the page is
drawn at the chosen density from the first byte (no flash). With JavaScript the toolbar
switches at once and writes the cookie itself; without, its buttons GET `density/`, which
sets the cookie and sends the reader back to the editor. Reading is all it takes: a viewer
chooses a density as an editor does.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views import View

from blueprints.views.base import BlueprintAccessMixin

DENSITY_COOKIE = "bp_density"
DENSITIES = {"compact": "Compact", "comfortable": "Comfortable", "detailed": "Detailed"}
DEFAULT_DENSITY = "comfortable"
# A year: a choice of how to see the grid, not a secret (static/js/editor/canvas.js writes
# the same cookie, so it is not HttpOnly).
DENSITY_MAX_AGE = 365 * 24 * 60 * 60
BAD_DENSITY = "Density: choose compact, comfortable or detailed. The grid is shown as before."


def density_of(request: HttpRequest) -> str:
    """The density the reader chose, or the default for a missing or unknown cookie."""
    chosen = request.COOKIES.get(DENSITY_COOKIE, "")
    return chosen if chosen in DENSITIES else DEFAULT_DENSITY


class DensityView(BlueprintAccessMixin, View):
    """Remember `?density=` and go back to the editor; an unknown one changes nothing."""

    access = "view"
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        editor_url = reverse("blueprints:detail", args=[self.locality.slug, self.blueprint.pk])
        response = redirect(f"{editor_url}#bp-board")
        chosen = request.GET.get("density", "")
        if chosen not in DENSITIES:
            messages.error(request, BAD_DENSITY)
            return response
        response.set_cookie(
            DENSITY_COOKIE,
            chosen,
            max_age=DENSITY_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=False,
        )
        return response


urlpatterns: list = [
    path(
        "localities/<slug:slug>/blueprints/<int:pk>/density/",
        DensityView.as_view(),
        name="editor-density",
    ),
]
