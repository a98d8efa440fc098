"""The first rows of a vendor's file as text, to choose its columns by eye (the Scope tab's
column dialog gives the same mapping as `scope import --map`).

The file is read as the import reads it (`open_table`: the same encoding, delimiter and
first row), so a column's number here is its number there. Nothing is kept: the rows
live as long as the caller holds the `Preview`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incidentkit.core.scope.columns import alias_columns, has_header
from incidentkit.core.scope.locations import cell_text
from incidentkit.core.scope.tables import MALFORMED, open_table

PREVIEW_ROWS = 8
_CELL_CHARS = 80  # a cell is shown cut to this: a note column can hold pages


@dataclass(frozen=True)
class Preview:
    """`rows`: the file's first non-blank rows as text, each `width` cells long. `keys`: for
    JSON objects, their keys, one per column (a column is then mapped by its key). `header`:
    whether the first row looks like column names. `recognised`: field -> column index of
    the fields a header names in a common spelling."""

    detail: str
    rows: list[list[str]]
    width: int
    keys: list[str] = field(default_factory=list)
    header: bool = False
    recognised: dict[str, int] = field(default_factory=dict)


def _cut(value: Any) -> str:
    text = " ".join(cell_text(value).split())
    return text if len(text) <= _CELL_CHARS else text[:_CELL_CHARS - 1] + "…"


def _looks_like_names(rows: list[list[str]]) -> bool:
    """A first row of words above rows holding email addresses: most likely a header."""
    first, rest = rows[0], rows[1:]
    return (not any("@" in c or c.replace(".", "").isdigit() for c in first)
            and any("@" in c for row in rest for c in row))


def _filled(row: Any) -> bool:
    """Whether a row holds anything (`;;` is as blank as an empty line)."""
    cells = row.values() if isinstance(row, dict) else row if isinstance(row, list) else ()
    return any(cell_text(c).strip() for c in cells)


def preview(path: Path, rows: int = PREVIEW_ROWS) -> Preview:
    """The first `rows` non-blank rows of the file at `path` (SourceError when it cannot be read)."""
    table = open_table(Path(path))
    try:
        if table.first is None:
            return Preview(table.detail, [], 0)
        raw = [table.first] + [row for row, _line in table.peek(rows * 2) if row is not MALFORMED and _filled(row)]
        raw = raw[:rows]
    finally:
        table.close()
    if table.by_key:
        keys: list[str] = []
        for row in raw:
            keys.extend(k for k in (row if isinstance(row, dict) else ()) if k not in keys)
        cells = [[_cut(row.get(k, "")) if isinstance(row, dict) else "" for k in keys] for row in raw]
        return Preview(table.detail, cells, len(keys), keys, False, alias_columns(keys))
    width = max(len(row) for row in raw)
    cells = [[_cut(row[i]) if i < len(row) else "" for i in range(width)] for row in raw]
    header = has_header(raw[0], {}) or _looks_like_names(cells)
    return Preview(table.detail, cells, width, [], header, alias_columns(cells[0]) if header else {})
