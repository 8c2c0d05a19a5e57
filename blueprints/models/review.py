"""Review by the innovation unit (DESIGN section 1, step 9): the recorded moves of a
blueprint between review states, and the comments on it and its cards.

Written only by `blueprints.review`; the states themselves are `Blueprint.ReviewState`.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from blueprints.models.grid import Blueprint, Card, ReviewState
from localities.validators import validate_text


class ReviewTransition(models.Model):
    """One move of a blueprint between review states: who, when, from, to and why.

    Written only by `blueprints.review`, in the transaction that changes the state, so the
    history and the state cannot disagree. `blueprint_version` is the blueprint's content
    version at that moment: which state of the work was submitted, approved or sent back.
    """

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=ReviewState.choices)
    to_state = models.CharField(max_length=20, choices=ReviewState.choices)
    note = models.TextField(blank=True, max_length=4000, validators=[validate_text])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    blueprint_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["blueprint", "at"], name="review_transition_bp_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_state__in=ReviewState.values) & Q(to_state__in=ReviewState.values),
                name="review_transition_states_valid",
            ),
            models.CheckConstraint(
                condition=~Q(from_state=F("to_state")), name="review_transition_changes_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint}: {self.get_from_state_display()} to {self.get_to_state_display()}"


class Comment(models.Model):
    """A comment on a blueprint or on one of its cards, or a reply to one (one level deep).

    A conversation is a top comment and its replies; it is addressed (by the team) and
    resolved (by a reviewer or its author) as a whole, so only a top comment carries
    `addressed_at` and `resolved_at`. A reply belongs to its top comment's blueprint and
    card (`blueprints.review.add_comment` keeps them so).

    `card` is SET_NULL, not CASCADE: a reviewer's comment must not vanish because the team
    deleted the card it was about. `card_title` keeps the card's title as it was when the
    comment was written, so the comment still says which card it meant.
    """

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="comments")
    card = models.ForeignKey(
        Card, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    card_title = models.CharField(max_length=120, blank=True, editable=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(max_length=4000, validators=[validate_text])
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The team's answer: "we have dealt with this", for the reviewer (or the author) to
    # resolve. Only a top comment carries it; see `blueprints.review.comments`.
    addressed_at = models.DateTimeField(null=True, blank=True, editable=False)
    addressed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # The people named with @username in the body: checked and stored by `add_comment`.
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="comment_mentions", editable=False
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(resolved_at__isnull=True),
                name="comment_only_conversations_resolve",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=False) | Q(resolved_by__isnull=True),
                name="comment_resolver_only_when_resolved",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(addressed_at__isnull=True),
                name="comment_only_conversations_addressed",
            ),
            models.CheckConstraint(
                condition=Q(addressed_at__isnull=False) | Q(addressed_by__isnull=True),
                name="comment_addresser_only_when_addressed",
            ),
        ]

    def __str__(self) -> str:
        return self.body if len(self.body) <= 60 else self.body[:59] + "…"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def is_addressed(self) -> bool:
        """Open, and marked addressed by the team: waiting for the reviewer, not the team."""
        return self.resolved_at is None and self.addressed_at is not None

    @property
    def to_answer(self) -> bool:
        """Open and not addressed: the team has something to answer."""
        return self.resolved_at is None and self.addressed_at is None

    @property
    def is_on_card(self) -> bool:
        """On a card, even one deleted since (then `card` is None but `card_title` remains)."""
        return self.card_id is not None or bool(self.card_title)

    @property
    def card_deleted(self) -> bool:
        return self.card_id is None and bool(self.card_title)
