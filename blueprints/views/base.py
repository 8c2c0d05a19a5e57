"""What the blueprint pages share: the access mixin that finds the URL's blueprint."""

from functools import cached_property

from django.shortcuts import get_object_or_404

from blueprints.models import Blueprint
from blueprints.review import states as review_states
from localities.mixins import LocalityAccessMixin


class BlueprintAccessMixin(LocalityAccessMixin):
    """A blueprint of the URL's locality, found only among those the user may see.

    The locality is resolved (404) and then the blueprint (404) before the action's
    permission is checked (403), so a refused write never reveals what does not exist.
    """

    @cached_property
    def blueprint(self) -> Blueprint:
        return get_object_or_404(
            Blueprint.objects.filter(locality=self.locality).select_related("idea", "locality"),
            pk=self.kwargs["pk"],
        )

    def allowed(self, access: str) -> bool:
        self.blueprint  # noqa: B018 -- resolve (or 404) before deciding 403
        return super().allowed(access)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blueprint"] = self.blueprint
        # For the forms that change the blueprint's content: they say so before saving.
        context["will_reopen"] = review_states.will_reopen(self.blueprint)
        return context
