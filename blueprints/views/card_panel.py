"""The card panel: a card's evidence (insights and their challenges), links, delivery
challenges and prototypes, and its conversations with the reviewers, in the editor's side
panel with htmx or as a page; linking it to other cards; and commenting on it.

Commenting from the card (issue 14): the panel's forms post with htmx and the panel is
redrawn in place; without JavaScript they post plainly and the answer is a redirect back
to the card's page, at the conversation's anchor. Who may do what is `blueprints.review`'s
rule, not the editor's: reviewers, who may not edit, comment and resolve here too.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string

from blueprints import services
from blueprints.forms_editor import LinkForm, add_service_errors
from blueprints.grid import read_link_pairs
from blueprints.models import Card, CardLink, Comment
from blueprints.review import comments as review_comments
from blueprints.review import queries as review_queries
from blueprints.review import states as review_states
from blueprints.views.editor import EditorBase, form_ids
from blueprints.views.review import (
    CONVERSATION_ACTIONS,
    CardCommentForm,
    ReplyForm,
    add_errors,
    prepare_threads,
)
from localities import permissions
from localities.models import Insight


class CardDetailView(EditorBase):
    """A card's evidence (insights and their challenges), links, delivery challenges and
    prototypes: in the editor's side panel with htmx, or as a page."""

    def card_context(
        self,
        link_form: LinkForm | None = None,
        comment_form: CardCommentForm | None = None,
        reply_forms: dict[int, ReplyForm] | None = None,
    ) -> dict[str, Any]:
        card = get_object_or_404(
            Card.objects.filter(blueprint=self.blueprint)
            .select_related("phase", "lane", *Card.RESOURCE_FIELDS)
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
        context.update(self.conversation_context(card, comment_form, reply_forms))
        return context

    def conversation_context(
        self,
        card: Card,
        comment_form: CardCommentForm | None,
        reply_forms: dict[int, ReplyForm] | None,
    ) -> dict[str, Any]:
        """The card's conversations, open first, and the forms the user may use (three
        queries, however many comments)."""
        user = self.request.user
        threads = prepare_threads(
            review_queries.conversations(self.blueprint, card=card),
            user=user,
            blueprint=self.blueprint,
            reply_forms=reply_forms,
        )
        may_comment = review_states.may_comment(user, self.blueprint)
        return {
            "open_threads": [thread for thread in threads if thread.is_open],
            "resolved_threads": [thread for thread in threads if not thread.is_open],
            "tally": review_queries.comment_tally(threads),
            "may_comment": may_comment,
            "comment_form": (comment_form or CardCommentForm(card=card)) if may_comment else None,
            "mentionable": list(review_comments.mentionable(self.blueprint)) if may_comment else [],
            "panel": bool(self.request.htmx),
        }

    def get(self, request, *args, **kwargs):
        template = "_card_panel.html" if request.htmx else "card_detail_page.html"
        # `?at=comments` (the card's comment badge): the panel opens at its conversations.
        focus = "comments" if request.GET.get("at") == "comments" else "title"
        return self.render(template, panel_focus=focus, **self.card_context())


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


class CardConversationBase(CardDetailView):
    """What commenting from a card shares: the panel (htmx) or a redirect to the card's
    page (plain POST) once done, and the panel or page again with the errors if refused.
    Anyone who may see the blueprint reaches the view; the review rules decide (403)."""

    http_method_names = ["post"]

    def done(
        self, card: Card, thread_pk: int, message: str, *, collapsed: bool = False
    ) -> HttpResponse:
        if self.request.htmx:
            # Focus where the reader was: the conversation, or, once it is resolved and
            # folded away, the heading of the card's comments.
            response = self.render(
                "_card_panel.html",
                status_message=message,
                panel_focus="comments" if collapsed else f"comment-{thread_pk}",
                **self.card_context(),
            )
            return self.with_card_cell(card, response)
        messages.success(self.request, message)
        return redirect(f"{self.editor_url}cards/{card.pk}/#comment-{thread_pk}")

    def with_card_cell(self, card: Card, response: HttpResponse) -> HttpResponse:
        """The card's cell, out of band, so its count of comments to answer follows (the
        editor's grid is behind the panel; on the card's own page there is no grid)."""
        board, (cell,) = self.cells((card.phase_id, card.lane_id))
        response.content += self.render("_cell.html", board=board, cell=cell, oob=True).content
        return response

    def refused(self, message: str, **forms: Any) -> HttpResponse:
        template = "_card_panel.html" if self.request.htmx else "card_detail_page.html"
        return self.render(
            template,
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            status_message=message,
            form_errors=True,
            panel_focus="field" if forms else "title",
            **self.card_context(**forms),
        )


class CardCommentView(CardConversationBase):
    """POST a comment on the URL's card, or (with `parent`) a reply in one of its
    conversations."""

    def post(self, request, *args, **kwargs):
        card = self.get_card()
        if not review_states.may_comment(request.user, self.blueprint):
            raise PermissionDenied(review_comments.COMMENT_REFUSED)
        is_reply = "parent" in request.POST
        parent = None
        if is_reply:
            pk = request.POST.get("parent", "")
            parent = (
                Comment.objects.filter(blueprint=self.blueprint, card=card, pk=pk).first()
                if pk.isdigit()
                else None
            )
            if parent is None:
                return self.refused("Reply to a conversation on this card.")
            parent = Comment.objects.get(pk=parent.parent_id) if parent.parent_id else parent
            form = ReplyForm(request.POST, blueprint=self.blueprint, thread=parent)
        else:
            form = CardCommentForm(request.POST, card=card)
        if form.is_valid():
            try:
                comment = review_comments.add_comment(
                    blueprint=self.blueprint,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    card=card,
                    parent=parent,
                )
            except review_states.NotAllowed:
                raise
            except ValidationError as error:
                add_errors(form, error)
            else:
                return self.done(
                    card,
                    comment.parent_id or comment.pk,
                    "Reply added." if is_reply else "Comment added.",
                )
        if is_reply:
            return self.refused(
                "The reply was not added: please correct the errors.",
                reply_forms={parent.pk: form},
            )
        return self.refused(
            "The comment was not added: please correct the errors.", comment_form=form
        )


class CardCommentActionView(CardConversationBase):
    """POST: resolve, reopen, mark addressed or take that back on one of the card's
    conversations (`action`, one route each)."""

    action = "resolve"

    def post(self, request, *args, **kwargs):
        card = self.get_card()
        change, done = CONVERSATION_ACTIONS[self.action]
        comment = get_object_or_404(
            Comment.objects.filter(blueprint=self.blueprint, card=card).select_related(
                "blueprint__locality"
            ),
            pk=kwargs["comment_pk"],
        )
        try:
            changed = change(comment=comment, by=request.user)
        except review_states.NotAllowed:
            raise
        except review_states.ReviewRefused as refusal:
            return self.refused(refusal.message)
        return self.done(card, comment.pk, done, collapsed=not changed.is_open)
