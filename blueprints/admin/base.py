"""What the blueprint app's admins share: saves through `blueprints.services`, refused
with a message when the record changed since the form was opened, and history pages
without reverting."""

from collections.abc import Collection

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from blueprints import services
from blueprints.review import states as review_states
from localities.admin import RefusalsAsMessages


class HistoryWithoutRevert(SimpleHistoryAdmin):
    """History pages, but no reverting: an old record would bring back stale positions."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ThroughServices(RefusalsAsMessages):
    """Admin saves go through `blueprints.services`, like the editor's: they take the same
    locks, bump the blueprint's version, record history and return an approved blueprint
    to draft. A refusal (a version conflict, a rule) becomes a message and nothing is saved.
    """

    # Frozen: a content change to a submitted blueprint (issue 14).
    refusals = (services.VersionConflict, ValidationError, review_states.Frozen)

    def save_related(self, request, form, formsets, change):
        # The service in save_model has set the many-to-many fields already.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class OpenedAtVersionForm(forms.ModelForm):
    """Carries the version the change form was opened at, so a save made on top of someone
    else's later change is refused instead of silently overwriting it."""

    opened_at_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    noun = "record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_at_version"].initial = self.instance.version

    def opened_version(self) -> int:
        """The version the form was opened at. A POST without the field (a script, not the
        rendered form) is held to the version read at the start of this request."""
        opened = self.cleaned_data.get("opened_at_version")
        return self.instance.version if opened is None else opened

    def clean(self):
        cleaned = super().clean()
        # Early and friendly, keeping what was typed; the service checks again under lock.
        if self.instance.pk is not None:
            stored = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored != self.opened_version():
                raise ValidationError(
                    f"Someone changed this {self.noun} since you opened it: your change was "
                    "not saved. Reload the page to see their change, then make yours again.",
                    code="stale",
                )
        return cleaned


def changed_fields(form: forms.ModelForm, allowed: Collection[str]) -> dict:
    """The changed form fields a service accepts, by name, with their cleaned values."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in allowed}
