"""Spreadsheet-safe CSV: UTF-8 with a BOM, one row per timeline event, then a footer.

A note event's Detail is the summary of its change, except for the note each step holds
now, whose full text is there (the CSV has no step summary to show it in). People's text
goes through `document.for_humans` like in every human-readable export.

Any cell a spreadsheet would evaluate as a formula (starting with `=`, `+`, `-`, `@`,
tab, CR or LF; OWASP "CSV Injection") gets a leading apostrophe, which Excel, LibreOffice
and Google Sheets show as text. Every cell that can hold text from a person or an imported
file (titles, details, kinds, step ids, actors) is neutralised; times, ids and hashes are
formatted or validated by us. Embedded newlines stay inside quotes.
"""

from __future__ import annotations

import csv
from datetime import timezone
from typing import TextIO

from incidentkit.core import events as ev
from incidentkit.core.export.document import (
    amended_by_text,
    amendment_notes,
    aware_fields,
    final_note_ids,
    footer,
    full_detail,
    human_ts,
    selected_chunks,
)
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.source import ExportData
from incidentkit.core.text import shown
from incidentkit.core.titles import amendment_detail

HEADER = (
    "Seq", "When", "Event", "Detail", "Kind", "Category", "Step", "Actor",
    "Recorded at", "Amended by", "Original", "Event id", "Hash",
)
_FORMULA_START = frozenset("=+-@\t\r\n")


def neutralise(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    return "'" + cell if cell and cell[0] in _FORMULA_START else cell


class _Echo:
    """A file whose `write` returns what it is given: `csv.writer(_Echo()).writerow(cells)`
    returns the formatted line (writerow returns what `write` returns)."""

    __slots__ = ()

    @staticmethod
    def write(line: str) -> str:
        return line


def write_csv(data: ExportData, options: ExportOptions, out: TextIO, progress: ProgressFn | None = None) -> None:
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    line_of = csv.writer(_Echo(), lineterminator="\r\n").writerow
    zone = options.zone
    utc = zone is timezone.utc
    formula = _FORMULA_START
    final_notes = final_note_ids(data)
    noted, amended = ev.STEP_NOTED, ev.TIMELINE_AMENDED
    n = 0
    # Written out inline, without a call per cell (100,000 events make 1.3 million cells):
    # each cell that can hold a person's text goes through the same test as `neutralise`,
    # and a time the store wrote in its canonical UTC form is shown by slicing, as
    # `human_ts` does (it handles every other time and zone).
    #
    # csv (QUOTE_MINIMAL, this dialect) writes a cell as it is unless it holds a comma, a
    # quote, CR or LF, and it finds out by scanning every character. Only the six cells
    # of a person's text need that; the others are ours (seq, times, hex ids and hashes:
    # the importer admits nothing else), so an event that no amendment corrects has its
    # line put together around csv's line of those six cells, once its own cells are
    # seen to hold none of the four characters (they could only in a forged database,
    # whose line then goes through csv whole, like an amended event's).
    for chunk in selected_chunks(data, options, progress):
        lines = []
        for item in chunk:
            event = item.event
            at, recorded = item.occurred_at, event.recorded_at
            kind = event.kind
            detail = item.detail
            if kind == noted and event.id in final_notes:
                detail = full_detail(item)
            elif kind == amended:  # its new time in the export's zone, like every other time
                detail = amendment_detail(event.payload, lambda text: human_ts(text, zone))
            title, category, actor = item.title, item.category, event.actor
            step, event_id, digest, seq = event.step_id or "", event.id, event.hash, event.seq
            when = (f"{at[:10]} {at[11:19]} UTC" if utc and at[26:] == "+00:00" and len(at) == 32 and at[10] == "T"
                    else human_ts(at, zone))
            recorded = (f"{recorded[:10]} {recorded[11:19]} UTC"
                        if utc and recorded[26:] == "+00:00" and len(recorded) == 32 and recorded[10] == "T"
                        else human_ts(recorded, zone))
            text = (
                "'" + title if title[:1] in formula else title,
                "'" + detail if detail[:1] in formula else detail,
                "'" + kind if kind[:1] in formula else kind,
                "'" + category if category[:1] in formula else category,
                "'" + step if step[:1] in formula else step,
                "'" + actor if actor[:1] in formula else actor,
            )
            ours = f"{when}{recorded}{event_id}{digest}"
            if (item.amended_by or type(seq) is not int
                    or "," in ours or '"' in ours or "\n" in ours or "\r" in ours):
                lines.append(line_of((
                    seq, when, *text, recorded,
                    amended_by_text(item), neutralise("\n".join(amendment_notes(item, zone))), event_id, digest,
                )))
            else:
                lines.append(f"{seq},{when},{line_of(text)[:-2]},{recorded},,,{event_id},{digest}\r\n")
        n += len(chunk)
        # Bidi controls shown as <U+202E>, as `iter_rows` shows them (once per chunk, not per cell).
        out.write(shown("".join(lines)))
    writer.writerow(())
    for label, value in [*aware_fields(data, zone), *footer(data, n).lines()]:
        writer.writerow((label, neutralise(shown(value))))
