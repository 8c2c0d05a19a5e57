"""The JSON Schema of a blueprint export file, for other tools to read and check the format.

Public and read-only: the format is no secret, and a tool validating a file should not need
an account. The schema is generated from the pydantic models that check every import
(`blueprints.interchange.schema`), so what it says and what the import accepts are one.
Its `$id` is the address it is served at, from SITE_URL (as the links in emails are), never
from the request's Host header.
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from blueprints.interchange.schema import json_schema

# Changes only with a release of the site; a day is short enough to follow one.
MAX_AGE_SECONDS = 24 * 60 * 60


@require_safe
@cache_control(public=True, max_age=MAX_AGE_SECONDS)
def blueprint_schema(request: HttpRequest) -> JsonResponse:
    schema_id = settings.SITE_URL.rstrip("/") + reverse("blueprint-schema")
    return JsonResponse(
        json_schema(schema_id=schema_id),
        content_type="application/schema+json",
        json_dumps_params={"indent": 2},
    )
