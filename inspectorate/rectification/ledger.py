"""The ledger as a spreadsheet: streaming export and all-or-nothing import (two sheets: tasks, measures).

Export → import gives the same ledger: every column written is read back. Import updates
tasks by (campaign, task number) instead of duplicating them, and saves nothing when any
row has an error. The export is in the office layout of `ledger_layout` (headers and values in the
reader's language, a title row, frozen header, filters); the import reads that layout in either
language as well as the plain machine-coded one.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from inspectorate import audit
from inspectorate.accounts.scoping import restrict
from inspectorate.audit.anchors import STAMP_HEADER, export_stamp
from inspectorate.core.tabular import ImportReport, TableError, check_xlsx_limits
from inspectorate.core.xlsx import StreamingWorkbook
from inspectorate.orgs.models import OrgUnit

from . import ledger_layout as layout
from .models import (
    NEW_TASK_STATUSES,
    ClosureClaim,
    Leader,
    Measure,
    Nature,
    Problem,
    Source,
    Task,
    TaskStatus,
    Urgency,
    acceptance_error,
)

TASK_COLUMNS = [
    "task_no",
    "problem_no",
    "problem",
    "source",
    "urgency",
    "nature",
    "goal",
    "lead_leader",
    "lead_unit",
    "implementing_units",
    "acceptance_unit",
    "deadline",
    "long_term",
    "review_dates",
    "progress",
    "status",
    "closure_claim",
    "notice_start",
    "notice_end",
    "closed_on",
]
TASK_REQUIRED = ["task_no", "problem_no", "goal", "lead_leader", "lead_unit", "acceptance_unit", "deadline", "long_term"]
MEASURE_COLUMNS = ["task_no", "measure_no", "measure", "milestone", "done", "done_on"]
MEASURE_REQUIRED = ["task_no", "measure_no", "measure", "milestone"]
SHEETS = ("tasks", "measures")
CHUNK = 5000


def _date(d: dt.date | None) -> dt.date | None:
    return d


TASK_FIELDS = (
    "pk", "number", "problem__number", "problem__title", "problem__source", "problem__urgency", "problem__nature", "goal",
    "lead_leader__name", "lead_unit__code", "acceptance_unit__code", "deadline", "long_term", "review_dates", "progress",
    "status", "closure_claim", "notice_start", "notice_end", "closed_on",
)  # fmt: skip


def _ids(qs: QuerySet[Task]) -> QuerySet[Any]:
    return Task.objects.filter(pk__in=qs.values("pk"))


def task_rows(qs: QuerySet[Task]) -> Iterator[list[Any]]:
    """Rows of the tasks sheet in ledger order: one streamed query for the tasks, merged with one for their units."""
    tasks = _ids(qs).order_by("sort_key", "pk").values_list(*TASK_FIELDS).iterator(chunk_size=CHUNK)
    units = (
        Task.implementing_units.through.objects.filter(task_id__in=qs.values("pk"))
        .order_by("task__sort_key", "task_id", "orgunit__code")
        .values_list("task_id", "orgunit__code")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(units, None)
    for r in tasks:
        codes = []
        while pending is not None and pending[0] == r[0]:
            codes.append(pending[1])
            pending = next(units, None)
        yield [
            r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], ";".join(codes), r[10],
            r[11], "yes" if r[12] else "no", ";".join(r[13] or []), r[14], r[15], r[16], r[17], r[18], r[19],
        ]  # fmt: skip


def measure_rows(qs: QuerySet[Task]) -> Iterator[list[Any]]:
    rows = (
        Measure.objects.filter(task_id__in=qs.values("pk"))
        .order_by("task__sort_key", "task_id", "number")
        .values_list("task__number", "number", "text", "milestone", "done", "done_on")
        .iterator(chunk_size=CHUNK)
    )
    for r in rows:
        yield [r[0], r[1], r[2], r[3], "yes" if r[4] else "no", r[5]]


def _units_of(qs: QuerySet[Task]) -> QuerySet[OrgUnit]:
    ids = qs.values("pk")
    return OrgUnit.objects.filter(
        Q(pk__in=Task.objects.filter(pk__in=ids).values("lead_unit"))
        | Q(pk__in=Task.objects.filter(pk__in=ids).values("acceptance_unit"))
        | Q(pk__in=Task.implementing_units.through.objects.filter(task_id__in=ids).values("orgunit"))
    )


def office_task_rows(qs: QuerySet[Task]) -> Iterator[list[Any]]:
    """`task_rows` as a reader wants them: labels instead of codes, unit names instead of unit codes."""
    name = layout.UnitNames(_units_of(qs))
    label = {k: {v: layout.choice_label(k, v) for v in c.values} for k, c in layout.CHOICES.items()}
    yes, no = layout.yes_no(True), layout.yes_no(False)
    for r in task_rows(qs):
        yield [
            r[0], r[1], r[2], label["source"].get(r[3], r[3]), label["urgency"].get(r[4], r[4]),
            label["nature"].get(r[5], r[5]), r[6], r[7], name(r[8]), ";".join(name(c) for c in r[9].split(";") if c),
            name(r[10]), r[11], yes if r[12] == "yes" else no, r[13], r[14], label["status"].get(r[15], r[15]),
            label["closure_claim"].get(r[16] or "", r[16]), r[17], r[18], r[19],
        ]  # fmt: skip


def office_measure_rows(qs: QuerySet[Task]) -> Iterator[list[Any]]:
    yes, no = layout.yes_no(True), layout.yes_no(False)
    for r in measure_rows(qs):
        yield [r[0], r[1], r[2], r[3], yes if r[4] == "yes" else no, r[5]]


def scope_of(qs: QuerySet[Task], user: Any = None) -> str:
    """The scope line of the title row: the campaigns in the export and, for a user, the units they act for."""
    from inspectorate.campaigns.models import Campaign

    names = [str(c) for c in Campaign.objects.filter(pk__in=qs.values("campaign")).order_by("code")[:4]]
    parts = ["、".join(names[:3]) + ("…" if len(names) > 3 else "")] if names else [_("no tasks")]
    if user is not None and getattr(user, "is_authenticated", False):
        from inspectorate.accounts.scoping import active_memberships

        units = sorted({str(m.org_unit) for m in active_memberships(user) if m.org_unit_id})
        if units:
            parts.append(_("for %(units)s") % {"units": "、".join(units[:3]) + ("…" if len(units) > 3 else "")})
    return " ".join(parts)


Progress = Callable[[int, int], None]


def _counted(rows: Iterator[Any], start: int, progress: Progress | None, total: int) -> Iterator[Any]:
    if progress is None:
        yield from rows
        return
    n = start
    for row in rows:
        yield row
        n += 1
        if n % 500 == 0:
            progress(n, total)
    progress(n, total)


def _office_sheets(wb: StreamingWorkbook, heading: str, tasks: Iterable[Sequence[Any]], measures: Iterable[Sequence[Any]]) -> int:
    """The tasks and measures sheets in the office layout; returns the number of task rows."""
    n = wb.write_sheet(
        layout.sheet_name("tasks"), layout.headers(layout.TASK_LABELS), tasks, title=heading,
        widths=layout.widths(layout.TASK_LABELS, layout.TASK_WIDTHS), office=True,
    )  # fmt: skip
    wb.write_sheet(
        layout.sheet_name("measures"), layout.headers(layout.MEASURE_LABELS), measures, title=heading,
        widths=layout.widths(layout.MEASURE_LABELS, layout.MEASURE_WIDTHS), office=True,
    )  # fmt: skip
    return n


def write_ledger(qs: QuerySet[Task], fileobj: IO[bytes], *, user: Any = None, progress: Progress | None = None) -> int:
    """The ledger workbook in the office layout, in the active language; `progress(done, total)` for background jobs."""
    tasks = total = 0
    if progress is not None:
        tasks = qs.count()
        total = tasks + Measure.objects.filter(task_id__in=qs.values("pk")).count()
        progress(0, total)
    heading = layout.title(_("Rectification ledger"), scope_of(qs, user))
    wb = StreamingWorkbook(fileobj)
    task_rows_ = _counted(office_task_rows(qs), 0, progress, total)
    n = _office_sheets(wb, heading, task_rows_, _counted(office_measure_rows(qs), tasks, progress, total))
    wb.write_sheet(layout.sheet_name("audit"), [str(h) for h in STAMP_HEADER], export_stamp())  # the chain head and anchor
    wb.close()
    return n


def write_template(fileobj: IO[bytes]) -> None:
    """The empty import template in the office layout, with a sheet that explains each column."""
    heading = _("Rectification ledger · import template (fill in from row 3; codes or names of units in your scope)")
    wb = StreamingWorkbook(fileobj)
    _office_sheets(wb, heading, [], [])
    explained = layout.instructions(TASK_REQUIRED, MEASURE_REQUIRED)
    columns = [_("Sheet"), _("Column"), _("Required"), _("What to write")]
    wb.write_sheet(_("Instructions"), columns, explained, widths=[16, 20, 10, 80], office=True)
    wb.close()


# -- import -----------------------------------------------------------------------------------------


def _header_row(rows: list[tuple[Any, ...]], names: dict[str, str], required: list[str]) -> int | None:
    """The index of the header row: the first of the top rows (after an optional title row) naming required columns."""
    for i, row in enumerate(rows[:5]):
        found = {names.get(str(h or "").strip().lower()) for h in row} - {None}
        if len(found & set(required)) >= min(2, len(required)):
            return i
    return None


def _read_sheets(raw: bytes) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    from openpyxl import load_workbook

    check_xlsx_limits(raw)
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:
        raise TableError(_("The file is not a readable .xlsx workbook.")) from None
    sheet_names = layout.sheet_aliases()
    names = {sheet_names.get(n.strip().lower()): n for n in reversed(wb.sheetnames)}
    if any(s not in names for s in SHEETS):
        wb.close()
        raise TableError(
            _("Wrong template: the workbook needs the sheets “%(t)s” and “%(m)s” (download the template).")
            % {"t": layout.sheet_name("tasks"), "m": layout.sheet_name("measures")}
        )
    out: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for sheet, required, labels in (
        ("tasks", TASK_REQUIRED, layout.TASK_LABELS),
        ("measures", MEASURE_REQUIRED, layout.MEASURE_LABELS),
    ):
        rows = list(wb[names[sheet]].iter_rows(values_only=True))
        shown = layout.sheet_name(sheet)
        if not rows:
            raise TableError(_("Wrong template: the sheet “%(s)s” is empty.") % {"s": shown})
        columns = layout.aliases(labels)
        at = _header_row(rows, columns, required)
        header = [columns.get(str(h or "").strip().lower(), str(h or "").strip().lower()) for h in rows[at or 0]]
        missing = [f"{labels[c]} ({c})" for c in required if c not in header]
        if missing:
            raise TableError(_("Missing required columns in “%(s)s”: %(cols)s") % {"s": shown, "cols": ", ".join(missing)})
        parsed = []
        for number, values in enumerate(rows[(at or 0) + 1 :], start=(at or 0) + 2):
            vals = list(values) + [None] * (len(header) - len(values))
            if all(v is None or str(v).strip() == "" for v in vals):
                continue
            parsed.append((number, dict(zip(header, vals, strict=False))))
        out[sheet] = parsed
    wb.close()
    return out


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


class _Row:
    def __init__(self, report: ImportReport, sheet: str, number: int, data: dict[str, Any]) -> None:
        self.report, self.sheet, self.number, self.data = report, sheet, number, data

    def err(self, column: str, message: str) -> None:
        self.report.add(self.number, f"{self.sheet}.{column}", message)

    def text(self, col: str, required: bool = False) -> str:
        v = _text(self.data.get(col))
        if required and not v:
            self.err(col, _("This column is required."))
        return v

    def date(self, col: str, required: bool = False) -> dt.date | None:
        v = self.data.get(col)
        if v is None or _text(v) == "":
            if required:
                self.err(col, _("This column is required."))
            return None
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(_text(v)[:10])
        except ValueError:
            self.err(col, _("Not a date (use YYYY-MM-DD): %(v)s") % {"v": v})
            return None

    def boolean(self, col: str) -> bool:
        v = self.data.get(col)
        if isinstance(v, bool):
            return v
        t = _text(v).lower()
        if t in layout.YES or t == layout.yes_no(True):
            return True
        if t in layout.NO or t == layout.yes_no(False):
            return False
        self.err(col, _("Write yes or no."))
        return False

    def choice(self, col: str, choices: Any, default: str = "") -> str:
        t = self.text(col)
        if not t:
            return default
        if t in choices.values:
            return t
        by_label = layout.choice_by_label(choices)
        if t.lower() in by_label:
            return by_label[t.lower()]
        self.err(
            col,
            _("Unknown value “%(v)s”; use one of: %(opts)s")
            % {"v": t, "opts": "、".join(str(label) for value, label in choices.choices if value)},
        )
        return default


# The sign-off columns are exported so that a ledger reads as a whole, but the import never writes them:
# a task moves along apply → on-site verification → signature → notice → filing only through the actions.
SIGNOFF_DATES = ("notice_start", "notice_end", "closed_on")
IN_SIGNOFF = (TaskStatus.PENDING_ACCEPTANCE, TaskStatus.UNDER_NOTICE)


def _signoff_errors(row: _Row, t: dict[str, Any], old: Task | None) -> None:
    """A status or notice/closing date that differs from the task's current state is refused; an unchanged one passes."""
    if old is None:
        if t["status"] and t["status"] not in NEW_TASK_STATUSES:
            row.err(
                "status",
                _(
                    "A new task starts as “%(a)s” or “%(b)s”; later states are reached only through the sign-off steps "
                    "(apply, on-site verification, signature, public notice, filing)."
                )
                % {"a": TaskStatus.NOT_STARTED.label, "b": TaskStatus.IN_PROGRESS.label},
            )
        for col in SIGNOFF_DATES:
            if t[col] is not None:
                row.err(col, _("A new task has no notice or closing date: the sign-off steps set them."))
        return
    if t["status"] and t["status"] != old.status:
        row.err(
            "status",
            _("The import cannot change a task's status (it is “%(now)s”); it changes only through the sign-off steps.")
            % {"now": old.get_status_display()},
        )
    for col in SIGNOFF_DATES:
        if t[col] is not None and t[col] != getattr(old, col):
            row.err(col, _("The import cannot change the notice or closing dates: the sign-off steps set them."))


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", None)


