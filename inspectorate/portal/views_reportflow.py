"""Public endpoints of the report flow: where the report will go (before submitting) and the receipt as a file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspectorate.complaints import actions

from . import reportflow
from .views import _tracking_failed, _tracking_throttled, open_campaigns


def jurisdiction_hint(request: HttpRequest, code: str) -> HttpResponse:
    """HTMX partial: the jurisdiction (and team) the pin and the typed address resolve to; when they disagree,
    a choice of which is right, submitted with the form as `location_choice`."""
    campaign = get_object_or_404(open_campaigns(), code=code)
    data = request.POST if request.method == "POST" else request.GET
    res = reportflow.resolve(campaign, lat=data.get("lat"), lon=data.get("lon"), address=data.get("address") or "")
    choice = data.get("location_choice") or ""
    return render(
        request,
        "portal/_jurisdiction.html",
        {
            "res": res,
            "team": getattr(campaign, "team", None),
            "campaign": campaign,
            "choice": choice if choice in reportflow.LOCATION_CHOICES else "",
        },
    )


@require_POST
def receipt_download(request: HttpRequest) -> HttpResponse:
    """The receipt as a small text or SVG file; needs the receipt code and its secret (like tracking)."""
    code = request.POST.get("receipt_code", "")
    if _tracking_throttled(request, code):
        return HttpResponse(status=429)
    complaint = actions.check_tracking(code, request.POST.get("secret", ""))
    if complaint is None:
        _tracking_failed(request, code)
        return HttpResponse(status=404)
    url = request.build_absolute_uri(reverse("portal:track"))
    if request.POST.get("format") == "svg":
        body, kind, ext = reportflow.receipt_svg(complaint, url), "image/svg+xml", "svg"
    else:
        body, kind, ext = reportflow.receipt_text(complaint, url), "text/plain", "txt"
    response = HttpResponse(body.encode("utf-8"), content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-{complaint.receipt_code}.{ext}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
