"""Every CSV the app serves starts here, so every one starts with the UTF-8 byte-order mark.

Excel opens a CSV without the mark in the machine's legacy code page, so "Café" comes out as
"CafÃ©"; with it, Excel reads UTF-8. Other spreadsheet programs and Python's `utf-8-sig`
skip the mark. `localities` is the bottom app, so blueprints and consultations may import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from django.http import HttpResponse, StreamingHttpResponse

BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def _attach(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def csv_response(filename: str) -> HttpResponse:
    """An empty CSV download, the mark already written: hand it to `csv.writer`."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    _attach(response, filename)
    response.write(BOM)
    return response


def streaming_csv_response(lines: Iterable[str], filename: str) -> StreamingHttpResponse:
    """A streamed CSV download of `lines` (already written rows), the mark first."""
    response = StreamingHttpResponse(chain([BOM], lines), content_type=CSV_CONTENT_TYPE)
    _attach(response, filename)
    return response
