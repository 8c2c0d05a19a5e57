"""The card panel: a card's evidence (insights and their challenges), links, delivery
challenges and prototypes, in the editor's side panel with htmx or as a page; and linking
it to other cards."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string

from blueprints import services
from blueprints.forms_editor import LinkForm, add_service_errors
from blueprints.grid import read_link_pairs
from blueprints.models import Card, CardLink
from blueprints.views.editor import EditorBase, form_ids
from localities import permissions
from localities.models import Insight


class CardDetailView(EditorBase):
    """A card's evidence (insights and their challenges), links, delivery challenges and
    prototypes: in the editor's side panel with htmx, or as a page."""

    def card_context(self, link_form: LinkForm | None = None) -> dict[str, Any]:
        card = get_object_or_404(
            Card.objects.filter(blueprint=self.blueprint)
            .select_related("phase", "lane")
            .prefetch_related(
                Prefetch(
                    "insights",
                    Insight.objects.order_by("statement").prefetch_related("challenges"),
                ),
                Prefetch("delivery_challenges", to_attr="challenge_list"),
                Prefetch("prototypes", to_attr="prototype_list"),
            ),
            pk=self.kwargs["card_pk"],
        )
        card.blueprint = self.blueprint
        links = CardLink.objects.select_related(
            "from_card__phase", "from_card__lane", "to_card__phase", "to_card__lane"
        )
        context = {
            "card": card,
            "serves": [link.to_card for link in links.filter(from_card=card)],
            "served_by": [link.from_card for link in links.filter(to_card=card)],
        }
        if permissions.can_edit_content(self.request.user, self.locality):
            context["link_form"] = link_form or LinkForm(
                card=card, auto_id=form_ids(f"link-{card.pk}")
            )
        return context

    def get(self, request, *args, **kwargs):
        template = "_card_panel.html" if request.htmx else "card_detail_page.html"
        return self.render(template, **self.card_context())


class CardLinksView(CardDetailView):
    """Link the card to another card of the blueprint (serves / served by), or unlink."""

    access = "edit"
    http_method_names = ["post"]

    def with_link_pairs(self, response: HttpResponse) -> HttpResponse:
        """The blueprint's links, out of band, so the connectors over the grid follow."""
        pairs = render_to_string(
            "blueprints/editor/_links_data.html",
            {"oob": True, "link_pairs_json": json.dumps(read_link_pairs(self.blueprint))},
        )
        response.content += pairs.encode()
        return response

    def post(self, request, *args, **kwargs):
        card = self.get_card()
        form = LinkForm(request.POST, card=card, auto_id=form_ids(f"link-{card.pk}"))
        message = ""
        if form.is_valid():
            from_card, to_card = form.ends()
            try:
                if form.cleaned_data["action"] == "unlink":
                    services.unlink_cards(from_card=from_card, to_card=to_card, by=request.user)
                    message = f"“{from_card.title}” no longer serves “{to_card.title}”."
                else:
                    services.link_cards(from_card=from_card, to_card=to_card, by=request.user)
                    message = f"“{from_card.title}” now serves “{to_card.title}”."
            except ValidationError as error:
                add_service_errors(form, error)
        if form.is_valid() and message:
            if request.htmx:
                response = self.render(
                    "_card_panel.html", status_message=message, **self.card_context()
                )
                return self.with_link_pairs(response)
            messages.success(request, message)
            return redirect(f"{self.editor_url}cards/{card.pk}/")
        template = "_card_panel.html" if request.htmx else "card_detail_page.html"
        return self.render(
            template,
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            status_message="The link was not changed: please correct the errors.",
            **self.card_context(link_form=form),
        )
