"""The Card admin: a card's words, kind, emotion, evidence and the community resources it
names (its locality's only) change here, through
`update_card` with the version the form was opened at; where it sits does not."""

from django.contrib import admin

from blueprints import services
from blueprints.admin.base import (
    HistoryWithoutRevert,
    OpenedAtVersionForm,
    ThroughServices,
    changed_fields,
)
from blueprints.content_fields import CARD_FIELDS
from blueprints.models import Card


class CardAdminForm(OpenedAtVersionForm):
    noun = "card"


@admin.register(Card)
class CardAdmin(ThroughServices, HistoryWithoutRevert):
    form = CardAdminForm
    list_display = ["title", "kind", "emotion", "blueprint", "phase", "lane", "position"]
    list_filter = ["kind", "lane__role", "blueprint__locality"]
    list_select_related = ["blueprint", "phase", "lane"]
    search_fields = ["title", "details", "blueprint__title"]
    readonly_fields = ["blueprint", "phase", "lane", "position", "version"]
    fields = [
        "blueprint",
        "phase",
        "lane",
        "position",
        "title",
        "details",
        "kind",
        "emotion",
        "insights",
        "space",
        "partner",
        "volunteer_role",
        "volunteer_hours",
        "version",
        "opened_at_version",
    ]
    filter_horizontal = ["insights"]
    # One count of every card (60,000 in a national programme), not two.
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            locality_id = obj.blueprint.locality_id
            if "insights" in form.base_fields:
                form.base_fields["insights"].queryset = obj.blueprint.locality.insights.all()
            # The site's own community resources only (`update_card` checks again).
            for name, order in (
                ("space", "name"),
                ("partner", "organisation"),
                ("volunteer_role", "name"),
            ):
                if name in form.base_fields:
                    model = form.base_fields[name].queryset.model
                    form.base_fields[name].queryset = model.objects.filter(
                        locality_id=locality_id
                    ).order_by(order, "pk")
        return form

    def save_model(self, request, obj, form, change):
        """Through `update_card`, with the version the form was opened at: a card someone
        changed since is left as they left it."""
        fields = changed_fields(form, CARD_FIELDS)
        if not fields:
            return
        saved = services.update_card(
            card=obj, expected_version=form.opened_version(), by=request.user, **fields
        )
        obj.version = saved.version

    def delete_model(self, request, obj):
        services.delete_card(card=obj, expected_version=obj.version, by=request.user)

    def delete_queryset(self, request, queryset):
        for card in queryset.order_by("blueprint_id", "pk"):
            services.delete_card(card=card, expected_version=card.version, by=request.user)
