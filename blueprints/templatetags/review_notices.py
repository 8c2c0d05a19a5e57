"""`{% changes_requested_notices locality %}`: the reviewer's requests for changes on a
locality's blueprints, for its overview page.

A tag because the overview lives in `localities`, which imports no higher app (DESIGN
section 3); the reading itself is `blueprints.review.queries.changes_requested`.
"""

from django import template

from blueprints.models import Blueprint
from blueprints.review import queries as review_queries

register = template.Library()


@register.inclusion_tag("blueprints/review/_changes_requested_list.html")
def changes_requested_notices(locality, level: int = 3) -> dict:
    notices = review_queries.changes_requested(Blueprint.objects.filter(locality=locality))
    return {"notices": notices, "level": level}
