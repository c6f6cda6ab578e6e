"""The project's URLs plus a bare insert endpoint, the baseline of the intake throughput bench."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from inspectorate.urls import urlpatterns as project_urls


class BareInsert(APIView):
    """Same authentication, parsing and rendering as the API; one INSERT, nothing else."""

    def post(self, request: Request) -> Response:
        from inspectorate.complaints.models import Complaint

        data: Any = request.data
        now = timezone.now()
        c = Complaint.objects.create(
            campaign_id=data["campaign_id"],
            channel=data.get("channel", "web"),
            text=data.get("text", ""),
            lat=data.get("lat"),
            lon=data.get("lon"),
            address=data.get("address", ""),
            polluter_name=data.get("polluter_name", ""),
            received_at=now,
            intake_day=timezone.localdate(now),
        )
        return Response({"id": str(c.pk), "receipt_code": c.receipt_code}, status=201)


urlpatterns = [*project_urls, path("bench/bare-insert/", BareInsert.as_view())]
