"""The feedback handover pack (DOMAIN.md §1, 督察反馈): one Word document generated from the data -- the feedback
report (feedback records and the problems listed), the accountability-issue list (with the team's suggestions: the
pack goes to the discipline body, never to the target or the public) and the case-file index -- archived as a
`HandoverPack` row with the file's sha256. `generate_handover_pack` is the one action (authorized, atomic, audited).
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import authorize
from inspectorate.audit import snapshot
from inspectorate.complaints.models import Case, CaseStatus
from inspectorate.rectification.models import Feedback, Problem

from .models import AccountabilityIssue, HandoverPack


def _table(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for r in rows:
        for cell, value in zip(table.add_row().cells, r, strict=True):
            cell.text = "" if value is None else str(value)


def build_document(campaign: Any) -> tuple[bytes, int, int]:
    """The docx bytes, the number of issues and the number of case files."""
    from docx import Document

    doc = Document()
    doc.add_heading(_("Feedback handover pack") + f" · {campaign}", level=1)
    doc.add_paragraph(_("Generated %(d)s from the platform's records.") % {"d": f"{timezone.localdate():%Y-%m-%d}"})

    doc.add_heading(_("1. Feedback report"), level=2)
    feedback = list(Feedback.objects.filter(campaign=campaign).select_related("target").order_by("date"))
    _table(
        doc,
        [_("Date"), _("Document number"), _("Target"), _("Summary")],
        [[f"{f.date:%Y-%m-%d}", f.document_no, f.target, f.summary] for f in feedback],
    )
    problems = list(Problem.objects.filter(campaign=campaign).select_related("unit").order_by("number"))
    doc.add_paragraph(_("Problems listed in the feedback: %(n)s") % {"n": len(problems)})
    _table(doc, [_("No."), _("Problem"), _("Unit")], [[p.number, p.title, p.unit] for p in problems])

    doc.add_heading(_("2. Accountability issues handed over"), level=2)
    issues = list(AccountabilityIssue.objects.filter(campaign=campaign).prefetch_related("responsible_units").order_by("number"))
    _table(
        doc,
        [_("No."), _("Title"), _("Facts"), _("Responsible units"), _("Suggested people"), _("Status")],
        [
            [
                i.number,
                i.title,
                i.facts,
                "、".join(str(u) for u in i.responsible_units.all()),
                i.suggested_people,
                i.get_status_display(),
            ]
            for i in issues
        ],
    )

    doc.add_heading(_("3. Case-file index"), level=2)
    cases = list(
        Case.objects.filter(campaign=campaign).exclude(status=CaseStatus.MERGED).select_related("lead_unit").order_by("number")
    )
    _table(
        doc,
        [_("Case number"), _("Summary"), _("Lead unit"), _("Status")],
        [[c.number, c.summary, c.lead_unit or "—", c.get_status_display()] for c in cases],
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), len(issues), len(cases)


def generate_handover_pack(campaign: Any, *, actor: Any) -> HandoverPack:
    """Build the pack now and archive it with its hash (each call makes a new version; none is ever overwritten)."""
    authorize(actor, "accountability.handover", campaign)
    data, n_issues, n_cases = build_document(campaign)
    digest = hashlib.sha256(data).hexdigest()
    pack = HandoverPack(
        campaign=campaign,
        sha256=digest,
        size=len(data),
        issues=n_issues,
        cases=n_cases,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    with transaction.atomic():
        pack.file.save(f"handover-{campaign.code}-{timezone.localdate():%Y%m%d}.docx", ContentFile(data), save=False)
        pack.save()
        after = snapshot(pack)
        after["file"] = pack.file.name
        audit.record(actor, "handover_pack.create", pack, after=after)
    return pack
