"""Benchmark: the blueprint editor at 30, 300 and 1,000 cards, and adding and moving a card
(as htmx posts them) on the 300-card blueprint.

Issue 4's targets: at most 20 queries whatever the size; the editor under 300 ms at 300
cards and under 1 s at 1,000; add-card and move-card under 60 ms.

Pages are requested as a browser asks for them (accepting gzip), so the times include
GZipMiddleware's work. Issue 13's targets are then printed with PASS or OVER against each,
for the 300-card editor: server time (median) under 300 ms, at most 20 queries, and under
150 KB on the wire for a first visit: the HTML gzip-compressed, and each stylesheet, script
and icon the page links to compressed as WhiteNoise serves it (the smaller of its Brotli
and gzip copies, made at collectstatic, where either saves at least 5%).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from whitenoise.compress import Compressor

from blueprints import services
from blueprints.models import Blueprint, Card, Lane
from consultations.models import Idea
from localities.bench import logged_in_client, measure
from localities.models import Insight, Locality, Membership

HTMX = {"HX-Request": "true"}
# As a browser asks: pages come back gzip-compressed, as they would be served.
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
SIZES = (30, 300, 1_000)
TARGET_SIZE = 300
SERVER_TARGET_MS = 300
QUERY_TARGET = 20
WIRE_TARGET_BYTES = 150 * 1024


def _blueprint_with_cards(locality: Locality, count: int) -> Blueprint:
    """A blueprint of five lanes and five phases holding `count` cards, some with evidence,
    delivery challenges and prototypes, as a busy team's would be."""
    idea = Idea.objects.create(locality=locality, title=f"Idea for {count} cards")
    blueprint = services.create_blueprint(
        locality=locality, idea=idea, title=f"Blueprint of {count:,} cards", by=None
    )
    for name in ("Settling in", "Advocacy"):
        services.add_phase(blueprint=blueprint, name=name, by=None)
    phases = list(blueprint.phases.order_by("position"))
    lanes = list(blueprint.lanes.order_by("position"))
    cells = [(phase, lane) for phase in phases for lane in lanes]
    kinds = Card.Kind.values
    cards = Card.objects.bulk_create(
        (
            Card(
                blueprint=blueprint,
                phase=cells[n % len(cells)][0],
                lane=cells[n % len(cells)][1],
                position=n // len(cells),
                title=f"Step {n}: the family hears about the welcome walk",
                details="A parent guide rings within two working days and offers a walk. " * 2,
                kind=kinds[n % len(kinds)],
                emotion=(n % 5) - 2 if cells[n % len(cells)][1].role == Lane.Role.FAMILY else None,
            )
            for n in range(count)
        ),
        batch_size=500,
    )
    insights = Insight.objects.bulk_create(
        Insight(
            locality=locality,
            statement=f"Families trust a neighbour more than a leaflet ({count}, {n})",
            subject=Insight.Subject.FAMILIES,
            source=Insight.Source.FAMILY_INTERVIEW,
        )
        for n in range(10)
    )
    Card.insights.through.objects.bulk_create(
        (
            Card.insights.through(card_id=card.pk, insight_id=insights[n % len(insights)].pk)
            for n, card in enumerate(cards)
            if n % 2
        ),
        batch_size=1000,
    )
    for n in range(4):
        services.create_delivery_challenge(
            blueprint=blueprint,
            theme="engaging_families",
            title=f"Reaching families who never meet a health visitor {n}",
            cards=cards[n::7],
            by=None,
        )
    for n in range(2):
        services.create_prototype(
            blueprint=blueprint, title=f"Saturday pop-up {n}", cards=cards[n::9], by=None
        )
    return Blueprint.objects.get(pk=blueprint.pk)


