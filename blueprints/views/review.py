"""The review page of a blueprint: its state, the moves the user may make, the history of
moves, and the conversation (comments on the blueprint or its cards, replies, resolving).

Anyone who may see the blueprint may read the page. The POST endpoints let the rules of
`blueprints.review` decide, since reviewers, who may not edit content, may still move a
blueprint and comment: a user the rules refuse (a viewer submitting) gets 403, a move the
blueprint's state refuses (approving a draft) re-renders the page with the reason (400).
The forms are small and only parse; they live here, beside the only views that use them.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from blueprints.models import Blueprint, Card, Comment
from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from blueprints.review import queries as review_queries
from blueprints.review import states as review_states
from blueprints.views.base import BlueprintAccessMixin
from localities.validators import TextHygieneMixin

State = Blueprint.ReviewState

# What happens next, in each state, for someone reading the page.
NEXT_STEP = {
    State.DRAFT: "The team is working on it. An editor or lead submits it for review when "
    "it is ready.",
    State.SUBMITTED: "It is waiting for the innovation unit's review: a reviewer approves it "
    "or requests changes. Its content is frozen meanwhile; an editor or lead may withdraw it "
    "to edit.",
    State.CHANGES_REQUESTED: "The reviewers asked for changes (see the history below). An "
    "editor or lead submits it again once they are made.",
    State.APPROVED: "The innovation unit approved it. Changing its content returns it to draft.",
}
NOTE_HELP = {
    "submit": "Optional: what the reviewers should look at first.",
    "withdraw": "Optional: what you are going to change (the reviewers are told).",
    "request_changes": "Required: what needs to change before it can be approved.",
    "approve": "Required: a word for the team, and anything to watch as they deliver.",
}


def review_url(blueprint: Blueprint, anchor: str = "") -> str:
    url = reverse("blueprints:review", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk})
    return f"{url}#{anchor}" if anchor else url


def card_label(card: Card) -> str:
    return f"{card.phase.name} · {card.lane.name}: {card.title}"


# Forms --------------------------------------------------------------------------------


class TransitionForm(TextHygieneMixin, forms.Form):
    """A note for a review move. Whether it is required is the service's rule; the widget
    only tells the browser, so the service's message is the one that counts."""

    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=review_states.NOTE_MAX_LENGTH,
        required=False,
    )

    def __init__(self, *args, rule: review_states.Rule, **kwargs):
        kwargs.setdefault("auto_id", f"id_{rule.action}_%s")
        super().__init__(*args, **kwargs)
        self.rule = rule
        note = self.fields["note"]
        note.label = "Note" + (" (required)" if rule.note_required else " (optional)")
        note.help_text = NOTE_HELP[rule.action]
        if rule.note_required:
            note.widget.attrs["required"] = True


class CardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Card) -> str:
        return card_label(obj)


COMMENT_HELP = "Mention someone with @username; they get an email."


class CommentForm(TextHygieneMixin, forms.Form):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=review_comments.BODY_MAX_LENGTH,
    )
    card = CardChoiceField(
        label="About",
        queryset=Card.objects.none(),
        required=False,
        empty_label="The blueprint as a whole",
        help_text="Choose a card to comment on it; its team sees a count on the card.",
        error_messages={"invalid_choice": "Choose a card of this blueprint."},
    )

    def __init__(self, *args, blueprint: Blueprint, **kwargs):
        kwargs.setdefault("auto_id", "id_comment_%s")
        super().__init__(*args, **kwargs)
        self.fields["card"].queryset = (
            Card.objects.filter(blueprint=blueprint)
            .select_related("phase", "lane")
            .order_by("phase__position", "lane__position", "position")
        )


class CardCommentForm(TextHygieneMixin, forms.Form):
    """A new comment on one card, from the card's panel or page (the card is the URL's)."""

    body = forms.CharField(
        label="Comment on this card",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=review_comments.BODY_MAX_LENGTH,
    )

    def __init__(self, *args, card: Card, **kwargs):
        kwargs.setdefault("auto_id", f"id_card_{card.pk}_comment_%s")
        super().__init__(*args, **kwargs)


