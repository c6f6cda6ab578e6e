from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from inspectorate.accounts.scoping import has_role_anywhere
from inspectorate.core.pages import paginate

from . import importer, selectors
from .api import EnterpriseFilter, OrgUnitFilter


@login_required
def units(request: HttpRequest) -> HttpResponse:
    filt = OrgUnitFilter(request.GET, queryset=selectors.units_for(request.user).order_by("path"))
    perms_import = request.user.is_superuser or has_role_anywhere(request.user, "orgs.manage")
    return render(
        request, "orgs/unit_list.html", {"filter": filt, "page": paginate(request, filt.qs, 100), "perms_import": perms_import}
    )


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


@login_required
def import_units(request: HttpRequest) -> HttpResponse:
    """Upload a CSV/xlsx of units; shows the row-level report. Nothing is saved unless every row is good."""
    if not (request.user.is_superuser or has_role_anywhere(request.user, "orgs.manage")):
        raise PermissionDenied("orgs.manage")
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Attach a file."))
        else:
            report = importer.import_units(upload.read(), upload.name or "", actor=request.user)
            if report.ok:
                messages.success(
                    request, _("Imported: %(c)s created, %(u)s updated.") % {"c": report.created, "u": report.updated}
                )
    return render(request, "orgs/import.html", {"report": report, "columns": importer.COLUMNS, "required": importer.REQUIRED})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """An empty xlsx with the expected header row."""
    from openpyxl import Workbook

    from inspectorate.core.xlsx import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "units"
    append_row(ws, importer.COLUMNS)
    append_row(ws, ["430626", "430600", "government", "county", "平江县", "Pingjiang County"])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="org-units-template.xlsx"'
    return response
