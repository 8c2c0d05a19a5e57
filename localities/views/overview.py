"""The list of localities a user may see, and a locality's overview page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.views.generic import TemplateView

from localities.mixins import LocalityAccessMixin
from localities.models import Locality
from localities.progress import method_progress, next_step


class LocalityListView(LoginRequiredMixin, TemplateView):
    template_name = "localities/locality_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["localities"] = Locality.objects.visible_to(self.request.user).with_member_counts()
        return context


class LocalityDetailView(LocalityAccessMixin, TemplateView):
    """The overview: progress through the steps of the method, what to do next, the team.

    Ideas, consultations and responses are read through related managers only, since
    localities imports neither consultations nor blueprints (DESIGN section 3).
    """

    template_name = "localities/locality_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locality = self.locality
        counts = {
            "insights": locality.insights.count(),
            "challenges": locality.challenges.count(),
            "ideas": locality.ideas.count(),
            "consultations": locality.consultations.count(),
            "responses": locality.consultations.aggregate(n=Count("responses"))["n"],
            **locality.blueprints.aggregate(
                blueprints=Count("pk", distinct=True),
                delivery_challenges=Count("delivery_challenges", distinct=True),
                prototypes=Count("prototypes", distinct=True),
                # Blueprints sent back to the team (issue 14), in the same query.
                changes_requested=Count(
                    "pk", filter=Q(review_state="changes_requested"), distinct=True
                ),
            ),
        }
        changes_requested = counts.pop("changes_requested") > 0
        top_idea = locality.ideas.filter(status="chosen").first()
        top_title = top_idea.title if top_idea else None
        # The review of the top idea's latest blueprint is step 9 (as blueprints.progress).
        review_state = (
            top_idea.blueprints.order_by("-created_at", "-pk")
            .values_list("review_state", flat=True)
            .first()
            if top_idea
            else None
        )
        steps = method_progress(counts, top_title, review_state=review_state)
        # Any blueprint sent back to the team leads "What to do next", not only the top
        # idea's (the notices themselves come from the blueprints app's template tag).
        next_state = "changes_requested" if changes_requested else review_state
        context.update(
            counts=counts,
            top_idea=top_idea,
            steps=steps,
            steps_done=sum(step.done for step in steps),
            next_step=next_step(
                counts, top_title, can_edit=context["can_edit"], review_state=next_state
            ),
            changes_requested=changes_requested,
            members=locality.memberships.select_related("user").order_by("role", "user__username"),
        )
        return context
