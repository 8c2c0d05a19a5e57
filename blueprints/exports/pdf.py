"""PDFs of a blueprint and of a locality's whole method, rendered with WeasyPrint.

Safety. Templates autoescape every piece of user text, so a card reading
`<img src="file:///etc/passwd">` prints those characters and fetches nothing; WeasyPrint
reads resources only through `StaticOnlyFetcher` (the app's static files, nothing else).

Bounds. A blueprint of more than `MAX_CARDS` cards is refused before any work, with a
message. While WeasyPrint lays pages out, `guard` stops the render past `RENDER_SECONDS`
or `MAX_PAGES`, and the person is told why.

Caching. A blueprint PDF is kept in Django's cache under its blueprint, version and paper
and what else it prints that the version does not count: the locality's and idea's names,
the cited insights (edited in the localities app, which does not bump blueprint versions),
who exported it and the day. A second download of an unchanged blueprint does no rendering.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from blueprints.capacity import capacity_check
from blueprints.exports import guard
from blueprints.exports.data import blueprint_export, phase_groups
from blueprints.models import Blueprint, Card
from blueprints.review.queries import version_label
from localities.models import Insight

if TYPE_CHECKING:
    from blueprints.exports.fetcher import StaticOnlyFetcher

MAX_CARDS = 2000
# Up to this many cards the grid shows each card's details (shortened); beyond it, kind and
# title only. WeasyPrint spends about a millisecond a line of text, so details would take a
# 1,000-card blueprint past ten seconds; the JSON, the CSV and the text view keep them.
DETAILED_GRID_MAX_CARDS = 200
MAX_PAGES = 400
RENDER_SECONDS = 30.0
# Councils must publish accessible documents: every PDF is tagged (a structure tree of
# headings, lists and tables, the language and the title a screen reader announces) as
# PDF/UA-1. WeasyPrint marks page borders, backgrounds and margin boxes as artifacts.
PDF_VARIANT = "pdf/ua-1"
# A background worker holds no web request, so it may take longer (a 1,500-card locality
# report takes tens of seconds on a busy machine); the bound still stops a runaway render.
WORKER_RENDER_SECONDS = 300.0
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Paper:
    key: str
    label: str
    css_size: str
    width_mm: float
    height_mm: float
    margin_mm: float
    lane_width_mm: float
    phases_per_group: int
    cards_per_band: int
    columns: int  # of text, on the pages after the grid

    @property
    def column_width(self) -> str:
        return f"{(100 - 3 * self.columns) / self.columns:.2f}%"

    max_phase_width_mm: float

    @property
    def usable_width_mm(self) -> float:
        return self.width_mm - 2 * self.margin_mm

    def groups(self, export) -> list:
        return phase_groups(
            export,
            cards_per_band=self.cards_per_band,
            phases_per_group=self.phases_per_group,
            usable_width=self.usable_width_mm,
            lane_width=self.lane_width_mm,
            max_phase_width=self.max_phase_width_mm,
        )


PAPERS = {
    "a3": Paper("a3", "A3 landscape", "A3 landscape", 420, 297, 12, 34, 5, 4, 3, 120),
    "a4": Paper("a4", "A4 landscape", "A4 landscape", 297, 210, 10, 27, 3, 3, 2, 120),
}
DEFAULT_PAPER = "a3"


def paper_for(value: str | None) -> Paper:
    """The paper a job or the admin asked for; A3 for anything it does not know."""
    return PAPERS.get((value or "").lower(), PAPERS[DEFAULT_PAPER])


class ExportRefused(Exception):
    """The export was not made; `message` says why, in words for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownPaper(ExportRefused):
    pass


def paper_asked(value: str | None) -> Paper:
    """The paper a link's `?paper=` names: A3 when it names none, and a refusal (not a
    silent A3) for a size there is none of, so a mistyped link says so."""
    if not value:
        return PAPERS[DEFAULT_PAPER]
    paper = PAPERS.get(value.strip().lower())
    if paper is None:
        shown = value if len(value) <= 20 else value[:20] + "…"
        sizes = " or ".join(key.upper() for key in PAPERS)
        raise UnknownPaper(f"There is no paper size “{shown}”. Choose {sizes}.")
    return paper


class TooLarge(ExportRefused):
    pass


class TooSlow(ExportRefused):
    pass


# Rendering ------------------------------------------------------------------------------


def render_pdf(
    html: str,
    *,
    fetcher: StaticOnlyFetcher | None = None,
    seconds: float | None = None,
    max_pages: int | None = None,
    tagged: bool = True,
) -> bytes:
    """HTML (from our templates) to PDF bytes, within the time and page bounds; tagged as
    PDF/UA-1 unless `tagged` is false (only the benchmark compares the two).

    WeasyPrint, and `fetcher`, which builds on it, are imported here, not at the top, for
    start-up cost only (no import cycle hides here): WeasyPrint takes over half a second to
    import, which every management command and test run would otherwise pay.
    """
    from weasyprint import HTML

    from blueprints.exports.fetcher import BASE_URL, StaticOnlyFetcher

    seconds = RENDER_SECONDS if seconds is None else seconds
    max_pages = MAX_PAGES if max_pages is None else max_pages
    fetcher = fetcher or StaticOnlyFetcher()
    try:
        with guard.limits(seconds=seconds, max_pages=max_pages):
            document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
            return document.write_pdf(pdf_variant=PDF_VARIANT if tagged else None)
    except guard.Stop as stop:
        if stop.reason == "pages":
            raise TooLarge(
                f"This export would run past {max_pages} pages, more than a PDF can usefully "
                "hold. Export the JSON or the cards as CSV instead, or split the blueprint."
            ) from None
        raise TooSlow(
            f"This export took longer than {seconds:g} seconds to lay out and was stopped. "
            "Try again later, try A3 paper, or export the JSON or CSV instead."
        ) from None


