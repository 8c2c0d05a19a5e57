"""What several of the consultations pages use: the cache headers of a page that shows or
is reached by a secret link, and each consultation's count of responses."""

from django.db.models import OuterRef
from django.db.models.functions import Coalesce
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control

from consultations.models import Response
from localities.listing import count_of

# For every response that shows a consultation's secret link, or is reached by it (the
# public form's URL is the secret): no shared cache may keep it, and the browser does not
# store it either. "private, no-store", as the exports send: said once, with Django's own
# decorator, so a new page gets it by one line and no view writes the header by hand.
secret_page = method_decorator(cache_control(private=True, no_store=True), name="dispatch")


def response_count() -> Coalesce:
    """Each consultation's number of responses (for `annotate`), counted by subquery."""
    return count_of(Response.objects.filter(consultation=OuterRef("pk")), "consultation")