class _LinkedFiles(HTMLParser):
    """The URLs of the stylesheets, scripts and icons a page links to: what a browser
    fetches on a first visit besides the page itself."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script" and found.get("src"):
            self.urls.append(found["src"])
        elif tag == "link" and found.get("href"):
            rel = (found.get("rel") or "").split()
            if "stylesheet" in rel or "icon" in rel:
                self.urls.append(found["href"])


def _static_file(url: str) -> bytes:
    """A static file's content by its URL: from the finders (development's plain names), or
    from STATIC_ROOT (collected, hashed names)."""
    name = urlsplit(url).path.removeprefix("/").removeprefix(settings.STATIC_URL.lstrip("/"))
    found = finders.find(name)
    path = found if found else staticfiles_storage.path(name)
    with open(path, "rb") as file:
        return file.read()


def served_size(name: str, content: bytes) -> int:
    """The bytes WhiteNoise sends for a file to a browser that accepts Brotli and gzip: the
    smaller of the copies CompressedManifestStaticFilesStorage keeps (each kept only when it
    saves at least 5%), else the file itself."""
    compressor = Compressor(quiet=True)
    sizes = [len(content)]
    if content and compressor.should_compress(name):
        for compressed in (
            compressor.compress_brotli(content) if compressor.use_brotli else b"",
            compressor.compress_gzip(content),
        ):
            if compressed and len(compressed) / len(content) <= 0.95:
                sizes.append(len(compressed))
    return min(sizes)


def first_visit(html: str) -> list[tuple[str, int, int]]:
    """Each file the page links to under STATIC_URL: (URL, size, size as served)."""
    parser = _LinkedFiles()
    parser.feed(html)
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    files = []
    for url in dict.fromkeys(parser.urls):
        if urlsplit(url).path.startswith(static_prefix):
            content = _static_file(url)
            files.append((url, len(content), served_size(url, content)))
    return files


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def target_lines(client, url: str, count: int, timing) -> list[str]:
    """Issue 13's targets for the editor of `count` cards, each with PASS or OVER."""
    plain = client.get(url)
    compressed = client.get(url, headers=BROWSER)
    html_bytes = len(plain.content)
    html_wire = len(compressed.content)
    files = first_visit(plain.content.decode())
    files_wire = sum(served for _url, _size, served in files)
    wire = html_wire + files_wire
    lines = [
        f"editor at {count:,} cards against issue 13's targets:",
        f"  server time (median, gzip included) {timing.median_ms:>9.1f} ms"
        f"   target < {SERVER_TARGET_MS} ms  {_verdict(timing.median_ms < SERVER_TARGET_MS)}",
        f"  queries                             {timing.queries:>9}"
        f"      target <= {QUERY_TARGET}     {_verdict(timing.queries <= QUERY_TARGET)}",
        f"  HTML                                {html_bytes / 1024:>9.1f} KB uncompressed,"
        f" {html_wire / 1024:.1f} KB gzip-compressed"
        f" ({compressed.get('Content-Encoding') or 'not compressed'})",
        f"  first visit on the wire             {wire / 1024:>9.1f} KB"
        f"   target < {WIRE_TARGET_BYTES // 1024} KB  {_verdict(wire < WIRE_TARGET_BYTES)}",
        f"    the HTML {html_wire / 1024:.1f} KB and {len(files)} static files"
        f" {files_wire / 1024:.1f} KB as served"
        f" ({sum(size for _url, size, _served in files) / 1024:.1f} KB uncompressed):",
    ]
    lines += [
        f"      {served / 1024:>7.1f} KB  (of {size / 1024:.1f} KB)  {file_url}"
        for file_url, size, served in files
    ]
    return lines


def bench_editor(
    stdout, sizes: tuple[int, ...] = SIZES, target_size: int = TARGET_SIZE, repeat: int = 15
) -> None:
    editor = get_user_model().objects.create_user("bench-editor")
    locality = Locality.objects.create(
        name="Bench editor", slug="bench-editor", area="Benchmark council"
    )
    Membership.objects.create(locality=locality, user=editor, role=Membership.Role.EDITOR)
    client = logged_in_client(editor)
    blueprints = {count: _blueprint_with_cards(locality, count) for count in sizes}
    timings = {}
    for count, blueprint in blueprints.items():
        url = reverse("blueprints:detail", args=[locality.slug, blueprint.pk])
        result = timings[count] = measure(
            f"blueprint editor, {count:,} cards",
            lambda url=url: client.get(url, headers=BROWSER),
            repeat=repeat,
        )
        stdout.write(result.line())

    blueprint = blueprints[target_size]
    base = reverse("blueprints:detail", args=[locality.slug, blueprint.pk])
    # Before the adds below grow the blueprint.
    targets = target_lines(client, base, target_size, timings[target_size])
    family = blueprint.lanes.get(role=Lane.Role.FAMILY)
    first = blueprint.phases.order_by("position").first()
    add_url = f"{base}cards/new/?phase={first.pk}&lane={family.pk}"
    add = {"title": "Meets another parent at the gate", "kind": "step", "emotion": "1"}
    result = measure(
        f"add a card (htmx), {target_size}-card blueprint",
        lambda: client.post(add_url, add, headers=HTMX),
        repeat=repeat,
    )
    stdout.write(result.line())

    card = Card.objects.filter(blueprint=blueprint, phase=first, lane=family).first()
    state = {"version": card.version, "direction": "right"}

    def move_back_and_forth():
        response = client.post(
            f"{base}cards/{card.pk}/move/",
            {"direction": state["direction"], "version": state["version"]},
            headers=HTMX,
        )
        state["version"] += 1
        state["direction"] = "left" if state["direction"] == "right" else "right"
        return response

    result = measure(
        f"move a card (htmx), {target_size}-card blueprint", move_back_and_forth, repeat=repeat
    )
    stdout.write(result.line())

    for line in targets:
        stdout.write(line)
