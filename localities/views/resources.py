"""A locality's community resources (issue 15): one page with its spaces, partners and
volunteering, and for each kind of record a form (the record and its rows: a space's
opening hours, a partner's contributions, a role's months) and a delete page.

Each kind is one entry of `KINDS`; the create, edit and delete views are the same classes
for all three, given the kind in the URL configuration.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import DeleteView, TemplateView, UpdateView

from localities import services
from localities.forms_resources import (
    ContributionFormSet,
    OpeningFormSet,
    PartnerForm,
    SpaceForm,
    VolunteerLimitForm,
    VolunteerMonthFormSetClass,
    VolunteerRoleForm,
)
from localities.mixins import LocalityAccessMixin, LocalityRecordMixin
from localities.models import Partner, Space, VolunteerRole
from localities.resources import partners_of, roles_of, spaces_of


@dataclass(frozen=True)
class Kind:
    """One kind of resource record: its model, forms and the words its pages use."""

    slug: str  # in the URL and the page's section anchor
    model: type[Model]
    form: type[ModelForm]
    rows: type[BaseInlineFormSet]
    noun: str  # "space"
    rows_legend: str  # the heading of its rows
    rows_help: str


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in [
        Kind(
            "spaces",
            Space,
            SpaceForm,
            OpeningFormSet,
            "space",
            "Opening hours",
            "One row for each stretch of a day the space is open to the service. Mark the "
            "stretches outside its usual staffed hours as out of hours.",
        ),
        Kind(
            "partners",
            Partner,
            PartnerForm,
            ContributionFormSet,
            "partner",
            "Contributions",
            "What the partner gives or has been asked for: money, something in kind, "
            "referrals, staff time or space, and whether it was asked, pledged or delivered.",
        ),
        Kind(
            "volunteering",
            VolunteerRole,
            VolunteerRoleForm,
            VolunteerMonthFormSetClass,
            "volunteer role",
            "Pipeline by month",
            "Counts only, never names. In each month: how many were interested, had their "
            "checks done, were trained, were active and left (by why).",
        ),
    ]
}


def resources_url(locality, kind: Kind | None = None) -> str:
    url = reverse("localities:resources", kwargs={"slug": locality.slug})
    return f"{url}#{kind.slug}" if kind else url


class ResourcesView(LocalityAccessMixin, TemplateView):
    """Every space, partner and volunteer role of the locality, with their rows; and the
    form of the site's limit of hours a week per volunteer, which posts here, so refused
    input is shown at its field on this same page."""

    template_name = "localities/resources.html"
    read_access = "view"
    access = "edit"  # the POST: the limit

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("limit_form", VolunteerLimitForm(instance=self.locality))
        context.update(
            resources_section=True,
            spaces=spaces_of(self.locality),
            partners=partners_of(self.locality),
            roles=roles_of(self.locality),
            kinds=KINDS,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = VolunteerLimitForm(request.POST, instance=self.locality)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(limit_form=form))
        with transaction.atomic():
            form.save()
        messages.success(request, "Volunteer hours limit saved.")
        return redirect(resources_url(self.locality, KINDS["volunteering"]))


class _KindMixin(LocalityRecordMixin):
    """The kind of record this view is for, given by the URL configuration (`kind`)."""

    kind: str = ""
    access = "edit"

    @property
    def spec(self) -> Kind:
        try:
            return KINDS[self.kind]
        except KeyError:
            raise Http404 from None

    @property
    def model(self):
        return self.spec.model

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            resources_section=True,
            kind=self.spec,
            back_url=resources_url(self.locality, self.spec),
        )
        return context


class ResourceFormView(_KindMixin, LocalityAccessMixin, UpdateView):
    """Add (no `pk` in the URL) or change a record and its rows, in one transaction; bad
    input anywhere shows the form again with the messages at their fields and saves nothing."""

    template_name = "localities/resource_form.html"
    context_object_name = "record"

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return self.spec.model(locality=self.locality)
        return super().get_object(queryset)

    def get_form_class(self):
        return self.spec.form

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def rows(self):
        data = self.request.POST if self.request.method == "POST" else None
        return self.spec.rows(data, instance=self.object, prefix="rows")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("rows", self.rows())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        adding = self.object.pk is None
        form = self.get_form()
        rows = self.rows()
        if not (form.is_valid() and rows.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, rows=rows))
        with transaction.atomic():
            self.object = form.save()
            rows.instance = self.object
            rows.save()
        verb = "added" if adding else "saved"
        messages.success(request, f"{self.spec.noun.capitalize()} “{self.object}” {verb}.")
        return redirect(resources_url(self.locality, self.spec))


class ResourceDeleteView(_KindMixin, LocalityAccessMixin, DeleteView):
    template_name = "localities/resource_confirm_delete.html"
    context_object_name = "record"

    def get_success_url(self):
        return resources_url(self.locality, self.spec)

    def form_valid(self, form):
        name = str(self.object)
        services.delete_resource(resource=self.object)
        messages.success(self.request, f"{self.spec.noun.capitalize()} “{name}” deleted.")
        return redirect(self.get_success_url())
