"""The delivery questions (issue 12), listed across every site for the innovation unit and
filtered by status, theme and locality; and the programme's library of starter questions,
which reviewers keep.

A question's words, status, owner, answer and evidence change through
`update_delivery_question`, its owner chosen among its locality's members and its evidence
among its locality's insights and ideas. Questions are added on the site, or in the admin
as rows of their delivery challenge (`delivery.QuestionInline`).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model

from blueprints import services
from blueprints.admin.base import HistoryWithoutRevert, ThroughServices, changed_fields
from blueprints.content_fields import QUESTION_FIELDS
from blueprints.models import DeliveryQuestion, StarterQuestion


def members_of(locality_id: int):
    """The users an owner may be chosen from: the locality's team."""
    return (
        get_user_model().objects.filter(memberships__locality_id=locality_id).order_by("username")
    )


@admin.register(DeliveryQuestion)
class DeliveryQuestionAdmin(ThroughServices, HistoryWithoutRevert):
    list_display = ["text", "status", "theme", "challenge", "locality", "owner", "answered_on"]
    list_filter = ["status", "challenge__theme", "challenge__blueprint__locality"]
    list_select_related = ["challenge__blueprint__locality", "owner"]
    search_fields = ["text", "answer", "challenge__title", "challenge__blueprint__title"]
    readonly_fields = ["challenge", "decided_by", "published_at"]
    fields = ["challenge", *QUESTION_FIELDS, "decided_by", "published_at"]
    filter_horizontal = ["insights", "ideas"]
    show_full_result_count = False

    @admin.display(description="theme", ordering="challenge__theme")
    def theme(self, obj: DeliveryQuestion) -> str:
        return obj.challenge.get_theme_display()

    @admin.display(description="locality", ordering="challenge__blueprint__locality__name")
    def locality(self, obj: DeliveryQuestion) -> str:
        return obj.challenge.blueprint.locality.name

    def has_add_permission(self, request) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            locality = obj.challenge.blueprint.locality
            querysets = {
                "owner": members_of(locality.pk),
                "insights": locality.insights.all(),
                "ideas": locality.ideas.all(),
            }
            for name, queryset in querysets.items():
                if name in form.base_fields:
                    form.base_fields[name].queryset = queryset
        return form

    def save_model(self, request, obj, form, change):
        fields = changed_fields(form, QUESTION_FIELDS)
        if fields:
            services.update_delivery_question(question=obj, by=request.user, **fields)

    def delete_model(self, request, obj):
        services.delete_delivery_question(question=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for question in queryset.select_related("challenge"):
            services.delete_delivery_question(question=question, by=request.user)


@admin.register(StarterQuestion)
class StarterQuestionAdmin(admin.ModelAdmin):
    """The programme's own questions, offered by theme when a team names a delivery
    challenge. Reviewers may change them (`localities.reviewer_grants`); a site's copy is
    its own, so a change here reaches only challenges named after it.

    Saved by the admin itself, with no service between: a starter question is no
    blueprint's content (no version to bump, no lock, no history), and no page of the site
    writes one. Its rules are the model's, which the admin's form applies (`full_clean`):
    a theme among the delivery challenges' themes, words on one line with no control
    character and at most 300 characters, and a position of 0 or more. They are the rules
    of the question a team's copy becomes (`DeliveryQuestion.text`, checked again by
    `create_delivery_challenge`), so a ticked starter question is never refused on the
    site (tests/blueprints/test_admin_questions.py)."""

    list_display = ["text", "theme", "position"]
    list_editable = ["position"]
    list_filter = ["theme"]
    search_fields = ["text"]
    fields = ["theme", "text", "position"]
    ordering = ["theme", "position", "pk"]
