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
    buf = io.BytesIO()
    manifest: list[str] = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        body = json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
        z.writestr("case.json", body)
        manifest.append(f"{hashlib.sha256(body).hexdigest()}  case.json")
        for r in results:
            for e in r.evidence.all():
                name = f"evidence/v{r.version}/{e.name}"
                try:
                    with e.file.open("rb") as fh:
                        data = fh.read()
                except FileNotFoundError:
                    manifest.append(f"{e.sha256}  {name}  (file missing from storage)")
                    continue
                except STORAGE_ERRORS as exc:  # the store is down: 503, not a case file claiming files are missing
                    raise StorageUnavailable() from exc
                actual = hashlib.sha256(data).hexdigest()
                z.writestr(name, data)
                note = "" if actual == e.sha256 else f"  (MISMATCH: stored {e.sha256})"
                manifest.append(f"{actual}  {name}{note}")
        z.writestr("SHA256SUMS", "\n".join(manifest) + "\n")
    return buf.getvalue()
