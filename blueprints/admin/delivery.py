"""The DeliveryChallenge and Prototype admins: both belong to one blueprint, link only its
cards (and, for a prototype, its delivery challenges), and save through the services."""

from django.contrib import admin

from blueprints import services
from blueprints.admin.base import HistoryWithoutRevert, ThroughServices, changed_fields
from blueprints.content_fields import CHALLENGE_FIELDS, PROTOTYPE_FIELDS
from blueprints.models import DeliveryChallenge, Prototype


class _InBlueprintAdmin(ThroughServices, HistoryWithoutRevert):
    """Delivery challenges and prototypes: related cards limited to their own blueprint."""

    related_to_blueprint: tuple[str, ...] = ()
    service_fields: tuple[str, ...] = ()
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
        fields = changed_fields(form, self.service_fields)
        if fields:
            self.update(obj, by=request.user, **fields)

    def update(self, obj, *, by, **fields) -> None:
        raise NotImplementedError


@admin.register(DeliveryChallenge)
class DeliveryChallengeAdmin(_InBlueprintAdmin):
    list_display = ["title", "theme", "blueprint", "updated_at"]
    list_filter = ["theme", "blueprint__locality"]
    list_select_related = ["blueprint"]
    search_fields = ["title", "questions__text", "blueprint__title"]
    fields = ["blueprint", *CHALLENGE_FIELDS]
    filter_horizontal = ["cards"]
    related_to_blueprint = ("cards",)
    service_fields = CHALLENGE_FIELDS

    def update(self, obj, *, by, **fields) -> None:
        services.update_delivery_challenge(challenge=obj, by=by, **fields)


@admin.register(Prototype)
class PrototypeAdmin(_InBlueprintAdmin):
    list_display = ["title", "status", "decision", "risk", "cost", "starts_on", "blueprint"]
    list_filter = ["status", "decision", "risk", "blueprint__locality"]
    list_select_related = ["blueprint"]
    search_fields = ["title", "hypothesis", "learning", "blueprint__title"]
    fields = ["blueprint", *PROTOTYPE_FIELDS]
    filter_horizontal = ["cards", "delivery_challenges"]
    related_to_blueprint = ("cards", "delivery_challenges")
    service_fields = PROTOTYPE_FIELDS

    def update(self, obj, *, by, **fields) -> None:
        services.update_prototype(prototype=obj, by=by, **fields)
