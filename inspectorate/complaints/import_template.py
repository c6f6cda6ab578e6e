"""The workbook a hotline office downloads to import a day's calls: the calls sheet with its header row (frozen,
with filters and widths) and a sheet that explains each column in the reader's language."""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from inspectorate.core.xlsx import StreamingWorkbook

from .actions.intake import IMPORT_COLUMNS, OPTIONAL_COLUMNS
from .models import Channel

WIDTHS = {"received_at": 18, "text": 60, "address": 30, "polluter_name": 24, "type_hints": 18}


def explanations() -> dict[str, str]:
    return {
        "received_at": _("When the call was received: YYYY-MM-DD HH:MM (Beijing time)."),
        "text": _("What the caller reported, as written down by the operator."),
        "address": _("The place of the pollution as the caller gave it."),
        "lat": _("Latitude in decimal degrees (optional; the address is used when missing)."),
        "lon": _("Longitude in decimal degrees."),
        "polluter_name": _("The enterprise or site the caller named, if any."),
        "reporter_name": _("The caller's name (kept confidential; never published)."),
        "reporter_phone": _("The caller's phone number (kept confidential; never published)."),
        "call_duration": _("Length of the call in seconds."),
        "type_hints": _("Pollution types noted by the operator, separated by commas."),
        "channel": _("How the report came in: %(opts)s (phone when empty).") % {"opts": ", ".join(Channel.values)},
    }


def write_calls_template(fileobj: IO[bytes]) -> None:
    columns = IMPORT_COLUMNS + OPTIONAL_COLUMNS
    wb = StreamingWorkbook(fileobj)
    wb.write_sheet("calls", columns, [], widths=[float(WIDTHS.get(c, 14)) for c in columns], office=True)
    words = explanations()
    rows = [[c, _("yes") if c in IMPORT_COLUMNS else _("no"), words[c]] for c in columns]
    rows.append(["", "", _("Nothing is saved if any row has an error; the report names each bad row and column.")])
    wb.write_sheet(_("Instructions"), [_("Column"), _("Required"), _("What to write")], rows, widths=[18, 10, 80], office=True)
    wb.close()
