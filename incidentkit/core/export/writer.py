"""Run an export into a file atomically, or onto a stream.

A file export is written to a temporary file in the destination folder, flushed and
fsync'ed, then renamed over the destination with `os.replace` (`atomic_file`): readers
see the old file or the complete new one, never a partial one, and a failed or
cancelled export leaves nothing behind. OS failures become one-line `IncidentKitError`s naming the path.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from incidentkit.core.atomic_file import replace_atomically
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn
from incidentkit.core.export.registry import Exporter, get_exporter
from incidentkit.core.export.source import ExportData, load_export_data
from incidentkit.core.gc_pause import gc_paused
from incidentkit.core.store import Store
from incidentkit.core.store.database import SQLITE_HEADER


@dataclass(frozen=True)
class ExportResult:
    path: Path | None
    format: str
    event_count: int
    head_hash: str


def _write(exporter: Exporter, data: ExportData, options: ExportOptions, raw: BinaryIO,
           progress: ProgressFn | None) -> None:
    if not exporter.is_text:
        exporter.write(data, options, raw, progress)
        return
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    try:
        exporter.write(data, options, text, progress)
        text.flush()
    finally:
        text.detach()


def _why(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def write_file(exporter: Exporter, data: ExportData, options: ExportOptions, dest: Path,
               progress: ProgressFn | None = None) -> Path:
    """Write atomically to `dest` (replacing it); returns the absolute path."""
    dest = Path(dest).expanduser().absolute()
    if dest.is_dir():
        raise IncidentKitError(f"cannot write {dest}: it is a folder")
    if _is_database(dest):
        raise IncidentKitError(f"cannot write {dest}: it is an SQLite database (IncidentKit's own?); "
                               "choose another file")
    if not dest.parent.is_dir():
        if dest.parent.exists() or any(p.is_file() for p in dest.parent.parents):
            raise IncidentKitError(f"cannot write {dest}: {dest.parent} is not a folder")
        raise IncidentKitError(f"cannot write {dest}: folder {dest.parent} does not exist")
    try:
        replace_atomically(dest, lambda raw: _write(exporter, data, options, raw, progress), prefix=f".{dest.name}.")
    except OSError as exc:
        raise IncidentKitError(f"cannot write {dest}: {_why(exc)}") from None
    return dest


# An export replaces its destination; replacing IncidentKit's database (or its write-ahead
# log, which holds the latest committed events) with an export would lose the incidents.
_DATABASE_MAGIC = (SQLITE_HEADER, bytes.fromhex("377f0682"), bytes.fromhex("377f0683"))


def _is_database(dest: Path) -> bool:
    try:
        with dest.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return head.startswith(_DATABASE_MAGIC)


def write_stream(exporter: Exporter, data: ExportData, options: ExportOptions, raw: BinaryIO,
                 progress: ProgressFn | None = None) -> None:
    """Write onto an open binary stream (stdout); only text formats belong on a terminal."""
    _write(exporter, data, options, raw, progress)
    raw.flush()


def export_incident(store: Store, incident_id: str, format_name: str, dest: Path,
                    options: ExportOptions | None = None, progress: ProgressFn | None = None) -> ExportResult:
    """Read one incident from `store` and export it atomically to `dest`."""
    exporter = get_exporter(format_name)
    # The window's export runs here, in a worker of a process whose collector runs: one
    # pause for the whole read, fold and write (see gc_pause; a command runs paused).
    with gc_paused():
        data = load_export_data(store, incident_id, progress)
        path = write_file(exporter, data, options or ExportOptions(), dest, progress)
    return ExportResult(path, exporter.name, data.event_count, data.head_hash)
