"""Forms for the pages around the editor: creating and editing blueprints, their phases
and lanes, delivery challenges and prototypes.

The forms only parse and validate; the views pass `cleaned_data` to `blueprints.services`,
which do every write. Choices (ideas, cards, delivery challenges) come from the one
locality or blueprint the page is about, so an id forged from elsewhere is a form error
next to its field, never a write. (A little past 400 lines: the card picker and the choice
fields are shared by several of these forms, so they stay in one module.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When

from blueprints.content_fields import CHALLENGE_FIELDS, PROTOTYPE_FIELDS, RESULT_FIELDS
from blueprints.forms_results import refuse_negative_amounts
from blueprints.models import (
    Blueprint,
    Card,
    DeliveryChallenge,
    DeliveryQuestion,
    Lane,
    Phase,
    Prototype,
    StarterQuestion,
)
from consultations.models import Idea
from localities.models import Locality, Partner, Space, VolunteerRole
from localities.validators import TextHygieneMixin

TITLE_MAX_LENGTH = Blueprint._meta.get_field("title").max_length


def ideas_top_first(locality: Locality) -> QuerySet[Idea]:
    """The locality's ideas, the top idea first, each marked if it has a blueprint already."""
    return (
        Idea.objects.filter(locality=locality)
        .annotate(
            is_top=Case(
                When(status=Idea.Status.CHOSEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            has_blueprint=Exists(Blueprint.objects.filter(idea=OuterRef("pk"))),
        )
        .order_by("is_top", "title", "pk")
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to a field it names, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


class IdeaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Idea) -> str:
        label = f"Top idea: {obj.title}" if obj.status == Idea.Status.CHOSEN else obj.title
        if getattr(obj, "has_blueprint", False):
            label += " (has a blueprint already)"
        return label


class BlueprintChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Blueprint) -> str:
        return obj.title


IDEA_ERRORS = {
    "invalid_choice": "Choose one of this locality's ideas; that one is not.",
    "required": "Choose the idea this blueprint designs.",
}


class BlueprintCreateForm(TextHygieneMixin, forms.Form):
    """A new blueprint from an idea of the locality (the top idea offered first), or a deep
    copy of another of its blueprints."""

    FROM_IDEA = "idea"
    FROM_COPY = "copy"

    start = forms.ChoiceField(
        label="Start from",
        widget=forms.RadioSelect,
        choices=[
            (FROM_IDEA, "An idea, with the default phases and lanes"),
            (FROM_COPY, "A copy of another blueprint, with all its cards"),
        ],
    )
    idea = IdeaChoiceField(
        label="Idea",
        queryset=Idea.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages=IDEA_ERRORS,
        help_text="The top idea is the one the team chose after consulting; any idea will do.",
    )
    copy_of = BlueprintChoiceField(
        label="Copy of",
        queryset=Blueprint.objects.none(),
        required=False,
        empty_label="Choose a blueprint…",
        error_messages={
            "invalid_choice": "Choose one of this locality's blueprints; that one is not."
        },
        help_text="Every phase, lane, card, link, delivery challenge and prototype is copied.",
    )
    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text="Leave empty to use the idea's title, or “Copy of …” for a copy.",
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=Blueprint._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A sentence or two on the service, for the list and the PDF. "
        "A copy keeps its source's summary unless you write one.",
    )

    def __init__(self, *args, locality: Locality, **kwargs):
        super().__init__(*args, **kwargs)
        self.locality = locality
        self.ideas = list(ideas_top_first(locality))
        self.fields["idea"].queryset = ideas_top_first(locality)
        self.fields["copy_of"].queryset = Blueprint.objects.filter(locality=locality).order_by(
            "title", "pk"
        )
        self.has_blueprints = self.fields["copy_of"].queryset.exists()
        # Offer only the starts there is something for.
        self.fields["start"].choices = [
            (value, label)
            for value, label in self.fields["start"].choices
            if (value == self.FROM_IDEA and self.ideas)
            or (value == self.FROM_COPY and self.has_blueprints)
        ]
        if not self.has_blueprints:
            del self.fields["copy_of"]
        top = self.ideas[0] if self.ideas and self.ideas[0].status == Idea.Status.CHOSEN else None
        self.top_idea = top
        self.initial.setdefault("start", self.FROM_IDEA if self.ideas else self.FROM_COPY)
        if top is not None:
            self.initial.setdefault("idea", top.pk)
            self.initial.setdefault("title", top.title)

    def clean(self):
        data = super().clean()
        start = data.get("start")
        if start == self.FROM_IDEA:
            idea = data.get("idea")
            if idea is None and "idea" not in self.errors:
                self.add_error("idea", IDEA_ERRORS["required"])
            elif idea is not None and not data.get("title"):
                self._title_from(data, idea.title, "the idea's title")
        elif start == self.FROM_COPY:
            source = data.get("copy_of")
            if source is None and "copy_of" not in self.errors:
                self.add_error("copy_of", "Choose the blueprint to copy.")
            elif source is not None and not data.get("title"):
                self._title_from(data, f"Copy of {source.title}", "“Copy of” and its title")
        return data

    def _title_from(self, data: dict, title: str, what: str) -> None:
        """An empty title is taken from the idea or the copied blueprint; one too long for a
        blueprint's title is refused with a message, never cut (issue 14)."""
        if len(title) > TITLE_MAX_LENGTH and "title" not in self.errors:
            self.add_error(
                "title",
                f"A blueprint's title keeps to {TITLE_MAX_LENGTH} characters, and {what} has "
                f"{len(title)}: type a shorter title here.",
            )
        else:
            data["title"] = title


