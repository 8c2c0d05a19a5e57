from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from localities import services
from localities.models import Challenge, Insight, Locality, Membership, Tag
from localities.validators import TextHygieneMixin


class AddMemberForm(TextHygieneMixin, forms.Form):
    identifier = forms.CharField(
        label="Username or email",
        max_length=254,
        help_text="The person must already have an account.",
    )
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.VIEWER)

    def __init__(self, *args, locality, **kwargs):
        self.locality = locality
        super().__init__(*args, **kwargs)

    def clean_identifier(self):
        user = services.find_user(self.cleaned_data["identifier"])
        if Membership.objects.filter(locality=self.locality, user=user).exists():
            raise ValidationError(
                f"{user.get_username()} is already a member of {self.locality.name}."
            )
        self.cleaned_data["user"] = user
        return self.cleaned_data["identifier"]


class ChangeRoleForm(TextHygieneMixin, forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


def parse_tag_names(text: str) -> list[str]:
    """Comma-separated names, trimmed, inner spaces collapsed, repeats (ignoring case) dropped."""
    names: list[str] = []
    seen: set[str] = set()
    for raw in text.split(","):
        name = " ".join(raw.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


class InsightForm(TextHygieneMixin, forms.ModelForm):
    tag_names = forms.CharField(
        label="Tags",
        required=False,
        max_length=1000,
        help_text=(
            "Separate tags with commas, e.g. transport, trust. "
            "A tag this locality already uses is reused, whatever its capitals."
        ),
        widget=forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"}),
    )

    class Meta:
        model = Insight
        fields = ["statement", "subject", "source", "detail", "gathered_on"]
        widgets = {
            "detail": forms.Textarea(attrs={"rows": 5}),
            "gathered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"gathered_on": "When the team learned it, if you know."}

    def __init__(self, *args, locality: Locality, **kwargs):
        super().__init__(*args, **kwargs)
        self.locality = locality
        # Shown by the template, escaped: crispy renders help text as raw HTML, so text
        # typed by users (tag names) must never go into help_text.
        self.tag_suggestions = list(locality.tags.order_by("name").values_list("name", flat=True))
        if self.instance.pk and not self.is_bound:
            self.initial["tag_names"] = ", ".join(tag.name for tag in self.instance.tags.all())

    def clean_tag_names(self) -> list[str]:
        return services.clean_tag_names(parse_tag_names(self.cleaned_data["tag_names"]))

    def insight_fields(self) -> dict:
        """The cleaned values, as `services.create_insight` and `update_insight` take them."""
        return {name: self.cleaned_data[name] for name in [*self._meta.fields, "tag_names"]}


class InsightFilterForm(TextHygieneMixin, forms.Form):
    """The insight list's filters and search, read from the query string.

    Invalid values (an unknown subject, a tag of another locality) show an error next to
    the field and that filter is left out, so a stale or edited link still shows a page.
    """

    q = forms.CharField(label="Search", required=False, max_length=200)
    subject = forms.ChoiceField(
        label="Subject", required=False, choices=[("", "Any subject"), *Insight.Subject.choices]
    )
    source = forms.ChoiceField(
        label="Source", required=False, choices=[("", "Any source"), *Insight.Source.choices]
    )
    tag = forms.ModelChoiceField(
        label="Tag",
        required=False,
        queryset=Tag.objects.none(),
        empty_label="Any tag",
        error_messages={"invalid_choice": "That tag is not used in this locality."},
    )

    def __init__(self, *args, locality: Locality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = locality.tags.order_by("name")
        self.fields["q"].widget.attrs["type"] = "search"

    def filter(self, insights: QuerySet[Insight]) -> QuerySet[Insight]:
        if not self.is_bound:
            return insights
        self.is_valid()
        data = self.cleaned_data
        if query := data.get("q", "").strip():
            insights = insights.filter(Q(statement__icontains=query) | Q(detail__icontains=query))
        if subject := data.get("subject"):
            insights = insights.filter(subject=subject)
        if source := data.get("source"):
            insights = insights.filter(source=source)
        if tag := data.get("tag"):
            insights = insights.filter(tags=tag)
        return insights


class ChallengeSearchForm(TextHygieneMixin, forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)

    def filter(self, challenges: QuerySet[Challenge]) -> QuerySet[Challenge]:
        if not self.is_bound:
            return challenges
        self.is_valid()
        if query := self.cleaned_data.get("q", "").strip():
            challenges = challenges.filter(
                Q(title__icontains=query) | Q(description__icontains=query)
            )
        return challenges


class InsightChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Insight) -> str:
        return obj.statement


class ChallengeForm(TextHygieneMixin, forms.ModelForm):
    insights = InsightChoiceField(
        label="Evidence: the insights that support it",
        queryset=Insight.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_pk_value": "“%(pk)s” is not an insight."},
    )

    class Meta:
        model = Challenge
        fields = ["title", "description", "insights"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "title": "The true nature of the problem, in a sentence.",
            "description": "What the insights show, and why it matters.",
        }

    def __init__(self, *args, locality: Locality, **kwargs):
        super().__init__(*args, **kwargs)
        self.locality = locality
        # Only this locality's insights are choices: a forged id from elsewhere is refused.
        insights = self.fields["insights"]
        insights.queryset = Insight.objects.filter(locality=locality).order_by("statement")
        insights.error_messages["invalid_choice"] = (
            f"Only insights recorded for {locality.name.replace('%', '%%')} can be cited; "
            "insight %(value)s is not one of them."
        )
