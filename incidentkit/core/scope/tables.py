"""A vendor's file as rows: CSV and other delimited text, XLSX and ODS, JSON Lines.

`open_table(path)` looks at the bytes (a ZIP archive is a spreadsheet, whatever the
name says; so is a name ending .xlsx/.ods/.xlsm), then gives a `Table`: the first
non-blank row (a header, or the first record), the rows after it, where each row
came from (its line in a text file, its row in a sheet) and how far through the
file the reading is. Nothing is evaluated: a spreadsheet formula's stored result and a
CSV cell `=HYPERLINK(...)` are plain data.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, islice
from pathlib import Path
from typing import Any

from incidentkit.core.scope.text_files import (
    DELIMITER_NAMES,
    FileFacts,
    SourceError,
    detect_delimiter,
    examine,
    read_sample,
)

SPREADSHEETS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods"}
JSON_LINES = {".jsonl", ".ndjson"}


class Malformed:
    """A JSON Lines line that is not a JSON object or array (yielded in its place)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MALFORMED"


MALFORMED = Malformed()


LineFn = Callable[[int], int]


def _spans(rows: list[Any]) -> list[int]:
    """Lines each CSV record took: one, plus the line breaks inside its quoted cells."""
    def breaks(cell: str) -> int:
        return cell.count("\n") + cell.count("\r") - cell.count("\r\n")
    return [1 + sum(map(breaks, row)) if isinstance(row, list) else 1 for row in rows]


@dataclass
class Table:
    """Rows of one file. `first` is the first non-blank row (a list, or a dict for JSON
    objects), found at line (or sheet row) `first_line`; `rest` the rows after it.
    `chunks()` hands the rows to import in lists, each with the line of its i-th row.
    `done()` is the share of the file read so far (0 to 1)."""

    facts: FileFacts
    file_format: str
    detail: str
    first: Any
    first_line: int
    rest: Iterator[Any]
    done: Callable[[], float]
    by_key: bool = False
    reader_lines: Callable[[], int] | None = None  # a CSV reader's count of lines read so far
    closers: list[Callable[[], None]] = field(default_factory=list)
    pending: list[tuple[Any, int]] = field(default_factory=list)   # rows peeked at, with their lines

    def peek(self, n: int) -> list[tuple[Any, int]]:
        """The next `n` rows after `first` with their lines, kept to be imported later."""
        while len(self.pending) < n:
            try:
                row = next(self.rest)
            except StopIteration:
                break
            except csv.Error:
                row = MALFORMED
            last = self.pending[-1][1] if self.pending else self.first_line
            self.pending.append((row, self.reader_lines() if self.reader_lines is not None else last + 1))
        return self.pending[:n]

    def header_at(self, k: int) -> Any:
        """Take the k-th peeked row as the header: it and the rows above it are not records."""
        row = self.pending[k][0]
        self.first, self.first_line = row, self.pending[k][1]
        del self.pending[:k + 1]
        return row

    def chunks(self, with_first: bool, size: int) -> Iterator[tuple[list[Any], LineFn]]:
        """The rows to import (`first` too when `with_first`), `size` at a time."""
        lead = [(self.first, self.first_line)] if with_first and self.first is not None else []
        lead += self.pending
        self.pending = []
        line = lead[-1][1] if lead else self.first_line
        if lead:
            lines = [at for _row, at in lead]
            yield [row for row, _at in lead], lines.__getitem__
        while True:
            before = self.reader_lines() if self.reader_lines is not None else line
            rows = self._take(size)
            if not rows:
                return
            yield rows, self._lines(rows, before)
            line = before + len(rows)

    def _take(self, size: int) -> list[Any]:
        """Up to `size` rows; a record the CSV reader refuses (a field over its size limit)
        becomes MALFORMED in its place, and reading goes on after it."""
        rows: list[Any] = []
        while len(rows) < size:
            try:
                rows.extend(islice(self.rest, size - len(rows)))
                return rows
            except csv.Error:
                rows.append(MALFORMED)
        return rows

    def _lines(self, rows: list[Any], before: int) -> LineFn:
        """Line of the i-th of `rows`, which follow line `before`."""
        if self.reader_lines is None or self.reader_lines() - before == len(rows):
            return lambda i: before + i + 1
        starts = list(accumulate(_spans(rows), initial=before + 1))  # some record spans lines
        return starts.__getitem__

    def close(self) -> None:
        for close in self.closers:
            close()


def _first(rows: Iterator[Any], line: Callable[[], int]) -> tuple[Any, int]:
    """The first row with anything in it, and its line; (None, 0) for an empty file."""
    for row in rows:
        if row is MALFORMED or isinstance(row, dict) or (row and any(str(c).strip() for c in row)):
            return row, line()
    return None, 0