class ReplyForm(TextHygieneMixin, forms.Form):
    body = forms.CharField(
        label="Reply",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=review_comments.BODY_MAX_LENGTH,
    )
    parent = forms.ModelChoiceField(
        queryset=Comment.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "Reply to a comment of this blueprint."},
    )

    def __init__(self, *args, blueprint: Blueprint, thread: Comment | None = None, **kwargs):
        if thread is not None:
            kwargs.setdefault("auto_id", f"id_reply_{thread.pk}_%s")
            kwargs.setdefault("initial", {"parent": thread.pk})
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Comment.objects.filter(blueprint=blueprint)
        if thread is not None:
            author = thread.author.get_username() if thread.author else "a former user"
            self.fields["body"].label = f"Reply to {author}"


def prepare_threads(
    threads: list[Comment],
    *,
    user,
    blueprint: Blueprint,
    reply_forms: dict[int, ReplyForm] | None = None,
) -> list[Comment]:
    """Give each conversation what `_conversation.html` shows: its and its replies' text in
    parts (mentions apart), what the user may do, and a reply form (no queries)."""
    reply_forms = reply_forms or {}
    may_comment = review_states.may_comment(user, blueprint)
    may_address = review_comments.may_address(user, blueprint)
    for thread in threads:
        thread.parts = review_comments.body_parts(thread.body)
        for reply in thread.replies.all():
            reply.parts = review_comments.body_parts(reply.body)
        thread.may_resolve = review_states.may_resolve(user, thread, blueprint)
        thread.may_address = may_address and thread.is_open
        if may_comment:
            thread.reply_form = reply_forms.get(thread.pk) or ReplyForm(
                blueprint=blueprint, thread=thread
            )
    return threads


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: next to a field it names, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


# Views --------------------------------------------------------------------------------


class ReviewView(BlueprintAccessMixin, TemplateView):
    """The page. The POST endpoints below are this view with one `post` each, so that a
    refused form comes back on the same page, with everything else around it."""

    template_name = "blueprints/review/review.html"

    def get_context_data(
        self,
        *,
        transition_forms: dict[str, TransitionForm] | None = None,
        comment_form: CommentForm | None = None,
        reply_forms: dict[int, ReplyForm] | None = None,
        refusal: str = "",
        **kwargs,
    ):
        context = super().get_context_data(**kwargs)
        user, blueprint = self.request.user, self.blueprint
        transition_forms = transition_forms or {}
        reply_forms = reply_forms or {}
        threads = prepare_threads(
            review_queries.conversations(blueprint),
            user=user,
            blueprint=blueprint,
            reply_forms=reply_forms,
        )
        may_comment = review_states.may_comment(user, blueprint)
        if comment_form is None and may_comment:
            comment_form = CommentForm(blueprint=blueprint, initial=self._initial_card())
        transitions = review_queries.transitions(blueprint)
        # A draft last withdrawn from review says so, for the reviewer who was told.
        last_withdrawal = (
            transitions[-1]
            if blueprint.review_state == State.DRAFT
            and transitions
            and transitions[-1].from_state == State.SUBMITTED
            else None
        )
        context.update(
            next_step=NEXT_STEP[blueprint.review_state],
            will_reopen=review_states.will_reopen(blueprint),
            moves=[
                (rule, transition_forms.get(rule.action) or TransitionForm(rule=rule))
                for rule in review_states.actions_for(user, blueprint)
            ],
            transitions=transitions,
            last_withdrawal=last_withdrawal,
            planning=review_queries.planning_since_approval(blueprint),
            threads=threads,
            open_count=sum(1 for thread in threads if thread.is_open),
            tally=review_queries.comment_tally(threads),
            mentionable=list(review_comments.mentionable(blueprint)) if may_comment else [],
            may_comment=may_comment,
            comment_form=comment_form,
            refusal=refusal,
        )
        return context

    def _initial_card(self) -> dict:
        """`?card=<id>` starts a comment on that card (the editor links here so)."""
        card = self.request.GET.get("card", "")
        return {"card": card} if card.isdigit() else {}

    def refused(self, status: int = 400, **forms_and_refusal):
        return self.render_to_response(self.get_context_data(**forms_and_refusal), status=status)


