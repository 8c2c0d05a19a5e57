from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from consultations.models import Consultation, Idea, Response, new_submission_token
from consultations.selectors import SCORE_LABELS, SCORES
from consultations.services import ResponseRow
from localities.models import Challenge, Locality
from localities.validators import TextHygieneMixin

COMMENT_MAX_LENGTH = Response._meta.get_field("comment").max_length
SUPPORT_CHOICES = [(score, f"{score} – {SCORE_LABELS[score]}") for score in SCORES]


class ChallengeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Challenge) -> str:
        return obj.title


class IdeaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Idea) -> str:
        return obj.title


class IdeaForm(TextHygieneMixin, forms.ModelForm):
    challenges = ChallengeChoiceField(
        label="The challenges it answers",
        queryset=Challenge.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Only this locality's challenges can be chosen "
            "(%(value)s is not one).",
            "invalid_pk_value": "“%(pk)s” is not a challenge.",
        },
    )

    class Meta:
        model = Idea
        fields = ["title", "description", "challenges", "proposed_by", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "title": "The idea in a few words.",
            "status": "To make an idea the top idea, use “Choose as top idea” on its page.",
        }

    def __init__(self, *args, locality: Locality, **kwargs):
        super().__init__(*args, **kwargs)
        self.locality = locality
        # Only this locality's challenges are choices: a forged id from elsewhere is refused.
        self.fields["challenges"].queryset = Challenge.objects.filter(locality=locality).order_by(
            "title"
        )
        if self.instance.status == Idea.Status.CHOSEN:
            # The top idea changes only by choosing another (services.choose_top_idea).
            del self.fields["status"]
        else:
            self.fields["status"].choices = [
                choice for choice in Idea.Status.choices if choice[0] != Idea.Status.CHOSEN
            ]


class IdeaFilterForm(TextHygieneMixin, forms.Form):
    """The idea list's search and status filter; a bad value is reported and ignored."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Idea.Status.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["type"] = "search"

    def filter(self, ideas: QuerySet[Idea]) -> QuerySet[Idea]:
        if not self.is_bound:
            return ideas
        self.is_valid()
        data = self.cleaned_data
        if query := data.get("q", "").strip():
            ideas = ideas.filter(
                Q(title__icontains=query)
                | Q(description__icontains=query)
                | Q(proposed_by__icontains=query)
            )
        if status := data.get("status"):
            ideas = ideas.filter(status=status)
        return ideas


class ChooseIdeaForm(TextHygieneMixin, forms.Form):
    rationale = forms.CharField(
        label="Why is this the top idea?",
        max_length=Idea._meta.get_field("rationale").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the consultations showed, and why the team backs it. "
        "It is kept with the idea.",
    )


class ConsultationForm(TextHygieneMixin, forms.ModelForm):
    ideas = IdeaChoiceField(
        label="Ideas consulted on",
        queryset=Idea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one idea to consult on.",
            "invalid_choice": "Only this locality's ideas can be chosen (%(value)s is not one).",
            "invalid_pk_value": "“%(pk)s” is not an idea.",
        },
    )

    class Meta:
        model = Consultation
        fields = ["title", "held_on", "audience", "method", "place", "notes", "ideas", "is_open"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "held_on": "The day of the session, or when a survey opened.",
            "place": "Where it was held, e.g. Northgate children's centre.",
        }

    def __init__(self, *args, locality: Locality, **kwargs):
        super().__init__(*args, **kwargs)
        self.locality = locality
        self.fields["ideas"].queryset = Idea.objects.filter(locality=locality).order_by("title")


class ResponseRowForm(TextHygieneMixin, forms.Form):
    """One paper response. Idea choices come from a list read once, not a query per row."""

    idea = forms.TypedChoiceField(label="Idea", coerce=int)
    group = forms.ChoiceField(
        label="Respondent group", choices=[("", "Choose…"), *Response.Group.choices]
    )
    support = forms.TypedChoiceField(
        label="Support",
        coerce=int,
        choices=[("", "Choose…"), *SUPPORT_CHOICES],
        error_messages={"invalid_choice": "Support is a score from 1 to 5."},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.TextInput,
    )

    def __init__(self, *args, ideas: list[Idea], **kwargs):
        super().__init__(*args, **kwargs)
        self.ideas = {idea.pk: idea for idea in ideas}
        self.fields["idea"].choices = [("", "Choose…")] + [(idea.pk, idea.title) for idea in ideas]
        self.fields["idea"].error_messages["invalid_choice"] = (
            "Choose one of this consultation's ideas."
        )
        required = {
            "idea": "Choose an idea.",
            "group": "Choose a group.",
            "support": "Choose a score.",
        }
        for name, message in required.items():
            self.fields[name].error_messages["required"] = message
        for name, field in self.fields.items():
            css = (
                "form-control form-control-sm"
                if name == "comment"
                else "form-select form-select-sm"
            )
            field.widget.attrs["class"] = css

    def row(self) -> ResponseRow:
        data = self.cleaned_data
        return ResponseRow(
            idea=self.ideas[data["idea"]],
            group=data["group"],
            support=data["support"],
            comment=data["comment"].strip(),
        )


class BaseResponseRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, ideas: list[Idea], **kwargs):
        self.ideas = ideas
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "ideas": self.ideas}

    def clean(self):
        if any(self.errors):
            return
        if not self.filled_forms():
            raise ValidationError("Fill in at least one row.", code="no_rows")

    def filled_forms(self) -> list[ResponseRowForm]:
        """Rows with something in them; untouched blank rows are ignored."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]

    def rows(self) -> list[ResponseRow]:
        return [form.row() for form in self.filled_forms()]


