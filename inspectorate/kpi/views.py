"""Pages: the schemes in scope, a scheme with its indicators and ranking, a score explained line by line with
its adjustments, and the form for a new scheme."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import can, has_role_anywhere
from inspectorate.core.formpages import apply_errors, errors_text, require_role
from inspectorate.core.pages import paginate

from . import actions, metrics, selectors
from .filters import SchemeFilter
from .forms import IndicatorFormSet, SchemeForm, indicator_rows
from .models import IndicatorKind


def _labels() -> dict[str, Any]:
    return {
        "metric_labels": {k: m.label for k, m in metrics.METRICS.items()},
        "kind_labels": dict(IndicatorKind.choices),
        "event_labels": metrics.EVENT_LABELS,
    }


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    filt = SchemeFilter(request.GET, queryset=selectors.schemes_for(request.user))
    return render(
        request,
        "kpi/schemes.html",
        {"page": paginate(request, filt.qs), "can_add": has_role_anywhere(request.user, "kpi.manage")},
    )


@login_required
def scheme_form(request: HttpRequest) -> HttpResponse:
    require_role(request, "kpi.manage")
    form = SchemeForm(request.POST or None, user=request.user)
    formset = IndicatorFormSet(request.POST or None, prefix="ind")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            scheme = actions.create_scheme(
                actor=request.user, owner_unit=data["owner_unit"], title=data["title"],
                period_start=data["period_start"], period_end=data["period_end"], units=list(data["units"]),
                indicators=indicator_rows(formset),
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Assessment scheme saved."))
            return redirect("kpi:scheme", pk=scheme.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "kpi/scheme_form.html", {"form": form, "formset": formset}, status=status)


@login_required
def scheme_page(request: HttpRequest, pk: str) -> HttpResponse:
    scheme = get_object_or_404(selectors.schemes_for(request.user), pk=pk)
    scores = selectors.scores_for(request.user).filter(scheme=scheme).order_by("rank", "unit__path")
    return render(
        request,
        "kpi/scheme.html",
        {
            "scheme": scheme,
            "indicators": scheme.indicators.all(),
            "scores": scores,
            "assessed": scheme.units.count(),
            "units": scheme.units.order_by("path"),
            "can_manage": can(request.user, "kpi.manage", scheme.owner_unit),
            **_labels(),
        },
    )


@login_required
@require_POST
def scheme_compute(request: HttpRequest, pk: str) -> HttpResponse:
    scheme = get_object_or_404(selectors.schemes_for(request.user), pk=pk)
    result = actions.compute_scores(scheme, actor=request.user)
    messages.success(
        request, _("Scores computed: %(computed)s; reviewed and kept: %(kept)s.") % {
            "computed": result["computed"], "kept": result["kept_reviewed"]
        }
    )  # fmt: skip
    return redirect("kpi:scheme", pk=scheme.pk)


@login_required
def score_page(request: HttpRequest, pk: str) -> HttpResponse:
    score = get_object_or_404(selectors.scores_for(request.user), pk=pk)
    return render(
        request,
        "kpi/score.html",
        {
            "score": score,
            "adjustments": selectors.adjustments_for(request.user).filter(score=score),
            "indicators": score.scheme.indicators.all(),
            "assessed": score.scheme.units.count(),
            "can_manage": can(request.user, "kpi.manage", score.scheme.owner_unit),
            **_labels(),
        },
    )


@login_required
@require_POST
def score_action(request: HttpRequest, pk: str, step: str) -> HttpResponse:
    score = get_object_or_404(selectors.scores_for(request.user), pk=pk)
    try:
        if step == "adjust":
            ind_id = request.POST.get("indicator") or None
            indicator = get_object_or_404(score.scheme.indicators.all(), pk=ind_id) if ind_id else None
            actions.adjust_score(
                score, actor=request.user, points=request.POST.get("points", ""), reason=request.POST.get("reason", ""),
                indicator=indicator,
            )  # fmt: skip
        elif step == "review":
            actions.review_score(score, actor=request.user, note=request.POST.get("note", ""))
        else:
            raise ValidationError(_("Unknown step."))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("kpi:score", pk=score.pk)
