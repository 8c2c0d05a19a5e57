"""Tell a blueprint's open editors that it changed, once the change has committed.

Called from the places every write passes: `services.shared.bump` (every content and
planning change, phases and lanes included) and `review.states.record` (every review move).
The message names the new version and who made the change; each client then asks
`blueprints.views.live` for what changed since the moment it last saw (so it catches up on
anything, however many messages it missed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from localities.live import send_after_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


def blueprint_group(blueprint_id: int) -> str:
    """The group of every open editor of one blueprint."""
    return f"blueprint-{blueprint_id}"


def display_name(user: User | None) -> str:
    """A person as the team knows them: their full name, else their username."""
    if user is None or not user.is_authenticated:
        return ""
    return user.get_full_name().strip() or user.get_username()


def blueprint_changed(
    *, blueprint_id: int, version: int, by: User | None, review: bool = False
) -> None:
    """After commit: tell the blueprint's sockets its content (or review state) changed."""
    send_after_commit(
        blueprint_group(blueprint_id),
        {
            "type": "blueprint.changed",
            "version": version,
            "by": display_name(by),
            "review": review,
        },
    )
