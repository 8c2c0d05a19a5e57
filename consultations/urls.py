from django.urls import path

from consultations.views import consultations, exports, ideas, public, responses, results

app_name = "consultations"

LOCALITY = "localities/<slug:slug>"
IDEAS = f"{LOCALITY}/ideas"
CONSULTATIONS = f"{LOCALITY}/consultations"

urlpatterns = [
    path(f"{IDEAS}/", ideas.IdeaListView.as_view(), name="idea-list"),
    path(f"{IDEAS}/new/", ideas.IdeaCreateView.as_view(), name="idea-create"),
    path(f"{IDEAS}/<int:pk>/", ideas.IdeaDetailView.as_view(), name="idea-detail"),
    path(f"{IDEAS}/<int:pk>/edit/", ideas.IdeaUpdateView.as_view(), name="idea-update"),
    path(f"{IDEAS}/<int:pk>/delete/", ideas.IdeaDeleteView.as_view(), name="idea-delete"),
    path(f"{IDEAS}/<int:pk>/choose/", ideas.IdeaChooseView.as_view(), name="idea-choose"),
    path(
        f"{CONSULTATIONS}/", consultations.ConsultationListView.as_view(), name="consultation-list"
    ),
    path(
        f"{CONSULTATIONS}/new/",
        consultations.ConsultationCreateView.as_view(),
        name="consultation-create",
    ),
    path(f"{CONSULTATIONS}/results/", results.LocalityResultsView.as_view(), name="results"),
    path(
        f"{CONSULTATIONS}/responses.csv",
        exports.LocalityExportView.as_view(),
        name="responses-export",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/",
        consultations.ConsultationDetailView.as_view(),
        name="consultation-detail",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/edit/",
        consultations.ConsultationUpdateView.as_view(),
        name="consultation-update",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/delete/",
        consultations.ConsultationDeleteView.as_view(),
        name="consultation-delete",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/qr.svg",
        consultations.ConsultationQrView.as_view(),
        name="consultation-qr",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/token/",
        consultations.ConsultationTokenView.as_view(),
        name="consultation-token",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/responses/",
        responses.ConsultationResponsesView.as_view(),
        name="consultation-responses",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/results/",
        results.ConsultationResultsView.as_view(),
        name="consultation-results",
    ),
    path(
        f"{CONSULTATIONS}/<int:pk>/responses.csv",
        exports.ConsultationExportView.as_view(),
        name="consultation-export",
    ),
    path("consult/<str:token>/", public.RespondView.as_view(), name="respond"),
    path("consult/<str:token>/thanks/", public.RespondThanksView.as_view(), name="respond-thanks"),
]
