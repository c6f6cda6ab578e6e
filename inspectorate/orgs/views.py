from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from inspectorate.core.pages import paginate

from . import selectors
from .api import EnterpriseFilter, OrgUnitFilter


@login_required
def units(request: HttpRequest) -> HttpResponse:
    filt = OrgUnitFilter(request.GET, queryset=selectors.units_for(request.user).order_by("path"))
    return render(request, "orgs/unit_list.html", {"filter": filt, "page": paginate(request, filt.qs, 100)})


@login_required
def unit_detail(request: HttpRequest, pk: str) -> HttpResponse:
    unit = get_object_or_404(selectors.units_for(request.user), pk=pk)
    children = selectors.units_for(request.user).filter(parent=unit).order_by("code")
    enterprises = selectors.enterprises_for(request.user).filter(org_unit=unit)[:100]
    return render(request, "orgs/unit_detail.html", {"unit": unit, "children": children, "enterprises": enterprises})


@login_required
def enterprises(request: HttpRequest) -> HttpResponse:
    filt = EnterpriseFilter(request.GET, queryset=selectors.enterprises_for(request.user))
    return render(request, "orgs/enterprise_list.html", {"filter": filt, "page": paginate(request, filt.qs)})


@login_required
def enterprise_detail(request: HttpRequest, pk: str) -> HttpResponse:
    ent = get_object_or_404(selectors.enterprises_for(request.user), pk=pk)
    return render(request, "orgs/enterprise_detail.html", {"ent": ent})