class TransitionView(ReviewView):
    """POST a review move: submit, withdraw, request_changes or approve."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = kwargs["action"]
        if action not in review_states.BUTTON_ACTIONS:
            raise Http404("No such review move.")
        rule = review_states.RULES[action]
        form = TransitionForm(request.POST, rule=rule)
        if form.is_valid():
            try:
                review_actions.SERVICES[action](
                    blueprint=self.blueprint, by=request.user, note=form.cleaned_data["note"]
                )
            except review_states.NotAllowed:
                raise
            except review_states.ReviewRefused as refusal:
                field = "note" if refusal.code in ("note_required", "note_too_long") else None
                form.add_error(field, refusal.message)
                return self.refused(
                    transition_forms={action: form}, refusal="" if field else refusal.message
                )
            messages.success(request, rule.done)
            if action == "withdraw":  # withdrawn to edit: straight back to the editor
                return redirect("blueprints:detail", self.locality.slug, self.blueprint.pk)
            return redirect(review_url(self.blueprint))
        if not rule.may(request.user, self.blueprint):
            raise PermissionDenied(rule.refused_to)
        return self.refused(transition_forms={action: form})


class CommentCreateView(ReviewView):
    """POST a comment on the blueprint or one of its cards, or (with `parent`) a reply."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        blueprint = self.blueprint
        if not review_states.may_comment(request.user, blueprint):
            raise PermissionDenied(review_comments.COMMENT_REFUSED)
        is_reply = "parent" in request.POST
        form_class = ReplyForm if is_reply else CommentForm
        form = form_class(request.POST, blueprint=blueprint)
        if form.is_valid():
            data = form.cleaned_data
            try:
                comment = review_comments.add_comment(
                    blueprint=blueprint,
                    by=request.user,
                    body=data["body"],
                    card=data.get("card"),
                    parent=data.get("parent"),
                )
            except review_states.NotAllowed:
                raise
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Reply added." if is_reply else "Comment added.")
                thread_pk = comment.parent_id or comment.pk
                return redirect(review_url(blueprint, f"comment-{thread_pk}"))
        if not is_reply:
            return self.refused(comment_form=form)
        parent = form.cleaned_data.get("parent")
        if parent is None:  # no such conversation here: say so at the top
            message = " ".join(form.errors.get("parent", [])) or "Reply to a comment here."
            return self.refused(refusal=message)
        thread_pk = parent.parent_id or parent.pk
        return self.refused(reply_forms={thread_pk: form})


# A conversation's moves: the service, and what to say once it is done.
CONVERSATION_ACTIONS = {
    "resolve": (review_comments.resolve_comment, "Conversation resolved."),
    "reopen": (review_comments.reopen_comment, "Conversation reopened."),
    "address": (
        review_comments.address_comment,
        "Marked addressed: the comment's author has been told.",
    ),
    "unaddress": (review_comments.unaddress_comment, "No longer marked addressed."),
}


class CommentResolveView(ReviewView):
    """POST: resolve, reopen, mark addressed or take that back (`action`) on a conversation
    of this blueprint."""

    http_method_names = ["post"]
    action = "resolve"

    def post(self, request, *args, **kwargs):
        comment = get_object_or_404(
            Comment.objects.filter(blueprint=self.blueprint).select_related("blueprint__locality"),
            pk=kwargs["comment_pk"],
        )
        change, done = CONVERSATION_ACTIONS[self.action]
        try:
            change(comment=comment, by=request.user)
        except review_states.NotAllowed:
            raise
        except review_states.ReviewRefused as refusal:
            return self.refused(refusal=refusal.message)
        messages.success(request, done)
        return redirect(review_url(self.blueprint, f"comment-{comment.pk}"))
