"""Pages: government-enterprise visits and the problems the enterprise raised (both sides see the status)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import has_role_anywhere
from inspectorate.core.formpages import errors_text, require_role, save_form
from inspectorate.core.pages import paginate
from inspectorate.orgs.selectors import units_for

from . import actions, selectors
from .filters import VisitFilter
from .forms import VisitForm
from .models import VisitTopic
from .views import form_page


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    filt = VisitFilter(request.GET, queryset=selectors.visits_for(request.user).prefetch_related("requests"))
    return render(
        request,
        "facilities/visits.html",
        {"page": paginate(request, filt.qs), "can_add": has_role_anywhere(request.user, "visits.manage")},
    )


@login_required
def visit_form(request: HttpRequest) -> HttpResponse:
    require_role(request, "visits.manage")
    form = VisitForm(request.POST or None, user=request.user)
    done = save_form(
        request, form, lambda data: actions.create_visit(actor=request.user, **data),
        success=_("Visit saved."), then=lambda visit: reverse("facilities:visit", args=[visit.pk]),
    )  # fmt: skip
    return done or form_page(request, form, _("New government-enterprise visit"), back=reverse("facilities:visits"))


@login_required
def visit_detail(request: HttpRequest, pk: str) -> HttpResponse:
    visit = get_object_or_404(selectors.visits_for(request.user), pk=pk)
    gov = visit.government_unit
    return render(
        request,
        "facilities/visit.html",
        {
            "visit": visit,
            "requests": visit.requests.select_related("owner_unit"),
            "topics": VisitTopic.choices,
            "can_raise": actions.visits._holds_on(request.user, "visits.raise", visit.enterprise_unit)
            or actions.visits._holds_on(request.user, "visits.manage", gov),
            "can_assign": actions.visits._holds_on(request.user, "visits.manage", gov),
            "owners": units_for(request.user).filter(path__startswith=gov.path),
        },
    )


@login_required
@require_POST
def visit_request_action(request: HttpRequest, pk: str, step: str) -> HttpResponse:
    """raise (pk = visit), assign or answer (pk = raised problem)."""
    try:
        if step == "raise":
            visit = get_object_or_404(selectors.visits_for(request.user), pk=pk)
            actions.raise_request(visit, actor=request.user, title=request.POST.get("title", ""),
                                  description=request.POST.get("description", ""),
                                  topic=request.POST.get("topic") or VisitTopic.OTHER)  # fmt: skip
        else:
            req = get_object_or_404(selectors.visit_requests_for(request.user), pk=pk)
            visit = req.visit
            if step == "assign":
                owner = get_object_or_404(units_for(request.user), pk=request.POST.get("owner_unit") or None)
                due = parse_date(request.POST.get("due_on", "") or "")
                if due is None:
                    raise ValidationError({"due_on": _("Give a due date.")})
                actions.assign_request(req, actor=request.user, owner_unit=owner, due_on=due)
            elif step == "answer":
                actions.answer_request(req, actor=request.user, answer=request.POST.get("answer", ""))
            else:
                raise ValidationError(_("Unknown step."))
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("facilities:visit", pk=visit.pk)
