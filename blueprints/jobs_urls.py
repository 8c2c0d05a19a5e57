"""Background jobs' pages, included under /jobs/ with the namespace "jobs"."""

from django.urls import path

from blueprints.views.jobs import JobDownloadView, JobView

urlpatterns = [
    path("<uuid:pk>/", JobView.as_view(), name="detail"),
    path("<uuid:pk>/download/", JobDownloadView.as_view(), name="download"),
]
