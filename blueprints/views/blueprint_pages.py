"""A locality's blueprints: the list, and creating, editing and deleting a blueprint.

Every write goes through `blueprints.services`; their ValidationErrors come back as form
errors.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from blueprints import services
from blueprints.forms import BlueprintCreateForm, BlueprintUpdateForm, add_service_errors
from blueprints.models import Blueprint, Card, DeliveryChallenge, Prototype
from blueprints.review.worklist import days_since, with_waiting
from blueprints.views.base import BlueprintAccessMixin
from consultations.models import Idea
from localities.listing import count_of, paginate
from localities.mixins import LocalityAccessMixin


class BlueprintListView(LocalityAccessMixin, TemplateView):
    template_name = "blueprints/pages/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blueprints = (
            with_waiting(Blueprint.objects.filter(locality=self.locality))
            .select_related("idea", "locality")
            .annotate(
                card_count=count_of(Card.objects.filter(blueprint=OuterRef("pk")), "blueprint"),
                challenge_count=count_of(
                    DeliveryChallenge.objects.filter(blueprint=OuterRef("pk")), "blueprint"
                ),
                prototype_count=count_of(
                    Prototype.objects.filter(blueprint=OuterRef("pk")), "blueprint"
                ),
            )
            .order_by("-updated_at", "pk")
        )
        page = paginate(self.request, blueprints)
        shown = list(page.object_list)
        for blueprint in shown:  # how long a submitted one has waited for the reviewers
            blueprint.days_waiting = days_since(blueprint.entered_state_at)
        context.update(
            page_obj=page,
            blueprints=shown,
            top_idea=self.locality.ideas.filter(status=Idea.Status.CHOSEN).first(),
        )
        return context


class BlueprintCreateView(LocalityAccessMixin, FormView):
    access = "edit"
    form_class = BlueprintCreateForm
    template_name = "blueprints/pages/create.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def form_valid(self, form):
        data = form.cleaned_data
        by = self.request.user
        try:
            with transaction.atomic():
                if data["start"] == form.FROM_COPY:
                    blueprint = services.copy_blueprint(
                        source=data["copy_of"], title=data["title"], by=by
                    )
                    if data["summary"]:
                        blueprint = services.update_blueprint(
                            blueprint=blueprint, summary=data["summary"], by=by
                        )
                    message = f"“{blueprint.title}” is a copy of “{data['copy_of'].title}”."
                else:
                    blueprint = services.create_blueprint(
                        locality=self.locality,
                        idea=data["idea"],
                        title=data["title"],
                        summary=data["summary"],
                        by=by,
                    )
                    message = f"Blueprint “{blueprint.title}” created."
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(blueprint.get_absolute_url())


class BlueprintUpdateView(BlueprintAccessMixin, FormView):
    access = "edit"
    writes_content = True  # frozen while submitted (issue 14)
    form_class = BlueprintUpdateForm
    template_name = "blueprints/pages/update.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "blueprint": self.blueprint}

    def get_initial(self):
        blueprint = self.blueprint
        return {"title": blueprint.title, "summary": blueprint.summary, "idea": blueprint.idea_id}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            blueprint = services.update_blueprint(
                blueprint=self.blueprint,
                title=data["title"],
                summary=data["summary"],
                idea=data.get("idea"),
                by=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Blueprint saved.")
        return redirect(blueprint.get_absolute_url())


class BlueprintDeleteView(BlueprintAccessMixin, TemplateView):
    access = "edit"
    writes_content = True  # a submitted blueprint is not deleted under the reviewer
    template_name = "blueprints/pages/delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blueprint = self.blueprint
        context["counts"] = {
            "cards": blueprint.cards.count(),
            "challenges": blueprint.delivery_challenges.count(),
            "prototypes": blueprint.prototypes.count(),
        }
        return context

    def post(self, request, *args, **kwargs):
        title = self.blueprint.title
        services.delete_blueprint(blueprint=self.blueprint, by=request.user)
        messages.success(request, f"Blueprint “{title}” deleted.")
        return redirect("blueprints:list", slug=self.locality.slug)
