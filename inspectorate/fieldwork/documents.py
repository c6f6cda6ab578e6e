"""Word documents: the request letter (调阅函) and the handover list (移交清单) of what was delivered."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.audit.anchors import stamp_docx

from .models import InfoRequest


def _doc():  # type: ignore[no-untyped-def]
    from docx import Document

    return Document()


def _table(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
    for r in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, r, strict=True):
            cell.text = "" if value is None else str(value)


def _local(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "—"


def _bytes(doc: Any) -> bytes:
    stamp_docx(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def request_letter(req: InfoRequest) -> bytes:
    """The letter to the target: number, subject, legal basis, the items, the due time and the contact."""
    campaign = req.campaign
    team = getattr(campaign, "team", None)
    doc = _doc()
    doc.add_heading(_("Information request letter"), level=1)
    doc.add_paragraph(f"{team or campaign} · {_('Request')} {req.number}")
    doc.add_paragraph(f"{req.target_unit}:")
    doc.add_paragraph(
        _("To carry out the inspection, please provide the following documents and data by %(due)s.")
        % {"due": _local(req.due_at)}
    )
    doc.add_paragraph(_("Subject") + f": {req.title}")
    doc.add_paragraph(_("Legal basis") + f": {req.legal_basis}")
    _table(doc, [_("No."), _("Documents or data requested")], [[i.seq, i.description] for i in req.items.all()])
    doc.add_paragraph(
        _(
            "Documents must be true, accurate and complete; each delivery carries a truthfulness declaration. "
            "False, concealed or withheld information is sanctionable."
        )
    )
    doc.add_paragraph(_("Contact") + f": {req.contact_name} {req.contact_phone}")
    doc.add_paragraph(_("Issued %(d)s") % {"d": _local(req.issued_at)})
    return _bytes(doc)


def handover_list(req: InfoRequest) -> bytes:
    """What the target handed over, item by item: files, versions, hashes, declarant, time; and the team's marks."""
    doc = _doc()
    doc.add_heading(_("Handover list"), level=1)
    doc.add_paragraph(f"{req.campaign} · {_('Request')} {req.number} · {req.title}")
    doc.add_paragraph(_("Requested from") + f": {req.target_unit} · " + _("Due") + f": {_local(req.due_at)}")
    rows = []
    now = timezone.now()
    for item in req.items.all():
        deliveries = list(item.deliveries.all())
        status = item.get_status_display() + (f" ({_('overdue')})" if item.is_overdue(now) else "")
        if not deliveries:
            rows.append([item.seq, item.description, str(item.department or "—"), "—", "—", "—", "—", status])
        for d in deliveries:
            rows.append(
                [
                    item.seq,
                    item.description,
                    str(item.department or "—"),
                    f"{d.name} (v{d.version})",
                    d.sha256[:16],
                    d.declarant_name,
                    _local(d.declared_at),
                    status,
                ]
            )
    _table(
        doc,
        [
            _("No."),
            _("Documents or data requested"),
            _("Department"),
            _("File"),
            _("SHA-256"),
            _("Declarant"),
            _("Declared at"),
            _("Status"),
        ],
        rows,
    )
    reasons = [i for i in req.items.all() if i.review_reason]
    if reasons:
        doc.add_heading(_("Reasons given by the team"), level=2)
        for i in reasons:
            doc.add_paragraph(f"{i.seq}. {i.get_status_display()}: {i.review_reason}")
    doc.add_paragraph(_("Generated %(d)s") % {"d": _local(now)})
    return _bytes(doc)
