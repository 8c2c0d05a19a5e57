"""The editor's routes: the grid and its card endpoints (see blueprints.views.editor)."""

from django.urls import path

from blueprints.views import (
    canvas,
    card_emotion,
    card_move,
    card_panel,
    cards,
    editor,
    live,
    structure_inline,
    undo,
)

PREFIX = "localities/<slug:slug>/blueprints/"
CARD = f"{PREFIX}<int:pk>/cards/<int:card_pk>/"

urlpatterns: list = [
    path(f"{PREFIX}<int:pk>/", editor.EditorView.as_view(), name="detail"),
    path(f"{PREFIX}<int:pk>/cards/new/", cards.CardCreateView.as_view(), name="card-create"),
    path(CARD, card_panel.CardDetailView.as_view(), name="card-detail"),
    path(f"{CARD}edit/", cards.CardUpdateView.as_view(), name="card-update"),
    path(f"{CARD}delete/", cards.CardDeleteView.as_view(), name="card-delete"),
    path(f"{CARD}move/", card_move.CardMoveView.as_view(), name="card-move"),
    path(f"{CARD}links/", card_panel.CardLinksView.as_view(), name="card-links"),
    # Each area of the editor keeps its own routes in its module.
    *canvas.urlpatterns,
    *structure_inline.urlpatterns,
    *card_emotion.urlpatterns,
    *undo.urlpatterns,
    *live.urlpatterns,
]
