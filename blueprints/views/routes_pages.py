"""Routes of the pages around the editor (views in `blueprint_pages`, `reading`,
`structure`, `planning` and `questions`)."""

from django.urls import path

from blueprints.views import blueprint_pages, planning, questions, reading, structure

PREFIX = "localities/<slug:slug>/blueprints/"
ONE = PREFIX + "<int:pk>/"

urlpatterns = [
    path(PREFIX, blueprint_pages.BlueprintListView.as_view(), name="list"),
    path(PREFIX + "new/", blueprint_pages.BlueprintCreateView.as_view(), name="create"),
    path(ONE + "edit/", blueprint_pages.BlueprintUpdateView.as_view(), name="update"),
    path(ONE + "delete/", blueprint_pages.BlueprintDeleteView.as_view(), name="delete"),
    path(ONE + "text/", reading.BlueprintTextView.as_view(), name="text"),
    path(ONE + "history/", reading.BlueprintHistoryView.as_view(), name="history"),
    # Phases and lanes
    path(ONE + "structure/", structure.StructureView.as_view(), name="structure"),
    path(ONE + "phases/add/", structure.PhaseAddView.as_view(), name="phase-add"),
    path(ONE + "phases/<int:phase_pk>/edit/", structure.PhaseEditView.as_view(), name="phase-edit"),
    path(ONE + "phases/<int:phase_pk>/move/", structure.PhaseMoveView.as_view(), name="phase-move"),
    path(
        ONE + "phases/<int:phase_pk>/delete/",
        structure.PhaseDeleteView.as_view(),
        name="phase-delete",
    ),
    path(ONE + "lanes/add/", structure.LaneAddView.as_view(), name="lane-add"),
    path(ONE + "lanes/<int:lane_pk>/edit/", structure.LaneEditView.as_view(), name="lane-edit"),
    path(ONE + "lanes/<int:lane_pk>/move/", structure.LaneMoveView.as_view(), name="lane-move"),
    path(
        ONE + "lanes/<int:lane_pk>/delete/", structure.LaneDeleteView.as_view(), name="lane-delete"
    ),
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
    # Delivery questions
    path(ONE + "questions/", questions.QuestionListView.as_view(), name="question-list"),
    path(ONE + "questions/new/", questions.QuestionCreateView.as_view(), name="question-create"),
    path(
        ONE + "questions/<int:question_pk>/",
        questions.QuestionDetailView.as_view(),
        name="question-detail",
    ),
    path(
        ONE + "questions/<int:question_pk>/edit/",
        questions.QuestionUpdateView.as_view(),
        name="question-update",
    ),
    path(
        ONE + "questions/<int:question_pk>/delete/",
        questions.QuestionDeleteView.as_view(),
        name="question-delete",
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
