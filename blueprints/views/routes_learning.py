"""Routes of the team's publish and unpublish buttons, under the blueprint whose question
or prototype they share (views in `learning`; the library itself is at /learning/,
`blueprints.learning_urls`)."""

from django.urls import path

from blueprints.views import learning

ONE = "localities/<slug:slug>/blueprints/<int:pk>/"

urlpatterns = [
    path(
        ONE + "questions/<int:question_pk>/publish/",
        learning.QuestionPublishView.as_view(),
        name="question-publish",
    ),
    path(
        ONE + "questions/<int:question_pk>/unpublish/",
        learning.QuestionUnpublishView.as_view(),
        name="question-unpublish",
    ),
    path(
        ONE + "prototypes/<int:prototype_pk>/publish/",
        learning.PrototypePublishView.as_view(),
        name="prototype-publish",
    ),
    path(
        ONE + "prototypes/<int:prototype_pk>/unpublish/",
        learning.PrototypeUnpublishView.as_view(),
        name="prototype-unpublish",
    ),
]
