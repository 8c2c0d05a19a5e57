"""Routes of the review page and its POST endpoints (views in `review`)."""

from django.urls import path

from blueprints.views import card_panel, review

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
        review.CommentResolveView.as_view(action="reopen"),
        name="comment-reopen",
    ),
    path(
        ONE + "comments/<int:comment_pk>/address/",
        review.CommentResolveView.as_view(action="address"),
        name="comment-address",
    ),
    path(
        ONE + "comments/<int:comment_pk>/unaddress/",
        review.CommentResolveView.as_view(action="unaddress"),
        name="comment-unaddress",
    ),
    # The same conversation, from a card's panel or page (views in `card_panel`).
    path(
        ONE + "cards/<int:card_pk>/comments/",
        card_panel.CardCommentView.as_view(),
        name="card-comment",
    ),
    *(
        path(
            ONE + f"cards/<int:card_pk>/comments/<int:comment_pk>/{action}/",
            card_panel.CardCommentActionView.as_view(action=action),
            name=f"card-comment-{action}",
        )
        for action in ("address", "unaddress", "resolve", "reopen")
    ),
]
