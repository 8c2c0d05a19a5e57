"""A family card's emotion, changed from the emotion curve: a point of the chart opens a
small form (with htmx, under the chart; without JavaScript, a page), and the arrow keys on a
focused point post the next value up or down (static/js/editor/emotion.js).

The change goes through `services.update_card` from the version the chart was drawn on, so
a card someone else changed since is refused at the field and nothing changes.
"""

from __future__ import annotations

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import path
from django_htmx.http import reswap, retarget

from blueprints import services
from blueprints.emotion import emotion_text
from blueprints.forms_editor import EMOTION_CHOICES, EMOTION_NOT_ALLOWED, VersionForm
from blueprints.models import Card
from blueprints.services import VersionConflict
from blueprints.views.editor import EditorBase, form_ids

EDIT_BOX = "#bp-emotion-edit"


class EmotionForm(VersionForm):
    """A family card's emotion, from −2 to +2 or none, and the version it was read at."""

    emotion = forms.TypedChoiceField(
        label="Emotion",
        choices=EMOTION_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose an emotion from −2 to +2, or none."},
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, card: Card, **kwargs):
        super().__init__(*args, **kwargs)
        self.card = card

    def clean_emotion(self) -> int | None:
        if not self.card.lane.allows_emotion:
            raise ValidationError(EMOTION_NOT_ALLOWED, code="emotion_not_allowed")
        return self.cleaned_data["emotion"]


class CardEmotionView(EditorBase):
    """GET: the form for one card's emotion; POST: save it (editors, leads, superusers)."""

    access = "edit"

    def make_form(self, card: Card, data=None) -> EmotionForm:
        return EmotionForm(
            data,
            initial={"emotion": card.emotion, "version": card.version},
            card=card,
            auto_id=form_ids(f"emotion-{card.pk}"),
        )

    def show_form(self, card: Card, form: EmotionForm, status: int = HTTPStatus.OK, **context):
        if self.request.htmx:
            response = self.render(
                "_emotion_form.html", status=status, card=card, form=form, **context
            )
            retarget(response, EDIT_BOX)
            return reswap(response, "innerHTML")
        return self.render("card_emotion_page.html", status=status, card=card, form=form, **context)

    def get(self, request, *args, **kwargs):
        card = self.get_card()
        return self.show_form(card, self.make_form(card))

    def post(self, request, *args, **kwargs):
        card = self.find_card()
        if card is None:
            message = "Someone else deleted this card: its emotion was not changed."
            if request.htmx:
                return self.board_response(message, HTTPStatus.CONFLICT)
            messages.error(request, message)
            return self.back_to_editor("bp-emotion")
        form = self.make_form(card, data=request.POST)
        if not form.is_valid():
            return self.refused(card, form, HTTPStatus.UNPROCESSABLE_ENTITY)
        try:
            saved = services.update_card(
                card=card,
                expected_version=form.cleaned_data["version"],
                emotion=form.cleaned_data["emotion"],
                by=request.user,
            )
        except VersionConflict as conflict:
            if conflict.current is None:
                form.add_error("emotion", "Someone else deleted this card meanwhile.")
                return self.refused(card, form, HTTPStatus.CONFLICT)
            now = emotion_text(conflict.current.emotion) or "no emotion"
            form.add_error(
                "emotion",
                f"Someone else changed “{conflict.current.title}” since the chart was drawn: "
                f"its emotion is now {now}. Nothing was changed; choose again.",
            )
            # The form now starts from the card as it is, so choosing again can succeed.
            form.data = form.data.copy()
            form.data["version"] = conflict.current.version
            return self.refused(card, form, HTTPStatus.CONFLICT)
        except ValidationError as error:
            form.add_error("emotion", ValidationError(error.messages))
            return self.refused(card, form, HTTPStatus.UNPROCESSABLE_ENTITY)
        feeling = emotion_text(saved.emotion) or "no emotion recorded"
        message = f"“{saved.title}” now shows {feeling}."
        if request.htmx:
            return self.card_response(
                saved.pk, (saved.phase_id, saved.lane_id), status_message=message
            )
        messages.success(request, message)
        return self.back_to_editor("bp-emotion")

    def refused(self, card: Card, form: EmotionForm, status: int) -> HttpResponse:
        return self.show_form(
            card,
            form,
            status=status,
            status_message="The emotion was not changed: "
            + " ".join(error for errors in form.errors.values() for error in errors),
        )


urlpatterns: list = [
    path(
        "localities/<slug:slug>/blueprints/<int:pk>/cards/<int:card_pk>/emotion/",
        CardEmotionView.as_view(),
        name="card-emotion",
    ),
]
