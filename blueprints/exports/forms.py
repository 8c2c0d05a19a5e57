import uuid

from django import forms

from blueprints.interchange.reader import MAX_FILE_BYTES
from blueprints.models import Blueprint
from localities.validators import TextHygieneMixin


class ImportForm(TextHygieneMixin, forms.Form):
    file = forms.FileField(
        label="Blueprint file (JSON)",
        help_text="A file made by “Download as JSON” on a blueprint, at most 2 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )
    title = forms.CharField(
        label="Title of the new blueprint",
        required=False,
        max_length=Blueprint._meta.get_field("title").max_length,
        help_text="Leave empty to keep the title in the file.",
    )
    # Made new each time the form is shown: the same upload sent twice (a retry after the
    # answer was lost, a double click) imports once. See blueprints.jobs.
    upload_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["upload_key"] = uuid.uuid4()

    def clean_upload_key(self) -> uuid.UUID:
        return self.cleaned_data["upload_key"] or uuid.uuid4()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                "The file is larger than 2 MB; it cannot be a blueprint exported from this site.",
                code="too_large",
            )
        return upload
