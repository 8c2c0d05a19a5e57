from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from blueprints.views.dashboard import DashboardView
from blueprints.views.schema import blueprint_schema
from localities.views.health import healthz
from localities.views.password_reset import ThrottledPasswordResetView

admin.site.site_header = "Blueprint studio: innovation unit"
admin.site.site_title = "Blueprint studio admin"
admin.site.index_title = "Review every site"

# Password reset emails link to SITE_URL, never to the request's Host header, which an
# attacker can set so that the victim's link (and its token) goes to their server.
# PasswordResetForm.save() lets extra_email_context override the domain it took from the
# request. The path comes from reverse(), so it keeps any script prefix.
_site = urlsplit(settings.SITE_URL)
RESET_EMAIL_CONTEXT = {
    "protocol": _site.scheme,
    "domain": _site.netloc,
    "site_name": "Blueprint studio",
}

auth_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        ThrottledPasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            extra_email_context=RESET_EMAIL_CONTEXT,
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        # Logging the user in fires user_logged_in, on which django-axes (with
        # AXES_RESET_ON_SUCCESS) clears the lockout of this username from this address.
        # ModelBackend is named because login() cannot choose among several backends.
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=True,
            post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("healthz", healthz, name="healthz"),
    # The export file's format, for other tools (README, "Exports").
    path("schema/blueprint-v1.json", blueprint_schema, name="blueprint-schema"),
    path("accounts/", include(auth_patterns)),
    # The admin's login page links to this name ("Forgotten your login credentials?").
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="password_reset"),
        name="admin_password_reset",
    ),
    path("admin/", admin.site.urls),
    path("localities/", include("localities.urls")),
    # These apps' URLs live under /localities/<slug>/... and /consult/<token>/ (README).
    path("", include("consultations.urls")),
    path("", include("blueprints.urls")),
    path("portfolio/", include(("blueprints.portfolio_urls", "portfolio"))),
    path("learning/", include(("blueprints.learning_urls", "learning"))),
    path("jobs/", include(("blueprints.jobs_urls", "jobs"))),
]
