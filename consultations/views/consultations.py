"""A locality's consultations: list, detail (with the public link and its QR code), the
writes, and a new public link when the old one has gone too far."""

import io

import segno
from django.contrib import messages
from django.db import transaction
from django.db.models import OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, TemplateView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from consultations import services
from consultations.forms import ConsultationForm
from consultations.models import Consultation, Idea
from consultations.views.shared import response_count, secret_page
from localities.listing import count_of, paginate
from localities.mixins import (
    CreateThroughServiceMixin,
    LocalityAccessMixin,
    LocalityRecordMixin,
)

RESPONSES_SHOWN = 50


class ConsultationRecordMixin(LocalityRecordMixin):
    model = Consultation


class ConsultationFormMixin(ConsultationRecordMixin):
    access = "edit"
    form_class = ConsultationForm
    template_name = "consultations/consultation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_ideas"] = Idea.objects.filter(locality=self.locality).exists()
        return context


class ConsultationListView(ConsultationRecordMixin, LocalityAccessMixin, TemplateView):
    template_name = "consultations/consultation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultations = self.get_queryset().annotate(
            idea_count=count_of(
                Consultation.ideas.through.objects.filter(consultation=OuterRef("pk")),
                "consultation",
            ),
            response_count=response_count(),
        )
        page = paginate(self.request, consultations.order_by("-held_on", "title", "pk"))
        context.update(page_obj=page, consultations=page.object_list)
        return context


def public_link(request, consultation: Consultation) -> str:
    return request.build_absolute_uri(consultation.get_public_url())


@secret_page
class ConsultationDetailView(ConsultationRecordMixin, LocalityAccessMixin, DetailView):
    template_name = "consultations/consultation_detail.html"
    context_object_name = "consultation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.object
        responses = consultation.responses.select_related("idea").order_by("-created_at", "-pk")
        page = paginate(self.request, responses, per_page=RESPONSES_SHOWN)
        context.update(
            ideas=consultation.ideas.select_related("locality").order_by("title"),
            public_url=public_link(self.request, consultation),
            page_obj=page,
            responses=page.object_list,
        )
        return context


@secret_page
class ConsultationQrView(ConsultationRecordMixin, LocalityAccessMixin, SingleObjectMixin, View):
    """The public link as a QR code (SVG), drawn on the server, to print for a drop-in."""

    def get(self, request, *args, **kwargs):
        consultation = self.get_object()
        qr = segno.make(public_link(request, consultation), error="m")
        svg = io.BytesIO()
        # A standalone file (with its namespace, unlike svg_inline), scaled by whoever
        # shows it; a white background so it scans on any paper or screen.
        qr.save(
            svg,
            kind="svg",
            scale=1,
            border=4,
            light="#fff",
            omitsize=True,
            xmldecl=False,
            title=f"QR code: the public response form of {consultation.title}",
        )
        return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


class ConsultationCreateView(
    ConsultationFormMixin, CreateThroughServiceMixin, LocalityAccessMixin, CreateView
):
    create = services.create_consultation
    created_message = "Consultation added. Share its link or enter responses."

    def get_initial(self):
        return {"held_on": timezone.localdate()}


class ConsultationUpdateView(ConsultationFormMixin, LocalityAccessMixin, UpdateView):
    context_object_name = "consultation"

    def form_valid(self, form):
        with transaction.atomic():
            consultation = form.save()
        messages.success(self.request, "Consultation saved.")
        return redirect(consultation.get_absolute_url())


class ConsultationDeleteView(ConsultationRecordMixin, LocalityAccessMixin, DeleteView):
    access = "edit"
    template_name = "consultations/consultation_confirm_delete.html"
    context_object_name = "consultation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["response_count"] = self.object.responses.count()
        return context

    def get_success_url(self):
        return reverse("consultations:consultation-list", kwargs={"slug": self.locality.slug})

    def form_valid(self, form):
        messages.success(self.request, f"Consultation “{self.object.title}” deleted.")
        return super().form_valid(form)


@secret_page
class ConsultationTokenView(ConsultationRecordMixin, LocalityAccessMixin, SingleObjectMixin, View):
    """A new public link; anyone holding the old one gets "not found" from now on."""

    access = "edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        consultation = services.regenerate_token(consultation=self.get_object())
        messages.success(
            request, "The public link has changed; the old link and QR code no longer work."
        )
        return redirect(consultation.get_absolute_url())
