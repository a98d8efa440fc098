"""`import_people`: one vendor file into an incident's scope, as one `scope.imported` event.

The file is read and counted first, outside any transaction (that is the long part, and
it can be cancelled); then one write transaction compares its people with those counted
before, stores the new keyed hashes and appends the event. A cancelled, refused or failed
import changes nothing. `dry_run` stops before the write and reports what it would add.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidentkit.core import events as ev
from incidentkit.core import writes
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import Event
from incidentkit.core.gc_pause import gc_paused
from incidentkit.core.scope import people
from incidentkit.core.scope.columns import ColumnMap, has_header, resolve
from incidentkit.core.scope.counting import CHUNK_ROWS, FileCount, ImportCancelled, KeyedHasher, count_rows
from incidentkit.core.scope.locations import Locator
from incidentkit.core.scope.tables import Table, open_table
from incidentkit.core.store import Store
from incidentkit.core.text import check_line

# (done, total) -> False to cancel; `total` is PROGRESS_TOTAL, `done` how far the import is.
ProgressFn = Callable[[int, int], bool]
PROGRESS_TOTAL = 1000
_EXAMINED = 100  # the first pass (sha256, encoding) is a tenth of the work, counting the rest
HEADER_SEARCH = 10


class NothingRead(IncidentKitError):
    """No row of the file could be counted; `count` holds why, row by row."""

    def __init__(self, message: str, count: FileCount | None = None) -> None:
        super().__init__(message)
        self.count = count


@dataclass(frozen=True)
class ImportSummary:
    """What an import read, counted and (unless a dry run) recorded."""

    path: Path
    file_format: str
    detail: str                   # "UTF-8 with BOM, semicolon-separated" / "XLSX, sheet 'Customers'"
    size: int
    sha256: str
    columns: Mapping[str, str]    # field -> the file's column
    header: bool
    count: FileCount
    people_in_file: int
    people_added: int
    added: Mapping[str, int]
    located: Mapping[str, int]
    event: Event | None           # None for a dry run
    location_conflicts: int = 0   # people seen at two known locations, in its rows or against earlier files


def _columns(table: Table, mapping: Mapping[str, str | int]) -> tuple[ColumnMap, bool]:
    """The columns, and whether the file has a header row. A header may sit below a title
    or a few notes (HEADER_SEARCH rows): what is above it is not records."""
    first = table.first
    if table.by_key:
        keys = list(first)
        return resolve(keys, len(keys), mapping, by_key=True), False
    if not has_header(first, mapping):
        for k, (row, _line) in enumerate(table.peek(HEADER_SEARCH)):
            if isinstance(row, list) and has_header(row, mapping):
                first = table.header_at(k)
                break
        else:
            return resolve(None, len(first), mapping), False
    return resolve(list(first), len(first), mapping), True


def _payload(summary_fields: dict[str, Any], delta: people.Delta, key: people.Key, count: FileCount) -> dict[str, Any]:
    return {
        **summary_fields,
        "rows_read": count.rows_read,
        "rows_rejected": count.rows_rejected,
        "rows_unlocated": count.rows_unlocated,
        "people_added": delta.people_added,
        "added": dict(sorted(delta.added.items())),
        "located": dict(sorted(delta.located.items())),
        "location_conflicts": len(count.conflicted | delta.elsewhere),
        "dedup_key": key.key_id,
        "reasons": dict(sorted(count.reasons.items())),
    }


def import_people(store: Store, *, incident_id: str, path: Path, actor: str,
                  mapping: Mapping[str, str | int] | None = None, dry_run: bool = False,
                  progress: ProgressFn | None = None) -> ImportSummary:
    """Count the people of the file at `path` into the incident (see the module docstring)."""
    full = store.incident(incident_id).id
    writes.ensure_open(store, full)  # before counting (the write checks it again)
    path = Path(path)
    check_line(path.name, "the file name")  # before counting too: the event names the file

    def report(done: int) -> None:
        if progress is not None and progress(done, PROGRESS_TOTAL) is False:
            raise ImportCancelled()

    try:
        size_hint = max(path.stat().st_size, 1)
    except OSError:
        size_hint = 1  # open_table says what is wrong with the path
    table = open_table(path, lambda read: report(_EXAMINED * read // size_hint))
    try:
        if table.first is None:
            raise NothingRead(f"{path}: no rows (the file is empty)")
        columns, header = _columns(table, mapping or {})
        key = people.key_for(store.conn, full)
        chunks = table.chunks(with_first=table.by_key or not header, size=CHUNK_ROWS)
        spread = PROGRESS_TOTAL - _EXAMINED
        with gc_paused():  # a chunk of rows alive at a time: the collector would re-scan them (gc_pause)
            count = count_rows(chunks, columns, KeyedHasher(key.secret), Locator(),
                               tick=lambda: progress is None or progress(
                                   _EXAMINED + int(spread * table.done()), PROGRESS_TOTAL) is not False)
    finally:
        table.close()
    if not count.found:
        raise NothingRead(_nothing_message(path, count), count)
    facts = table.facts
    fields = {"file_name": path.name, "size": facts.size, "sha256": facts.sha256, "format": table.file_format,
              "encoding": facts.label if table.file_format in ("csv", "jsonl") else "",
              "columns": dict(columns.names)}
    people_in_file = len(count.found)
    if dry_run:
        delta = people.compare(store.conn, key, count.found, facts.sha256)
        event = None
        delta.fresh = {}
    else:
        outcome: dict[str, people.Delta] = {}

        def work(conn: Any) -> dict[str, Any]:
            outcome["delta"] = people.settle(conn, full, key, count.found, facts.sha256)
            return _payload(fields, outcome["delta"], key, count)

        event = writes.append_with(store, full, ev.SCOPE_IMPORTED, actor=actor, work=work)
        delta = outcome["delta"]
        delta.fresh = {}
    conflicts = len(count.conflicted | delta.elsewhere)
    count.found, count.conflicted = {}, set()  # a million hashes: not kept once counted
    return ImportSummary(path, table.file_format, table.detail, facts.size, facts.sha256, dict(columns.names),
                         header, count, people_in_file, delta.people_added, dict(delta.added),
                         dict(delta.located), event, conflicts)


def _nothing_message(path: Path, count: FileCount) -> str:
    if not count.rows_read:
        return f"{path}: no rows with anything in them"
    why = ", ".join(f"{n:,} {reason}" for reason, n in count.reasons.most_common())
    return f"{path}: none of its {count.rows_read:,} rows could be counted ({why})"
