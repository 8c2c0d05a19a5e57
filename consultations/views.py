import csv
import io
import re
from collections.abc import Iterator

import segno
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.generic import CreateView, DeleteView, DetailView, TemplateView, UpdateView
from django.views.generic.detail import SingleObjectMixin

from consultations import services
from consultations.forms import (
    MAX_ROWS,
    ROWS_PER_PAGE,
    ChooseIdeaForm,
    ConsultationForm,
    IdeaFilterForm,
    IdeaForm,
    PublicResponseForm,
    ResponseRowFormSet,
)
from consultations.models import Consultation, Idea, Response
from consultations.selectors import results_for
from localities.listing import paginate, spreadsheet_safe
from localities.mixins import LocalityAccessMixin
from localities.models import Challenge

RESPONSES_SHOWN = 50

# For every response that shows a consultation's secret link, or is reached by it (the
# public form's URL is the secret): no shared cache may keep it, and the browser does not
# store it either. "private, no-store", as the exports send: said once, with Django's own
# decorator, so a new page gets it by one line and no view writes the header by hand.
secret_page = method_decorator(cache_control(private=True, no_store=True), name="dispatch")


def count_of(queryset: QuerySet, field: str = "pk") -> Subquery:
    """A correlated COUNT, so that two counts on one row do not multiply each other's joins."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(field).annotate(n=Count("*")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


# Ideas


class IdeaQuerysetMixin:
    """Only this locality's ideas: one of another locality answers 404."""

    def get_queryset(self):
        return Idea.objects.filter(locality=self.locality).select_related("locality")


class IdeaFormMixin(IdeaQuerysetMixin):
    access = "edit"
    form_class = IdeaForm
    template_name = "consultations/idea_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_challenges"] = Challenge.objects.filter(locality=self.locality).exists()
        return context


class IdeaListView(LocalityAccessMixin, TemplateView):
    template_name = "consultations/idea_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = IdeaFilterForm(self.request.GET or None)
        ideas = filters.filter(Idea.objects.filter(locality=self.locality)).select_related(
            "locality"
        )
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


class IdeaDetailView(IdeaQuerysetMixin, LocalityAccessMixin, DetailView):
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


class IdeaCreateView(IdeaFormMixin, LocalityAccessMixin, CreateView):
    def form_valid(self, form):
        form.instance.locality = self.locality
        form.instance.created_by = self.request.user
        with transaction.atomic():
            idea = form.save()
        messages.success(self.request, "Idea added.")
        return redirect(idea.get_absolute_url())


class IdeaUpdateView(IdeaFormMixin, LocalityAccessMixin, UpdateView):
    context_object_name = "idea"

    def form_valid(self, form):
        with transaction.atomic():
            idea = form.save()
        messages.success(self.request, "Idea saved.")
        return redirect(idea.get_absolute_url())


class IdeaDeleteView(IdeaQuerysetMixin, LocalityAccessMixin, DeleteView):
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


class IdeaChooseView(IdeaQuerysetMixin, LocalityAccessMixin, SingleObjectMixin, View):
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


# Consultations


class ConsultationQuerysetMixin:
    """Only this locality's consultations: one of another locality answers 404."""

    def get_queryset(self):
        return Consultation.objects.filter(locality=self.locality).select_related("locality")


class ConsultationFormMixin(ConsultationQuerysetMixin):
    access = "edit"
    form_class = ConsultationForm
    template_name = "consultations/consultation_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "locality": self.locality}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_ideas"] = Idea.objects.filter(locality=self.locality).exists()
        return context


class ConsultationListView(LocalityAccessMixin, TemplateView):
    template_name = "consultations/consultation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultations = (
            Consultation.objects.filter(locality=self.locality)
            .select_related("locality")
            .annotate(
                idea_count=count_of(
                    Consultation.ideas.through.objects.filter(consultation=OuterRef("pk")),
                    "consultation",
                ),
                response_count=count_of(
                    Response.objects.filter(consultation=OuterRef("pk")), "consultation"
                ),
            )
        )
        page = paginate(self.request, consultations.order_by("-held_on", "title", "pk"))
        context.update(page_obj=page, consultations=page.object_list)
        return context


def public_link(request, consultation: Consultation) -> str:
    return request.build_absolute_uri(consultation.get_public_url())


@secret_page
class ConsultationDetailView(ConsultationQuerysetMixin, LocalityAccessMixin, DetailView):
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
class ConsultationQrView(ConsultationQuerysetMixin, LocalityAccessMixin, SingleObjectMixin, View):
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


