"""Blueprint URLs, all under /localities/<slug>/blueprints/ (see README's URL map).

Each views module keeps its own route list, so the editor, the pages around it and the
exports can change without touching each other.
"""

from blueprints.views import (
    routes_editor,
    routes_exports,
    routes_learning,
    routes_pages,
    routes_review,
    routes_versions,
)

app_name = "blueprints"

urlpatterns = [
    *routes_pages.urlpatterns,
    *routes_editor.urlpatterns,
    *routes_exports.urlpatterns,
    *routes_review.urlpatterns,
    *routes_versions.urlpatterns,
    *routes_learning.urlpatterns,
]
