import csv
import logging
from http import HTTPStatus
from typing import NamedTuple

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Count, F, Min, Prefetch, When
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import (
    CreateView,
    DeleteView,
    DetailView,
    FormView,
    TemplateView,
    UpdateView,
)
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from redis.exceptions import RedisError

from localities import services
from localities.forms import (
    AddMemberForm,
    ChallengeForm,
    ChallengeSearchForm,
    ChangeRoleForm,
    InsightFilterForm,
    InsightForm,
)
from localities.listing import paginate, spreadsheet_safe
from localities.mixins import LocalityAccessMixin
from localities.models import Challenge, Insight, Locality, Membership, Tag
from localities.progress import method_progress, next_step

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """What a load balancer or monitor probes: 200 when every part answers, 503 when one
    does not, with a `part: state` line for each below the first line ("ok" or
    "unavailable"). Exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT), since probes
    speak plain HTTP to the app itself.

    The parts: the database (SELECT 1); Redis when the cache is there (PING); and the task
    queue, when tasks are queued in the database: how many wait for a worker and for how
    long. A task waiting longer than HEALTHZ_MAX_TASK_WAIT_SECONDS means no worker is
    running. Two queries; the queue's uses django-tasks-db's index of ready tasks.
    """
    database = _database_state()
    states = {
        "database": database,
        "redis": _redis_state(),
        "tasks": _task_queue_state(database_answers=database.healthy),
    }
    healthy = all(state.healthy for state in states.values())
    lines = ["ok" if healthy else "unavailable"]
    lines += [f"{part}: {state.text}" for part, state in states.items()]
    return HttpResponse(
        "\n".join(lines) + "\n",
        status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE,
        content_type="text/plain; charset=utf-8",
    )


class PartState(NamedTuple):
    text: str
    healthy: bool


def _database_state() -> PartState:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("healthz: the database did not answer: %s", error)
        return PartState("unavailable", False)
    return PartState("ok", True)


def _redis_state() -> PartState:
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return PartState("not configured", True)
    try:
        # Django's RedisCache has no public ping; its client is the one every request uses.
        cache._cache.get_client(write=True).ping()
    except RedisError as error:
        logger.warning("healthz: Redis did not answer: %s", error)
        return PartState("unavailable", False)
    return PartState("ok", True)


def _task_queue_state(*, database_answers: bool) -> PartState:
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return PartState(f"not queued in the database ({type(backend).__name__})", True)
    if not database_answers:
        return PartState("unknown: the database did not answer", False)
    # A task waits from when it was enqueued, or from when it came due if it was deferred.
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )
    try:
        queue = DBTaskResult.objects.ready().aggregate(
            waiting=Count("pk"), since=Min(waiting_since)
        )
    except DatabaseError as error:
        logger.warning("healthz: the task queue could not be read: %s", error)
        return PartState("unavailable", False)
    if not queue["waiting"]:
        return PartState("0 waiting", True)
    wait = (timezone.now() - queue["since"]).total_seconds()
    text = f"{queue['waiting']} waiting, oldest {wait:.0f} s"
    limit = settings.HEALTHZ_MAX_TASK_WAIT_SECONDS
    if wait > limit:
        return PartState(f"{text} (over {limit:g} s: is a worker running?)", False)
    return PartState(text, True)


class LocalityListView(LoginRequiredMixin, TemplateView):
    template_name = "localities/locality_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["localities"] = Locality.objects.visible_to(self.request.user).with_member_counts()
        return context


class LocalityDetailView(LocalityAccessMixin, TemplateView):
    """The overview: progress through steps 1-5 of the method, what to do next, the team.

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
            ),
        }
        top_idea = locality.ideas.filter(status="chosen").first()
        top_title = top_idea.title if top_idea else None
        steps = method_progress(counts, top_title)
        context.update(
            counts=counts,
            top_idea=top_idea,
            steps=steps,
            steps_done=sum(step.done for step in steps),
            next_step=next_step(counts, top_title, can_edit=context["can_edit"]),
            members=locality.memberships.select_related("user").order_by("role", "user__username"),
        )
        return context


class MemberListView(LocalityAccessMixin, TemplateView):
    template_name = "localities/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(
            self.locality.memberships.select_related("user").order_by("role", "user__username")
        )
        for membership in members:
            membership.role_form = ChangeRoleForm(
                initial={"role": membership.role}, auto_id=f"id_m{membership.pk}_%s"
            )
        context["members"] = members
        return context


class MemberAddView(LocalityAccessMixin, FormView):
    access = "manage"
    form_class = AddMemberForm
    template_name = "localities/member_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def form_valid(self, form):
        user = form.cleaned_data["user"]
        try:
            services.add_member(
                locality=self.locality,
                user=user,
                role=form.cleaned_data["role"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error("identifier", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{user.get_username()} joined {self.locality.name} as {form.cleaned_data['role']}.",
        )
        return redirect("localities:members", slug=self.locality.slug)


class MembershipMixin(LocalityAccessMixin):
    access = "manage"

    def get_membership(self) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related("user", "locality"),
            locality=self.locality,
            pk=self.kwargs["pk"],
        )


class MemberRoleView(MembershipMixin, FormView):
    form_class = ChangeRoleForm
    template_name = "localities/member_role.html"

    def get_initial(self):
        return {"role": self.membership.role}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["membership"] = self.membership
        return context

    def post(self, request, *args, **kwargs):
        self.membership = self.get_membership()
        return super().post(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.membership = self.get_membership()
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        role = form.cleaned_data["role"]
        try:
            services.change_member_role(membership=self.membership, role=role, by=self.request.user)
        except ValidationError as error:
            form.add_error("role", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{self.membership.user.get_username()} is now "
            f"{self.membership.get_role_display().lower()}.",
        )
        return redirect("localities:members", slug=self.locality.slug)


class MemberRemoveView(MembershipMixin, TemplateView):
    template_name = "localities/member_remove.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("membership", self.get_membership())
        return context

    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        try:
            services.remove_member(membership=membership, by=request.user)
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(membership=membership, error=error.messages[0])
            )
        messages.success(
            request,
            f"{membership.user.get_username()} is no longer a member of {self.locality.name}.",
        )
        return redirect("localities:members", slug=self.locality.slug)


# Insights


class InsightQuerysetMixin:
    """Only this locality's insights: one of another locality answers 404."""

    def get_queryset(self):
        return Insight.objects.filter(locality=self.locality)