class BlueprintUpdateForm(TextHygieneMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX_LENGTH)
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=Blueprint._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idea = IdeaChoiceField(
        label="Idea",
        queryset=Idea.objects.none(),
        empty_label=None,
        error_messages=IDEA_ERRORS,
        help_text="The idea this blueprint designs.",
    )

    def __init__(self, *args, blueprint: Blueprint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = ideas_top_first(blueprint.locality)
        if not self.fields["idea"].queryset.exists():
            del self.fields["idea"]


# Phases and lanes -----------------------------------------------------------------------


def _position_choices(items: list[Phase] | list[Lane]) -> list[tuple[str, str]]:
    return [
        ("", "At the end"),
        *((str(i), f"Before “{item.name}”") for i, item in enumerate(items)),
    ]


class PhaseForm(TextHygieneMixin, forms.Form):
    name = forms.CharField(
        label="Name", max_length=Phase._meta.get_field("name").max_length, strip=True
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=Phase._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What this stage of the family's journey covers.",
    )


class PhaseAddForm(PhaseForm):
    position = forms.TypedChoiceField(
        label="Where", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, phases: list[Phase], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = _position_choices(phases)


class LaneRenameForm(TextHygieneMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=Lane._meta.get_field("name").max_length)


ROLE_CHOICES = [(role.value, f"{role.label}: {Lane.CANONICAL_NAMES[role]}") for role in Lane.Role]


class LaneAddForm(TextHygieneMixin, forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        help_text="The role places the lines of interaction, visibility and internal "
        "interaction; only family lanes carry emotions.",
    )
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=Lane._meta.get_field("name").max_length,
        help_text="Leave empty to use the role's usual name: "
        + "; ".join(f"{role.label.lower()}, “{name}”" for role, name in Lane.DEFAULT_NAMES.items())
        + ".",
    )
    position = forms.TypedChoiceField(
        label="Where", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, lanes: list[Lane], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = _position_choices(lanes)


class MoveForm(TextHygieneMixin, forms.Form):
    """Earlier/later for phases (columns), up/down for lanes (rows)."""

    direction = forms.ChoiceField(
        choices=[("earlier", "Earlier"), ("later", "Later"), ("up", "Up"), ("down", "Down")]
    )

    @property
    def step(self) -> int:
        return -1 if self.cleaned_data["direction"] in ("earlier", "up") else 1


# Cards picked in groups -----------------------------------------------------------------


class CardChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Card) -> str:
        return obj.title


@dataclass
class LaneGroup:
    lane: Lane
    choices: list = field(default_factory=list)  # the checkboxes (BoundWidgets)


@dataclass
class PhaseGroup:
    phase: Phase
    lanes: list[LaneGroup] = field(default_factory=list)


CARD_ERRORS = {
    "invalid_choice": "Choose cards of this blueprint only (%(value)s is not one of them).",
    "invalid_pk_value": "“%(pk)s” is not a card.",
}
CHALLENGE_ERRORS = {
    "invalid_choice": "Choose delivery challenges of this blueprint only "
    "(%(value)s is not one of them).",
    "invalid_pk_value": "“%(pk)s” is not a delivery challenge.",
}


def blueprint_cards(blueprint: Blueprint) -> QuerySet[Card]:
    """Cards in grid order (phase, then lane, then position), with their phase and lane."""
    return (
        Card.objects.filter(blueprint=blueprint)
        .select_related("phase", "lane")
        .order_by("phase__position", "lane__position", "position")
    )


class CardPickerMixin:
    """The `cards` field as checkboxes grouped by phase, then lane, read in one query."""

    def card_groups(self) -> list[PhaseGroup]:
        groups: list[PhaseGroup] = []
        for choice in self["cards"].subwidgets:
            card = choice.data["value"].instance
            if not groups or groups[-1].phase.pk != card.phase_id:
                groups.append(PhaseGroup(card.phase))
            lanes = groups[-1].lanes
            if not lanes or lanes[-1].lane.pk != card.lane_id:
                lanes.append(LaneGroup(card.lane))
            lanes[-1].choices.append(choice)
        return groups


class DeliveryChallengeForm(CardPickerMixin, TextHygieneMixin, forms.ModelForm):
    cards = CardChoiceField(
        label="The cards it touches",
        queryset=Card.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages=CARD_ERRORS,
    )

    class Meta:
        model = DeliveryChallenge
        fields = list(CHALLENGE_FIELDS)
        labels = {"title": "Title", "theme": "Theme"}
        help_texts = {
            "title": "The challenge in a sentence, e.g. “Fathers rarely come to sessions”.",
        }

    def __init__(self, *args, blueprint: Blueprint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Choose a theme…"), *DeliveryChallenge.Theme.choices]
        self.fields["cards"].queryset = blueprint_cards(blueprint)
        if self.instance.pk is None:
            # A new challenge starts with its questions; after that each is a piece of work
            # of its own, changed on the questions page.
            self.fields["questions"] = forms.CharField(
                label="Questions to explore",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="Your own, one question a line; they follow any starter questions "
                "ticked above.",
            )
            self._add_starter_fields()

    # The programme's starter questions: a box to tick and the words to copy, for each.
    # Every theme's are offered (the chosen theme's first and open), so the form needs no
    # script: the team ticks the ones that apply and edits their words. The copy is the
    # site's own; changing the library later changes nothing here.

    def _add_starter_fields(self) -> None:
        self.starters = list(StarterQuestion.objects.order_by("theme", "position", "pk"))
        limit = DeliveryQuestion._meta.get_field("text").max_length
        for starter in self.starters:
            self.fields[f"starter-{starter.pk}"] = forms.BooleanField(
                label="Ask this question", required=False
            )
            self.fields[f"starter-{starter.pk}-text"] = forms.CharField(
                label="In your words",
                required=False,
                max_length=limit,
                initial=starter.text,
            )

    def _starters_in_order(self) -> list[StarterQuestion]:
        """The chosen theme's first, then the themes in their usual order."""
        chosen = self["theme"].value() or ""
        themes = DeliveryChallenge.Theme.values
        return sorted(
            self.starters,
            key=lambda s: (s.theme != chosen, themes.index(s.theme), s.position, s.pk),
        )

    def starter_groups(self) -> list[dict]:
        """[{value, label, chosen, rows: [(tick, words)]}] by theme, the chosen theme first."""
        chosen = self["theme"].value() or ""
        labels = dict(DeliveryChallenge.Theme.choices)
        groups: list[dict] = []
        for starter in self._starters_in_order():
            if not groups or groups[-1]["value"] != starter.theme:
                groups.append(
                    {
                        "value": starter.theme,
                        "label": labels[starter.theme],
                        "chosen": starter.theme == chosen,
                        "rows": [],
                    }
                )
            groups[-1]["rows"].append(
                (self[f"starter-{starter.pk}"], self[f"starter-{starter.pk}-text"])
            )
        return groups

    def clean_questions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines()]
        limit = DeliveryQuestion._meta.get_field("text").max_length
        if any(len(line) > limit for line in lines):
            raise ValidationError(f"Keep each question to {limit} characters.")
        return [line for line in lines if line]

    def clean(self):
        data = super().clean()
        ticked = []
        for starter in self._starters_in_order() if hasattr(self, "starters") else ():
            name = f"starter-{starter.pk}"
            if not data.get(name):
                continue
            words = (data.get(f"{name}-text") or "").strip()
            if words:
                ticked.append(words)
            elif f"{name}-text" not in self.errors:
                self.add_error(f"{name}-text", "Write the question, or untick it.")
        if "questions" in data:
            data["questions"] = [*ticked, *data["questions"]]
        return data


class QuestionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DeliveryQuestion) -> str:
        return f"{obj.text} ({obj.challenge.title})"


