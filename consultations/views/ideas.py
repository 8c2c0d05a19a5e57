"""A locality's ideas: list and filter, detail, the writes, and choosing the top idea
(through `consultations.services.choose_top_idea`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, TemplateView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from consultations import services
from consultations.forms import ChooseIdeaForm, IdeaFilterForm, IdeaForm
from consultations.models import Idea, Response
from localities.listing import count_of, paginate
from localities.mixins import (
    CreateThroughServiceMixin,
    LocalityAccessMixin,
    LocalityRecordMixin,
)
from localities.models import Challenge


class IdeaRecordMixin(LocalityRecordMixin):
    model = Idea


class IdeaFormMixin(IdeaRecordMixin):
    access = "edit"
    form_class = IdeaForm
    template_name = "consultations/idea_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_challenges"] = Challenge.objects.filter(locality=self.locality).exists()
        return context


class IdeaListView(IdeaRecordMixin, LocalityAccessMixin, TemplateView):
    template_name = "consultations/idea_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = IdeaFilterForm(self.request.GET or None)
        ideas = filters.filter(self.get_queryset())
        page = paginate(
            self.request,
            ideas.annotate(
                response_count=count_of(Response.objects.filter(idea=OuterRef("pk")), "idea"),
                challenge_count=count_of(
                    Idea.challenges.through.objects.filter(idea=OuterRef("pk")), "idea"
                ),
            ).order_by("title", "pk"),
        )
        context.update(
            filters=filters,
            page_obj=page,
            ideas=page.object_list,
            is_filtered=any(filters.data.get(name) for name in filters.fields),
        )
        return context


class IdeaDetailView(IdeaRecordMixin, LocalityAccessMixin, DetailView):
    template_name = "consultations/idea_detail.html"
    context_object_name = "idea"

    def get_queryset(self):
        return super().get_queryset().select_related("created_by", "chosen_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        idea = self.object
        context.update(
            challenges=idea.challenges.select_related("locality").order_by("title"),
            consultations=idea.consultations.select_related("locality")
            .annotate(
                idea_response_count=count_of(
                    Response.objects.filter(consultation=OuterRef("pk"), idea=idea),
                    "consultation",
                )
            )
            .order_by("-held_on", "title"),
        )
        return context


class IdeaCreateView(IdeaFormMixin, CreateThroughServiceMixin, LocalityAccessMixin, CreateView):
    create = services.create_idea
    created_message = "Idea added."


class IdeaUpdateView(IdeaFormMixin, LocalityAccessMixin, UpdateView):
    context_object_name = "idea"

    def form_valid(self, form):
        with transaction.atomic():
            idea = form.save()
        messages.success(self.request, "Idea saved.")
        return redirect(idea.get_absolute_url())


class IdeaDeleteView(IdeaRecordMixin, LocalityAccessMixin, DeleteView):
    access = "edit"
    template_name = "consultations/idea_confirm_delete.html"
    context_object_name = "idea"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["response_count"] = self.object.responses.count()
        return context

    def get_success_url(self):
        return reverse("consultations:idea-list", kwargs={"slug": self.locality.slug})

    def form_valid(self, form):
        messages.success(self.request, f"Idea “{self.object.title}” deleted.")
        return super().form_valid(form)


class IdeaChooseView(IdeaRecordMixin, LocalityAccessMixin, SingleObjectMixin, View):
    """Make an idea the top idea, with a rationale: confirmation form, then the service."""

    access = "edit"
    template_name = "consultations/idea_choose.html"
    context_object_name = "idea"

    def render(self, form: ChooseIdeaForm) -> HttpResponse:
        current = (
            Idea.objects.filter(locality=self.locality, status=Idea.Status.CHOSEN)
            .select_related("locality")
            .exclude(pk=self.object.pk)
            .first()
        )
        context = self.get_context_data(form=form, current_top_idea=current)
        return render(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        initial = {"rationale": self.object.rationale} if self.object.rationale else {}
        return self.render(ChooseIdeaForm(initial=initial))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = ChooseIdeaForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        try:
            idea = services.choose_top_idea(
                idea=self.object, rationale=form.cleaned_data["rationale"], by=request.user
            )
        except ValidationError as error:
            form.add_error("rationale", error)
            return self.render(form)
        messages.success(request, f"“{idea.title}” is now the top idea of {self.locality.name}.")
        return redirect(idea.get_absolute_url())