def _changes(old: Task, t: dict[str, Any], problem: Problem | None) -> list[str]:
    """The names of what this row would change on an existing task (empty: the row is as the task is)."""
    now = {
        "problem": (old.problem_id, _pk(problem)),
        "goal": (old.goal, t["goal"]),
        "lead_leader": (old.lead_leader_id, _pk(t["lead_leader"])),
        "lead_unit": (old.lead_unit_id, _pk(t["lead_unit"])),
        "acceptance_unit": (old.acceptance_unit_id, _pk(t["acceptance_unit"])),
        "deadline": (old.deadline, t["deadline"]),
        "long_term": (old.long_term, t["long_term"]),
        "review_dates": (list(old.review_dates or []), t["review_dates"]),
        "progress": (old.progress, t["progress"]),
        "closure_claim": (old.closure_claim, t["closure_claim"]),
        "implementing_units": ({u.pk for u in old.implementing_units.all()}, {_pk(u) for u in t["implementing_units"]}),
        "measures": (
            {m.number: (m.text, m.milestone, m.done, m.done_on) for m in old.measures.all()},
            {n: (m["text"], m["milestone"], m["done"], m["done_on"]) for n, m in t["measures"].items()},
        ),
    }
    return [k for k, (a, b) in now.items() if a != b]


