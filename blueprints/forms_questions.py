"""Forms for a delivery question: adding one to a challenge, and changing it as the work
goes on (its owner, status, answer and evidence).

The forms parse and validate; the views hand `cleaned_data` to `blueprints.services`. The
choices (challenges, owners, insights, ideas) come from the one blueprint and locality the
page is about, so an id forged from elsewhere is an error next to its field.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from blueprints.content_fields import QUESTION_FIELDS
from blueprints.models import Blueprint, DeliveryChallenge, DeliveryQuestion
from consultations.models import Idea
from localities.models import Insight, Locality
from localities.validators import TextHygieneMixin

OWNER_ERRORS = {"invalid_choice": "Choose a member of this locality's team."}


def team_of(locality: Locality) -> QuerySet:
    """The locality's members, by name: the people who may own a question."""
    return (
        get_user_model()
        .objects.filter(memberships__locality=locality)
        .order_by("first_name", "last_name", "username")
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class ChallengeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DeliveryChallenge) -> str:
        return f"{obj.title} ({obj.get_theme_display()})"


class InsightChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Insight) -> str:
        return obj.statement


class IdeaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Idea) -> str:
        return obj.title


def _owner_field() -> OwnerChoiceField:
    return OwnerChoiceField(
        label="Owner",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="No one yet",
        error_messages=OWNER_ERRORS,
        help_text="The member of the team who sees it through.",
    )


class QuestionCreateForm(TextHygieneMixin, forms.Form):
    """A new question starts open; its answer and evidence come as the work goes on."""

    challenge = ChallengeChoiceField(
        label="Delivery challenge",
        queryset=DeliveryChallenge.objects.none(),
        empty_label="Choose a delivery challenge…",
        error_messages={
            "invalid_choice": "Choose one of this blueprint's delivery challenges.",
            "required": "Choose the delivery challenge the question belongs to.",
        },
    )
    text = forms.CharField(
        label="Question",
        max_length=DeliveryQuestion._meta.get_field("text").max_length,
        help_text="e.g. “What is the right first contact with the families we never see?”",
    )

    def __init__(self, *args, blueprint: Blueprint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = blueprint.delivery_challenges.order_by(
            "theme", "title", "pk"
        )
        self.fields["owner"] = _owner_field()
        self.fields["owner"].queryset = team_of(blueprint.locality)


class QuestionForm(TextHygieneMixin, forms.ModelForm):
    owner = _owner_field()
    insights = InsightChoiceField(
        label="Insights behind the answer",
        queryset=Insight.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose insights of this locality only."},
    )
    ideas = IdeaChoiceField(
        label="Ideas whose consultation results bear on it",
        queryset=Idea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose ideas of this locality only."},
    )

    class Meta:
        model = DeliveryQuestion
        fields = list(QUESTION_FIELDS)
        labels = {"text": "Question", "status": "Status", "answer": "Answer"}
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 4}),
            "answered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "answer": "What the team found, and what it will do. Needed once it is answered.",
            "answered_on": "Leave empty for today when you mark it answered.",
        }

    def __init__(self, *args, blueprint: Blueprint, **kwargs):
        super().__init__(*args, **kwargs)
        locality = blueprint.locality
        self.fields["owner"].queryset = team_of(locality)
        self.fields["insights"].queryset = Insight.objects.filter(locality=locality).order_by(
            "statement", "pk"
        )
        self.fields["ideas"].queryset = Idea.objects.filter(locality=locality).order_by(
            "title", "pk"
        )

    def clean(self):
        data = super().clean()
        # The services date an answer today unless told otherwise; the form says the same,
        # so the model's rule (an answered question has its date) meets a date.
        if (
            data.get("status") == DeliveryQuestion.Status.ANSWERED
            and not data.get("answered_on")
            and "answered_on" not in self.errors
        ):
            data["answered_on"] = timezone.localdate()
        return data
