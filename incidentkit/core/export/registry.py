"""The one list of export formats: name, label, file extension, text or binary, and writer.

The CLI's `--format` choices, the window's format menu and the tests' per-format checks
all read `EXPORTERS`, so a new format is added here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.export import csv_safe, html, json_full, markdown, pdf, timesketch
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.source import ExportData

WriteFn = Callable[[ExportData, ExportOptions, IO[Any], "ProgressFn | None"], None]


@dataclass(frozen=True)
class Exporter:
    """`write(data, options, out, progress)`: `out` is a text stream (newline="") when `is_text`,
    else a binary stream. `human` formats end with the event count, time and chain head."""

    name: str
    label: str
    extension: str
    is_text: bool
    human: bool
    write: WriteFn


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("md", "Markdown", ".md", True, True, markdown.write_markdown),
        Exporter("html", "HTML (self-contained, printable)", ".html", True, True, html.write_html),
        Exporter("pdf", "PDF", ".pdf", False, True, pdf.write_pdf),
        Exporter("csv", "CSV for spreadsheets", ".csv", True, True, csv_safe.write_csv),
        Exporter("timesketch-jsonl", "Timesketch JSON Lines", ".jsonl", True, False, timesketch.write_jsonl),
        Exporter("timesketch-csv", "Timesketch CSV", ".csv", True, False, timesketch.write_csv),
        Exporter("json", "JSON (full fidelity, re-importable)", ".json", True, False, json_full.write_json),
    )
}

_BY_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf",
              ".csv": "csv", ".jsonl": "timesketch-jsonl", ".json": "json"}


def get_exporter(name: str) -> Exporter:
    try:
        return EXPORTERS[name]
    except KeyError:
        raise IncidentKitError(f"unknown export format {name!r} (choose {', '.join(EXPORTERS)})") from None


def exporter_for_path(path: Path) -> Exporter | None:
    """The format a file name suggests (`.csv` means the spreadsheet CSV), or None."""
    name = _BY_SUFFIX.get(path.suffix.lower())
    return EXPORTERS[name] if name else None
