"""Routes of the versions pages (views in `versions`)."""

from django.urls import path

from blueprints.views import versions

PREFIX = "localities/<slug:slug>/blueprints/"
ONE = PREFIX + "<int:pk>/"

urlpatterns = [
    path(ONE + "versions/", versions.VersionListView.as_view(), name="versions"),
    path(ONE + "versions/compare/", versions.VersionCompareView.as_view(), name="versions-compare"),
    path(
        ONE + "versions/<int:number>/restore/",
        versions.VersionRestoreView.as_view(),
        name="version-restore",
    ),
]
