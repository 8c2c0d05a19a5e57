"""Routes of the exports (views in `exports`)."""

from django.urls import path

from blueprints.views import exports

PREFIX = "localities/<slug:slug>/blueprints/"
ONE = PREFIX + "<int:pk>/"

urlpatterns = [
    path(ONE + "export.pdf", exports.BlueprintPdfView.as_view(), name="export-pdf"),
    path(ONE + "export.json", exports.BlueprintJsonView.as_view(), name="export-json"),
    path(ONE + "cards.csv", exports.BlueprintCsvView.as_view(), name="export-csv"),
    path(ONE + "questions.csv", exports.QuestionsCsvView.as_view(), name="export-questions-csv"),
    path(ONE + "prototypes.csv", exports.PrototypesCsvView.as_view(), name="export-prototypes-csv"),
    path(PREFIX + "import/", exports.BlueprintImportView.as_view(), name="import-json"),
    # The whole method of one locality; it sits beside the locality's pages, not under a
    # blueprint, but belongs with the exports.
    path(
        "localities/<slug:slug>/report.pdf",
        exports.LocalityReportPdfView.as_view(),
        name="locality-report-pdf",
    ),
]
