"""URL confs for the locality navigation tests, independent of the consultations app's state.

This module has no consultations URLs at all; `urls_nav_with_consultations` adds stand-ins
under the names the navigation links to. Use them with `pytest.mark.urls`.
"""

from django.contrib import admin
from django.urls import include, path

from blueprints.views.dashboard import DashboardView
from config.urls import auth_patterns

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("accounts/", include(auth_patterns)),
    path("admin/", admin.site.urls),
    path("localities/", include("localities.urls")),
]
