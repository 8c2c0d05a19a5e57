"""A locality's challenges: list and search, detail with its evidence, and the writes."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import CreateView, DeleteView, DetailView, TemplateView, UpdateView

from localities import services
from localities.forms import ChallengeForm, ChallengeSearchForm
from localities.listing import paginate
from localities.mixins import (
    CreateThroughServiceMixin,
    LocalityAccessMixin,
    LocalityRecordMixin,
)
from localities.models import Challenge, Tag


class ChallengeRecordMixin(LocalityRecordMixin):
    model = Challenge


class ChallengeFormMixin(ChallengeRecordMixin):
    access = "edit"
    form_class = ChallengeForm
    template_name = "localities/challenge_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}


class ChallengeListView(ChallengeRecordMixin, LocalityAccessMixin, TemplateView):
    template_name = "localities/challenge_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = ChallengeSearchForm(self.request.GET or None)
        challenges = search.filter(self.get_queryset())
        page = paginate(
            self.request,
            challenges.annotate(insight_count=Count("insights")).order_by("title", "pk"),
        )
        context.update(search=search, page_obj=page, challenges=page.object_list)
        return context


class ChallengeDetailView(ChallengeRecordMixin, LocalityAccessMixin, DetailView):
    template_name = "localities/challenge_detail.html"
    context_object_name = "challenge"

    def get_queryset(self):
        return super().get_queryset().select_related("created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            evidence=self.object.insights.select_related("locality")
            .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
            .order_by(F("gathered_on").desc(nulls_last=True), "-created_at", "-pk"),
            # Ideas belong to the consultations app; read them through the related manager.
            ideas=self.object.ideas.order_by("title"),
        )
        return context


class ChallengeCreateView(
    ChallengeFormMixin, CreateThroughServiceMixin, LocalityAccessMixin, CreateView
):
    create = services.create_challenge
    created_message = "Challenge named."


class ChallengeUpdateView(ChallengeFormMixin, LocalityAccessMixin, UpdateView):
    context_object_name = "challenge"

    def form_valid(self, form):
        with transaction.atomic():
            challenge = form.save()
        messages.success(self.request, "Challenge saved.")
        return redirect(challenge.get_absolute_url())


class ChallengeDeleteView(ChallengeRecordMixin, LocalityAccessMixin, DeleteView):
    access = "edit"
    template_name = "localities/challenge_confirm_delete.html"
    context_object_name = "challenge"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ideas"] = self.object.ideas.order_by("title")
        return context

    def get_success_url(self):
        return reverse("localities:challenge-list", kwargs={"slug": self.locality.slug})

    def form_valid(self, form):
        messages.success(self.request, "Challenge deleted.")
        return super().form_valid(form)
