"""The one door into a locality's pages: every locality view passes through it, and every
page of a locality's records finds them through `LocalityRecordMixin`."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404, redirect

from localities import permissions
from localities.models import Locality


class LocalityAccessMixin(LoginRequiredMixin):
    """Finds `self.locality` among those the user may see, else 404; then checks the action.

    `access` names what the view does: "view" (any member or reviewer), "edit" (content:
    editors, leads, superusers) or "manage" (the team: leads, superusers). Views whose GET
    only reads but whose POST writes set `read_access` for the GET.
    """

    access = "view"
    read_access: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.locality = get_object_or_404(
            Locality.objects.visible_to(request.user), slug=kwargs["slug"]
        )
        if not self.allowed(self.required_access(request)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def required_access(self, request) -> str:
        if request.method in ("GET", "HEAD", "OPTIONS") and self.read_access:
            return self.read_access
        return self.access

    def allowed(self, access: str) -> bool:
        user = self.request.user
        checks = {
            "view": permissions.can_view,
            "edit": permissions.can_edit_content,
            "manage": permissions.can_manage_members,
        }
        return checks[access](user, self.locality)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            locality=self.locality,
            my_role=permissions.role_in(user, self.locality),
            can_edit=permissions.can_edit_content(user, self.locality),
            can_manage=permissions.can_manage_members(user, self.locality),
        )
        return context


class LocalityRecordMixin:
    """For the pages of one kind of record (`model`) of the locality: the records are found
    through the model's `visible_to(user)` and then in this locality only, so a record of
    another locality, or one the user may not see, answers 404.

    Goes before `LocalityAccessMixin` in a view's bases, which sets `self.locality`.
    """

    model: type[Model]

    def get_queryset(self) -> QuerySet:
        return (
            self.model.objects.visible_to(self.request.user)
            .filter(locality=self.locality)
            .select_related("locality")
        )


class CreateThroughServiceMixin:
    """A create view whose form's data goes to a service, `create(locality, by, **data)`.

    What the service refuses (it checks again what the form let through) is shown on the
    form like the form's own errors; what it makes is announced and shown.
    """

    create: Callable[..., Model]
    created_message: str

    def form_valid(self, form):
        try:
            record = type(self).create(
                locality=self.locality, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.created_message)
        return redirect(record.get_absolute_url())