# The blueprint PDF -----------------------------------------------------------------------


def exporter_name(user) -> str:
    if user is None:
        return "Blueprint studio"
    return user.get_full_name() or user.get_username()


def check_size(blueprint: Blueprint) -> int:
    cards = Card.objects.filter(blueprint=blueprint).count()
    if cards > MAX_CARDS:
        raise TooLarge(
            f"“{blueprint.title}” has {cards:,} cards; a PDF can hold at most {MAX_CARDS:,}. "
            "Export the JSON or the cards as CSV instead."
        )
    return cards


def blueprint_html(blueprint: Blueprint, *, paper: Paper, user, when: datetime) -> str:
    export = blueprint_export(blueprint)
    return render_to_string(
        "blueprints/exports/blueprint.html",
        {
            "export": export,
            "blueprint": blueprint,
            "locality": blueprint.locality,
            "idea": blueprint.idea,
            "paper": paper,
            "groups": paper.groups(export),
            "exported_by": exporter_name(user),
            "exported_on": when,
            "show_details": len(export.cards) <= DETAILED_GRID_MAX_CARDS,
            "version_label": version_label(blueprint),
            "capacity": capacity_check(blueprint),
        },
    )


def render_blueprint_pdf(
    blueprint: Blueprint,
    *,
    paper: Paper,
    user,
    fetcher: StaticOnlyFetcher | None = None,
    seconds: float | None = None,
) -> bytes:
    """Render now (no cache). Raises ExportRefused past the size or time bounds."""
    check_size(blueprint)
    html = blueprint_html(blueprint, paper=paper, user=user, when=timezone.localtime())
    return render_pdf(html, fetcher=fetcher, seconds=seconds)


def cache_key(blueprint: Blueprint, *, paper: Paper, user) -> str:
    """(blueprint, version, paper) and a digest of what else the PDF prints (one query)."""
    cited = Insight.objects.filter(blueprint_cards__blueprint=blueprint).aggregate(
        n=Count("pk", distinct=True), latest=Max("updated_at")
    )
    idea = blueprint.idea
    parts = [
        blueprint.locality.name,
        blueprint.title,
        blueprint.summary,
        # The review state (issue 5) and the submitted version's number move without a new
        # content version.
        getattr(blueprint, "review_state", ""),
        version_label(blueprint).text,
        idea.pk if idea else "",
        idea.title if idea else "",
        idea.status if idea else "",
        idea.updated_at.isoformat() if idea else "",
        cited["n"],
        cited["latest"].isoformat() if cited["latest"] else "",
        user.pk if user else "",
        exporter_name(user),
        timezone.localdate().isoformat(),
        # A PDF made before tagging (or under another variant) is not served again.
        PDF_VARIANT,
        # The capacity section reads the locality's resources (volunteer months, spaces,
        # partners' money), which move without a new blueprint version: its figures, all
        # of them, are in its repr (four queries).
        repr(capacity_check(blueprint)),
    ]
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:24]
    return f"blueprint-pdf:{blueprint.pk}:v{blueprint.version}:{paper.key}:{digest}"


def cached_blueprint_pdf(key: str) -> bytes | None:
    return cache.get(key)


def remember_blueprint_pdf(key: str, content: bytes) -> None:
    cache.set(key, content, CACHE_SECONDS)


def blueprint_pdf(
    blueprint: Blueprint, *, paper: Paper, user, seconds: float | None = None
) -> bytes:
    """The blueprint's PDF from the cache, rendered (and cached) if it is not there."""
    key = cache_key(blueprint, paper=paper, user=user)
    pdf = cached_blueprint_pdf(key)
    if pdf is None:
        pdf = render_blueprint_pdf(blueprint, paper=paper, user=user, seconds=seconds)
        remember_blueprint_pdf(key, pdf)
    return pdf


def blueprint_filename(blueprint: Blueprint, paper: Paper, extension: str = "pdf") -> str:
    slug = slugify(blueprint.title)[:60] or "blueprint"
    return (
        f"{blueprint.locality.slug}-{slug}-v{blueprint.version}"
        f"{'-' + paper.key if extension == 'pdf' else ''}.{extension}"
    )


def blueprints_zip(
    blueprints: list[Blueprint], *, paper: Paper, user, seconds: float | None = None
) -> bytes:
    """One PDF each, in a zip (for the admin's action on several blueprints)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for blueprint in blueprints:
            name = blueprint_filename(blueprint, paper)
            try:
                content = blueprint_pdf(blueprint, paper=paper, user=user, seconds=seconds)
                archive.writestr(name, content)
            except ExportRefused as refused:
                archive.writestr(name.removesuffix(".pdf") + "-not-exported.txt", refused.message)
    return buffer.getvalue()
