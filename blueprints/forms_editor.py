"""Forms of the blueprint editor: a card, a move ("Move to..." too), a link between cards.

They parse and validate only; the views hand `cleaned_data` to `blueprints.services`, which
do every write and check again (an insight of another locality, a phase of another
blueprint), so a forged id is an error next to its field and never a write.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from blueprints.models import Blueprint, Card, Lane, Phase
from localities.models import Insight, Partner, Space, VolunteerRole
from localities.validators import TextHygieneMixin

EMOTION_CHOICES = [
    ("", "Not recorded"),
    ("-2", "-2 very negative"),
    ("-1", "-1 negative"),
    ("0", "0 neutral"),
    ("1", "+1 positive"),
    ("2", "+2 very positive"),
]
EMOTION_NOT_ALLOWED = "Only cards in the family lane can have an emotion."
TITLE_MAX_LENGTH = Card._meta.get_field("title").max_length
DETAILS_MAX_LENGTH = Card._meta.get_field("details").max_length


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to a field it names, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


class InsightChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Insight) -> str:
        return obj.statement


class ResourceChoiceField(forms.ModelChoiceField):
    """One of the locality's community resources, by its name ("—" for none)."""

    def __init__(self, *, noun: str, **kwargs):
        super().__init__(
            queryset=kwargs.pop("queryset"),
            required=False,
            empty_label="—",
            error_messages={
                "invalid_choice": f"Choose a {noun} of this blueprint's own locality; "
                "that one is not.",
            },
            **kwargs,
        )


# The card's "Where, who and volunteers" group, in the order it shows them.
RESOURCE_FIELD_NAMES = ("space", "partner", "volunteer_role", "volunteer_hours")


