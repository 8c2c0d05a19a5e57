"""Forms for a locality's community resources: each record's form, and the rows that belong
to it as an inline formset (a space's opening hours, a partner's contributions, a volunteer
role's months)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.forms import BaseInlineFormSet, inlineformset_factory

from localities.content_fields import (
    CONTRIBUTION_FIELDS,
    MONTH_FIELDS,
    OPENING_FIELDS,
    PARTNER_FIELDS,
    ROLE_FIELDS,
    SPACE_FIELDS,
)
from localities.models import (
    Contribution,
    Locality,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)
from localities.validators import TextHygieneMixin


class MonthField(forms.DateField):
    """A month, typed as 2026-11 (what `<input type="month">` sends) or 11/2026; the first
    day of that month."""

    input_formats = ["%Y-%m", "%m/%Y", "%Y-%m-%d"]
    default_error_messages = {"invalid": "Enter a month as YYYY-MM, for example 2026-11."}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class _LocalityRecordForm(TextHygieneMixin, forms.ModelForm):
    """A record of one locality; the view gives the locality (never the form's data).

    `name_field` is the field whose value must be unique in the locality, ignoring case:
    the constraint's message is shown at that field.
    """

    name_field: str = "name"

    def __init__(self, *args, locality: Locality, **kwargs):
        self.locality = locality
        super().__init__(*args, **kwargs)
        self.instance.locality = locality

    def validate_unique(self):
        # The locality is not a form field, so ModelForm skips the constraints that name
        # it; check the unique ones here, where the locality is known.
        super().validate_unique()
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and self.name_field in self.cleaned_data:
                try:
                    constraint.validate(model, self.instance)
                except ValidationError as error:
                    self.add_error(self.name_field, error.messages)


class SpaceForm(_LocalityRecordForm):
    class Meta:
        model = Space
        fields = SPACE_FIELDS
        widgets = {"access_notes": forms.Textarea(attrs={"rows": 3})}


class PartnerForm(_LocalityRecordForm):
    name_field = "organisation"

    class Meta:
        model = Partner
        fields = PARTNER_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class VolunteerRoleForm(_LocalityRecordForm):
    class Meta:
        model = VolunteerRole
        fields = ROLE_FIELDS
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "training": forms.Textarea(attrs={"rows": 2}),
            "supervision": forms.Textarea(attrs={"rows": 2}),
        }


class VolunteerLimitForm(TextHygieneMixin, forms.ModelForm):
    class Meta:
        model = Locality
        fields = ["volunteer_hours_limit"]


class OpeningForm(TextHygieneMixin, forms.ModelForm):
    class Meta:
        model = Opening
        fields = OPENING_FIELDS
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class ContributionForm(TextHygieneMixin, forms.ModelForm):
    class Meta:
        model = Contribution
        fields = CONTRIBUTION_FIELDS
        widgets = {"status_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class VolunteerMonthForm(TextHygieneMixin, forms.ModelForm):
    month = MonthField(help_text="The month these counts are for.")

    class Meta:
        model = VolunteerMonth
        fields = MONTH_FIELDS


class VolunteerMonthFormSet(BaseInlineFormSet):
    """A role's months, checked together: one row a month, and no month with more active
    volunteers than were trained in it plus those active the month before."""

    def validate_unique(self):
        """Left to `clean`, which says which month is repeated, at the month."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            (form, form.cleaned_data["month"])
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and not self._should_delete_form(form)
            and form.cleaned_data.get("month")
        ]
        by_month: dict[datetime.date, VolunteerMonth] = {}
        repeated = False
        for form, month in kept:
            if month in by_month:
                form.add_error("month", f"{month:%B %Y} is already recorded above.")
                repeated = True
            else:
                by_month[month] = form.instance
        if repeated:
            return
        # Months of this role not in the forms (the form shows every month, so none, unless
        # someone added one meanwhile) still count as carried over.
        shown = {form.instance.pk for form in self.forms if form.instance.pk}
        if self.instance.pk:
            for row in self.instance.months.exclude(pk__in=shown):
                by_month.setdefault(row.month, row)
        for form, month in kept:
            before = (month - datetime.timedelta(days=1)).replace(day=1)
            previous = by_month.get(before)
            try:
                form.instance.check_active(previous.active if previous else 0, f"{before:%B %Y}")
            except ValidationError as error:
                form.add_error(None, error)


def _rows(parent, model, form, formset=BaseInlineFormSet, extra=1):
    return inlineformset_factory(
        parent, model, form=form, formset=formset, extra=extra, can_delete=True
    )


OpeningFormSet = _rows(Space, Opening, OpeningForm, extra=2)
ContributionFormSet = _rows(Partner, Contribution, ContributionForm)
VolunteerMonthFormSetClass = _rows(
    VolunteerRole, VolunteerMonth, VolunteerMonthForm, formset=VolunteerMonthFormSet
)
