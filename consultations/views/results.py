"""Results: support for each idea by respondent group, and the gap between parents and
professionals, for one consultation or across the locality's consultations."""

from django.views.generic import DetailView, TemplateView

from consultations.selectors import MIN_GROUP_FOR_GAP, results_for
from consultations.views.consultations import ConsultationRecordMixin
from consultations.views.shared import response_count
from localities.mixins import LocalityAccessMixin


class ConsultationResultsView(ConsultationRecordMixin, LocalityAccessMixin, DetailView):
    template_name = "consultations/results.html"
    context_object_name = "consultation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = results_for(locality=self.locality, consultation=self.object)
        context.update(
            results=results,
            response_count=sum(r.overall.total for r in results),
            min_group_for_gap=MIN_GROUP_FOR_GAP,
        )
        return context


class LocalityResultsView(ConsultationRecordMixin, LocalityAccessMixin, TemplateView):
    """Results across every consultation of the locality."""

    template_name = "consultations/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = results_for(locality=self.locality)
        consultations = (
            self.get_queryset()
            .annotate(response_count=response_count())
            .order_by("-held_on", "title", "pk")
        )
        context.update(
            results=results,
            response_count=sum(r.overall.total for r in results),
            consultations=consultations,
            min_group_for_gap=MIN_GROUP_FOR_GAP,
        )
        return context
