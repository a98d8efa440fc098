"""Spreadsheet-safe CSV: UTF-8 with a BOM, one row per timeline event, then a footer.

Any cell a spreadsheet would evaluate as a formula (starting with `=`, `+`, `-`, `@`,
tab, CR or LF; OWASP "CSV Injection") gets a leading apostrophe, which Excel, LibreOffice
and Google Sheets show as text. Every cell that can hold text from a person or an imported
file (titles, details, kinds, step ids, actors) is neutralised; times, ids and hashes are
formatted or validated by us. Embedded newlines stay inside quotes.
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
        # Times, ids and hashes are ours (the importer admits only ISO times and hex ids).
        writer.writerow((r.seq, r.when, neutralise(r.title), neutralise(r.detail), neutralise(r.kind),
                         neutralise(r.category), neutralise(r.step_id), neutralise(r.actor),
                         human_ts(r.recorded_at, zone), r.amended_by, neutralise(r.original), r.event_id, r.hash))
    writer.writerow(())
    for label, value in footer(data, n).lines():
        writer.writerow((label, neutralise(value)))
