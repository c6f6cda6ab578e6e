"""Anchoring the audit chain outside the database.

The chain alone only proves that the rows agree with each other: whoever can write to the database can delete the
newest events and rewind the head, or edit an event and recompute every later hash. So once a day the head is
*anchored*: its date, sequence and hash are signed with an HMAC whose key comes from the environment
(`INSPECTORATE_AUDIT_KEY`, never stored in the database), kept as an `AuditAnchor` row and published (the public
anchors page and its CSV, and a stamp in every exported ledger and document).

A rewrite is then detected
- by `verify_audit` against the stored anchors: an anchored event is gone or has another hash, or an anchor row was
  altered to match (its HMAC no longer verifies without the key);
- by anyone holding an earlier published anchor (`verify_audit --anchor DATE:SEQ:HASH` or `--anchors-file`), even if
  the anchors table itself was rewritten too.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .chain import GENESIS, VerifyResult, verify
from .models import AuditAnchor, AuditEvent, ChainHead


class AnchorError(Exception):
    """An anchor cannot be made or read; the message says why."""


@dataclass(frozen=True)
class Anchor:
    date: dt.date
    seq: int
    hash: str
    hmac: str = ""

    def __str__(self) -> str:
        return ":".join([self.date.isoformat(), str(self.seq), self.hash, *([self.hmac] if self.hmac else [])])

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """`DATE:SEQ:HASH` or `DATE:SEQ:HASH:HMAC`, as printed on the anchors page and in exported files."""
        parts = text.strip().split(":")
        if len(parts) not in (3, 4):
            raise AnchorError(_("An anchor reads DATE:SEQUENCE:HASH[:HMAC], got %(text)r.") % {"text": text})
        try:
            day = dt.date.fromisoformat(parts[0])
            seq = int(parts[1])
        except ValueError:
            raise AnchorError(_("An anchor reads DATE:SEQUENCE:HASH[:HMAC], got %(text)r.") % {"text": text}) from None
        digest = parts[2].lower()
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or seq < 0:
            raise AnchorError(_("An anchor reads DATE:SEQUENCE:HASH[:HMAC], got %(text)r.") % {"text": text})
        return cls(day, seq, digest, parts[3].lower() if len(parts) == 4 else "")

    @classmethod
    def of(cls, row: AuditAnchor) -> Anchor:
        return cls(row.date, row.seq, row.hash, row.hmac)


def _keys() -> list[bytes]:
    return [k.strip().encode("utf-8") for k in settings.INSPECTORATE_AUDIT_KEY.split(",") if k.strip()]


def _message(day: dt.date, seq: int, digest: str) -> bytes:
    return f"{day.isoformat()}|{seq}|{digest}".encode("ascii")


def sign(day: dt.date, seq: int, digest: str) -> str:
    """HMAC-SHA256 over `date|seq|hash` with the first (current) key."""
    return hmac.new(_keys()[0], _message(day, seq, digest), hashlib.sha256).hexdigest()


def signature_ok(anchor: Anchor) -> bool:
    msg = _message(anchor.date, anchor.seq, anchor.hash)
    return any(hmac.compare_digest(hmac.new(k, msg, hashlib.sha256).hexdigest(), anchor.hmac) for k in _keys())


def make_anchor(day: dt.date | None = None) -> tuple[AuditAnchor, bool]:
    """Anchor today's head (idempotent per day: a second call returns the day's anchor unchanged).

    Refuses to sign a chain that does not verify, so that an anchor never launders a rewrite.
    """
    day = day or timezone.localdate()
    existing = AuditAnchor.objects.filter(date=day).first()
    if existing is not None:
        return existing, False
    result = verify_anchored()
    if not result.ok:
        raise AnchorError(
            _("The audit chain does not verify, so it is not anchored: event #%(seq)s: %(problem)s")
            % {"seq": result.broken_seq, "problem": result.problem}
        )
    with transaction.atomic():
        # Lock the head so the anchored (seq, hash) is a state the chain really passed through.
        head = ChainHead.objects.select_for_update().filter(id=1).values_list("last_seq", "last_hash").first()
        seq, digest = head if head is not None else (0, GENESIS)
        anchor, created = AuditAnchor.objects.get_or_create(
            date=day, defaults={"seq": seq, "hash": digest, "hmac": sign(day, seq, digest)}
        )
    return anchor, created


def check(anchor: Anchor, *, signed: bool) -> str:
    """What is wrong with the chain as seen from `anchor` ("" if nothing). `signed`: the HMAC is required."""
    if (signed or anchor.hmac) and not signature_ok(anchor):
        return _("the anchor of %(date)s does not verify with INSPECTORATE_AUDIT_KEY (altered or forged)") % {
            "date": anchor.date.isoformat()
        }
    if anchor.seq == 0:
        return "" if anchor.hash == GENESIS else _("the anchor of %(date)s names event #0 with a hash") % {"date": anchor.date}
    found = AuditEvent.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
    if found is None:
        return _("event #%(seq)s, anchored on %(date)s, is gone (events deleted and the head rewound)") % {
            "seq": anchor.seq,
            "date": anchor.date.isoformat(),
        }
    if found != anchor.hash:
        return _("event #%(seq)s no longer has the hash anchored on %(date)s (the chain was rewritten)") % {
            "seq": anchor.seq,
            "date": anchor.date.isoformat(),
        }
    return ""


def verify_anchored(external: Iterable[Anchor] = ()) -> VerifyResult:
    """Walk the chain, then check every stored anchor and every anchor given from outside."""
    result = verify()
    if not result.ok:
        return result
    for row in AuditAnchor.objects.order_by("date"):
        problem = check(Anchor.of(row), signed=True)
        if problem:
            return VerifyResult(False, result.checked, row.seq, problem)
    for anchor in external:
        problem = check(anchor, signed=False)
        if problem:
            return VerifyResult(False, result.checked, anchor.seq, problem)
    return result


CSV_HEADER = ["date", "seq", "hash", "hmac"]


def anchors_csv(rows: Iterable[AuditAnchor]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_HEADER)
    for a in rows:
        w.writerow([a.date.isoformat(), a.seq, a.hash, a.hmac])
    return out.getvalue()


def read_anchors_file(path: Path) -> list[Anchor]:
    """Anchors from the published CSV (date,seq,hash,hmac) or a text file of DATE:SEQ:HASH[:HMAC] lines."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AnchorError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}) from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if lines and lines[0].replace(" ", "").lower().startswith("date,seq,hash"):
        return [Anchor.parse(":".join(c.strip() for c in row if c.strip())) for row in csv.reader(lines[1:])]
    return [Anchor.parse(line) for line in lines]


def stamp_line() -> str:
    return "; ".join(f"{label}: {value}" for label, value in export_stamp())


def stamp_docx(doc: Any) -> None:
    """Put the stamp in a Word document's footer and in its "comments" document property."""
    line = stamp_line()
    doc.sections[0].footer.paragraphs[0].text = line
    doc.core_properties.comments = line


STAMP_HEADER = ("audit", "value")


def export_stamp() -> list[tuple[str, str]]:
    """What an exported file carries so that its reader can check the chain later: the head now and the last anchor."""
    head = ChainHead.objects.filter(id=1).values_list("last_seq", "last_hash").first() or (0, GENESIS)
    latest = AuditAnchor.objects.order_by("-date").first()
    return [
        (_("Audit chain head"), f"{head[0]}:{head[1]}"),
        (_("Latest audit anchor"), str(Anchor.of(latest)) if latest else _("none yet")),
    ]
