"""The content fields of a site's community resources, declared once.

What the resources pages' forms edit, what a blueprint's JSON file carries for each resource
it names, and what a comparison of two versions looks at, in the order a form shows them.
"""

from __future__ import annotations

LEFT_FIELDS: tuple[str, ...] = (
    "left_work_or_study",
    "left_moved",
    "left_time",
    "left_role",
    "left_other",
)
SPACE_FIELDS: tuple[str, ...] = (
    "name",
    "kind",
    "area",
    "step_free",
    "access_notes",
    "hire_cost_per_hour",
    "income_per_hour",
    "managed_by",
    "out_of_hours_staffed_by",
)
OPENING_FIELDS: tuple[str, ...] = ("day", "opens", "closes", "out_of_hours")
PARTNER_FIELDS: tuple[str, ...] = ("organisation", "kind", "contact_role", "notes")
CONTRIBUTION_FIELDS: tuple[str, ...] = (
    "kind",
    "description",
    "value",
    "quantity",
    "status",
    "status_on",
)
ROLE_FIELDS: tuple[str, ...] = ("name", "tasks", "hours_needed", "training", "supervision")
MONTH_FIELDS: tuple[str, ...] = (
    "month",
    "interested",
    "checked",
    "trained",
    "active",
    *LEFT_FIELDS,
    "former_users",
)
