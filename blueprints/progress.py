"""Every locality's progress through the method, counted in one query.

Lives in blueprints, the highest app, because it counts the work of all three.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from blueprints.models import Blueprint, DeliveryChallenge, Prototype
from consultations.models import Consultation, Idea, Response
from localities.models import Challenge, Insight, Locality
from localities.progress import COUNT_NAMES

# Each count: the model and the path from it to its locality.
COUNTED = {
    "insights": (Insight, "locality"),
    "challenges": (Challenge, "locality"),
    "ideas": (Idea, "locality"),
    "consultations": (Consultation, "locality"),
    "responses": (Response, "consultation__locality"),
    "blueprints": (Blueprint, "locality"),
    "delivery_challenges": (DeliveryChallenge, "blueprint__locality"),
    "prototypes": (Prototype, "blueprint__locality"),
}
assert set(COUNTED) == set(COUNT_NAMES)


def _count(model, path: str) -> Coalesce:
    rows = (
        model.objects.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_progress(localities: QuerySet[Locality]) -> QuerySet[Locality]:
    """Annotate `<name>_count` for each step's count and `top_idea_title`."""
    top_idea = Idea.objects.filter(locality=OuterRef("pk"), status=Idea.Status.CHOSEN)
    return localities.annotate(
        **{f"{name}_count": _count(model, path) for name, (model, path) in COUNTED.items()},
        top_idea_title=Subquery(top_idea.values("title")[:1]),
    )


def counts_of(locality: Locality) -> dict[str, int]:
    """The counts `with_progress` annotated, as localities.progress expects them."""
    return {name: getattr(locality, f"{name}_count") for name in COUNT_NAMES}
