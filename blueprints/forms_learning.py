"""Forms of the learning library: starting a delivery challenge or a prototype of one's own
from another site's published work. They only parse; `blueprints.services` writes.

The blueprint is chosen among those the view hands in (the user's own sites' blueprints,
`blueprints.learning.blueprints_to_start_in`), so one forged from elsewhere is an error
next to the field, never a write.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from blueprints.models import Blueprint, DeliveryChallenge
from localities.validators import TextHygieneMixin

TITLE_MAX_LENGTH = DeliveryChallenge._meta.get_field("title").max_length


class _StartBlueprintField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Blueprint) -> str:
        return f"{obj.locality.name}: {obj.title}"


class StartFromForm(TextHygieneMixin, forms.Form):
    """Where to start, and under what title (the source's, unless changed)."""

    blueprint = _StartBlueprintField(
        label="In which of your blueprints",
        queryset=Blueprint.objects.none(),
        empty_label="Choose a blueprint…",
        error_messages={
            "required": "Choose the blueprint to start it in.",
            "invalid_choice": "Choose one of your own site's blueprints; that one is not.",
        },
    )
    title = forms.CharField(label="Title", max_length=TITLE_MAX_LENGTH)

    def __init__(self, *args, blueprints: QuerySet[Blueprint], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blueprint"].queryset = blueprints


class StartChallengeForm(StartFromForm):
    """A delivery challenge: its theme too (the source challenge's, unless changed)."""

    theme = forms.ChoiceField(
        label="Theme",
        choices=[("", "Choose a theme…"), *DeliveryChallenge.Theme.choices],
        error_messages={"required": "Choose the challenge's theme."},
    )
