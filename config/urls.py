from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from blueprints.views.dashboard import DashboardView
from localities import views as locality_views

admin.site.site_header = "Blueprint studio: innovation unit"
admin.site.site_title = "Blueprint studio admin"
admin.site.index_title = "Review every site"

auth_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("healthz", locality_views.healthz, name="healthz"),
    path("accounts/", include(auth_patterns)),
    path("admin/", admin.site.urls),
    path("localities/", include("localities.urls")),
    # These apps' URLs live under /localities/<slug>/... and /consult/<token>/ (README).
    path("", include("consultations.urls")),
    path("", include("blueprints.urls")),
    path("portfolio/", include(("blueprints.portfolio_urls", "portfolio"))),
]
