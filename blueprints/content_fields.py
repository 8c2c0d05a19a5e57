"""The content fields of each part of a blueprint, declared once.

A card's, a delivery challenge's and a prototype's own content: what the services change
(`update_card(title=..., ...)`), what the forms and the admin edit, what the JSON file
carries for each, and what a comparison of two versions looks at. Each list is written
here and nowhere else, in the order a form shows it. This module imports nothing, so any
layer may read it.
"""

from __future__ import annotations

BLUEPRINT_FIELDS: tuple[str, ...] = ("title", "summary", "idea")
CARD_FIELDS: tuple[str, ...] = (
    "title",
    "details",
    "kind",
    "emotion",
    "insights",
    "space",
    "partner",
    "volunteer_role",
    "volunteer_hours",
)
CHALLENGE_FIELDS: tuple[str, ...] = ("theme", "title", "cards")
QUESTION_FIELDS: tuple[str, ...] = (
    "text",
    "status",
    "owner",
    "answer",
    "answered_on",
    "insights",
    "ideas",
)
PROTOTYPE_FIELDS: tuple[str, ...] = (
    "title",
    "cards",
    "delivery_challenges",
    "questions",
    "spaces",
    "partners",
    "volunteer_roles",
    "hypothesis",
    "method",
    "cost",
    "risk",
    "starts_on",
    "ends_on",
    "status",
    "learning",
    "decision",
)

# What a prototype reached and cost, once it has run (the measures are rows of their own).
RESULT_FIELDS: tuple[str, ...] = (
    "families_reached",
    "hardest_to_reach",
    "staff_hours",
    "volunteer_hours",
    "cash_cost",
    "in_kind_description",
    "in_kind_value",
    "income",
)

# Fields that point at other parts of the same blueprint (its cards, its delivery
# challenges). A file names those by references that change with every export, so a
# comparison of two versions leaves them out.
BLUEPRINT_LINKS = frozenset({"cards", "delivery_challenges", "questions"})


def without_links(fields: tuple[str, ...]) -> tuple[str, ...]:
    """`fields` less those that point at other parts of the blueprint."""
    return tuple(name for name in fields if name not in BLUEPRINT_LINKS)
