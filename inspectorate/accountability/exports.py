"""The accountability summary as an xlsx workbook (core.xlsx's streaming writer): the table, then the records."""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _

from inspectorate.core.xlsx import StreamingWorkbook

from .summary import Summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def summary_rows(summary: Summary) -> list[list[Any]]:
    rows = [[r.label, r.persons, r.person_times, *(r.by_measure[m] for m, _l in summary.measures)] for r in summary.rows]
    t = summary.total
    rows.append([_("Total"), t.persons, t.person_times, *(t.by_measure[m] for m, _l in summary.measures)])
    return rows


def write_summary(summary: Summary, records: Any, fileobj: IO[bytes]) -> None:
    wb = StreamingWorkbook(fileobj)
    header = [_("Rank"), _("Persons"), _("Person-times"), *(label for _m, label in summary.measures)]
    wb.write_sheet(_("Summary"), header, summary_rows(summary))
    record_header = [
        _("Issue"), _("Name"), _("Post"), _("Unit"), _("Rank"), _("Unit type"), _("Measure"), _("Approving body"), _("Date"),
    ]  # fmt: skip
    wb.write_sheet(
        _("Records"),
        record_header,
        (
            [
                r.issue.number,
                r.person_name,
                r.post,
                r.unit.name,
                r.get_rank_display(),
                r.get_unit_type_display(),
                r.get_measure_display(),
                r.approving_body,
                r.decided_on,
            ]
            for r in records.order_by("issue__number", "person_name", "measure")
        ),
    )
    wb.close()
