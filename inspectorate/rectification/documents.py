"""Word documents: the closure notice (DOMAIN §9 report 7) and the completion report (report 8), in the official
style of `inspectorate.core.officedoc` (GB/T 9704), in the language of the person who downloads them."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inspectorate.audit.anchors import stamp_docx
from inspectorate.core import officedoc

from .models import Nature, TaskStatus


def _doc(title: str, landscape: bool = False) -> Any:
    return officedoc.official_document(title, landscape=landscape)


def _table(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    officedoc.table(doc, header, rows)


def closure_notice(campaign: Any, tasks: list[Any], hotline: str = "") -> bytes:
    """Tasks under public notice: No., task, lead unit, implementing units, completion, acceptance unit, period, hotline."""
    doc = _doc(_("Closure notice") + f" · {campaign}", landscape=True)
    officedoc.body(doc, _("Accepted on site and proposed for sign-off; objections are taken during the notice period."))
    rows = []
    for t in tasks:
        units = "、".join(str(u) for u in t.implementing_units.all()) or "—"
        period = f"{t.notice_start:%Y-%m-%d} – {t.notice_end:%Y-%m-%d}" if t.notice_start and t.notice_end else "—"
        rows.append([t.number, t.goal, str(t.lead_unit), units, _("Completed, accepted on site"), str(t.acceptance_unit), period])
    _table(
        doc,
        [_("No."), _("Task"), _("Lead unit"), _("Implementing units"), _("Completion"), _("Acceptance unit"), _("Notice period")],
        rows,
    )
    if hotline:
        doc.add_paragraph(_("Objection hotline") + f": {hotline}")
    doc.add_paragraph(_("Published %(d)s") % {"d": f"{timezone.localdate():%Y-%m-%d}"})
    stamp_docx(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def completion_report(campaign: Any, tasks: list[Any]) -> bytes:
    """Per problem: its wording, the measures, completed / in progress, evidence count; totals by class."""
    doc = _doc(_("Completion report") + f" · {campaign}")
    by_problem: dict[Any, list[Any]] = defaultdict(list)
    for t in tasks:
        by_problem[t.problem].append(t)
    totals: Counter[str] = Counter()
    done_totals: Counter[str] = Counter()
    for problem in sorted(by_problem, key=lambda p: p.sort_key):
        ts = by_problem[problem]
        done = all(t.status == TaskStatus.CLOSED for t in ts)
        totals[problem.nature] += 1
        done_totals[problem.nature] += int(done)
        doc.add_heading(f"{problem.number}. {problem.title}", level=1)
        doc.add_paragraph(
            f"{problem.get_source_display()} · {problem.get_nature_display()} · " + (_("Completed") if done else _("In progress"))
        )
        rows = []
        for t in ts:
            evidence = Counter(e.measure_id for e in t.evidence.all())
            for m in t.measures.all():
                rows.append(
                    [
                        f"{t.number}-{m.number}",
                        m.text,
                        f"{m.milestone:%Y-%m-%d}",
                        _("Completed") if m.done else _("In progress"),
                        evidence.get(m.pk, 0),
                    ]
                )
        _table(doc, [_("No."), _("Measure"), _("Milestone"), _("Status"), _("Evidence files")], rows)
    doc.add_heading(_("Totals by class"), level=1)
    _table(
        doc,
        [_("Class"), _("Problems"), _("Completed"), _("In progress")],
        [[label, totals[value], done_totals[value], totals[value] - done_totals[value]] for value, label in Nature.choices],
    )
    stamp_docx(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
