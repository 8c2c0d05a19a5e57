"""The editor's routes: the grid and its card endpoints (see blueprints.views.editor)."""

from django.urls import path

from blueprints.views import editor

PREFIX = "localities/<slug:slug>/blueprints/"
CARD = f"{PREFIX}<int:pk>/cards/<int:card_pk>/"

urlpatterns: list = [
    path(f"{PREFIX}<int:pk>/", editor.EditorView.as_view(), name="detail"),
    path(f"{PREFIX}<int:pk>/cards/new/", editor.CardCreateView.as_view(), name="card-create"),
    path(CARD, editor.CardDetailView.as_view(), name="card-detail"),
    path(f"{CARD}edit/", editor.CardUpdateView.as_view(), name="card-update"),
    path(f"{CARD}delete/", editor.CardDeleteView.as_view(), name="card-delete"),
    path(f"{CARD}move/", editor.CardMoveView.as_view(), name="card-move"),
    path(f"{CARD}links/", editor.CardLinksView.as_view(), name="card-links"),
]
