"""What each person last did to a card of a blueprint, so that they can undo it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from blueprints.models.grid import Blueprint


class CardAction(models.TextChoices):
    ADD = "add", "adding"
    EDIT = "edit", "editing"
    MOVE = "move", "moving"
    DELETE = "delete", "deleting"


class LastCardChange(models.Model):
    """One person's last change to a card of one blueprint (one row per person and
    blueprint, replaced by their next change): enough to put the card back as it was.

    `card_id` is a plain number, not a key: after a deletion the card is gone. `before` is
    the card as it was (cell, position, fields, insight ids and links; empty for an add);
    `version_after` is the card's version the change left, so an undo can tell whether
    anyone has changed the card since (none for a deletion).
    """

    Action = CardAction

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blueprint = models.ForeignKey(
        Blueprint, on_delete=models.CASCADE, related_name="last_card_changes"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    card_id = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    before = models.JSONField(default=dict, blank=True)
    version_after = models.PositiveIntegerField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "blueprint"], name="last_card_change_one_per_user_and_blueprint"
            ),
            models.CheckConstraint(
                condition=models.Q(action__in=CardAction.values),
                name="last_card_change_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.title}"
