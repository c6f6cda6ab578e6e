"""How the ledger reads in an office: column headers, sheet names and values in the reader's language.

The exported 台账 carries Chinese headers (English when the user's language is English), labels instead of codes
(整改完成, not `closed`; unit names, not 430611), a title row with the export time and scope, widths, a frozen
header and filters. The import reads what the export writes in either language, and the machine codes too, so a
ledger exported by a colleague in the other language, or an older template, imports back.

Everything here is about words; what the columns mean and how rows are validated stay in `ledger.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from inspectorate.orgs.models import OrgUnit

from .models import ClosureClaim, Nature, Source, TaskStatus, Urgency

LANGUAGES = ("zh-hans", "en")

TASK_LABELS: dict[str, Any] = {
    "task_no": pgettext_lazy("ledger", "Task no."),
    "problem_no": pgettext_lazy("ledger", "Problem no."),
    "problem": pgettext_lazy("ledger", "Problem"),
    "source": pgettext_lazy("ledger", "Source of the problem"),
    "urgency": pgettext_lazy("ledger", "Time frame"),
    "nature": pgettext_lazy("ledger", "Nature of the problem"),
    "goal": pgettext_lazy("ledger", "Rectification goal"),
    "lead_leader": pgettext_lazy("ledger", "Responsible leader"),
    "lead_unit": pgettext_lazy("ledger", "Lead unit"),
    "implementing_units": pgettext_lazy("ledger", "Implementing units"),
    "acceptance_unit": pgettext_lazy("ledger", "Acceptance unit"),
    "deadline": pgettext_lazy("ledger", "Deadline"),
    "long_term": pgettext_lazy("ledger", "Long-term"),
    "review_dates": pgettext_lazy("ledger", "Review dates"),
    "progress": pgettext_lazy("ledger", "Progress (%)"),
    "status": pgettext_lazy("ledger", "Status"),
    "closure_claim": pgettext_lazy("ledger", "Closure claim"),
    "notice_start": pgettext_lazy("ledger", "Notice starts"),
    "notice_end": pgettext_lazy("ledger", "Notice ends"),
    "closed_on": pgettext_lazy("ledger", "Filed on"),
}
MEASURE_LABELS: dict[str, Any] = {
    "task_no": pgettext_lazy("ledger", "Task no."),
    "measure_no": pgettext_lazy("ledger", "Measure no."),
    "measure": pgettext_lazy("ledger", "Measure"),
    "milestone": pgettext_lazy("ledger", "Milestone"),
    "done": pgettext_lazy("ledger", "Done"),
    "done_on": pgettext_lazy("ledger", "Done on"),
}
SHEET_LABELS: dict[str, Any] = {
    "tasks": pgettext_lazy("ledger", "Rectification tasks"),
    "measures": pgettext_lazy("ledger", "Measures"),
    "audit": pgettext_lazy("ledger", "Audit"),
}
TASK_WIDTHS = {"problem": 40, "goal": 40, "implementing_units": 30, "review_dates": 24, "lead_unit": 20, "acceptance_unit": 20}
MEASURE_WIDTHS = {"measure": 50}
CHOICES = {"source": Source, "urgency": Urgency, "nature": Nature, "status": TaskStatus, "closure_claim": ClosureClaim}


def headers(labels: Mapping[str, Any]) -> list[str]:
    return [str(v) for v in labels.values()]


def widths(labels: Mapping[str, Any], wide: Mapping[str, int]) -> list[float]:
    return [float(wide.get(k, 14)) for k in labels]


def sheet_name(key: str) -> str:
    return str(SHEET_LABELS[key])


def _in_every_language(label: Any) -> set[str]:
    out = set()
    for lang in LANGUAGES:
        with translation.override(lang):
            out.add(str(label).strip().lower())
    return out


def aliases(labels: Mapping[str, Any]) -> dict[str, str]:
    """Every accepted spelling of a header (code, Chinese, English; lower-cased) → the column's code."""
    out: dict[str, str] = {}
    for key, label in labels.items():
        out[key] = key
        for spelling in _in_every_language(label):
            out.setdefault(spelling, key)
    return out


def sheet_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, label in SHEET_LABELS.items():
        out[key] = key
        for spelling in _in_every_language(label):
            out.setdefault(spelling, key)
    return out


def choice_by_label(choices: Any) -> dict[str, str]:
    """Labels of a TextChoices in every language → value (so a Chinese export imports in an English session)."""
    out: dict[str, str] = {}
    for value, label in choices.choices:
        for spelling in _in_every_language(label):
            out.setdefault(spelling, value)
    return out


def yes_no(v: bool) -> str:
    return pgettext("ledger", "yes") if v else pgettext("ledger", "no")