ROWS_PER_PAGE = 10
MAX_ROWS = 200

ResponseRowFormSet = forms.formset_factory(
    ResponseRowForm,
    formset=BaseResponseRowFormSet,
    extra=ROWS_PER_PAGE,
    max_num=MAX_ROWS,
    validate_max=True,
    absolute_max=MAX_ROWS,
)


# What models.new_submission_token() makes; anything else is refused before a query.
SUBMISSION_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")
SUBMISSION_TOKEN_MISSING = (
    "This form had lost its one-time code, so nothing was saved. Please check your answers "
    "and press “Send my views” again."
)


class PublicResponseForm(TextHygieneMixin, forms.Form):
    """The public form: for each idea, a 1-5 choice and a comment; who is answering.

    `website` is a honeypot: people never see it, some bots fill it in.
    `submission_token` is a one-time token made when the form is shown (a hidden input the
    template writes from `token_for_page`), so the same submission sent twice is stored once.
    It is read from the data rather than declared as a field, so that its error is the form's
    own (there is no field on the page to point at).
    """

    group = forms.ChoiceField(
        label="Which best describes you?",
        choices=Response.Group.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Tell us which best describes you."},
    )
    website = forms.CharField(label="Leave this empty", required=False, max_length=200)

    def __init__(self, *args, ideas: list[Idea], **kwargs):
        super().__init__(*args, **kwargs)
        self.ideas = ideas
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        for idea in ideas:
            self.fields[f"support_{idea.pk}"] = forms.TypedChoiceField(
                label=f"How much do you support “{idea.title}”?",
                choices=SUPPORT_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose a score from 1 to 5."},
            )
            self.fields[f"comment_{idea.pk}"] = forms.CharField(
                label=f"Anything you want to say about “{idea.title}”? (optional)",
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": "Keep your comment to %(limit_value)d characters "
                    "(it has %(show_value)d)."
                },
            )

    @property
    def is_bot(self) -> bool:
        return bool(self.is_bound and self.data.get("website", "").strip())

    @property
    def submission_token(self) -> str:
        """The one-time token sent with the form, or "" when it is missing or malformed."""
        token = self.data.get("submission_token", "") if self.is_bound else ""
        return token if isinstance(token, str) and SUBMISSION_TOKEN_SHAPE.fullmatch(token) else ""

    @property
    def token_for_page(self) -> str:
        """The token to send with the form shown now: the same one again while its answers
        are being corrected (nothing is stored yet), a new one for a fresh form."""
        return self.submission_token or new_submission_token()

    def idea_fields(self):
        """(idea, support field, comment field) for the template, one fieldset each."""
        return [
            (idea, self[f"support_{idea.pk}"], self[f"comment_{idea.pk}"]) for idea in self.ideas
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.submission_token:
            self.add_error(None, ValidationError(SUBMISSION_TOKEN_MISSING, code="no_token"))
        answered = 0
        for idea in self.ideas:
            support = cleaned.get(f"support_{idea.pk}")
            comment = (cleaned.get(f"comment_{idea.pk}") or "").strip()
            if support is not None:
                answered += 1
            elif comment:
                self.add_error(
                    f"support_{idea.pk}", "Choose a score to go with your comment on this idea."
                )
        support_errors = any(name.startswith("support_") for name in self.errors)
        if not answered and not support_errors:
            raise ValidationError(
                "Choose a score for at least one idea before sending.", code="nothing_answered"
            )
        return cleaned

    def rows(self) -> list[ResponseRow]:
        group = self.cleaned_data["group"]
        rows = []
        for idea in self.ideas:
            support = self.cleaned_data.get(f"support_{idea.pk}")
            if support is not None:
                comment = self.cleaned_data.get(f"comment_{idea.pk}", "").strip()
                rows.append(ResponseRow(idea=idea, group=group, support=support, comment=comment))
        return rows