def _csv_table(path: Path, facts: FileFacts) -> Table:
    sample, complete = read_sample(path, facts.encoding)
    delimiter = detect_delimiter(sample, complete)
    fh = open(path, encoding=facts.encoding, newline="")  # noqa: SIM115 - closed by Table.close
    reader = csv.reader(fh, delimiter=delimiter, strict=False)
    raw = fh.buffer
    size = max(facts.size, 1)
    try:
        first, first_line = _first(reader, lambda: reader.line_num)
    except csv.Error as exc:
        fh.close()
        raise SourceError(f"{path}:{reader.line_num}: cannot read the first row: {exc}") from None
    detail = f"{facts.label}, {DELIMITER_NAMES[delimiter]}-separated"
    return Table(facts, "csv", detail, first, first_line, reader, lambda: min(raw.tell() / size, 1.0),
                 reader_lines=lambda: reader.line_num, closers=[fh.close])


def _json_rows(fh: Any) -> Iterator[Any]:
    loads = json.loads
    for line in fh:
        if not line.strip():
            yield []
            continue
        try:
            value = loads(line)
        except (ValueError, RecursionError):
            yield MALFORMED
            continue
        yield value if isinstance(value, (dict, list)) else MALFORMED


def _jsonl_table(path: Path, facts: FileFacts) -> Table:
    fh = open(path, encoding=facts.encoding, newline=None)  # noqa: SIM115 - closed by Table.close
    raw = fh.buffer
    size = max(facts.size, 1)
    count = [0]

    def counted() -> Iterator[Any]:
        for row in _json_rows(fh):
            count[0] += 1
            yield row

    rows = counted()
    first, first_line = _first(rows, lambda: count[0])
    if first is MALFORMED:
        fh.close()
        raise SourceError(f"{path}:{first_line}: not JSON Lines (the first line is not a JSON object or array)")
    return Table(facts, "jsonl", f"{facts.label}, JSON Lines", first, first_line, rows,
                 lambda: min(raw.tell() / size, 1.0), by_key=isinstance(first, dict), closers=[fh.close])


def _sheet_table(path: Path, facts: FileFacts, file_format: str) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = None
        for name in book.sheet_names:  # the first sheet with any cells
            candidate = book.get_sheet_by_name(name)
            if candidate.height:
                sheet = candidate
                break
    except (CalamineError, OSError, ValueError) as exc:
        raise SourceError(f"{path}: cannot read the {file_format.upper()} file: {exc}") from None
    except Exception as exc:  # calamine raises its own classes for damaged archives
        raise SourceError(f"{path}: cannot read the {file_format.upper()} file: {type(exc).__name__}: {exc}") from None
    if sheet is None:
        return Table(facts, file_format, f"{file_format.upper()}, no cells", None, 0, iter(()), lambda: 1.0)
    rows = sheet.iter_rows()  # from the sheet's first row, blank ones included: the n-th is row n
    height = max(sheet.total_height, sheet.height, 1)
    seen = [0]

    def counted() -> Iterator[list[Any]]:
        for row in rows:
            seen[0] += 1
            yield row

    it = counted()
    first, first_line = _first(it, lambda: seen[0])
    detail = f"{file_format.upper()}, sheet {sheet.name!r}"
    return Table(facts, file_format, detail, first, first_line, it, lambda: min(seen[0] / height, 1.0),
                 closers=[book.close])


def open_table(path: Path, progress: Callable[[int], None] | None = None) -> Table:
    """The file at `path` as a Table (SourceError when it cannot be read as one)."""
    path = Path(path)
    facts = examine(path, progress)
    suffix = path.suffix.lower()
    if facts.magic == "zip" or suffix in SPREADSHEETS:
        kind = SPREADSHEETS.get(suffix) or _zip_kind(path)
        return _sheet_table(path, facts, kind)
    if facts.magic:
        what = {"pdf": "a PDF", "ole": "an old-style Excel (.xls) or other OLE file; save it as .xlsx or .csv"}
        raise SourceError(f"{path}: {what[facts.magic]}, not a table of records")
    if suffix in JSON_LINES:
        return _jsonl_table(path, facts)
    return _csv_table(path, facts)


def _zip_kind(path: Path) -> str:
    """xlsx or ods by the archive's contents (a renamed file still opens)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path}: a damaged ZIP archive ({exc}), not a spreadsheet") from None
    if "content.xml" in names:
        return "ods"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    raise SourceError(f"{path}: a ZIP archive that is neither an XLSX nor an ODS spreadsheet")