def resource_errors(noun: str) -> dict[str, str]:
    return {
        "invalid_choice": f"Choose {noun} of this blueprint's own locality only; "
        "%(value)s is not one.",
        "invalid_pk_value": f"“%(pk)s” is not one of the {noun}.",
    }


def resource_choices(label: str, model: type, noun: str) -> forms.ModelMultipleChoiceField:
    """Checkboxes of the locality's resources of one kind (the form sets the queryset)."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=resource_errors(noun),
    )


class PrototypeForm(CardPickerMixin, TextHygieneMixin, forms.ModelForm):
    cards = CardChoiceField(
        label="Section of the blueprint it tests",
        queryset=Card.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages=CARD_ERRORS,
    )
    delivery_challenges = forms.ModelMultipleChoiceField(
        label="Delivery challenges it explores",
        queryset=DeliveryChallenge.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=CHALLENGE_ERRORS,
    )
    questions = QuestionChoiceField(
        label="Questions it tests",
        queryset=DeliveryQuestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose questions of this blueprint's delivery challenges only.",
            "invalid_pk_value": "“%(pk)s” is not a question.",
        },
    )
    spaces = resource_choices("Spaces it uses", Space, "spaces")
    partners = resource_choices("Partners it works with", Partner, "partners")
    volunteer_roles = resource_choices("Volunteer roles it uses", VolunteerRole, "volunteer roles")
    cost = forms.DecimalField(
        label="Estimated cost (£)",
        min_value=0,
        max_digits=9,
        decimal_places=2,
        initial=0,
        help_text="In pounds, e.g. 250 or 49.99; 0 if it costs nothing.",
        error_messages={"min_value": "The cost cannot be negative; enter 0 if it costs nothing."},
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )

    class Meta:
        model = Prototype
        fields = [*PROTOTYPE_FIELDS, *RESULT_FIELDS]
        labels = {
            "title": "Title",
            "hypothesis": "Hypothesis",
            "method": "Method",
            "risk": "Risk",
            "starts_on": "Start date",
            "ends_on": "End date",
            "status": "Status",
            "learning": "What we learned",
            "decision": "Decision",
        }
        widgets = {
            "in_kind_description": forms.Textarea(attrs={"rows": 2}),
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "method": forms.Textarea(attrs={"rows": 3}),
            "learning": forms.Textarea(attrs={"rows": 4}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "hypothesis": "We believe that … will … We will know when …",
            "method": "How the team will test it, with whom, and where.",
            "learning": "Fill in as the prototype runs, and when it finishes.",
            "decision": (
                "Once finished, and with a result (families reached, or a measure's actual): "
                "adopt it, adapt it, or drop it."
            ),
        }

    def __init__(self, *args, blueprint: Blueprint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cards"].queryset = blueprint_cards(blueprint)
        self.fields["delivery_challenges"].queryset = blueprint.delivery_challenges.order_by(
            "theme", "title"
        )
        self.fields["questions"].queryset = DeliveryQuestion.objects.filter(
            challenge__blueprint=blueprint
        ).select_related("challenge")
        # The site's own community resources, by name (DESIGN section 1).
        locality_id = blueprint.locality_id
        self.fields["spaces"].queryset = Space.objects.filter(locality_id=locality_id).order_by(
            "name", "pk"
        )
        self.fields["partners"].queryset = Partner.objects.filter(locality_id=locality_id).order_by(
            "organisation", "pk"
        )
        self.fields["volunteer_roles"].queryset = VolunteerRole.objects.filter(
            locality_id=locality_id
        ).order_by("name", "pk")
        refuse_negative_amounts(self)