class InsightFormMixin(InsightQuerysetMixin):
    access = "edit"
    form_class = InsightForm
    template_name = "localities/insight_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def save(self, form: InsightForm, **fields) -> Insight:
        with transaction.atomic():
            insight = form.save(commit=False)
            for name, value in fields.items():
                setattr(insight, name, value)
            insight.save()
            insight.tags.set(
                Tag.objects.for_names(locality=self.locality, names=form.cleaned_data["tag_names"])
            )
        return insight


class InsightListView(LocalityAccessMixin, TemplateView):
    template_name = "localities/insight_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = InsightFilterForm(self.request.GET or None, locality=self.locality)
        insights = filters.filter(Insight.objects.filter(locality=self.locality))
        page = paginate(
            self.request,
            insights.select_related("locality")
            .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
            .order_by(F("gathered_on").desc(nulls_last=True), "-created_at", "-pk"),
        )
        context.update(
            filters=filters,
            page_obj=page,
            insights=page.object_list,
            is_filtered=any(filters.data.get(name) for name in filters.fields),
        )
        return context


class InsightExportView(LocalityAccessMixin, View):
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
            filters.filter(Insight.objects.filter(locality=self.locality))
            .select_related("recorded_by")
            .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
            .order_by(F("gathered_on").desc(nulls_last=True), "-created_at", "-pk")
        )
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.locality.slug}-insights-{stamp}.csv"'
        )
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


class InsightDetailView(InsightQuerysetMixin, LocalityAccessMixin, DetailView):
    template_name = "localities/insight_detail.html"
    context_object_name = "insight"

    def get_queryset(self):
        return super().get_queryset().select_related("locality", "recorded_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tags=self.object.tags.order_by("name"),
            challenges=self.object.challenges.select_related("locality").order_by("title"),
        )
        return context


class InsightCreateView(InsightFormMixin, LocalityAccessMixin, CreateView):
    def form_valid(self, form):
        insight = self.save(form, locality=self.locality, recorded_by=self.request.user)
        messages.success(self.request, "Insight recorded.")
        if "add_another" in self.request.POST:
            return redirect("localities:insight-create", slug=self.locality.slug)
        return redirect(insight.get_absolute_url())


class InsightUpdateView(InsightFormMixin, LocalityAccessMixin, UpdateView):
    context_object_name = "insight"

    def form_valid(self, form):
        insight = self.save(form)
        messages.success(self.request, "Insight saved.")
        return redirect(insight.get_absolute_url())


class InsightDeleteView(InsightQuerysetMixin, LocalityAccessMixin, DeleteView):
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
        messages.success(self.request, "Insight deleted.")
        return super().form_valid(form)


# Challenges


class ChallengeQuerysetMixin:
    """Only this locality's challenges: one of another locality answers 404."""

    def get_queryset(self):
        return Challenge.objects.filter(locality=self.locality)


class ChallengeFormMixin(ChallengeQuerysetMixin):
    access = "edit"
    form_class = ChallengeForm
    template_name = "localities/challenge_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}


class ChallengeListView(LocalityAccessMixin, TemplateView):
    template_name = "localities/challenge_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = ChallengeSearchForm(self.request.GET or None)
        challenges = search.filter(Challenge.objects.filter(locality=self.locality))
        page = paginate(
            self.request,
            challenges.select_related("locality")
            .annotate(insight_count=Count("insights"))
            .order_by("title", "pk"),
        )
        context.update(search=search, page_obj=page, challenges=page.object_list)
        return context


class ChallengeDetailView(ChallengeQuerysetMixin, LocalityAccessMixin, DetailView):
    template_name = "localities/challenge_detail.html"
    context_object_name = "challenge"

    def get_queryset(self):
        return super().get_queryset().select_related("locality", "created_by")

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


class ChallengeCreateView(ChallengeFormMixin, LocalityAccessMixin, CreateView):
    def form_valid(self, form):
        form.instance.locality = self.locality
        form.instance.created_by = self.request.user
        with transaction.atomic():
            challenge = form.save()
        messages.success(self.request, "Challenge named.")
        return redirect(challenge.get_absolute_url())


class ChallengeUpdateView(ChallengeFormMixin, LocalityAccessMixin, UpdateView):
    context_object_name = "challenge"

    def form_valid(self, form):
        with transaction.atomic():
            challenge = form.save()
        messages.success(self.request, "Challenge saved.")
        return redirect(challenge.get_absolute_url())


class ChallengeDeleteView(ChallengeQuerysetMixin, LocalityAccessMixin, DeleteView):
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
