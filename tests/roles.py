"""The role matrix of DESIGN section 4, shared by every role-by-role test: the answer each
kind of user gets from a locality's pages, by what the page does.

The users are the fixtures of tests/conftest.py (`users[role]`): a lead, an editor and a
viewer of the locality, a lead of another locality (`outsider`), an innovation-unit
reviewer and a superuser.
"""

from http import HTTPStatus

OK, FORBIDDEN, NOT_FOUND = HTTPStatus.OK, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND

# Reading a locality's pages: its members and every reviewer; another locality's lead is
# told the page does not exist.
READERS = {
    "lead": OK,
    "editor": OK,
    "viewer": OK,
    "outsider": NOT_FOUND,
    "reviewer": OK,
    "superuser": OK,
}
# Changing its content (insights, ideas, blueprints...).
CONTENT_EDITORS = {
    "lead": OK,
    "editor": OK,
    "viewer": FORBIDDEN,
    "outsider": NOT_FOUND,
    "reviewer": FORBIDDEN,
    "superuser": OK,
}
# Changing its team.
MANAGERS = {
    "lead": OK,
    "editor": FORBIDDEN,
    "viewer": FORBIDDEN,
    "outsider": NOT_FOUND,
    "reviewer": FORBIDDEN,
    "superuser": OK,
}

ROLES = list(READERS)
ALLOWED_READERS = [role for role, status in READERS.items() if status == OK]
WRITERS = [role for role, status in CONTENT_EDITORS.items() if status == OK]
REFUSED_WRITERS = [role for role, status in CONTENT_EDITORS.items() if status != OK]
# Those who read the pages but may change nothing on them.
READ_ONLY = [role for role in ALLOWED_READERS if CONTENT_EDITORS[role] == FORBIDDEN]
