"""The only door through which WeasyPrint may read anything while rendering an export.

Templates link the app's static files with `{% static %}`; rendered against `BASE_URL`
those become `https://blueprint-studio.invalid/static/...`, which this fetcher serves from
disk (STATIC_ROOT after collectstatic, else the staticfiles finders). Every other URL is
refused without being opened: file:, http(s): (including internal addresses), data:, ftp:,
a static path that climbs out with `..`, a file type an export has no use for. User text is
autoescaped by the templates and never becomes markup, so refusals are a second line of
defence; `refused` keeps them so tests (and logs) can see what was asked for.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A reserved top-level domain (RFC 2606): it never resolves, so nothing can be fetched from
# it by accident; it only gives relative static URLs somewhere to resolve against.
BASE_URL = "https://blueprint-studio.invalid/"

ALLOWED_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}
MAX_STATIC_BYTES = 5 * 1024 * 1024


class FetchRefused(ValueError):
    """WeasyPrint catches it, logs that the resource could not be loaded, and goes on."""


def static_prefix() -> str:
    """Where static URLs point once resolved against BASE_URL (STATIC_URL may be absolute)."""
    return urljoin(BASE_URL, settings.STATIC_URL)


def static_name(url: str) -> str | None:
    """The static file's name for a URL under the static prefix, or None if it is not one.

    Refuses anything that could leave the static directories: `..` or `.` segments (also
    percent-encoded), backslashes, NUL bytes, empty segments, a query or a fragment.
    """
    prefix = static_prefix()
    if not url.startswith(prefix):
        return None
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        return None
    name = unquote(url[len(prefix) :])
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    segments = name.split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    if posixpath.normpath(name) != name:
        return None
    return name


def static_path(name: str) -> Path | None:
    """The file on disk for a static name: collected files first, then the finders."""
    candidates = []
    try:
        if settings.STATIC_ROOT:
            candidates.append(Path(staticfiles_storage.path(name)))
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    try:
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the app's static files and nothing else.

    WeasyPrint 70 wants an instance of `weasyprint.urls.URLFetcher` (it reads the instance's
    `_fail_on_errors`), so this subclasses it and replaces `fetch`; nothing of urllib's
    opener is ever used.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        name = static_name(url)
        path = static_path(name) if name else None
        content_type = ALLOWED_TYPES.get(Path(name).suffix.lower()) if name else None
        if path is None or content_type is None or path.stat().st_size > MAX_STATIC_BYTES:
            self.refused.append(url)
            logger.warning("Export refused to fetch %.200s", url)
            raise FetchRefused(f"Exports may only use the app's own static files: {url[:200]}")
        self.served.append(url)
        return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})