class ConsultationCreateView(ConsultationFormMixin, LocalityAccessMixin, CreateView):
    def get_initial(self):
        return {"held_on": timezone.localdate()}

    def form_valid(self, form):
        form.instance.locality = self.locality
        form.instance.created_by = self.request.user
        with transaction.atomic():
            consultation = form.save()
        messages.success(self.request, "Consultation added. Share its link or enter responses.")
        return redirect(consultation.get_absolute_url())


class ConsultationUpdateView(ConsultationFormMixin, LocalityAccessMixin, UpdateView):
    context_object_name = "consultation"

    def form_valid(self, form):
        with transaction.atomic():
            consultation = form.save()
        messages.success(self.request, "Consultation saved.")
        return redirect(consultation.get_absolute_url())


class ConsultationDeleteView(ConsultationQuerysetMixin, LocalityAccessMixin, DeleteView):
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
class ConsultationTokenView(
    ConsultationQuerysetMixin, LocalityAccessMixin, SingleObjectMixin, View
):
    """A new public link; anyone holding the old one gets "not found" from now on."""

    access = "edit"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        consultation = services.regenerate_token(consultation=self.get_object())
        messages.success(
            request, "The public link has changed; the old link and QR code no longer work."
        )
        return redirect(consultation.get_absolute_url())


class ConsultationResponsesView(
    ConsultationQuerysetMixin, LocalityAccessMixin, SingleObjectMixin, View
):
    """The team types in paper responses, many rows at once: all rows are saved, or none."""

    access = "edit"
    template_name = "consultations/consultation_responses.html"
    context_object_name = "consultation"

    def formset(self, data=None) -> ResponseRowFormSet:
        return ResponseRowFormSet(data, ideas=self.ideas, prefix="rows")

    def render(self, formset, *, show_errors: bool = True) -> HttpResponse:
        context = self.get_context_data(
            formset=formset,
            show_errors=show_errors,
            ideas=self.ideas,
            can_add_rows=formset.total_form_count() < MAX_ROWS,
            rows_per_page=ROWS_PER_PAGE,
        )
        return render(self.request, self.template_name, context)

    def setup_objects(self) -> None:
        self.object = self.get_object()
        self.ideas = list(self.object.ideas.order_by("title"))

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return self.render(self.formset())

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        if "more_rows" in request.POST:
            return self.render(self.formset(self.with_more_rows(request.POST)), show_errors=False)
        formset = self.formset(request.POST)
        if formset.is_valid():
            try:
                saved = services.record_responses(
                    consultation=self.object, rows=formset.rows(), channel=Response.Channel.TEAM
                )
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
                return self.render(formset)
            messages.success(
                request,
                f"{len(saved)} response{'' if len(saved) == 1 else 's'} saved.",
            )
            return redirect(self.object.get_absolute_url())
        return self.render(formset)

    @staticmethod
    def with_more_rows(data):
        """The posted rows, kept, with more blank rows after them."""
        data = data.copy()
        try:
            total = int(data.get("rows-TOTAL_FORMS", ""))
        except ValueError:
            return data
        data["rows-TOTAL_FORMS"] = str(max(0, min(total + ROWS_PER_PAGE, MAX_ROWS)))
        return data


class ConsultationResultsView(ConsultationQuerysetMixin, LocalityAccessMixin, DetailView):
    template_name = "consultations/results.html"
    context_object_name = "consultation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = results_for(locality=self.locality, consultation=self.object)
        context.update(results=results, response_count=sum(r.overall.total for r in results))
        return context


class LocalityResultsView(LocalityAccessMixin, TemplateView):
    """Results across every consultation of the locality."""

    template_name = "consultations/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = results_for(locality=self.locality)
        consultations = (
            Consultation.objects.filter(locality=self.locality)
            .annotate(
                response_count=count_of(
                    Response.objects.filter(consultation=OuterRef("pk")), "consultation"
                )
            )
            .order_by("-held_on", "title", "pk")
        )
        context.update(
            results=results,
            response_count=sum(r.overall.total for r in results),
            consultations=consultations,
        )
        return context


# CSV exports


class Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "response id",
    "consultation",
    "consultation date",
    "idea",
    "respondent group",
    "support (1-5)",
    "comment",
    "channel",
    "received at",
]


