from django import forms
from django.core.exceptions import ValidationError

from localities import services
from localities.models import Membership


class AddMemberForm(forms.Form):
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


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)
