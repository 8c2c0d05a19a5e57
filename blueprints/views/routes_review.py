"""Routes of the review page and its POST endpoints (views in `review`)."""

from django.urls import path

from blueprints.views import review

PREFIX = "localities/<slug:slug>/blueprints/"
ONE = PREFIX + "<int:pk>/"

urlpatterns = [
    path(ONE + "review/", review.ReviewView.as_view(), name="review"),
    path(ONE + "review/<str:action>/", review.TransitionView.as_view(), name="review-transition"),
    path(ONE + "comments/new/", review.CommentCreateView.as_view(), name="comment-create"),
    path(
        ONE + "comments/<int:comment_pk>/resolve/",
        review.CommentResolveView.as_view(),
        name="comment-resolve",
    ),
    path(
        ONE + "comments/<int:comment_pk>/reopen/",
        review.CommentResolveView.as_view(resolve=False),
        name="comment-reopen",
    ),
]
