"""Every locality's progress through the method, counted in one query.

Lives in blueprints, the highest app, because it counts the work of all three.
"""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from blueprints.models import Blueprint, DeliveryChallenge, Prototype
from consultations.models import Consultation, Idea, Response
from localities.models import Challenge, Insight, Locality
from localities.progress import COUNT_NAMES, MethodStep, method_progress

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
    # COUNT(*), not COUNT(pk): PostgreSQL can then count from the foreign key's index alone
    # (81,000 responses for 150 sites, read per site by the portfolio and the admin).
    rows = (
        model.objects.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_progress(localities: QuerySet[Locality]) -> QuerySet[Locality]:
    """Annotate `<name>_count` for each step's count, `top_idea_title`, and
    `top_review_state`: the review state of the top idea's latest blueprint (step 9)."""
    top_idea = Idea.objects.filter(locality=OuterRef("pk"), status=Idea.Status.CHOSEN)
    top_blueprint = Blueprint.objects.filter(
        locality=OuterRef("pk"), idea__status=Idea.Status.CHOSEN
    ).order_by("-created_at", "-pk")
    return localities.annotate(
        **{f"{name}_count": _count(model, path) for name, (model, path) in COUNTED.items()},
        top_idea_title=Subquery(top_idea.values("title")[:1]),
        top_review_state=Subquery(top_blueprint.values("review_state")[:1]),
    )


def counts_of(locality: Locality) -> dict[str, int]:
    """The counts `with_progress` annotated, as localities.progress expects them."""
    return {name: getattr(locality, f"{name}_count") for name in COUNT_NAMES}


def steps_of(locality: Locality) -> list[MethodStep]:
    """The method's steps for a locality annotated by `with_progress`."""
    return method_progress(
        counts_of(locality), locality.top_idea_title, review_state=locality.top_review_state
    )


# Review and prototypes, per locality (issue 5: the admin's Locality list, the portfolio) ----

PROTOTYPE_STATUSES = tuple(Prototype.Status.values)
PROTOTYPE_DECISIONS = tuple(Prototype.Decision.values)


def main_blueprints(locality_ref: str = "pk") -> QuerySet[Blueprint]:
    """A locality's blueprint that speaks for it: the one of its top idea, else the latest."""
    return Blueprint.objects.filter(locality=OuterRef(locality_ref)).order_by(
        Case(When(idea__status=Idea.Status.CHOSEN, then=Value(0)), default=Value(1)),
        "-created_at",
        "-pk",
    )


def _prototype_count(**match: str) -> Coalesce:
    rows = (
        Prototype.objects.filter(blueprint__locality=OuterRef("pk"), **match)
        .order_by()
        .values("blueprint__locality")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_review_summary(localities: QuerySet[Locality]) -> QuerySet[Locality]:
    """Annotate the main blueprint (`main_blueprint_id`, `blueprint_state`) and the
    prototypes by status (`prototypes_<status>`) and decision (`prototypes_<decision>`)."""
    main = main_blueprints()
    return localities.annotate(
        main_blueprint_id=Subquery(main.values("pk")[:1]),
        blueprint_state=Subquery(main.values("review_state")[:1]),
        **{
            f"prototypes_{status}": _prototype_count(status=status) for status in PROTOTYPE_STATUSES
        },
        **{
            f"prototypes_{decision}": _prototype_count(decision=decision)
            for decision in PROTOTYPE_DECISIONS
        },
    )


def blueprint_state_label(state: str | None) -> str:
    return Blueprint.ReviewState(state).label if state else "no blueprint yet"


def decisions_summary(locality: Locality) -> str:
    """E.g. "3 prototypes: 1 adopt, 1 adapt, 1 undecided" (from `with_review_summary`)."""
    total = locality.prototypes_count
    if not total:
        return "no prototypes"
    parts = [
        f"{getattr(locality, f'prototypes_{decision}')} {decision}"
        for decision in ("adopt", "adapt", "drop", "undecided")
        if getattr(locality, f"prototypes_{decision}")
    ]
    noun = "prototype" if total == 1 else "prototypes"
    return f"{total} {noun}: {', '.join(parts)}"
