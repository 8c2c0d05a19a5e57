"""Routes of the pages around the editor (views in `pages` and `planning`)."""

from django.urls import path

from blueprints.views import pages, planning

PREFIX = "localities/<slug:slug>/blueprints/"
ONE = PREFIX + "<int:pk>/"

urlpatterns = [
    path(PREFIX, pages.BlueprintListView.as_view(), name="list"),
    path(PREFIX + "new/", pages.BlueprintCreateView.as_view(), name="create"),
    path(ONE + "edit/", pages.BlueprintUpdateView.as_view(), name="update"),
    path(ONE + "delete/", pages.BlueprintDeleteView.as_view(), name="delete"),
    path(ONE + "text/", pages.BlueprintTextView.as_view(), name="text"),
    path(ONE + "history/", pages.BlueprintHistoryView.as_view(), name="history"),
    # Phases and lanes
    path(ONE + "structure/", pages.StructureView.as_view(), name="structure"),
    path(ONE + "phases/add/", pages.PhaseAddView.as_view(), name="phase-add"),
    path(ONE + "phases/<int:phase_pk>/edit/", pages.PhaseEditView.as_view(), name="phase-edit"),
    path(ONE + "phases/<int:phase_pk>/move/", pages.PhaseMoveView.as_view(), name="phase-move"),
    path(
        ONE + "phases/<int:phase_pk>/delete/", pages.PhaseDeleteView.as_view(), name="phase-delete"
    ),
    path(ONE + "lanes/add/", pages.LaneAddView.as_view(), name="lane-add"),
    path(ONE + "lanes/<int:lane_pk>/edit/", pages.LaneEditView.as_view(), name="lane-edit"),
    path(ONE + "lanes/<int:lane_pk>/move/", pages.LaneMoveView.as_view(), name="lane-move"),
    path(ONE + "lanes/<int:lane_pk>/delete/", pages.LaneDeleteView.as_view(), name="lane-delete"),
    # Delivery challenges
    path(ONE + "challenges/", planning.ChallengeListView.as_view(), name="challenge-list"),
    path(ONE + "challenges/new/", planning.ChallengeCreateView.as_view(), name="challenge-create"),
    path(
        ONE + "challenges/<int:challenge_pk>/edit/",
        planning.ChallengeUpdateView.as_view(),
        name="challenge-update",
    ),
    path(
        ONE + "challenges/<int:challenge_pk>/delete/",
        planning.ChallengeDeleteView.as_view(),
        name="challenge-delete",
    ),
    # Prototypes
    path(ONE + "prototypes/", planning.PrototypeListView.as_view(), name="prototype-list"),
    path(ONE + "prototypes/new/", planning.PrototypeCreateView.as_view(), name="prototype-create"),
    path(
        ONE + "prototypes/<int:prototype_pk>/",
        planning.PrototypeDetailView.as_view(),
        name="prototype-detail",
    ),
    path(
        ONE + "prototypes/<int:prototype_pk>/edit/",
        planning.PrototypeUpdateView.as_view(),
        name="prototype-update",
    ),
    path(
        ONE + "prototypes/<int:prototype_pk>/delete/",
        planning.PrototypeDeleteView.as_view(),
        name="prototype-delete",
    ),
]
