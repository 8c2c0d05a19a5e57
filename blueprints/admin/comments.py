"""Comments in the admin: every conversation for reviewers to read (inline on a blueprint,
and as a list), new comments through `review.comments.add_comment`, which notifies the team, and
conversations resolved through `review.comments.resolve_comment`. Nobody edits a comment after the
fact; replies are written on the review page."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from blueprints.models import Card, Comment
from blueprints.review import comments as review_comments
from blueprints.review import states as review_states
from localities import permissions


def _comment_about(comment: Comment) -> str:
    if comment.card_id is not None:
        return f"card “{comment.card.title}”"
    if comment.card_title:
        return f"card “{comment.card_title}” (deleted)"
    return "the blueprint"


def _comment_status(comment: Comment) -> str:
    if comment.parent_id:
        return "reply"
    if comment.is_open and comment.addressed_at is not None:
        by = comment.addressed_by.get_username() if comment.addressed_by else "a former user"
        return f"addressed by {by}"
    if comment.is_open:
        return "open"
    by = comment.resolved_by.get_username() if comment.resolved_by else "a former user"
    return f"resolved by {by}"


class CommentInline(admin.TabularInline):
    """The conversation, read-only: comments are added on the review page or in Comments."""

    model = Comment
    fk_name = "blueprint"
    fields = ["created_at", "author", "about", "reply_to", "body", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created_at", "pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("author", "card", "resolved_by", "addressed_by")
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="about")
    def about(self, obj: Comment) -> str:
        return _comment_about(obj)

    @admin.display(description="reply to")
    def reply_to(self, obj: Comment) -> str:
        return f"comment {obj.parent_id}" if obj.parent_id else ""

    @admin.display(description="status")
    def status(self, obj: Comment) -> str:
        return _comment_status(obj)


class CommentAdminForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["blueprint", "card", "body"]

    def clean(self):
        data = super().clean()
        blueprint, card = data.get("blueprint"), data.get("card")
        if blueprint is not None and card is not None and card.blueprint_id != blueprint.pk:
            self.add_error("card", "Choose a card of this blueprint.")
        if blueprint is not None and data.get("body"):
            # The service refuses an unknown @handle too; asked here so the admin shows it
            # at the field instead of failing in save_model.
            try:
                review_comments.mentioned_users(blueprint, data["body"])
            except ValidationError as error:
                self.add_error("body", error.error_dict["body"])
        return data


class CommentOpenFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("open", "Open"),
            ("to_answer", "Open, to answer"),
            ("addressed", "Open, addressed"),
            ("resolved", "Resolved"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(parent__isnull=True, resolved_at__isnull=True)
        if self.value() == "to_answer":
            return queryset.filter(
                parent__isnull=True, resolved_at__isnull=True, addressed_at__isnull=True
            )
        if self.value() == "addressed":
            return queryset.filter(
                parent__isnull=True, resolved_at__isnull=True, addressed_at__isnull=False
            )
        if self.value() == "resolved":
            return queryset.filter(parent__isnull=True, resolved_at__isnull=False)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Comments for reviewers: read every conversation, comment on a blueprint or a card
    (through `review.comments.add_comment`, which notifies the team), resolve conversations. Nobody
    edits a comment after the fact; replies are written on the review page."""

    form = CommentAdminForm
    list_display = ["short_body", "blueprint", "about", "author", "created_at", "status"]
    list_filter = [CommentOpenFilter, "blueprint__locality"]
    list_select_related = ["blueprint", "card", "author", "resolved_by", "addressed_by"]
    search_fields = ["body", "blueprint__title", "card_title"]
    readonly_fields = ["about", "parent", "author", "created_at", "status"]
    actions = ["resolve_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["blueprint", "card", "body"]
        return ["blueprint", "about", "parent", "author", "created_at", "body", "status"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "card" in form.base_fields:
            chosen = request.POST.get("blueprint") or request.GET.get("blueprint") or ""
            card = form.base_fields["card"]
            card.queryset = (
                Card.objects.filter(blueprint_id=chosen)
                .select_related("phase", "lane")
                .order_by("phase__position", "lane__position", "position")
                if chosen.isdigit()
                else Card.objects.none()
            )
            card.label_from_instance = lambda c: f"{c.phase.name} · {c.lane.name}: {c.title}"
            card.help_text = (
                "Optional. The cards of the blueprint chosen when this page opened; open it "
                "from a blueprint's page to comment on one of its cards."
            )
        return form

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_resolve_permission(self, request) -> bool:
        return permissions.can_review(request.user)

    def save_model(self, request, obj, form, change):
        try:
            comment = review_comments.add_comment(
                blueprint=obj.blueprint, by=request.user, body=obj.body, card=obj.card
            )
        except review_states.NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from refusal
        obj.pk, obj.author, obj.created_at = comment.pk, comment.author, comment.created_at
        obj.card_title = comment.card_title
        obj._state.adding = False

    @admin.action(description="Resolve selected conversations", permissions=["resolve"])
    def resolve_selected(self, request, queryset):
        resolved = 0
        for comment in queryset.filter(parent__isnull=True).select_related("blueprint__locality"):
            try:
                review_comments.resolve_comment(comment=comment, by=request.user)
            except (review_states.ReviewRefused, ValidationError):
                continue
            resolved += 1
        self.message_user(request, f"Resolved {resolved} conversation(s).", messages.SUCCESS)

    @admin.display(description="comment")
    def short_body(self, obj: Comment) -> str:
        return str(obj)

    @admin.display(description="about")
    def about(self, obj: Comment) -> str:
        return _comment_about(obj)

    @admin.display(description="status")
    def status(self, obj: Comment) -> str:
        return _comment_status(obj)
