"""A bound on how long and how many pages WeasyPrint may take for one export.

WeasyPrint reports its progress on the `weasyprint.progress` logger, once per step and once
per page it lays out. A filter on that logger checks the current render's deadline and page
count each time and stops the render by raising `Stop`, a BaseException, so that no
`except Exception` inside WeasyPrint can swallow it. The filter also drops every progress
record, which would otherwise log a line per page of every export (and, at import, one per
built-in stylesheet); it is installed when this package is imported, before WeasyPrint is.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

PROGRESS_LOGGER_NAME = "weasyprint.progress"
PAGE_MESSAGE = "Step 5 - Creating layout - Page"


class Stop(BaseException):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "time" or "pages"


_limits = threading.local()


class RenderGuard(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        limits = getattr(_limits, "value", None)
        if limits is not None:
            deadline, max_pages = limits
            if time.monotonic() > deadline:
                raise Stop("time")
            if str(record.msg).startswith(PAGE_MESSAGE) and isinstance(record.args, tuple):
                page = record.args[0] if record.args else 0
                if isinstance(page, int) and page > max_pages:
                    raise Stop("pages")
        return False


_guard = RenderGuard()
_lock = threading.Lock()


def install() -> None:
    logger = logging.getLogger(PROGRESS_LOGGER_NAME)
    with _lock:
        if _guard not in logger.filters:
            logger.addFilter(_guard)
        # Records must be made for the guard to see them, whatever the root logger's level.
        logger.setLevel(logging.INFO)


@contextmanager
def limits(*, seconds: float, max_pages: int):
    """Within the block, this thread's render stops past `seconds` or `max_pages`."""
    install()
    _limits.value = (time.monotonic() + seconds, max_pages)
    try:
        yield
    finally:
        _limits.value = None