class CardForm(TextHygieneMixin, forms.Form):
    """A card's content. `emotion` is offered only in a lane that allows one, and refused
    (with a message next to the field) if posted for any other lane. The space, partner
    and volunteer role are the blueprint's locality's (a forged id from another is an error
    at its field), and volunteer hours need a role."""

    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Give the card a title.",
            "max_length": "Keep the title to %(limit_value)d characters or fewer "
            "(it has %(show_value)d).",
        },
    )
    details = forms.CharField(
        label="Details",
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(label="Kind", choices=Card.Kind.choices, initial=Card.Kind.STEP)
    emotion = forms.TypedChoiceField(
        label="Emotion",
        choices=EMOTION_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="How the family feels at this step.",
    )
    insights = InsightChoiceField(
        label="Supporting insights",
        queryset=Insight.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose insights of this locality only; %(value)s is not one.",
            "invalid_pk_value": "“%(pk)s” is not an insight.",
        },
    )

    space = ResourceChoiceField(label="Space", noun="space", queryset=Space.objects.none())
    partner = ResourceChoiceField(label="Partner", noun="partner", queryset=Partner.objects.none())
    volunteer_role = ResourceChoiceField(
        label="Volunteer role", noun="volunteer role", queryset=VolunteerRole.objects.none()
    )
    volunteer_hours = forms.DecimalField(
        label="Volunteer hours a week",
        required=False,
        min_value=0,
        max_digits=Card._meta.get_field("volunteer_hours").max_digits,
        decimal_places=Card._meta.get_field("volunteer_hours").decimal_places,
        error_messages={
            "min_value": "Volunteer hours cannot be negative; leave it empty if none.",
            "invalid": "Give the hours as a number, e.g. 4 or 2.5.",
            "max_decimal_places": "Give the hours to one decimal place at most, e.g. 2.5.",
            "max_digits": "Give fewer hours: at most 9999.9 a week.",
            "max_whole_digits": "Give fewer hours: at most 9999.9 a week.",
        },
    )

    def __init__(self, *args, blueprint: Blueprint, lane: Lane, **kwargs):
        super().__init__(*args, **kwargs)
        self.lane = lane
        locality_id = blueprint.locality_id
        self.fields["insights"].queryset = Insight.objects.filter(locality_id=locality_id).order_by(
            "statement", "pk"
        )
        # One query each when drawn, however many cards the blueprint has.
        self.fields["space"].queryset = Space.objects.filter(locality_id=locality_id).order_by(
            "name", "pk"
        )
        self.fields["partner"].queryset = Partner.objects.filter(locality_id=locality_id).order_by(
            "organisation", "pk"
        )
        self.fields["volunteer_role"].queryset = VolunteerRole.objects.filter(
            locality_id=locality_id
        ).order_by("name", "pk")
        self.allows_emotion = lane.allows_emotion
        for name, css in (
            ("title", "form-control form-control-sm"),
            ("details", "form-control form-control-sm"),
            ("kind", "form-select form-select-sm"),
            ("emotion", "form-select form-select-sm"),
            ("space", "form-select form-select-sm"),
            ("partner", "form-select form-select-sm"),
            ("volunteer_role", "form-select form-select-sm"),
            ("volunteer_hours", "form-control form-control-sm"),
        ):
            self.fields[name].widget.attrs["class"] = css
        self.fields["volunteer_hours"].widget.attrs.update(min="0", step="0.5", inputmode="decimal")

    def clean(self):
        data = super().clean()
        hours, role = data.get("volunteer_hours"), data.get("volunteer_role")
        if hours is not None and role is None and "volunteer_role" not in self.errors:
            self.add_error("volunteer_hours", "Choose the volunteer role that gives these hours.")
        return data

    def resource_fields(self) -> list[forms.BoundField]:
        """The "Where, who and volunteers" group's fields, in order."""
        return [self[name] for name in RESOURCE_FIELD_NAMES]

    def clean_emotion(self) -> int | None:
        emotion = self.cleaned_data["emotion"]
        if emotion is not None and not self.allows_emotion:
            raise ValidationError(EMOTION_NOT_ALLOWED, code="emotion_not_allowed")
        return emotion

    def hidden_field_errors(self) -> list[str]:
        """Errors of fields the form does not show (emotion outside the family lane)."""
        if self.allows_emotion:
            return []
        return list(self.errors.get("emotion", []))

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if not self.allows_emotion:
            data.pop("emotion", None)
        return data

    @classmethod
    def initial_for(cls, card: Card) -> dict:
        return {
            "title": card.title,
            "details": card.details,
            "kind": card.kind,
            "emotion": card.emotion,
            "insights": [insight.pk for insight in card.insights.all()],
            "space": card.space_id,
            "partner": card.partner_id,
            "volunteer_role": card.volunteer_role_id,
            # Hours whose role has been deleted belong to no one: left out.
            "volunteer_hours": card.volunteer_hours if card.volunteer_role_id else None,
        }


