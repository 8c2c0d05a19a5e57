"""A locality's insights: list (filter, search, CSV export), detail, and the writes,
which go through `localities.services` (the insight and its tags in one transaction)."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, TemplateView, UpdateView

from localities import services
from localities.csv_response import csv_response
from localities.forms import InsightFilterForm, InsightForm
from localities.listing import paginate, spreadsheet_safe
from localities.mixins import LocalityAccessMixin, LocalityRecordMixin
from localities.models import Insight, Tag


class InsightRecordMixin(LocalityRecordMixin):
    model = Insight


class InsightFormMixin(InsightRecordMixin):
    access = "edit"
    form_class = InsightForm
    template_name = "localities/insight_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def refused(self, form: InsightForm, error: ValidationError):
        """The services refused what the form let through (they check again): say why."""
        form.add_error(None, error)
        return self.form_invalid(form)


class InsightListView(InsightRecordMixin, LocalityAccessMixin, TemplateView):
    template_name = "localities/insight_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = InsightFilterForm(self.request.GET or None, locality=self.locality)
        insights = filters.filter(self.get_queryset())
        page = paginate(
            self.request,
            insights.prefetch_related(Prefetch("tags", Tag.objects.order_by("name"))).order_by(
                F("gathered_on").desc(nulls_last=True), "-created_at", "-pk"
            ),
        )
        context.update(
            filters=filters,
            page_obj=page,
            insights=page.object_list,
            is_filtered=any(filters.data.get(name) for name in filters.fields),
        )
        return context


class InsightExportView(InsightRecordMixin, LocalityAccessMixin, View):
    """The insight list as CSV, with the list's filters and search applied, all pages."""

    HEADER = [
        "id",
        "statement",
        "subject",
        "source",
        "detail or quote",
        "tags",
        "date gathered",
        "recorded by",
        "created at",
    ]

    def get(self, request, *args, **kwargs):
        filters = InsightFilterForm(request.GET or None, locality=self.locality)
        insights = (
            filters.filter(self.get_queryset())
            .select_related("recorded_by")
            .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
            .order_by(F("gathered_on").desc(nulls_last=True), "-created_at", "-pk")
        )
        stamp = timezone.localdate().isoformat()
        response = csv_response(f"{self.locality.slug}-insights-{stamp}.csv")
        writer = csv.writer(response)
        writer.writerow(self.HEADER)
        for insight in insights:
            writer.writerow(
                [
                    insight.pk,
                    spreadsheet_safe(insight.statement),
                    insight.get_subject_display(),
                    insight.get_source_display(),
                    spreadsheet_safe(insight.detail),
                    spreadsheet_safe("; ".join(tag.name for tag in insight.tags.all())),
                    insight.gathered_on.isoformat() if insight.gathered_on else "",
                    insight.recorded_by.get_username() if insight.recorded_by else "",
                    timezone.localtime(insight.created_at).strftime("%Y-%m-%d %H:%M"),
                ]
            )
        return response


class InsightDetailView(InsightRecordMixin, LocalityAccessMixin, DetailView):
    template_name = "localities/insight_detail.html"
    context_object_name = "insight"

    def get_queryset(self):
        return super().get_queryset().select_related("recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tags=self.object.tags.order_by("name"),
            challenges=self.object.challenges.select_related("locality").order_by("title"),
        )
        return context


class InsightCreateView(InsightFormMixin, LocalityAccessMixin, CreateView):
    def form_valid(self, form):
        try:
            insight = services.create_insight(
                locality=self.locality, by=self.request.user, **form.insight_fields()
            )
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(self.request, "Insight recorded.")
        if "add_another" in self.request.POST:
            return redirect("localities:insight-create", slug=self.locality.slug)
        return redirect(insight.get_absolute_url())


class InsightUpdateView(InsightFormMixin, LocalityAccessMixin, UpdateView):
    context_object_name = "insight"

    def form_valid(self, form):
        try:
            insight = services.update_insight(
                insight=self.object, by=self.request.user, **form.insight_fields()
            )
        except ValidationError as error:
            return self.refused(form, error)
        messages.success(self.request, "Insight saved.")
        return redirect(insight.get_absolute_url())


class InsightDeleteView(InsightRecordMixin, LocalityAccessMixin, DeleteView):
    access = "edit"
    template_name = "localities/insight_confirm_delete.html"
    context_object_name = "insight"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["challenges"] = self.object.challenges.order_by("title")
        return context

    def get_success_url(self):
        return reverse("localities:insight-list", kwargs={"slug": self.locality.slug})

    def form_valid(self, form):
        services.delete_insight(insight=self.object, by=self.request.user)
        messages.success(self.request, "Insight deleted.")
        return redirect(self.get_success_url())
