"""One file per case (一案一档): a zip with the case, every reply, penalties and evidence, and a SHA-256 manifest.

It carries no reporter data: only the redacted summary, as handling units see it.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from inspectorate.core.storage import STORAGE_ERRORS, StorageUnavailable

from .models import Case
from .redact import redact, reporter_of


def _result(r: Any, names: tuple[str, str]) -> dict[str, Any]:
    return {
        "version": r.version,
        "submitted_at": r.submitted_at.isoformat(),
        "verdict": r.verdict,
        "status": r.status,
        "summary": redact(r.summary, names),
        "measures": redact(r.measures, names),
        "next_step": redact(r.next_step, names),
        "next_step_date": r.next_step_date.isoformat() if r.next_step_date else None,
        "ordered_to_rectify": r.ordered_to_rectify,
        "cases_filed": r.cases_filed,
        "criminal_cases": r.criminal_cases,
        "detained_administrative": r.detained_administrative,
        "detained_criminal": r.detained_criminal,
        "interviewed": r.interviewed,
        "held_accountable": r.held_accountable,
        "penalties": [
            {"enterprise": p.enterprise_name, "fine_yuan": str(p.amount), "decision_no": p.decision_no} for p in r.penalties.all()
        ],
        "review": r.review,
        "review_reason": redact(r.review_reason, names),
        "evidence": [{"name": e.name, "sha256": e.sha256, "size": e.size} for e in r.evidence.all()],
    }


def case_file_zip(case: Case) -> bytes:
    results = list(case.results.prefetch_related("penalties", "evidence").order_by("version"))
    names = reporter_of(case.origin)
    doc = {
        "number": case.number,
        "campaign": case.campaign.code,
        "batch": case.batch.number if case.batch else None,
        "channel": case.channel,
        "key_case": case.is_key,
        "joint": case.is_joint,
        "region": case.region.name_zh if case.region else "",
        "handling_unit": case.lead_unit.name_zh,
        "dispatched_to": case.handler_unit.name_zh if case.handler_unit else "",
        "summary": redact(case.summary, names),
        "pollution_types": case.pollution_types,
        "sector": case.sector,
        "transferred_at": case.transferred_at.isoformat() if case.transferred_at else None,
        "due_date": case.due_date.isoformat() if case.due_date else None,
        "due_rule": case.due_rule,
        "status": case.status,
        "results": [_result(r, names) for r in results],
    }
    body = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    entries: list[tuple[str, bytes | None, str, str]] = [("case.json", body, hashlib.sha256(body).hexdigest(), "")]
    for r in results:
        for e in r.evidence.all():
            name = f"evidence/v{r.version}/{e.name}"
            try:
                with e.file.open("rb") as fh:
                    data = fh.read()
            except FileNotFoundError:
                entries.append((name, None, e.sha256, "  (file missing from storage)"))
                continue
            except STORAGE_ERRORS as exc:  # the store is down: 503, not a case file claiming files are missing
                raise StorageUnavailable() from exc
            actual = hashlib.sha256(data).hexdigest()
            entries.append((name, data, actual, "" if actual == e.sha256 else f"  (MISMATCH: stored {e.sha256})"))
    cover = cover_sheet(case, results, entries)
    entries.insert(0, (COVER, cover, hashlib.sha256(cover).hexdigest(), ""))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, _sha, _note in entries:
            if data is not None:
                z.writestr(name, data)
        z.writestr("SHA256SUMS", "\n".join(f"{sha}  {name}{note}" for name, _d, sha, note in entries) + "\n")
    return buf.getvalue()


COVER = "00-cover.docx"


def cover_sheet(case: Case, results: list[Any], entries: list[tuple[str, bytes | None, str, str]]) -> bytes:
    """The readable first page of the file: what the case is, how it was handled, and what the zip holds."""
    from django.utils.translation import gettext as _

    from inspectorate.core import officedoc

    doc = officedoc.official_document(_("Case file %(n)s") % {"n": case.number})
    latest = results[-1] if results else None
    facts = [
        (_("Campaign"), str(case.campaign)),
        (_("Batch"), str(case.batch.number) if case.batch else "—"),
        (_("Handling unit"), case.lead_unit.name),
        (_("Region"), case.region.name if case.region else "—"),
        (_("Key case"), _("yes") if case.is_key else _("no")),
        (_("Transferred on"), f"{case.transferred_at:%Y-%m-%d}" if case.transferred_at else "—"),
        (_("Reply due"), f"{case.due_date:%Y-%m-%d}" if case.due_date else "—"),
        (_("Status"), case.get_status_display()),
        (_("Verdict"), latest.get_verdict_display() if latest is not None and latest.verdict else "—"),
        (_("Replies"), str(len(results))),
    ]
    officedoc.table(doc, [_("Item"), _("Content")], [list(f) for f in facts])
    doc.add_heading(_("Summary (personal data removed)"), level=1)
    officedoc.body(doc, redact(case.summary, reporter_of(case.origin)))
    doc.add_heading(_("Contents of this file"), level=1)
    rows = [[COVER, _("This cover sheet"), "—", "—"]]
    for name, data, sha, note in entries:
        size = f"{len(data):,}" if data is not None else _("missing")
        rows.append([name, _("Case record (JSON)") if name == "case.json" else _("Evidence") + note, size, sha[:16]])
    rows.append(["SHA256SUMS", _("SHA-256 of every file"), "—", "—"])
    officedoc.table(doc, [_("File"), _("What it is"), _("Bytes"), _("SHA-256 (first 16)")], rows)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
