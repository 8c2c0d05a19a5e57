"""The project's URLs with the review and versions routes added to the "blueprints"
namespace, for tests to use (`pytest.mark.urls`) until `blueprints/urls.py` includes them.
Once it does, the routes simply appear twice; the first match wins and both are the same
views, so the tests keep working unchanged."""

from django.urls import URLResolver, include, path

from blueprints import urls as blueprint_urls
from blueprints.views import routes_review, routes_versions
from config import urls as config_urls

blueprint_patterns = (
    [*blueprint_urls.urlpatterns, *routes_review.urlpatterns, *routes_versions.urlpatterns],
    "blueprints",
)

urlpatterns = [
    pattern
    for pattern in config_urls.urlpatterns
    if not (isinstance(pattern, URLResolver) and pattern.app_name == "blueprints")
] + [path("", include(blueprint_patterns))]
