"""Review in the admin: the history of a blueprint's review moves (read-only, inline) and
the reviewers' actions "Approve" and "Request changes", each with a note for the team."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from blueprints.models import ReviewTransition
from blueprints.review import actions as review_actions
from blueprints.review import states as review_states
from localities import permissions
from localities.validators import TextHygieneMixin


class ReviewTransitionInline(admin.TabularInline):
    """The review history, read-only: moves happen through the review services."""

    model = ReviewTransition
    verbose_name = "review step"
    verbose_name_plural = "review history"
    fields = ["at", "by", "from_state", "to_state", "note", "blueprint_version"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DecisionNoteForm(TextHygieneMixin, forms.Form):
    note = forms.CharField(
        label="Note for the team",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=review_states.NOTE_MAX_LENGTH,
        help_text="The locality's editors and leads receive it by email with the decision.",
    )


class ReviewActions:
    """Admin actions for reviewers, who have only view permissions on blueprints: guarded by
    `has_review_permission` (Django's `@admin.action(permissions=["review"])`), asking for
    a note on an intermediate page, and applied one blueprint at a time by the review
    services, which refuse a blueprint that is not submitted and change nothing for it."""

    def has_review_permission(self, request) -> bool:
        return permissions.can_review(request.user)

    @admin.action(description="Approve selected blueprints", permissions=["review"])
    def approve_selected(self, request, queryset):
        return self._decide(request, queryset, "approve")

    @admin.action(description="Request changes on selected blueprints", permissions=["review"])
    def request_changes_selected(self, request, queryset):
        return self._decide(request, queryset, "request_changes")

    def _decide(self, request, queryset, action: str):
        rule = review_states.RULES[action]
        blueprints = list(queryset.select_related("locality").order_by("locality__name", "title"))
        form = DecisionNoteForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = [], []
            for blueprint in blueprints:
                try:
                    review_actions.SERVICES[action](
                        blueprint=blueprint, by=request.user, note=form.cleaned_data["note"]
                    )
                except review_states.ReviewRefused as refusal:
                    refused.append(f"“{blueprint.title}” ({refusal.message})")
                else:
                    done.append(f"“{blueprint.title}”")
            if done:
                self.message_user(request, f"{rule.label}: {', '.join(done)}.", messages.SUCCESS)
            if refused:
                self.message_user(
                    request, f"Left unchanged: {'; '.join(refused)}", messages.WARNING
                )
            return None  # back to the list
        context = {
            **self.admin_site.each_context(request),
            "title": f"{rule.label}: a note for the team",
            "opts": self.model._meta,
            "rule": rule,
            "form": form,
            "blueprints": blueprints,
            "ready": [b for b in blueprints if b.review_state in rule.sources],
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "blueprints/review/admin_note.html", context)
