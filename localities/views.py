from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from localities import permissions, services
from localities.forms import AddMemberForm, ChangeRoleForm
from localities.mixins import LocalityAccessMixin
from localities.models import Locality, Membership


def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def with_member_counts(queryset):
    """Annotate member counts by subquery, so a membership filter cannot skew them."""
    counts = (
        Membership.objects.filter(locality=OuterRef("pk"))
        .order_by()
        .values("locality")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(member_count=Coalesce(Subquery(counts), 0))


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "localities/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        roles = dict(Membership.objects.filter(user=user).values_list("locality_id", "role"))
        localities = list(with_member_counts(Locality.objects.visible_to(user)))
        for locality in localities:
            locality.my_role = (
                Membership.Role(roles[locality.pk]).label if locality.pk in roles else None
            )
        context.update(
            localities=localities,
            sees_every_locality=permissions.sees_every_locality(user),
        )
        return context


class LocalityListView(LoginRequiredMixin, TemplateView):
    template_name = "localities/locality_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["localities"] = with_member_counts(Locality.objects.visible_to(self.request.user))
        return context


class LocalityDetailView(LocalityAccessMixin, TemplateView):
    template_name = "localities/locality_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = self.locality.memberships.select_related("user").order_by(
            "role", "user__username"
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
