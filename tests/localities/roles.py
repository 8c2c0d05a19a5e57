"""Expected answers per role (DESIGN section 4), shared by the permission tests."""

from http import HTTPStatus

OK, FORBIDDEN, NOT_FOUND = HTTPStatus.OK, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND

READERS = {
    "lead": OK,
    "editor": OK,
    "viewer": OK,
    "outsider": NOT_FOUND,
    "reviewer": OK,
    "superuser": OK,
}
CONTENT_EDITORS = {
    "lead": OK,
    "editor": OK,
    "viewer": FORBIDDEN,
    "outsider": NOT_FOUND,
    "reviewer": FORBIDDEN,
    "superuser": OK,
}
ROLES = list(READERS)
REFUSED_WRITERS = [role for role, status in CONTENT_EDITORS.items() if status != OK]
WRITERS = [role for role, status in CONTENT_EDITORS.items() if status == OK]
