"""Spreadsheet-safe CSV: UTF-8 with a BOM, one row per timeline event, then a footer.

Any cell a spreadsheet would evaluate as a formula (starting with `=`, `+`, `-`, `@`,
tab, CR or LF; OWASP "CSV Injection") gets a leading apostrophe, which Excel, LibreOffice
and Google Sheets show as text. Every cell is neutralised, not only the user's, because an
imported file may carry crafted ids or kinds too. Embedded newlines stay inside quotes.
"""

from __future__ import annotations

import csv
from typing import TextIO

from incidentkit.core.export.document import footer, human_ts, iter_rows
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.source import ExportData

HEADER = (
    "Seq", "When", "Event", "Detail", "Kind", "Category", "Step", "Actor",
    "Recorded at", "Amended by", "Original", "Event id", "Hash",
)
_FORMULA_START = frozenset("=+-@\t\r\n")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    return "'" + cell if cell and cell[0] in _FORMULA_START else cell


def write_csv(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    zone = options.zone
    n = 0
    for r in iter_rows(data, options, progress):
        n += 1
        writer.writerow(
            (
                r.seq,
                neutralise(r.when),
                neutralise(r.title),
                neutralise(r.detail),
                neutralise(r.kind),
                neutralise(r.category),
                neutralise(r.step_id),
                neutralise(r.actor),
                neutralise(human_ts(r.recorded_at, zone)),
                neutralise(r.amended_by),
                neutralise(r.original),
                neutralise(r.event_id),
                neutralise(r.hash),
            )
        )
    writer.writerow(())
    for label, value in footer(data, n).lines():
        writer.writerow((label, neutralise(value)))
