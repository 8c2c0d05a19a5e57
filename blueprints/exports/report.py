"""The locality report: the whole method for one locality, steps 1 to 8, as a PDF.

`locality_report_context` reads what it shows through the locality's related managers,
`consultations.selectors.results_for` and, for its community resources,
`localities.resources` (the records, as the resources page shows them) and
`blueprints.portfolio_resources` (the site's sums, as the portfolio shows them), in a number
of queries that depends on the number of blueprints (a handful), not on the number of
insights, responses, cards, spaces, partners or volunteer roles.
`render_locality_report` renders it with the blueprint PDF's renderer (`pdf.render_pdf`), so
this module builds on `pdf`, never the other way round.
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, Model, OuterRef, Prefetch, Subquery
from django.template.loader import render_to_string
from django.utils import timezone

from blueprints.exports.data import blueprint_export
from blueprints.exports.pdf import (
    DETAILED_GRID_MAX_CARDS,
    MAX_CARDS,
    PAPERS,
    PDF_VARIANT,
    TooLarge,
    exporter_name,
    render_pdf,
)
from blueprints.models import Blueprint, Card, ReviewTransition
from blueprints.portfolio_resources import build_resources
from blueprints.review.queries import version_label
from consultations.models import Consultation, Idea, Response
from consultations.selectors import results_for
from localities.models import Challenge, Insight, Locality, Partner, Space, VolunteerRole
from localities.resources import partners_of, roles_of, spaces_of

MAX_INSIGHTS_LISTED = 300
REPORT_GRID_PAPER = PAPERS["a4"]


# The kinds of record a report shows, counted for its key: each model, its path to the
# locality, and the rows saved with each record (a space's openings...), counted with it.
COUNTED: tuple[tuple[type[Model], str, str | None], ...] = (
    (Insight, "locality", None),
    (Challenge, "locality", None),
    (Idea, "locality", None),
    (Consultation, "locality", None),
    (Response, "consultation__locality", None),
    (Space, "locality", "openings"),
    (Partner, "locality", "contributions"),
    (VolunteerRole, "locality", "months"),
)


def _counted(locality: Locality) -> tuple:
    """(number, highest id, latest change) of each kind in `COUNTED`, and of its rows
    (number, highest id), in one query of scalar subqueries."""
    fields = {}
    for model, path, rows in COUNTED:
        records = model._default_manager.filter(**{path: OuterRef("pk")}).order_by().values(path)
        summary = {"n": Count("pk", distinct=True), "top": Max("pk")}
        if model is not Response:  # never edited: no time
            summary["latest"] = Max("updated_at")
        if rows:
            summary.update(rows=Count(rows, distinct=True), top_row=Max(f"{rows}__pk"))
        for name, aggregate in summary.items():
            value = records.annotate(value=aggregate).values("value")[:1]
            fields[f"{model._meta.model_name}_{name}"] = Subquery(value)
    return Locality.objects.filter(pk=locality.pk).annotate(**fields).values_list(*fields).get()


def report_key(locality: Locality, *, user) -> str:
    """Names the content of the locality's report for this person today, so a finished
    report is served again until something in it changes.

    Each kind of record counts by (number, highest id, latest change): an addition moves the
    id, a deletion the number, an edit the time; a community resource with its rows. Those
    are read in one query; blueprints are few, so their versions and review states are read
    whole. Three small queries, whatever the amount of work.
    """
    parts: list[object] = [
        locality.pk,
        locality.name,
        locality.updated_at.isoformat(),
        locality.volunteer_hours_limit,
        *_counted(locality),
    ]
    parts.extend(
        Blueprint.objects.filter(locality=locality)
        .order_by("pk")
        .values_list("pk", "version", "review_state", "title", "updated_at")
    )
    # Each review move (a submission, a withdrawal) changes the version label the report
    # prints, even when the content and the state end as they were.
    parts.append(ReviewTransition.objects.filter(blueprint__locality=locality).aggregate(Max("pk")))
    parts += [user.pk if user else "", timezone.localdate().isoformat(), PDF_VARIANT]
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    return f"locality-report:{locality.pk}:{digest}"


def locality_report_context(locality: Locality) -> dict:
    cards = Card.objects.filter(blueprint__locality=locality).count()
    if cards > MAX_CARDS:
        raise TooLarge(
            f"{locality.name}'s blueprints have {cards:,} cards between them; a report can "
            f"hold at most {MAX_CARDS:,}. Export each blueprint on its own instead."
        )
    insights = Insight.objects.filter(locality=locality)
    by_subject = {
        row["subject"]: row["n"]
        for row in insights.order_by().values("subject").annotate(n=Count("pk"))
    }
    by_source = {
        row["source"]: row["n"]
        for row in insights.order_by().values("source").annotate(n=Count("pk"))
    }
    insight_total = sum(by_subject.values())
    listed = list(
        insights.order_by("subject", "-gathered_on", "statement", "pk").only(
            "statement", "subject", "source", "gathered_on"
        )[:MAX_INSIGHTS_LISTED]
    )
    challenges = list(
        Challenge.objects.filter(locality=locality)
        .order_by("title", "pk")
        .prefetch_related(Prefetch("insights", Insight.objects.order_by("statement", "pk")))
    )
    ideas = list(
        Idea.objects.filter(locality=locality)
        .order_by("title", "pk")
        .select_related("chosen_by")
        .prefetch_related(Prefetch("challenges", Challenge.objects.order_by("title", "pk")))
    )
    top_idea = next((idea for idea in ideas if idea.status == Idea.Status.CHOSEN), None)
    consultations = list(
        Consultation.objects.filter(locality=locality)
        .annotate(response_count=Count("responses"))
        .order_by("held_on", "title", "pk")
    )
    results = results_for(locality=locality)
    blueprints = []
    ordered = sorted(
        Blueprint.objects.filter(locality=locality).select_related("locality", "idea"),
        key=lambda b: (not (b.idea and b.idea.status == Idea.Status.CHOSEN), b.title, b.pk),
    )
    for blueprint in ordered:
        export = blueprint_export(blueprint)
        blueprints.append(
            {
                "blueprint": blueprint,
                "export": export,
                "show_details": len(export.cards) <= DETAILED_GRID_MAX_CARDS,
                "groups": REPORT_GRID_PAPER.groups(export),
                "version_label": version_label(blueprint),
            }
        )
    return {
        "locality": locality,
        "insight_total": insight_total,
        "by_subject": [
            (label, by_subject.get(value, 0)) for value, label in Insight.Subject.choices
        ],
        "by_source": [(label, by_source.get(value, 0)) for value, label in Insight.Source.choices],
        "insights": listed,
        "insights_more": max(0, insight_total - len(listed)),
        "challenges": challenges,
        "ideas": ideas,
        "top_idea": top_idea,
        "consultations": consultations,
        "results": results,
        "response_count": sum(result.overall.total for result in results),
        "blueprints": blueprints,
        "grid_paper": REPORT_GRID_PAPER,
        "resources": community_resources(locality),
    }


def community_resources(locality: Locality) -> dict:
    """The "Community resources" section: the site's spaces, partners and volunteer roles
    with their rows, and its sums (hours its roles need against what its active volunteers
    can give, money by status) as the portfolio reckons them. Ten queries."""
    (site,) = build_resources(Locality.objects.filter(pk=locality.pk))
    spaces = spaces_of(locality)
    return {
        "site": site,
        "spaces": spaces,
        "late_spaces": [space for space in spaces if space.late],
        "unstaffed": [
            space for space in spaces if space.late and not space.out_of_hours_staffed_by
        ],
        "partners": partners_of(locality),
        "roles": roles_of(locality),
    }


def render_locality_report(locality: Locality, *, user, seconds: float | None = None) -> bytes:
    context = locality_report_context(locality)
    context.update(
        exported_by=exporter_name(user),
        exported_on=timezone.localtime(),
        paper=PAPERS["a4"],
    )
    html = render_to_string("blueprints/exports/locality_report.html", context)
    return render_pdf(html, seconds=seconds)
