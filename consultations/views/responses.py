"""The team types in a consultation's paper responses, many rows at once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from consultations import services
from consultations.forms import MAX_ROWS, ROWS_PER_PAGE, ResponseRowFormSet
from consultations.models import Response
from consultations.views.consultations import ConsultationRecordMixin
from localities.mixins import LocalityAccessMixin


class ConsultationResponsesView(
    ConsultationRecordMixin, LocalityAccessMixin, SingleObjectMixin, View
):
    """The team types in paper responses, many rows at once: all rows are saved, or none."""

    access = "edit"
    template_name = "consultations/consultation_responses.html"
    context_object_name = "consultation"

    def formset(self, data=None) -> ResponseRowFormSet:
        return ResponseRowFormSet(data, ideas=self.ideas, prefix="rows")

    def render(self, formset, *, show_errors: bool = True) -> HttpResponse:
        context = self.get_context_data(
            formset=formset,
            show_errors=show_errors,
            ideas=self.ideas,
            can_add_rows=formset.total_form_count() < MAX_ROWS,
            rows_per_page=ROWS_PER_PAGE,
        )
        return render(self.request, self.template_name, context)

    def setup_objects(self) -> None:
        self.object = self.get_object()
        self.ideas = list(self.object.ideas.order_by("title"))

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return self.render(self.formset())

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        if "more_rows" in request.POST:
            return self.render(self.formset(self.with_more_rows(request.POST)), show_errors=False)
        formset = self.formset(request.POST)
        if formset.is_valid():
            try:
                saved = services.record_responses(
                    consultation=self.object, rows=formset.rows(), channel=Response.Channel.TEAM
                )
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
                return self.render(formset)
            messages.success(
                request,
                f"{len(saved)} response{'' if len(saved) == 1 else 's'} saved.",
            )
            return redirect(self.object.get_absolute_url())
        return self.render(formset)

    @staticmethod
    def with_more_rows(data):
        """The posted rows, kept, with more blank rows after them."""
        data = data.copy()
        try:
            total = int(data.get("rows-TOTAL_FORMS", ""))
        except ValueError:
            return data
        data["rows-TOTAL_FORMS"] = str(max(0, min(total + ROWS_PER_PAGE, MAX_ROWS)))
        return data
