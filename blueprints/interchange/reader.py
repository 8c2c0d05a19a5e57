"""Reading an uploaded blueprint file: bytes to a checked document.

`parse_bytes` refuses what is not a JSON export at all (too large, not UTF-8, not JSON) and
hands the decoded document to `schema.parse_document`, whose pydantic models check
everything else (types, lengths, choices, references, limits). Either way the caller gets a
`ParsedDocument` or an `ImportProblems` that says what is wrong and where, and the database
is not touched. Writing the checked document is `json_import`'s.
"""

from __future__ import annotations

import json

from blueprints.interchange.problems import ImportProblems
from blueprints.interchange.schema import ParsedDocument, parse_document

MAX_FILE_BYTES = 2 * 1024 * 1024


def parse_bytes(content: bytes) -> ParsedDocument:
    """Read and check an uploaded file. Raises ImportProblems, saying what is wrong."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportProblems(
            [
                f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; it cannot be a "
                "blueprint exported from this site."
            ]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblems(["The file is not text in UTF-8: is it a JSON export?"]) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:
        detail = f" ({error})" if isinstance(error, json.JSONDecodeError) else ""
        raise ImportProblems([f"The file is not valid JSON{detail}."]) from None
    return parse_document(document)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not allowed")
