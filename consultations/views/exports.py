"""Responses as CSV, streamed: one consultation's, or every consultation's of a locality."""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views import View
from django.views.generic.detail import SingleObjectMixin

from consultations.models import Response
from consultations.views.consultations import ConsultationRecordMixin
from localities.csv_response import streaming_csv_response
from localities.listing import spreadsheet_safe
from localities.mixins import LocalityAccessMixin


class Echo:
    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "response id",
    "consultation",
    "consultation date",
    "idea",
    "respondent group",
    "support (1-5)",
    "comment",
    "channel",
    "received at",
]


def csv_rows(responses: QuerySet[Response]) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(CSV_HEADER)
    groups = dict(Response.Group.choices)
    channels = dict(Response.Channel.choices)
    rows = responses.values_list(
        "pk",
        "consultation__title",
        "consultation__held_on",
        "idea__title",
        "group",
        "support",
        "comment",
        "channel",
        "created_at",
    ).order_by("consultation__held_on", "consultation_id", "created_at", "pk")
    for pk, title, held_on, idea, group, support, comment, channel, created_at in rows.iterator(
        chunk_size=2000
    ):
        yield writer.writerow(
            [
                pk,
                spreadsheet_safe(title),
                held_on.isoformat(),
                spreadsheet_safe(idea),
                groups.get(group, group),
                support,
                spreadsheet_safe(comment),
                channels.get(channel, channel),
                timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )


def csv_response(responses: QuerySet[Response], filename: str) -> StreamingHttpResponse:
    return streaming_csv_response(csv_rows(responses), filename)


class ConsultationExportView(ConsultationRecordMixin, LocalityAccessMixin, SingleObjectMixin, View):
    def get(self, request, *args, **kwargs):
        consultation = self.get_object()
        stamp = timezone.localdate().isoformat()
        return csv_response(
            Response.objects.filter(consultation=consultation),
            f"{self.locality.slug}-consultation-{consultation.pk}-responses-{stamp}.csv",
        )


class LocalityExportView(LocalityAccessMixin, View):
    def get(self, request, *args, **kwargs):
        stamp = timezone.localdate().isoformat()
        return csv_response(
            Response.objects.filter(consultation__locality=self.locality),
            f"{self.locality.slug}-responses-{stamp}.csv",
        )
