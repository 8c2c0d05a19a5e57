"""What the blueprint pages share: the access mixin that finds the URL's blueprint, says
whether its content is frozen for review, and answers a refused content change."""

from functools import cached_property
from http import HTTPStatus

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject

from blueprints.models import Blueprint
from blueprints.review import queries as review_queries
from blueprints.review import states as review_states
from localities.mixins import LocalityAccessMixin


class BlueprintAccessMixin(LocalityAccessMixin):
    """A blueprint of the URL's locality, found only among those the user may see.

    The locality is resolved (404) and then the blueprint (404) before the action's
    permission is checked (403), so a refused write never reveals what does not exist.

    A content change to a submitted blueprint is refused by the services
    (`review_states.Frozen`, raised before anything is saved for good); every blueprint view
    answers it here, with 409 and the banner's words, whatever view made the change.
    """

    # A page of the blueprint's content (the editor, its structure): while the blueprint is
    # submitted it is drawn read-only, as for a viewer, under the banner.
    freezes_content = False
    # A page whose form changes the content (a card's form, a phase's, a restore): while
    # the blueprint is submitted, opening it shows the refusal instead of a form that
    # could only be refused when sent.
    writes_content = False

    @cached_property
    def blueprint(self) -> Blueprint:
        return get_object_or_404(
            Blueprint.objects.filter(locality=self.locality).select_related("idea", "locality"),
            pk=self.kwargs["pk"],
        )

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except review_states.Frozen as frozen:
            return self.frozen_response(frozen)

    def frozen_response(self, frozen: review_states.Frozen) -> HttpResponse:
        """409 with the refusal. An htmx request reloads its page, which then shows the
        banner (read-only) with the reason and a message that the change was not saved; a
        plain one gets a page saying so."""
        if self.request.htmx:
            messages.error(self.request, review_states.NOT_SAVED_MESSAGE)
            response = HttpResponse(frozen.message, status=HTTPStatus.CONFLICT)
            response["HX-Refresh"] = "true"
            return response
        blueprint = self.blueprint
        blueprint.refresh_from_db(fields=["review_state", "version"])
        context = {
            "locality": self.locality,
            "blueprint": blueprint,
            "message": frozen.message,
            "frozen": review_states.is_frozen(blueprint),
            "opened": self.request.method == "GET",
            "may_withdraw": review_states.may_withdraw(self.request.user, blueprint),
        }
        return TemplateResponse(
            self.request,
            "blueprints/review/frozen.html",
            context,
            status=HTTPStatus.CONFLICT,
        ).render()

    def allowed(self, access: str) -> bool:
        self.blueprint  # noqa: B018 -- resolve (or 404) before deciding 403
        if not super().allowed(access):
            return False
        # Asked here, once who may open the page is settled (404, then 403), and before
        # the page is drawn: `dispatch` answers the refusal.
        if (
            self.writes_content
            and self.request.method == "GET"
            and review_states.is_frozen(self.blueprint)
        ):
            raise review_states.Frozen()
        return True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blueprint, user = self.blueprint, self.request.user
        context["blueprint"] = blueprint
        # For the forms that change the blueprint's content: they say so before saving.
        context["will_reopen"] = review_states.will_reopen(blueprint)
        # Submitted: the content is frozen; the pages say so and offer to withdraw.
        frozen = review_states.is_frozen(blueprint)
        context["frozen"] = frozen
        context["frozen_message"] = review_states.FROZEN_MESSAGE
        context["may_withdraw"] = frozen and review_states.may_withdraw(user, blueprint)
        if frozen and self.freezes_content:
            context["can_edit"] = False
        # Read only if a page shows it (one query).
        context["version_label"] = SimpleLazyObject(lambda: review_queries.version_label(blueprint))
        return context
