"""The learning shared across sites: the library at /learning/ (what every site has
published), each item's page, starting one's own work from an item, and the team's
publish and unpublish buttons. Every write goes through `blueprints.services`.

Who reads what (DESIGN sections 4 and 5): the library and published items, any member of
any site, reviewers and superusers; an unpublished item, only those who see its site (its
team, reviewers), others get 404. Starting from an item needs the right to change some
other site's content (403 otherwise); publishing, the right to change the item's own.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from blueprints import learning, services
from blueprints.forms import add_service_errors
from blueprints.forms_learning import StartChallengeForm, StartFromForm
from blueprints.models import DeliveryQuestion, Prototype
from blueprints.views.base import BlueprintAccessMixin
from blueprints.views.planning import challenge_list_url, prototype_url
from localities import permissions
from localities.models import Locality


class LibraryAccessMixin(LoginRequiredMixin):
    """Members of any site, reviewers and superusers; anyone else signed in gets 404, as
    for a locality that is not theirs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.reads_shared_learning(request.user):
            raise Http404("No such page.")
        return super().dispatch(request, *args, **kwargs)


def may_start_from(user, source_locality_id: int) -> bool:
    """Whether the user may change the content of a site other than the item's own."""
    return Locality.objects.editable_by(user).exclude(pk=source_locality_id).exists()


class LibraryView(LibraryAccessMixin, TemplateView):
    template_name = "blueprints/learning/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        context.update(
            library=learning.search_library(
                words=get.get("q", "")[:200],
                theme=get.get("theme", ""),
                decision=get.get("decision", ""),
                kind=get.get("kind", ""),
            ),
            themes=learning.THEMES,
            decisions=learning.DECISIONS,
            kinds=learning.KINDS,
            limit=learning.LIMIT,
        )
        return context


class _ItemMixin(LibraryAccessMixin):
    """The item of the URL among those the user may read (404 otherwise)."""

    def item_queryset(self):
        raise NotImplementedError

    @cached_property
    def item(self):
        return get_object_or_404(self.item_queryset(), pk=self.kwargs["pk"])

    def source_locality(self) -> Locality:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.source_locality()
        context.update(
            source_locality=source,
            can_start=self.item.published_at is not None
            and may_start_from(self.request.user, source.pk),
        )
        return context


class _QuestionMixin(_ItemMixin):
    def item_queryset(self):
        return learning.readable_questions(self.request.user)

    def source_locality(self) -> Locality:
        return self.item.challenge.blueprint.locality


class _PrototypeMixin(_ItemMixin):
    def item_queryset(self):
        return learning.readable_prototypes(self.request.user)

    def source_locality(self) -> Locality:
        return self.item.blueprint.locality


class QuestionView(_QuestionMixin, TemplateView):
    template_name = "blueprints/learning/question.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            question=self.item,
            prototypes=list(self.item.prototypes.filter(published_at__isnull=False)),
        )
        return context


class PrototypeView(_PrototypeMixin, TemplateView):
    template_name = "blueprints/learning/prototype.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            prototype=self.item,
            measures=list(self.item.measures.all()),
            questions=list(
                self.item.questions.filter(published_at__isnull=False).select_related("challenge")
            ),
        )
        return context


class _StartMixin(_ItemMixin, FormView):
    """Starting from a published item (404 if it is not, or not readable), for those who
    may change another site's content (403 otherwise)."""

    template_name = "blueprints/learning/start.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and permissions.reads_shared_learning(request.user):
            if self.item.published_at is None:
                raise Http404("No such page.")
            if not may_start_from(request.user, self.source_locality().pk):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "blueprints": learning.blueprints_to_start_in(
                self.request.user, self.source_locality().pk
            ),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "item": self.item}

    def start(self, data: dict):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            url = self.start(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Started from {self.source_locality().name}’s {self.kind}.")
        return redirect(url)


class StartChallengeView(_QuestionMixin, _StartMixin):
    form_class = StartChallengeForm
    kind = "question"

    def get_initial(self):
        return {"title": self.item.challenge.title, "theme": self.item.challenge.theme}

    def start(self, data: dict) -> str:
        challenge = services.start_delivery_challenge_from(
            question=self.item,
            blueprint=data["blueprint"],
            title=data["title"],
            theme=data["theme"],
            by=self.request.user,
        )
        return challenge_list_url(data["blueprint"], f"challenge-{challenge.pk}")


class StartPrototypeView(_PrototypeMixin, _StartMixin):
    form_class = StartFromForm
    kind = "prototype"

    def get_initial(self):
        return {"title": self.item.title}

    def start(self, data: dict) -> str:
        prototype = services.start_prototype_from(
            prototype=self.item,
            blueprint=data["blueprint"],
            title=data["title"],
            by=self.request.user,
        )
        return prototype_url(prototype, data["blueprint"])


# The team's buttons ----------------------------------------------------------------------


class _PublishView(BlueprintAccessMixin, View):
    """POST only, by the site's editors and leads; back to the page the button was on."""

    access = "edit"
    http_method_names = ["post"]
    publish: bool

    def item(self):
        raise NotImplementedError

    def act(self, item, *, by):
        raise NotImplementedError

    def fallback_url(self) -> str:
        raise NotImplementedError

    def allowed(self, access: str) -> bool:
        self.item()  # resolve (or 404) before deciding 403
        return super().allowed(access)

    def post(self, request, *args, **kwargs):
        item = self.item()
        try:
            self.act(item, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = "Published" if self.publish else "Unpublished"
            where = "to" if self.publish else "from"
            messages.success(request, f"{done} “{item}” {where} the learning library.")
        return HttpResponseRedirect(self.next_url())

    def next_url(self) -> str:
        url = self.request.POST.get("next", "")
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return self.fallback_url()


class _QuestionPublishView(_PublishView):
    @cached_property
    def _question(self) -> DeliveryQuestion:
        return get_object_or_404(
            DeliveryQuestion.objects.filter(challenge__blueprint=self.blueprint),
            pk=self.kwargs["question_pk"],
        )

    def item(self):
        return self._question

    def fallback_url(self) -> str:
        return challenge_list_url(self.blueprint, f"challenge-{self._question.challenge_id}")


class QuestionPublishView(_QuestionPublishView):
    publish = True

    def act(self, item, *, by):
        services.publish_question(question=item, by=by)


class QuestionUnpublishView(_QuestionPublishView):
    publish = False

    def act(self, item, *, by):
        services.unpublish_question(question=item, by=by)


class _PrototypePublishView(_PublishView):
    @cached_property
    def _prototype(self) -> Prototype:
        return get_object_or_404(self.blueprint.prototypes.all(), pk=self.kwargs["prototype_pk"])

    def item(self):
        return self._prototype

    def fallback_url(self) -> str:
        return reverse(
            "blueprints:prototype-list",
            kwargs={"slug": self.locality.slug, "pk": self.blueprint.pk},
        )


class PrototypePublishView(_PrototypePublishView):
    publish = True

    def act(self, item, *, by):
        services.publish_prototype(prototype=item, by=by)


class PrototypeUnpublishView(_PrototypePublishView):
    publish = False

    def act(self, item, *, by):
        services.unpublish_prototype(prototype=item, by=by)
