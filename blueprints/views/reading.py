"""Reading a blueprint: the text view (the grid in words, phase by phase, through
`blueprints.grid`) and the history of its changes."""

from __future__ import annotations

from django.views.generic import TemplateView

from blueprints.grid import read_grid
from blueprints.review import queries as review_queries
from blueprints.review import states as review_states
from blueprints.selectors import history_for
from blueprints.views.base import BlueprintAccessMixin
from blueprints.views.review import prepare_threads

HISTORY_STEP = 50
HISTORY_MAX = 1000


class BlueprintTextView(BlueprintAccessMixin, TemplateView):
    """The blueprint in words, for screen readers and for reading aloud in a meeting, with
    each card's conversations (read here, answered on the card's page)."""

    template_name = "blueprints/pages/text.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grid = read_grid(self.blueprint, links=True, planning=True, resources=True)
        by_card = review_queries.conversations_by_card(self.blueprint)
        user = self.request.user
        for card in grid.cards:
            card.threads = prepare_threads(
                by_card.get(card.pk, []), user=user, blueprint=self.blueprint
            )
        context.update(grid=grid, may_comment=review_states.may_comment(user, self.blueprint))
        return context


class BlueprintHistoryView(BlueprintAccessMixin, TemplateView):
    """The latest changes, HISTORY_STEP at a time: "Show older changes" asks for more."""

    template_name = "blueprints/pages/history.html"

    def get_limit(self) -> int:
        try:
            limit = int(self.request.GET.get("limit", HISTORY_STEP))
        except (TypeError, ValueError):
            limit = HISTORY_STEP
        return max(HISTORY_STEP, min(limit, HISTORY_MAX))  # "Show older" adds a step

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        limit = self.get_limit()
        entries = history_for(self.blueprint, limit=limit + 1)
        truncated = len(entries) > limit
        context.update(
            entries=entries[:limit],
            limit=limit,
            truncated=truncated,
            more_limit=limit + HISTORY_STEP if truncated and limit < HISTORY_MAX else None,
        )
        return context
