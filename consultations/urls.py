from django.urls import path

from consultations import views

app_name = "consultations"

LOCALITY = "localities/<slug:slug>"
IDEAS = f"{LOCALITY}/ideas"
CONSULTATIONS = f"{LOCALITY}/consultations"

urlpatterns = [
    path(f"{IDEAS}/", views.IdeaListView.as_view(), name="idea-list"),
    path(f"{IDEAS}/new/", views.IdeaCreateView.as_view(), name="idea-create"),
    path(f"{IDEAS}/<int:pk>/", views.IdeaDetailView.as_view(), name="idea-detail"),
    path(f"{IDEAS}/<int:pk>/edit/", views.IdeaUpdateView.as_view(), name="idea-update"),
    path(f"{IDEAS}/<int:pk>/delete/", views.IdeaDeleteView.as_view(), name="idea-delete"),
    path(f"{IDEAS}/<int:pk>/choose/", views.IdeaChooseView.as_view(), name="idea-choose"),
    path(f"{CONSULTATIONS}/", views.ConsultationListView.as_view(), name="consultation-list"),
    path(
        f"{CONSULTATIONS}/new/",
        views.ConsultationCreateView.as_view(),
        name="consultation-create",
    ),
    path(f"{CONSULTATIONS}/results/", views.LocalityResultsView.as_view(), name="results"),
    path(
        f"{CONSULTATIONS}/responses.csv",
        views.LocalityExportView.as_view(),
        name="responses-export",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/",
        views.ConsultationDetailView.as_view(),
        name="consultation-detail",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/edit/",
        views.ConsultationUpdateView.as_view(),
        name="consultation-update",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/delete/",
        views.ConsultationDeleteView.as_view(),
        name="consultation-delete",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/qr.svg",
        views.ConsultationQrView.as_view(),
        name="consultation-qr",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/token/",
        views.ConsultationTokenView.as_view(),
        name="consultation-token",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/responses/",
        views.ConsultationResponsesView.as_view(),
        name="consultation-responses",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/results/",
        views.ConsultationResultsView.as_view(),
        name="consultation-results",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/responses.csv",
        views.ConsultationExportView.as_view(),
        name="consultation-export",
    ),
    path("consult/<str:token>/", views.RespondView.as_view(), name="respond"),
    path("consult/<str:token>/thanks/", views.RespondThanksView.as_view(), name="respond-thanks"),
]
