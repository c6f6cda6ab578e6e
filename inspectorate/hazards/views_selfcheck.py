"""Pages: self-inspections, checklists, and the phone-sized checklist an inspector fills on site."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.accounts.scoping import can, has_role_anywhere
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .actions.selfcheck import Reply
from .forms import SelfInspectionForm
from .models import Answer
from .offline import offline_texts
from .views import errors_text


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "hazards/self_inspections.html",
        {
            "inspections": selectors.self_inspections_for(request.user).prefetch_related("scope_units", "runs"),
            "checklists": selectors.checklists_for(request.user).prefetch_related("items"),
            "can_fill": has_role_anywhere(request.user, "selfcheck.fill"),
            "can_open": has_role_anywhere(request.user, "selfcheck.manage"),
        },
    )


@login_required
def inspection_page(request: HttpRequest, pk: str) -> HttpResponse:
    insp = get_object_or_404(selectors.self_inspections_for(request.user).prefetch_related("scope_units"), pk=pk)
    runs = selectors.runs_for(request.user).filter(inspection=insp).prefetch_related("answers__item", "answers__hidden_danger")
    return render(
        request,
        "hazards/self_inspection.html",
        {"insp": insp, "runs": runs, "can_fill": has_role_anywhere(request.user, "selfcheck.fill")},
    )


@login_required
def checklist_page(request: HttpRequest, pk: str) -> HttpResponse:
    checklist = get_object_or_404(selectors.checklists_for(request.user).prefetch_related("items"), pk=pk)
    can_edit = can(request.user, "selfcheck.manage", checklist.owner_unit)
    return render(request, "hazards/checklist.html", {"checklist": checklist, "can_edit": can_edit})


def _fill_units(request: HttpRequest, insp: Any) -> list[Any]:
    """The units this user may fill for: inside the inspection's scope and where they hold selfcheck.fill."""
    scope = list(insp.scope_units.all())
    mine = units_for(request.user, "selfcheck.fill").select_related(None).order_by("path")
    return [u for u in mine if any(u.path.startswith(s.path) for s in scope)]


def _coord(value: str) -> Decimal | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return Decimal(value).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValidationError({"location": _("The location is not a number.")}) from None


@login_required
def fill_page(request: HttpRequest, pk: str) -> HttpResponse:
    """The checklist on a phone: one card per item, pass / fail / n.a., a camera photo, optional location."""
    insp = get_object_or_404(selectors.self_inspections_for(request.user).select_related("checklist"), pk=pk)
    if not has_role_anywhere(request.user, "selfcheck.fill"):
        raise PermissionDenied("selfcheck.fill")
    units = _fill_units(request, insp)
    if not units:
        raise PermissionDenied("selfcheck.fill")
    items = list(insp.checklist.items.all())
    errors: list[str] = []
    p = request.POST
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == p.get("unit")), None)
        try:
            if unit is None:
                raise ValidationError({"unit": _("Choose the unit you inspected.")})
            replies = []
            for item in items:
                upload = request.FILES.get(f"photo_{item.pk}")
                replies.append(
                    Reply(
                        item=item,
                        result=p.get(f"result_{item.pk}", ""),
                        note=p.get(f"note_{item.pk}", ""),
                        photo=(upload.name or "photo", upload.read()) if upload is not None else None,
                        major=p.get(f"major_{item.pk}") == "1",
                    )
                )
            missing = [str(r.item.position) for r in replies if not r.result]
            if missing:
                raise ValidationError({"answers": [_("Answer every item; missing: %(items)s.") % {"items": ", ".join(missing)}]})
            run = actions.submit_checklist(
                insp,
                actor=request.user,
                unit=unit,
                replies=replies,
                lat=_coord(p.get("lat", "")),
                lon=_coord(p.get("lon", "")),
                idempotency_key=p.get("idempotency_key") or None,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = [str(m) for errs in exc.error_dict.values() for e in errs for m in e.messages]
            else:
                errors = [str(m) for m in exc.messages]
        except actions.IdempotencyConflict:
            errors = [_("This form was already sent with other answers. Reload the checklist to start a new one.")]
        else:
            failed = sum(1 for a in run.answers.all() if a.result == Answer.Result.FAIL)
            messages.success(
                request,
                _("Checklist saved: %(failed)s failed item(s) recorded as hidden dangers.") % {"failed": failed},
            )
            return HttpResponseRedirect(reverse("hazards:self-inspection", args=[insp.pk]))
    return render(
        request,
        "hazards/fill.html",
        {
            "offline": offline_config(request, insp, items),
            "insp": insp,
            "rows": [
                {
                    "it": it,
                    "result": p.get(f"result_{it.pk}", ""),
                    "note": p.get(f"note_{it.pk}", ""),
                    "major": p.get(f"major_{it.pk}") == "1",
                }
                for it in items
            ],
            "units": units,
            "errors": errors,
            "post": p,
            "results": Answer.Result.choices,
            "idempotency_key": p.get("idempotency_key") or uuid.uuid4().hex,
        },
        status=400 if errors else 200,
    )


def offline_config(request: HttpRequest, insp: Any, items: list[Any]) -> dict[str, Any]:
    """What the page script needs to keep the checklist offline and sync it (rendered by json_script, never executed)."""
    rules = {
        "missing": _("Answer every item; missing: %(items)s."),
        "fail_photo": _("Item %(n)s failed: take a photo of what was found."),
        "fail_note": _("Item %(n)s failed: describe what was found."),
        "photo_required": _("Item %(n)s needs a photo with every answer."),
    }
    return {
        "inspection": str(insp.pk),
        "user": str(request.user.pk),
        "base": timezone.now().isoformat(),
        "sync_url": f"/api/v1/self-inspections/{insp.pk}/sync/",
        "done_url": reverse("hazards:self-inspection", args=[insp.pk]),
        "sw_url": reverse("hazards:service-worker"),
        "sw_scope": reverse("hazards:list"),
        "items": [{"id": str(it.pk), "position": it.position, "photo_required": it.photo_required} for it in items],
        "results": dict(Answer.Result.choices),
        "text": {**rules, **offline_texts()},
    }


@login_required
def inspection_form(request: HttpRequest) -> HttpResponse:
    """Open a self-inspection: the organising unit (group, subsidiary or plant), checklist, units and dates."""
    if not has_role_anywhere(request.user, "selfcheck.manage"):
        raise PermissionDenied("selfcheck.manage")
    user = request.user
    enterprise_units = units_for(user).filter(kind="enterprise").select_related(None)
    form = SelfInspectionForm(
        request.POST or None,
        organisers=units_for(user, "selfcheck.manage").filter(kind="enterprise").select_related(None),
        units=enterprise_units,
        checklists=selectors.checklists_for(user),
        campaigns=campaigns_for(user).select_related(None).prefetch_related(None),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["scope_units"] = list(data["scope_units"])
        try:
            insp = actions.create_self_inspection(actor=user, **data)
        except ValidationError as exc:
            form.add_error(None, errors_text(exc))
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("hazards:self-inspection", args=[insp.pk]))
    return render(
        request,
        "hazards/form.html",
        {"form": form, "title": _("Open a self-inspection"), "back": reverse("hazards:self-inspections")},
        status=400 if request.method == "POST" else 200,
    )
