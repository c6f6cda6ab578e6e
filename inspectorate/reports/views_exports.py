"""Pages for background exports: start one from a list page, watch its progress, download the file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate import audit

from .exports import EXPORTERS
from .models import ExportJob, ExportStatus


def _jobs(request: HttpRequest) -> Any:
    user: Any = request.user
    return ExportJob.objects.filter(user=user)[:20]  # a user's own jobs are their scope


@login_required
def exports_page(request: HttpRequest) -> HttpResponse:
    jobs = list(_jobs(request))
    running = any(j.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for j in jobs)
    template = "reports/_export_rows.html" if request.htmx else "reports/exports.html"  # type: ignore[attr-defined]
    return render(request, template, {"jobs": jobs, "running": running})


@login_required
@require_POST
def start_export(request: HttpRequest) -> HttpResponse:
    from .tasks import run_export

    kind = request.POST.get("kind", "")
    if kind not in EXPORTERS:
        messages.error(request, _("Unknown export kind; choose one of: %(k)s.") % {"k": ", ".join(sorted(EXPORTERS))})
        return redirect("reports:exports")
    user: Any = request.user
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=user, language=translation.get_language() or "", kind=kind, query=request.POST.get("query", "")[:1000]
        )
        audit.record(request.user, "export.request", job, after={"kind": job.kind, "query": job.query})
        transaction.on_commit(lambda: run_export.enqueue(str(job.pk)))
    messages.success(request, _("Export started. It runs in the background; this page shows its progress."))
    return redirect("reports:exports")
