"""The Locality list with each site's progress through the method (issue 5).

Here rather than in localities/admin.py: localities imports neither of the other apps, and
the progress counts the work of all three. It replaces `localities.admin.LocalityAdmin` in
the admin site, keeping that one's form, search and Membership inline.
"""

from django.contrib import admin

from blueprints.progress import (
    blueprint_state_label,
    decisions_summary,
    with_progress,
    with_review_summary,
)
from localities.admin import LocalityAdmin
from localities.models import Locality


class LocalityProgressAdmin(LocalityAdmin):
    list_display = [
        "name",
        "area",
        "member_count",
        "insights",
        "challenges",
        "ideas",
        "consultations",
        "responses",
        "top_idea",
        "blueprint_state",
        "prototypes",
    ]

    def get_queryset(self, request):
        return with_review_summary(with_progress(super().get_queryset(request)))

    @admin.display(description="insights", ordering="insights_count")
    def insights(self, obj: Locality) -> int:
        return obj.insights_count

    @admin.display(description="challenges", ordering="challenges_count")
    def challenges(self, obj: Locality) -> int:
        return obj.challenges_count

    @admin.display(description="ideas", ordering="ideas_count")
    def ideas(self, obj: Locality) -> int:
        return obj.ideas_count

    @admin.display(description="consultations", ordering="consultations_count")
    def consultations(self, obj: Locality) -> int:
        return obj.consultations_count

    @admin.display(description="responses", ordering="responses_count")
    def responses(self, obj: Locality) -> int:
        return obj.responses_count

    @admin.display(description="top idea", ordering="top_idea_title")
    def top_idea(self, obj: Locality) -> str:
        return obj.top_idea_title or "not chosen yet"

    @admin.display(description="blueprint state", ordering="blueprint_state")
    def blueprint_state(self, obj: Locality) -> str:
        return blueprint_state_label(obj.blueprint_state)

    @admin.display(description="prototypes and decisions", ordering="prototypes_count")
    def prototypes(self, obj: Locality) -> str:
        return decisions_summary(obj)


admin.site.unregister(Locality)
admin.site.register(Locality, LocalityProgressAdmin)
