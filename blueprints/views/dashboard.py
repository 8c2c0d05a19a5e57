from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from blueprints.models import Blueprint
from blueprints.progress import counts_of, steps_of, with_progress
from blueprints.review import queries as review_queries
from blueprints.review.worklist import waiting_for_review
from localities import permissions
from localities.models import Locality, Membership
from localities.progress import next_step


class DashboardView(LoginRequiredMixin, TemplateView):
    """My localities and what needs doing in each; every locality for reviewers."""

    template_name = "blueprints/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = dict(Membership.objects.filter(user=user).values_list("locality_id", "role"))
        localities = list(with_progress(Locality.objects.visible_to(user).with_member_counts()))
        permissions.know_roles(
            user, {locality.pk: roles.get(locality.pk) for locality in localities}
        )
        # The team's part: what the reviewers sent back to each of my teams (three queries).
        notices: dict[int, list] = {}
        for notice in review_queries.changes_requested(
            Blueprint.objects.filter(locality_id__in=roles)
        ):
            notices.setdefault(notice.blueprint.locality_id, []).append(notice)
        for locality in localities:
            role = roles.get(locality.pk)
            locality.review_notices = notices.get(locality.pk, [])
            locality.my_role = Membership.Role(role).label if role else None
            steps = steps_of(locality)
            locality.steps_done = sum(step.done for step in steps)
            locality.steps_total = len(steps)
            locality.next_step = next_step(
                counts_of(locality),
                locality.top_idea_title,
                can_edit=permissions.can_edit_content(user, locality),
                review_state="changes_requested"
                if locality.review_notices
                else locality.top_review_state,
            )
        context.update(
            localities=localities,
            sees_every_locality=permissions.sees_every_locality(user),
        )
        if context["sees_every_locality"]:  # the reviewer's worklist (issue 14)
            context["waiting"] = waiting_for_review(Blueprint.objects.visible_to(user))
        return context