def csv_rows(responses: QuerySet[Response]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield "\ufeff"  # so that Excel reads the file as UTF-8
    yield writer.writerow(CSV_HEADER)
    groups = dict(Response.Group.choices)
    channels = dict(Response.Channel.choices)
    rows = responses.values_list(
        "pk",
        "consultation__title",
        "consultation__held_on",
        "idea__title",
        "group",
        "support",
        "comment",
        "channel",
        "created_at",
    ).order_by("consultation__held_on", "consultation_id", "created_at", "pk")
    for pk, title, held_on, idea, group, support, comment, channel, created_at in rows.iterator(
        chunk_size=2000
    ):
        yield writer.writerow(
            [
                pk,
                spreadsheet_safe(title),
                held_on.isoformat(),
                spreadsheet_safe(idea),
                groups.get(group, group),
                support,
                spreadsheet_safe(comment),
                channels.get(channel, channel),
                timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )


def csv_response(responses: QuerySet[Response], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(responses), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ConsultationExportView(
    ConsultationQuerysetMixin, LocalityAccessMixin, SingleObjectMixin, View
):
    def get(self, request, *args, **kwargs):
        consultation = self.get_object()
        stamp = timezone.localdate().isoformat()
        return csv_response(
            Response.objects.filter(consultation=consultation),
            f"{self.locality.slug}-consultation-{consultation.pk}-responses-{stamp}.csv",
        )


class LocalityExportView(LocalityAccessMixin, View):
    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().isoformat()
        return csv_response(
            Response.objects.filter(consultation__locality=self.locality),
            f"{self.locality.slug}-responses-{stamp}.csv",
        )


# The public response form: no login, only the consultation's secret token.

TOKEN_MAX_LENGTH = Consultation._meta.get_field("token").max_length


# What models.new_token() makes (URL-safe base64); anything else is not worth a query,
# and some of it (a NUL byte) PostgreSQL would refuse outright.
TOKEN_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{1,{TOKEN_MAX_LENGTH}}}")


def public_consultation(token: str) -> Consultation:
    if not TOKEN_SHAPE.fullmatch(token):
        raise Http404("No consultation has that link.")
    return get_object_or_404(Consultation.objects.select_related("locality"), token=token)


def over_submission_limit(request) -> bool:
    """Count this submission against the client address; True once past the hourly limit.

    A fixed one-hour window from the address's first submission, kept in Django's cache.
    The address is REMOTE_ADDR: behind a reverse proxy, the proxy must set it to the
    client's address, or everyone shares one allowance.
    """
    key = f"consult-submissions:{request.META.get('REMOTE_ADDR', 'unknown')}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count > settings.CONSULT_SUBMISSIONS_PER_HOUR


@secret_page
class RespondView(View):
    """The public response form of one consultation, found by its token."""

    template_name = "consultations/public/respond.html"

    def setup_objects(self, token: str) -> None:
        self.consultation = public_consultation(token)
        self.ideas = list(self.consultation.ideas.order_by("title"))

    def closed(self) -> HttpResponse:
        # 200, not 410: the page is there and says what is going on, and a consultation can
        # be opened again, which 410 ("gone for good") would deny.
        return render(
            self.request, "consultations/public/closed.html", {"consultation": self.consultation}
        )

    def render_form(self, form: PublicResponseForm) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"consultation": self.consultation, "form": form},
        )

    def get(self, request, token: str):
        self.setup_objects(token)
        if not self.consultation.is_open:
            return self.closed()
        return self.render_form(PublicResponseForm(ideas=self.ideas))

    def post(self, request, token: str):
        self.setup_objects(token)
        if not self.consultation.is_open:
            return self.closed()
        if over_submission_limit(request):
            return render(
                request,
                "consultations/public/too_many.html",
                {"consultation": self.consultation, "limit": settings.CONSULT_SUBMISSIONS_PER_HOUR},
                status=429,
            )
        form = PublicResponseForm(request.POST, ideas=self.ideas)
        thanks = redirect("consultations:respond-thanks", token=self.consultation.token)
        if form.is_bot:
            return thanks  # pretend all went well; save nothing
        if not form.is_valid():
            return self.render_form(form)
        try:
            services.record_responses(
                consultation=self.consultation, rows=form.rows(), channel=Response.Channel.PUBLIC
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form)
        return thanks


@secret_page
class RespondThanksView(View):
    def get(self, request, token: str):
        consultation = public_consultation(token)
        return render(request, "consultations/public/thanks.html", {"consultation": consultation})
