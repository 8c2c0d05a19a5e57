"""The learning library's routes, included under /learning/ with the namespace "learning":
`path("learning/", include(("blueprints.learning_urls", "learning")))`."""

from django.urls import path

from blueprints.views import learning

urlpatterns = [
    path("", learning.LibraryView.as_view(), name="index"),
    path("questions/<int:pk>/", learning.QuestionView.as_view(), name="question"),
    path("questions/<int:pk>/start/", learning.StartChallengeView.as_view(), name="question-start"),
    path("prototypes/<int:pk>/", learning.PrototypeView.as_view(), name="prototype"),
    path(
        "prototypes/<int:pk>/start/", learning.StartPrototypeView.as_view(), name="prototype-start"
    ),
]
