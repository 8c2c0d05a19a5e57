"""The admin of ideas, consultations and their responses.

Responses run to tens of thousands across a programme (81,000 for 150 localities), so their
list reads no more than its page: it is sorted by an index, counts its rows once, and its
filters are fixed lists rather than a scan of every response for the values present.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from consultations.models import Consultation, Idea, Response
from localities.admin import count_subquery

RESPONSES_SHOWN_INLINE = 50


class IdeaAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        locality = cleaned.get("locality")
        challenges = cleaned.get("challenges")
        if locality and challenges and any(c.locality_id != locality.pk for c in challenges):
            self.add_error(
                "challenges", "Only challenges of the idea's own locality can be chosen."
            )
        if (
            cleaned.get("status") == Idea.Status.CHOSEN
            and self.instance.status != Idea.Status.CHOSEN
        ):
            # Choosing demotes the previous top idea in the same transaction; only the
            # service does that (the site's "Choose as top idea" page).
            self.add_error(
                "status",
                "Choose the top idea on the site (“Choose as top idea”), so that the "
                "previous top idea goes back to shortlisted.",
            )
        return cleaned


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    form = IdeaAdminForm
    list_display = ["title", "locality", "status", "proposed_by", "chosen_at", "updated_at"]
    list_filter = ["status", "locality"]
    search_fields = ["title", "description", "proposed_by", "rationale"]
    list_select_related = ["locality"]
    filter_horizontal = ["challenges"]
    readonly_fields = ["chosen_at", "chosen_by", "created_by", "created_at", "updated_at"]
    date_hierarchy = "created_at"


class RecentResponsesFormSet(BaseInlineFormSet):
    """Only the newest responses: a survey can have thousands, too many for one page."""

    def get_queryset(self):
        if not hasattr(self, "_recent"):
            self._recent = (
                super().get_queryset().order_by("-created_at", "-pk")[:RESPONSES_SHOWN_INLINE]
            )
        return self._recent


class ResponseInline(admin.TabularInline):
    model = Response
    formset = RecentResponsesFormSet
    fields = ["idea", "group", "support", "comment", "channel", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["idea"]  # a select per row would query every idea once per row
    extra = 0
    verbose_name_plural = f"responses (the newest {RESPONSES_SHOWN_INLINE}; all under Responses)"


class ConsultationAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        locality = cleaned.get("locality")
        ideas = cleaned.get("ideas")
        if locality and ideas and any(idea.locality_id != locality.pk for idea in ideas):
            self.add_error("ideas", "Only ideas of the consultation's own locality can be chosen.")
        return cleaned


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    form = ConsultationAdminForm
    list_display = ["title", "locality", "held_on", "method", "audience", "is_open", "responses"]
    list_filter = ["is_open", "method", "audience", "locality"]
    search_fields = ["title", "place", "notes"]
    list_select_related = ["locality"]
    filter_horizontal = ["ideas"]
    readonly_fields = ["token", "created_by", "created_at", "updated_at"]
    date_hierarchy = "held_on"
    inlines = [ResponseInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_responses=count_subquery(Response, "consultation"))
        )

    @admin.display(description="responses", ordering="_responses")
    def responses(self, obj: Consultation) -> int:
        return obj._responses


class ResponseAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        consultation, idea = cleaned.get("consultation"), cleaned.get("idea")
        if consultation and idea and idea.locality_id != consultation.locality_id:
            raise ValidationError("The idea must belong to the consultation's locality.")
        return cleaned


class SupportFilter(admin.SimpleListFilter):
    """The scores 1 to 5 as a fixed list: the default filter of an integer field reads the
    values present with a DISTINCT over every response."""

    title = "support"
    parameter_name = "support"

    def lookups(self, request, model_admin):
        return [(str(score), str(score)) for score in range(1, 6)]

    def queryset(self, request, queryset):
        return queryset.filter(support=self.value()) if self.value() else queryset


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    form = ResponseAdminForm
    list_display = ["idea", "consultation", "group", "support", "channel", "created_at"]
    # By date in the sidebar (today, past 7 days, this month, this year) rather than a date
    # hierarchy, whose links need a DISTINCT over the dates of every response.
    list_filter = ["group", SupportFilter, "channel", "created_at", "consultation__locality"]
    search_fields = ["comment", "idea__title", "consultation__title"]
    list_select_related = ["idea", "consultation"]
    raw_id_fields = ["consultation", "idea"]
    # One count of the 81,000 rows, not two (the list then says "Show all", not the total,
    # beside a search).
    show_full_result_count = False
