"""The portfolio's filters, read from the query string: the review worklist's state and
delivery-challenge theme (issue 14, item 3).

A value that is not one of the choices (a stale or edited link) shows an error next to its
field and that filter is left out, as on the locality lists, so the page still answers.
"""

from __future__ import annotations

from django import forms

from blueprints.models import Blueprint, DeliveryChallenge
from blueprints.review.worklist import IN_REVIEW
from localities.validators import TextHygieneMixin

State = Blueprint.ReviewState
ANY_STATE = "any"


class WorklistFilterForm(TextHygieneMixin, forms.Form):
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[
            ("", "In review (submitted or changes requested)"),
            *State.choices,
            (ANY_STATE, "Any state"),
        ],
        error_messages={"invalid_choice": "Choose a state from the list."},
    )
    theme = forms.ChoiceField(
        label="Delivery-challenge theme",
        required=False,
        choices=[("", "Any theme"), *DeliveryChallenge.Theme.choices],
        error_messages={"invalid_choice": "Choose a theme from the list."},
        help_text="Blueprints with a delivery challenge of this theme.",
    )

    def _value(self, name: str) -> str:
        """The field's value if it is valid, else "" (the default)."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""

    @property
    def chosen_states(self) -> tuple[str, ...]:
        state = self._value("state")
        if state == ANY_STATE:
            return tuple(State.values)
        return (state,) if state else IN_REVIEW

    @property
    def chosen_theme(self) -> str | None:
        return self._value("theme") or None

    @property
    def is_filtered(self) -> bool:
        return bool(self._value("state") or self._value("theme"))