class VersionForm(TextHygieneMixin, forms.Form):
    """The card version an edit, a move or a deletion starts from."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MoveForm(VersionForm):
    """Where to move a card: `phase`, `lane` and `position` (blank: the end of the cell), as
    drag and drop sends them; or a `direction`, as the keyboard buttons send it."""

    DIRECTIONS = ("left", "right", "up", "down")

    direction = forms.ChoiceField(required=False, choices=[("", "")] + [(d, d) for d in DIRECTIONS])
    phase = forms.IntegerField(required=False, min_value=1)
    lane = forms.IntegerField(required=False, min_value=1)
    position = forms.IntegerField(required=False, min_value=0)

    def clean(self):
        data = super().clean()
        if not data.get("direction") and not (data.get("phase") and data.get("lane")):
            raise ValidationError("Say where to move the card: a direction, or a phase and lane.")
        return data


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class MoveToForm(VersionForm):
    """The "Move to..." form: a lane and a phase of this blueprint and a position in that
    cell, counted from 1 (blank: the end of the cell). Anything else is an error at its
    field: a lane or phase of another blueprint, a position of 0, past the end, or text."""

    lane = NamedChoiceField(
        label="Lane",
        queryset=Lane.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of this blueprint's lanes."},
    )
    phase = NamedChoiceField(
        label="Phase",
        queryset=Phase.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of this blueprint's phases."},
    )
    position = forms.IntegerField(
        label="Position in the cell",
        required=False,
        min_value=1,
        help_text="1 is the top of the cell; leave it blank for the end.",
        error_messages={
            "invalid": "Give the position as a whole number, 1 for the top.",
            "min_value": "Give a position of 1 (the top) or more.",
        },
    )

    def __init__(self, *args, card: Card, **kwargs):
        super().__init__(*args, **kwargs)
        self.card = card
        self.fields["lane"].queryset = Lane.objects.filter(blueprint_id=card.blueprint_id).order_by(
            "position"
        )
        self.fields["phase"].queryset = Phase.objects.filter(
            blueprint_id=card.blueprint_id
        ).order_by("position")
        self.fields["position"].widget.attrs.update(min="1", inputmode="numeric")
        self.fields["lane"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["phase"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["position"].widget.attrs["class"] = "form-control form-control-sm"

    @classmethod
    def initial_for(cls, card: Card) -> dict:
        return {
            "lane": card.lane_id,
            "phase": card.phase_id,
            "position": card.position + 1,
            "version": card.version,
        }

    def clean(self):
        data = super().clean()
        lane, phase, position = data.get("lane"), data.get("phase"), data.get("position")
        if lane is None or phase is None or position is None:
            return data
        others = Card.objects.filter(phase=phase, lane=lane).exclude(pk=self.card.pk).count()
        if position > others + 1:
            self.add_error(
                "position",
                f"That cell has room for positions 1 to {others + 1}; choose one of those.",
            )
        return data

    def target(self) -> tuple[Phase, Lane, int | None]:
        """Where to, for `services.move_card`: the position counted from 0, or None (the
        end of the cell)."""
        position = self.cleaned_data["position"]
        return (
            self.cleaned_data["phase"],
            self.cleaned_data["lane"],
            None if position is None else position - 1,
        )


class LinkForm(TextHygieneMixin, forms.Form):
    """Link this card to another card of the same blueprint, or remove such a link."""

    class Direction:
        SERVES = "serves"
        SERVED_BY = "served_by"

    DIRECTION_CHOICES = [
        (Direction.SERVES, "This card serves the other card"),
        (Direction.SERVED_BY, "This card is served by the other card"),
    ]

    action = forms.ChoiceField(
        choices=[("link", "Link"), ("unlink", "Unlink")], widget=forms.HiddenInput, initial="link"
    )
    direction = forms.ChoiceField(
        label="Relation",
        choices=DIRECTION_CHOICES,
        initial=Direction.SERVES,
        widget=forms.RadioSelect,
    )
    other = forms.ModelChoiceField(
        label="Other card",
        queryset=Card.objects.none(),
        empty_label="Choose a card",
        error_messages={
            "invalid_choice": "Choose a card of this blueprint; that one is not part of it."
        },
    )

    def __init__(self, *args, card: Card, **kwargs):
        super().__init__(*args, **kwargs)
        self.card = card
        self.fields["other"].queryset = (
            Card.objects.filter(blueprint_id=card.blueprint_id)
            .exclude(pk=card.pk)
            .select_related("phase", "lane")
            .order_by("lane__position", "phase__position", "position")
        )
        self.fields["other"].label_from_instance = lambda other: (
            f"{other.title} ({other.lane.name}, {other.phase.name})"
        )

    def ends(self) -> tuple[Card, Card]:
        """(from_card, to_card): the card that serves, and the card it serves."""
        other = self.cleaned_data["other"]
        if self.cleaned_data["direction"] == self.Direction.SERVES:
            return self.card, other
        return other, self.card