YES = {"yes", "y", "true", "1", "是"}
NO = {"", "no", "n", "false", "0", "否"}


def choice_label(key: str, value: str) -> str:
    if not value:
        return ""
    return str(CHOICES[key](value).label)


def _shown_field() -> str:
    return "name_en" if (translation.get_language() or "").startswith("en") else "name_zh"


class UnitNames:
    """Unit codes → the names a reader knows; a name that several units share gets its code: 城关镇（430626101）."""

    def __init__(self, units: QuerySet[OrgUnit]) -> None:
        field = _shown_field()
        rows = [(c, en if field == "name_en" and en else zh) for c, zh, en in units.values_list("code", "name_zh", "name_en")]
        names = {n for _c, n in rows}
        shared = set(
            OrgUnit.objects.filter(**{f"{field}__in": names})
            .values(field)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list(field, flat=True)
        )
        self.label = {c: (f"{n}（{c}）" if n in shared else n) for c, n in rows}

    def __call__(self, code: str | None) -> str:
        return self.label.get(code or "", code or "")


def units_by_name(units: Iterable[OrgUnit]) -> dict[str, list[OrgUnit]]:
    """Both names of each unit → the units that carry it (the import reads a name in either language)."""
    out: dict[str, list[OrgUnit]] = {}
    for u in units:
        for n in {u.name_zh, u.name_en} - {""}:
            out.setdefault(n, []).append(u)
    return out


_CODE_IN_NAME = re.compile(r"[（(]\s*([0-9A-Za-z_.-]+)\s*[)）]\s*$")


def resolve_unit(text: str, by_code: Mapping[str, OrgUnit], by_name: Mapping[str, list[OrgUnit]]) -> tuple[OrgUnit | None, str]:
    """A unit from a cell: its code, its name (when one unit in scope has it) or 'name（code）'. Returns (unit, error)."""
    text = text.strip()
    if text in by_code:
        return by_code[text], ""
    m = _CODE_IN_NAME.search(text)
    if m and m.group(1) in by_code:
        return by_code[m.group(1)], ""
    found = by_name.get(text, [])
    if len(found) == 1:
        return found[0], ""
    if len(found) > 1:
        options = "、".join(f"{text}（{u.code}）" for u in sorted(found, key=lambda u: u.code))
        return None, _("Several units in your scope are named “%(n)s”: write the one you mean with its code: %(opts)s.") % {
            "n": text,
            "opts": options,
        }
    return None, _("Unknown unit “%(c)s” (or outside your scope).") % {"c": text}


def title(kind: Any, scope: str) -> str:
    now = timezone.localtime()
    return _("%(kind)s · exported %(when)s · scope: %(scope)s") % {"kind": kind, "when": f"{now:%Y-%m-%d %H:%M}", "scope": scope}


def _allowed(key: str) -> str:
    return "、".join(str(label) for value, label in CHOICES[key].choices if value)


def instructions(task_required: Iterable[str], measure_required: Iterable[str]) -> list[list[str]]:
    """The template's explanation sheet: one row per column."""
    what: dict[str, Any] = {
        "task_no": _("The task's number in the plan, e.g. 1.2.1; an existing number updates that task."),
        "problem_no": _("The problem's number; a new number creates the problem (then give its text)."),
        "lead_leader": _("The name of a leader registered for the unit (Rectification → Leaders)."),
        "lead_unit": _("A unit in your scope: its name or its code."),
        "implementing_units": _("Units in your scope, separated by ;"),
        "acceptance_unit": _("A unit in your scope: its name or its code."),
        "deadline": _("A date (YYYY-MM-DD); may stay empty for long-term tasks."),
        "long_term": _("yes or no"),
        "review_dates": _("Dates (YYYY-MM-DD) separated by ;"),
        "progress": _("A whole number from 0 to 100."),
        "status": _("Read only: a task's status changes only through the sign-off steps; leave it as exported."),
        "notice_start": _("Read only: set by the sign-off steps."),
        "notice_end": _("Read only: set by the sign-off steps."),
        "closed_on": _("Read only: set by the sign-off steps."),
        "measure_no": _("A whole number, unique within the task."),
        "milestone": _("A date (YYYY-MM-DD), not after the task's deadline."),
        "done": _("yes or no"),
        "done_on": _("A date (YYYY-MM-DD)."),
    }
    rows = []
    for sheet, labels, required in (
        ("tasks", TASK_LABELS, set(task_required)),
        ("measures", MEASURE_LABELS, set(measure_required)),
    ):
        for key, label in labels.items():
            text = what.get(key, "")
            if key in CHOICES and key != "status":
                text = _("One of: %(opts)s") % {"opts": _allowed(key)}
            rows.append([sheet_name(sheet), str(label), yes_no(key in required), str(text)])
    return rows