def import_ledger(raw: bytes, *, campaign: Any, actor: Any, units: QuerySet[OrgUnit]) -> ImportReport:
    """Validate everything first; save only if no row has an error. `units` = the org units in the actor's scope.

    Reads and writes only the tasks and problems in the actor's scope; a number held by a task or problem outside
    it is "not available", without saying more about it. Never moves a task along the sign-off path.
    """
    report = ImportReport()
    sheets = _read_sheets(raw)
    unit_by_code = {u.code: u for u in units}
    unit_by_name = layout.units_by_name(unit_by_code.values())
    leaders: dict[str, list[Leader]] = defaultdict(list)
    for leader in Leader.objects.filter(unit__in=list(unit_by_code.values())).select_related("unit"):
        leaders[leader.name].append(leader)
    problem_nos = {_text(d.get("problem_no")) for _, d in sheets["tasks"]} - {""}
    in_campaign = Problem.objects.filter(campaign=campaign, number__in=problem_nos)
    problems = {p.number: p for p in restrict(in_campaign, actor, "view")}
    hidden_problems = set(in_campaign.exclude(number__in=list(problems)).values_list("number", flat=True))
    manageable_problems = set(restrict(in_campaign, actor, "problems.manage").values_list("number", flat=True))
    task_nos = {_text(d.get("task_no")) for _, d in sheets["tasks"]} - {""}
    campaign_tasks = Task.objects.filter(campaign=campaign, number__in=task_nos)
    existing = {
        t.number: t for t in restrict(campaign_tasks, actor, "tasks.manage").prefetch_related("measures", "implementing_units")
    }
    unavailable = set(campaign_tasks.exclude(number__in=list(existing)).values_list("number", flat=True))

    def unit(row: _Row, col: str, text: str) -> OrgUnit | None:
        u, error = layout.resolve_unit(text, unit_by_code, unit_by_name)
        if u is None:
            row.err(col, error)
        return u

    tasks: dict[str, dict[str, Any]] = {}
    for number, data in sheets["tasks"]:
        row = _Row(report, "tasks", number, data)
        no = row.text("task_no", True)
        if no in tasks:
            row.err("task_no", _("Duplicate task number “%(n)s” (also on row %(r)s).") % {"n": no, "r": tasks[no]["row"]})
            continue
        if no in unavailable:
            row.err("task_no", _("Task number “%(n)s” is not available to you: use another number.") % {"n": no})
        t: dict[str, Any] = {"row": number, "number": no}
        t["problem_no"] = row.text("problem_no", True)
        t["problem"] = row.text("problem")
        t["source"] = row.choice("source", Source, Source.CENTRAL_FEEDBACK)
        t["urgency"] = row.choice("urgency", Urgency, Urgency.TIME_LIMITED)
        t["nature"] = row.choice("nature", Nature, Nature.SPECIFIC)
        known = problems.get(t["problem_no"])
        if t["problem_no"] in hidden_problems:
            row.err(
                "problem_no", _("Problem number “%(n)s” is not available to you: use another number.") % {"n": t["problem_no"]}
            )
        elif t["problem_no"] and known is None and not t["problem"]:
            row.err("problem", _("Problem %(n)s does not exist yet: give its text.") % {"n": t["problem_no"]})
        elif (
            known is not None
            and t["problem"]
            and t["problem_no"] not in manageable_problems
            and (known.title, known.source, known.urgency, known.nature) != (t["problem"], t["source"], t["urgency"], t["nature"])
        ):
            row.err(
                "problem",
                _("You may not change problem %(n)s: leave the problem text empty to keep it.") % {"n": t["problem_no"]},
            )
        t["goal"] = row.text("goal", True)
        lead_code = row.text("lead_unit", True)
        t["lead_unit"] = unit(row, "lead_unit", lead_code) if lead_code else None
        acc_code = row.text("acceptance_unit", True)
        t["acceptance_unit"] = unit(row, "acceptance_unit", acc_code) if acc_code else None
        t["implementing_units"] = []
        for code in filter(None, (c.strip() for c in row.text("implementing_units").replace("；", ";").split(";"))):
            u = unit(row, "implementing_units", code)
            if u is not None:
                t["implementing_units"].append(u)
        leader_name = row.text("lead_leader", True)
        t["lead_leader"] = None
        if leader_name:
            found = leaders.get(leader_name, [])
            if not found:
                row.err("lead_leader", _("Unknown leader “%(n)s” (register the leader first).") % {"n": leader_name})
            else:
                same = [x for x in found if t["lead_unit"] is not None and x.unit_id == t["lead_unit"].pk]
                t["lead_leader"] = (same or found)[0]
        t["long_term"] = row.boolean("long_term")
        t["deadline"] = row.date("deadline", required=not t["long_term"])
        reviews = []
        for part in filter(None, (p.strip() for p in row.text("review_dates").split(";"))):
            try:
                reviews.append(dt.date.fromisoformat(part).isoformat())
            except ValueError:
                row.err("review_dates", _("Not a date (use YYYY-MM-DD): %(v)s") % {"v": part})
        t["review_dates"] = reviews
        progress = row.text("progress") or "0"
        try:
            t["progress"] = int(float(progress))
            if not 0 <= t["progress"] <= 100:
                raise ValueError
        except ValueError:
            row.err("progress", _("Progress is a whole number from 0 to 100."))
            t["progress"] = 0
        t["status"] = row.choice("status", TaskStatus, "")
        t["closure_claim"] = row.choice("closure_claim", ClosureClaim, "")
        for col in SIGNOFF_DATES:
            t[col] = row.date(col)
        if no not in unavailable:
            _signoff_errors(row, t, existing.get(no))
        if t["acceptance_unit"] is not None:
            nature = known.nature if known is not None and not t["problem"] else t["nature"]
            graded = acceptance_error(campaign.pk, nature, t["acceptance_unit"])
            if graded:
                row.err("acceptance_unit", graded)
        t["measures"] = {}
        tasks[no] = t

    for number, data in sheets["measures"]:
        row = _Row(report, "measures", number, data)
        no = row.text("task_no", True)
        owner = tasks.get(no)
        if no and owner is None:
            row.err("task_no", _("No task “%(n)s” in the tasks sheet.") % {"n": no})
            continue
        try:
            mno = int(float(row.text("measure_no", True) or "x"))
        except ValueError:
            row.err("measure_no", _("The measure number must be a whole number."))
            continue
        if owner is None:
            continue
        if mno in owner["measures"]:
            row.err("measure_no", _("Duplicate measure number %(m)s for task %(t)s.") % {"m": mno, "t": no})
            continue
        milestone = row.date("milestone", required=True)
        if milestone and owner["deadline"] and milestone > owner["deadline"]:
            row.err("milestone", _("Dates out of order: the milestone %(m)s is after the task deadline %(d)s.")
                    % {"m": f"{milestone:%Y-%m-%d}", "d": f"{owner['deadline']:%Y-%m-%d}"})  # fmt: skip
        owner["measures"][mno] = {
            "text": row.text("measure", True),
            "milestone": milestone,
            "done": row.boolean("done"),
            "done_on": row.date("done_on"),
        }

    for no, t in tasks.items():
        old_task = existing.get(no)
        if old_task is None:
            continue
        t["changes"] = _changes(old_task, t, problems.get(t["problem_no"]))
        if old_task.status == TaskStatus.CLOSED and t["changes"]:
            report.add(t["row"], "tasks", _("Task %(n)s is closed (filed) and cannot be edited; reopen it first.") % {"n": no})
        elif old_task.status in IN_SIGNOFF and "progress" in t["changes"]:
            report.add(t["row"], "tasks.progress", _("Progress is reported while a task is open, not during sign-off."))
        keep = set(t["measures"])
        for m in old_task.measures.all():
            if m.number not in keep and m.evidence.exists():
                report.add(
                    t["row"],
                    "measures",
                    _("Measure %(m)s of task %(t)s has evidence and cannot be removed.") % {"m": m.number, "t": no},
                )
    if not report.ok:
        return report
    with transaction.atomic():
        for no, t in tasks.items():
            problem = problems.get(t["problem_no"])
            pfields = {"title": t["problem"], "source": t["source"], "urgency": t["urgency"], "nature": t["nature"]}
            if problem is None:
                problem = Problem.objects.create(
                    campaign=campaign, unit=t["lead_unit"], number=t["problem_no"], created_by=actor, **pfields
                )
                problems[problem.number] = problem
                audit.record(actor, "problem.import", problem, after=audit.snapshot(problem))
            elif t["problem"] and any(getattr(problem, k) != v for k, v in pfields.items()):
                p_before = audit.snapshot(problem)
                for k, v in pfields.items():
                    setattr(problem, k, v)
                problem.save()
                audit.record(actor, "problem.import", problem, before=p_before, after=audit.snapshot(problem))
            fields = {
                "problem": problem,
                "goal": t["goal"],
                "lead_leader": t["lead_leader"],
                "lead_unit": t["lead_unit"],
                "acceptance_unit": t["acceptance_unit"],
                "deadline": t["deadline"],
                "long_term": t["long_term"],
                "review_dates": t["review_dates"],
                "progress": t["progress"],
                "closure_claim": t["closure_claim"],
            }
            task = existing.get(no)
            before: dict[str, Any] | None = None
            if task is None:
                task = Task(campaign=campaign, number=no, status=t["status"] or TaskStatus.NOT_STARTED, **fields)
                task.save()
                report.created += 1
            elif not t["changes"]:
                continue  # unchanged: nothing happened, so no audit event
            else:
                before = audit.snapshot(task)
                for k, v in fields.items():
                    setattr(task, k, v)
                task.save()
                report.updated += 1
            task.implementing_units.set(t["implementing_units"])
            current = {m.number: m for m in task.measures.all()} if before else {}
            for mno, m in t["measures"].items():
                old_m = current.pop(mno, None)
                if old_m is None:
                    Measure.objects.create(task=task, number=mno, **m)
                elif any(getattr(old_m, k) != v for k, v in m.items()):
                    for k, v in m.items():
                        setattr(old_m, k, v)
                    old_m.save()
            for leftover in current.values():
                leftover.delete()
            audit.record(
                actor, "task.import", task, before=before, after={**audit.snapshot(task), "measures": len(t["measures"])}
            )
    return report


def ledger_snapshot(qs: QuerySet[Task]) -> list[tuple[Sequence[Any], list[Sequence[Any]]]]:
    """A comparable picture of a ledger (for tests and the round-trip check)."""
    measures: dict[str, list[Sequence[Any]]] = defaultdict(list)
    for r in measure_rows(qs):
        measures[r[0]].append(tuple(r))
    return [(tuple(r), measures.get(r[0], [])) for r in task_rows(qs)]
