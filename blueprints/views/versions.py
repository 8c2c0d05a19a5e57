"""The versions of a blueprint: the list, two side by side as a diff, and restoring one.

Anyone who may see the blueprint reads the list and the comparison; restoring is an edit
(the locality's editors and leads, and superusers). A bad query string on the comparison
(a number that is not one, a version that does not exist) is answered with the list of
versions and a message saying what was wrong, never an error page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from blueprints.interchange.problems import ImportProblems
from blueprints.models import BlueprintVersion
from blueprints.review import states as review_states
from blueprints.versions import diff as version_diff
from blueprints.versions import restore
from blueprints.views.base import BlueprintAccessMixin


def _versions_list(blueprint) -> list[BlueprintVersion]:
    """Newest first, without the snapshots themselves (one query)."""
    return list(blueprint.versions.select_related("created_by").defer("data").order_by("-number"))


class VersionListView(BlueprintAccessMixin, TemplateView):
    access = "view"
    template_name = "blueprints/versions/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = _versions_list(self.blueprint)
        context.update(
            versions=items,
            default_old=items[1].number if len(items) > 1 else None,
            default_new=items[0].number if items else None,
            may_restore=restore.may_restore(self.request.user, self.blueprint),
        )
        return context


def _number(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit() or len(value.strip()) > 9:
        return None
    return int(value)


class VersionCompareView(VersionListView):
    template_name = "blueprints/versions/compare.html"

    def get(self, request, *args, **kwargs):
        old_raw, new_raw = request.GET.get("old"), request.GET.get("new")
        if old_raw is None and new_raw is None:  # the bare page: the latest two versions
            latest = list(
                self.blueprint.versions.order_by("-number").values_list("number", flat=True)[:2]
            )
            if len(latest) < 2:
                return self.refuse("There is nothing to compare until there are two versions.")
            old_raw, new_raw = str(latest[1]), str(latest[0])
        old, new = _number(old_raw), _number(new_raw)
        if old is None or new is None:
            return self.refuse("Choose two versions to compare, by number.")
        found = {
            v.number: v
            for v in self.blueprint.versions.select_related("created_by").filter(
                number__in={old, new}
            )
        }
        missing = [n for n in (old, new) if n not in found]
        if missing:
            return self.refuse(f"This blueprint has no version {missing[0]}.")
        self.old, self.new = found[old], found[new]
        return super().get(request, *args, **kwargs)

    def refuse(self, message: str):
        self.template_name = VersionListView.template_name
        context = VersionListView.get_context_data(self)
        context["refusal"] = message
        return self.render_to_response(context, status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            old=self.old,
            new=self.new,
            diff=version_diff.diff_versions(self.old.data, self.new.data),
            default_old=self.old.number,
            default_new=self.new.number,
        )
        return context


class VersionRestoreView(BlueprintAccessMixin, TemplateView):
    access = "edit"
    writes_content = True  # frozen while submitted (issue 14)
    template_name = "blueprints/versions/restore.html"

    @property
    def version(self) -> BlueprintVersion:
        if not hasattr(self, "_version"):
            self._version = get_object_or_404(
                BlueprintVersion.objects.select_related("created_by"),
                blueprint=self.blueprint,
                number=self.kwargs["number"],
            )
        return self._version

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = self.blueprint.versions.order_by("-number").defer("data").first()
        context.update(
            version=self.version,
            latest=latest,
            will_leave_review=self.blueprint.review_state in restore.RESTORE_RULE.sources,
        )
        return context

    def post(self, request, *args, **kwargs):
        version = self.version
        try:
            result = restore.restore_version(version=version, by=request.user)
        except review_states.NotAllowed:
            raise PermissionDenied from None
        except ImportProblems as problems:
            messages.error(
                request,
                f"Version {version.number} could not be restored: {'; '.join(problems.problems)}",
            )
            return redirect(self.list_url())
        text = (
            f"Version {version.number} restored as the current draft "
            f"(saved as version {result.version.number})."
        )
        if result.dropped_insights:
            text += f" {result.dropped_insights} link(s) to insights deleted since were left out."
        if result.dropped_resources:
            text += (
                " Deleted since, so left empty on the cards and prototypes that named them: "
                f"{', '.join(result.dropped_resources)}."
            )
        messages.success(request, text)
        return redirect(self.list_url())

    def list_url(self) -> str:
        return reverse(
            "blueprints:versions", kwargs={"slug": self.locality.slug, "pk": self.blueprint.pk}
        )
