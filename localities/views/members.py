"""A locality's team: the member list, and adding, re-roling and removing members (leads
and superusers), each through `localities.services`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from localities import services
from localities.forms import AddMemberForm, ChangeRoleForm
from localities.mixins import LocalityAccessMixin
from localities.models import Membership


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
