"""Numbered snapshots of a blueprint's whole content, for comparing and restoring
(`blueprints.versions`)."""

from django.conf import settings
from django.db import models

from blueprints.models.grid import Blueprint


class BlueprintVersion(models.Model):
    """A numbered snapshot of a blueprint's whole content (`blueprints.versions`).

    Taken on every submission for review and after every restore, so a reviewer can compare
    what was sent each time and a team can go back to it. `data` is the JSON export of the
    blueprint with database ids (`export_document(with_ids=True)`): the ids give cards a
    stable identity between versions, for the diff.
    """

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    blueprint_version = models.PositiveIntegerField(
        help_text="The blueprint's content version when the snapshot was taken."
    )
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # By the blueprint's id, not the blueprint (which would join it to sort by title on
        # every query); the admin's list orders itself.
        ordering = ["blueprint_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["blueprint", "number"], name="blueprint_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint}: version {self.number}"
