"""Pages: the hidden-danger list (filters shared with the API, overdue first), detail with timeline, forms, steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import can, has_role_anywhere, restrict
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.formpages import errors_text, require_role
from inspectorate.core.pages import paginate
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .filters import HiddenDangerFilter
from .forms import DangerForm, EvidenceForm
from .models import DangerEvidence, DangerStatus


@login_required
def danger_list(request: HttpRequest) -> HttpResponse:
    filt = HiddenDangerFilter(request.GET, queryset=selectors.dangers_for(request.user), request=request)
    page = paginate(request, filt.qs, per_page=50)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "hazards/list.html",
        {
            "filter": filt,
            "page": page,
            "units": units_for(request.user).filter(kind="enterprise").select_related(None),
            "query": params.urlencode(),
            "can_add": has_role_anywhere(request.user, "hazards.report"),
            "escalated": request.GET.get("escalated_to_me") in ("true", "1", "on"),
        },
    )


@login_required
def danger_page(request: HttpRequest, pk: str) -> HttpResponse:
    danger = get_object_or_404(selectors.dangers_for(request.user).prefetch_related("evidence"), pk=pk)
    user = request.user
    answer = getattr(danger, "origin_answer", None) if hasattr(danger, "origin_answer") else None
    return render(
        request,
        "hazards/detail.html",
        {
            "d": danger,
            "overdue": danger.is_overdue(timezone.localdate()),
            "answer": answer,
            "can_report": can(user, "hazards.report", danger),
            "can_verify": can(user, "hazards.verify", danger),
            "can_promote": danger.problem_id is None and can(user, "problems.manage", danger.unit),
            "campaigns": list(campaigns_for(user).select_related(None).prefetch_related(None))
            if danger.problem_id is None
            else [],
            "evidence_form": EvidenceForm(),
            "S": DangerStatus,
        },
    )


@login_required
def danger_form(request: HttpRequest, pk: str | None = None) -> HttpResponse:
    require_role(request, "hazards.report")
    danger = None
    if pk is not None:
        danger = get_object_or_404(selectors.dangers_for(request.user), pk=pk)
        if not can(request.user, "hazards.report", danger):
            raise PermissionDenied("hazards.report")
    units = units_for(request.user, "hazards.report").filter(kind="enterprise")
    form = DangerForm(request.POST or None, instance=danger, units=units, editing=danger is not None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if danger is None:
                files = [(f.name or "file", f.read()) for f in request.FILES.getlist("files")]
                danger = actions.create_danger(actor=request.user, files=files, **data)
            else:
                danger = actions.update_danger(
                    type(danger).objects.get(pk=danger.pk), actor=request.user, reason=request.POST.get("reason", ""), **data
                )
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("hazards:detail", args=[danger.pk]))
    title = _("Edit hidden danger %(number)s") % {"number": danger.number} if danger else _("Report a hidden danger")
    return render(
        request,
        "hazards/form.html",
        {"form": form, "title": title, "danger": danger},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def danger_action(request: HttpRequest, pk: str, name: str) -> HttpResponse:
    danger = get_object_or_404(selectors.dangers_for(request.user), pk=pk)
    p = request.POST
    result: Any = None
    try:
        if name == "start":
            actions.start_rectification(danger, actor=request.user, note=p.get("note", ""))
        elif name == "submit":
            actions.submit_for_verification(danger, actor=request.user, note=p.get("note", ""))
        elif name == "verify":
            actions.verify_danger(danger, actor=request.user, conclusion=p.get("conclusion", ""))
        elif name == "reject":
            actions.reject_danger(danger, actor=request.user, reason=p.get("reason", ""))
        elif name == "evidence":
            form = EvidenceForm(p, request.FILES)
            if not form.is_valid():
                raise ValidationError([f"{form.fields[k].label}: {m}" for k, v in form.errors.items() for m in v])
            d = form.cleaned_data
            actions.add_danger_evidence(
                danger,
                actor=request.user,
                content=d["file"].read(),
                filename=d["file"].name or "file",
                stage=d["stage"],
                note=d["note"],
            )
        elif name == "promote":
            chosen = p.get("campaign") or ""
            campaign = campaigns_for(request.user).filter(pk=chosen).first() if chosen else None
            if campaign is None:
                raise ValidationError({"campaign": _("Choose the inspection whose ledger takes the problem.")})
            result = actions.promote_danger(danger, actor=request.user, campaign=campaign, number=p.get("number", ""))
        else:
            return HttpResponse(status=404)
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        if result is not None:
            messages.success(request, _("Put on the ledger as problem %(problem)s.") % {"problem": result})
        else:
            messages.success(request, _("Done."))
    return HttpResponseRedirect(reverse("hazards:detail", args=[danger.pk]))


@login_required
def evidence_file(request: HttpRequest, pk: str) -> FileResponse:
    ev = get_object_or_404(restrict(DangerEvidence.objects.all(), request.user, "view"), pk=pk)
    response = FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name)
    response["X-Content-SHA256"] = ev.sha256
    return response
