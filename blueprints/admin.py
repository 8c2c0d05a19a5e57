"""The admin, for innovation-unit reviewers who read every site (and superusers who fix).

Structure (which cell a card sits in, positions, which blueprint a record belongs to) is
read-only here: it changes through `blueprints.services`, which keeps positions dense and
versions current. Cards, challenges and prototypes are created in the blueprint editor.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from blueprints import services
from blueprints.models import Blueprint, Card, DeliveryChallenge, Lane, Phase, Prototype


class HistoryWithoutRevert(SimpleHistoryAdmin):
    """History pages, but no reverting: an old record would bring back stale positions."""

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _bump_blueprint(blueprint_id: int) -> None:
    """An admin edit is a content change too: the editor's pages must see a new version."""
    Blueprint.objects.filter(pk=blueprint_id).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


class PhaseInline(admin.TabularInline):
    model = Phase
    fields = ["position", "name", "description"]
    readonly_fields = ["position"]
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class LaneInline(admin.TabularInline):
    model = Lane
    fields = ["position", "role", "name"]
    readonly_fields = ["position", "role"]
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Blueprint)
class BlueprintAdmin(HistoryWithoutRevert):
    list_display = ["title", "locality", "idea", "card_count", "version", "updated_at"]
    list_filter = ["locality", ("idea", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["locality", "idea"]
    search_fields = ["title", "summary", "locality__name", "idea__title"]
    readonly_fields = ["locality", "version", "created_by", "created_at", "updated_at"]
    fields = [
        "locality",
        "idea",
        "title",
        "summary",
        "version",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [PhaseInline, LaneInline]
    ordering = ["locality__name", "title"]

    def has_add_permission(self, request) -> bool:
        return False  # created from an idea, with its default phases and lanes, by the service

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_card_count=Count("cards"))

    @admin.display(description="cards", ordering="_card_count")
    def card_count(self, obj: Blueprint) -> int:
        return obj._card_count

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "idea" in form.base_fields:
            form.base_fields["idea"].queryset = obj.locality.ideas.all()
        return form

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])


@admin.register(Card)
class CardAdmin(HistoryWithoutRevert):
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
        "version",
    ]
    filter_horizontal = ["insights"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "insights" in form.base_fields:
            form.base_fields["insights"].queryset = obj.blueprint.locality.insights.all()
        return form

    def save_model(self, request, obj, form, change):
        obj.version += 1
        super().save_model(request, obj, form, change)
        _bump_blueprint(obj.blueprint_id)

    def delete_model(self, request, obj):
        services.delete_card(card=obj, expected_version=obj.version, by=request.user)

    def delete_queryset(self, request, queryset):
        for card in queryset.order_by("blueprint_id", "pk"):
            services.delete_card(card=card, expected_version=card.version, by=request.user)


class _InBlueprintAdmin(HistoryWithoutRevert):
    """Delivery challenges and prototypes: related cards limited to their own blueprint."""

    related_to_blueprint: tuple[str, ...] = ()
    readonly_fields = ["blueprint"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            for name in self.related_to_blueprint:
                if name in form.base_fields:
                    # Blueprint.cards and Blueprint.delivery_challenges share these names.
                    form.base_fields[name].queryset = getattr(obj.blueprint, name).all()
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _bump_blueprint(obj.blueprint_id)


@admin.register(DeliveryChallenge)
class DeliveryChallengeAdmin(_InBlueprintAdmin):
    list_display = ["title", "theme", "blueprint", "updated_at"]
    list_filter = ["theme", "blueprint__locality"]
    list_select_related = ["blueprint"]
    search_fields = ["title", "questions", "blueprint__title"]
    fields = ["blueprint", "theme", "title", "questions", "cards"]
    filter_horizontal = ["cards"]
    related_to_blueprint = ("cards",)


@admin.register(Prototype)
class PrototypeAdmin(_InBlueprintAdmin):
    list_display = ["title", "status", "decision", "risk", "cost", "starts_on", "blueprint"]
    list_filter = ["status", "decision", "risk", "blueprint__locality"]
    list_select_related = ["blueprint"]
    search_fields = ["title", "hypothesis", "learning", "blueprint__title"]
    fields = [
        "blueprint",
        "title",
        "cards",
        "delivery_challenges",
        "hypothesis",
        "method",
        "cost",
        "risk",
        ("starts_on", "ends_on"),
        "status",
        "learning",
        "decision",
    ]
    filter_horizontal = ["cards", "delivery_challenges"]
    related_to_blueprint = ("cards", "delivery_challenges")
