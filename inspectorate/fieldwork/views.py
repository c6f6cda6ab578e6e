"""Pages: information requests (list, detail with the item steps, create, deliver with upload) and their files."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspectorate.accounts.scoping import can, has_role_anywhere, restrict
from inspectorate.campaigns.selectors import campaigns_for
from inspectorate.core.formpages import apply_errors, errors_text, require_role, save_form
from inspectorate.core.formpages import form_page as _form_page
from inspectorate.core.pages import paginate

from . import actions, documents, selectors
from .actions.requests import DECLARATION
from .api import docx_response
from .filters import InfoRequestFilter
from .forms import AssignForm, DeliverForm, InfoRequestForm, ReviewForm
from .models import Delivery, InfoRequestItem, ItemStatus

form_page = partial(_form_page, template="fieldwork/form.html")


@login_required
def requests_page(request: HttpRequest) -> HttpResponse:
    filt = InfoRequestFilter(request.GET, queryset=selectors.requests_for(request.user).order_by("-issued_at", "-number"))
    page = paginate(request, filt.qs, per_page=50)
    return render(
        request,
        "fieldwork/requests.html",
        {
            "filter": filt,
            "page": page,
            "totals": selectors.obstruction(filt.qs),
            "campaigns": campaigns_for(request.user).select_related(None).prefetch_related(None),
            "statuses": ItemStatus.choices,
            "can_add": has_role_anywhere(request.user, "info_requests.manage"),
            "now": timezone.now(),
        },
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    require_role(request, "info_requests.manage")
    form = InfoRequestForm(request.POST or None, user=request.user)
    done = save_form(
        request, form, lambda data: actions.create_request(actor=request.user, **data),
        success=lambda req: _("Request %(n)s issued.") % {"n": req.number},
        then=lambda req: reverse("fieldwork:request", args=[req.pk]),
    )  # fmt: skip
    return done or form_page(request, form, _("New information request"), back="/fieldwork/")


@login_required
def request_page(request: HttpRequest, pk: Any) -> HttpResponse:
    req = get_object_or_404(selectors.requests_for(request.user), pk=pk)
    now = timezone.now()
    items = list(req.items.select_related("department").prefetch_related("deliveries"))
    user = request.user
    assignable = {i.pk for i in restrict(req.items.all(), user, "info_requests.assign")}
    deliverable = {i.pk for i in restrict(req.items.all(), user, "info_requests.deliver")}
    reviewable = {i.pk for i in restrict(req.items.all(), user, "info_requests.manage")}
    rows = [
        {
            "item": i,
            "overdue": i.is_overdue(now),
            "assign": AssignForm(user=user, target=req.target_unit, prefix=str(i.pk)) if i.pk in assignable else None,
            "deliver": i.pk in deliverable and i.status in (ItemStatus.ISSUED, ItemStatus.ASSIGNED, ItemStatus.INCOMPLETE),
            "review": ReviewForm(prefix=str(i.pk))
            if i.pk in reviewable and i.status not in (ItemStatus.COMPLETE, ItemStatus.REFUSED)
            else None,
        }
        for i in items
    ]
    return render(request, "fieldwork/request.html", {"req": req, "rows": rows, "now": now})


@login_required
def request_letter(request: HttpRequest, pk: Any) -> HttpResponse:
    req = get_object_or_404(selectors.requests_for(request.user), pk=pk)
    return docx_response(documents.request_letter(req), f"request-{req.number}-letter.docx")


@login_required
def request_handover(request: HttpRequest, pk: Any) -> HttpResponse:
    req = get_object_or_404(selectors.requests_for(request.user), pk=pk)
    return docx_response(documents.handover_list(req), f"request-{req.number}-handover.docx")


@login_required
@require_POST
def item_assign(request: HttpRequest, pk: Any) -> HttpResponse:
    item = get_object_or_404(selectors.items_for(request.user), pk=pk)
    if not can(request.user, "info_requests.assign", item):
        raise PermissionDenied("info_requests.assign")
    form = AssignForm(request.POST, user=request.user, target=item.request.target_unit, prefix=str(item.pk))
    if form.is_valid():
        try:
            actions.assign_item(item, actor=request.user, department=form.cleaned_data["department"])
            messages.success(request, _("Item %(n)s assigned.") % {"n": item.seq})
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
    else:
        messages.error(request, _("Choose a department under the requested unit."))
    return redirect("fieldwork:request", pk=item.request_id)


@login_required
def item_deliver(request: HttpRequest, pk: Any) -> HttpResponse:
    item: InfoRequestItem = get_object_or_404(selectors.items_for(request.user), pk=pk)
    if not can(request.user, "info_requests.deliver", item):
        raise PermissionDenied("info_requests.deliver")
    form = DeliverForm(request.POST or None, request.FILES or None)
    back = f"/fieldwork/requests/{item.request_id}/"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.deliver_item(
                item,
                actor=request.user,
                files=data["documents"],
                declarant_name=data["declarant_name"],
                declared_at=data["declared_at"],
                declaration_accepted=data["declaration"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"files": "documents"})
        else:
            messages.success(request, _("Item %(n)s delivered.") % {"n": item.seq})
            return redirect(back)
    title = _("Deliver item %(n)s") % {"n": item.seq}
    status = 400 if request.method == "POST" else 200
    return form_page(request, form, title, back=back, status=status, item=item, declaration=DECLARATION)


@login_required
@require_POST
def item_review(request: HttpRequest, pk: Any) -> HttpResponse:
    item = get_object_or_404(selectors.items_for(request.user), pk=pk)
    if not can(request.user, "info_requests.manage", item):
        raise PermissionDenied("info_requests.manage")
    form = ReviewForm(request.POST, prefix=str(item.pk))
    if form.is_valid():
        try:
            actions.review_item(item, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Item %(n)s marked.") % {"n": item.seq})
        except ValidationError as exc:
            messages.error(request, errors_text(exc))
    else:
        messages.error(request, _("Choose complete, incomplete or refused."))
    return redirect("fieldwork:request", pk=item.request_id)


@login_required
def delivery_file(request: HttpRequest, pk: Any) -> FileResponse:
    d = get_object_or_404(restrict(Delivery.objects.all(), request.user), pk=pk)
    return FileResponse(d.file.open("rb"), as_attachment=True, filename=d.name, content_type=d.content_type)
