"""The project's URLs plus the portfolio, for tests (`pytest.mark.urls`) until
config/urls.py includes it. Once it does, the first match wins; both are the same views."""

from django.urls import include, path

from config import urls as config_urls

urlpatterns = [
    *config_urls.urlpatterns,
    path("portfolio/", include(("blueprints.portfolio_urls", "portfolio"))),
]
