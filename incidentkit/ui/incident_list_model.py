"""The incidents list: open incidents first (newest first), each with its progress and age.

The model is fed `IncidentRow`s (built by the window from the core's projections) and
keeps rows in place when only their numbers change, so the view's selection survives a
refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from incidentkit.core.events import parse_ts
from incidentkit.ui.list_table_model import Index, ListTableModel
from incidentkit.ui.plain_tip import plain_tip

INCIDENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Incident", "Done", "Age")


@dataclass(frozen=True)
class IncidentRow:
    id: str
    title: str
    status: str  # "open" or "closed"
    finished: int
    total: int
    aware_at: str  # UTC ISO 8601
    playbook_title: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0


def sort_rows(rows: list[IncidentRow]) -> list[IncidentRow]:
    """Open before closed; within each, the most recent `aware_at` first."""
    newest_first = sorted(rows, key=lambda r: r.aware_at, reverse=True)
    return sorted(newest_first, key=lambda r: r.status != "open")


def format_age(aware_at: str, now: datetime | None = None) -> str:
    """A compact age: "45 min", "5 h", "3 d", "7 wk"."""
    try:
        seconds = ((now or datetime.now(timezone.utc)) - parse_ts(aware_at)).total_seconds()
    except ValueError:
        return ""
    minutes = max(0, int(seconds // 60))
    hour, day = 60, 24 * 60
    if minutes >= 14 * day:
        return f"{minutes // (7 * day)} wk"
    if minutes >= day:
        return f"{minutes // day} d"
    if minutes >= hour:
        return f"{minutes // hour} h"
    return f"{minutes} min"


def zone_name(local: datetime) -> str:
    """`CET`, `IST`, `UTC`; `UTC+04:00` where the zone has no letters for a name (e.g. `+04`)."""
    name = local.tzname() or ""
    if name.isalpha() and len(name) <= 5:  # a long Windows name would crowd every row
        return name
    offset = local.strftime("%z") or "+0000"
    return f"UTC{offset[:3]}:{offset[3:5]}"


def local_time(iso: str) -> str:
    """`2026-11-29 05:05 CET`: the machine's time zone, named, so no time on screen is ambiguous."""
    try:
        local = parse_ts(iso).astimezone()
    except ValueError:
        return iso
    return f"{local.strftime('%Y-%m-%d %H:%M')} {zone_name(local)}"


def utc_time(iso: str) -> str:
    """`2026-11-29 04:05 UTC`, whatever the machine's time zone."""
    try:
        return parse_ts(iso).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso


def local_and_utc(iso: str) -> str:
    """`2026-11-29 05:05 CET (04:05 UTC)`; just the UTC time when the machine's zone is UTC."""
    try:
        moment = parse_ts(iso)
    except ValueError:
        return iso
    local = moment.astimezone()
    if local.utcoffset() == moment.utcoffset():
        return local_time(iso)
    utc = moment.astimezone(timezone.utc)
    same_day = utc.date() == local.date()
    return f"{local_time(iso)} ({utc.strftime('%H:%M' if same_day else '%Y-%m-%d %H:%M')} UTC)"


class IncidentListModel(ListTableModel):
    HEADERS = COLUMNS

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(None, parent)

    def set_rows(self, rows: list[IncidentRow]) -> None:
        ordered = sort_rows(rows)
        if [r.id for r in ordered] == [r.id for r in self._rows]:
            self._rows = ordered
            if ordered:
                self.dataChanged.emit(self.index(0, 0), self.index(len(ordered) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self._rows = ordered
        self.endResetModel()

    def row_of(self, incident_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == incident_id), -1)

    def incident_row(self, row: int) -> IncidentRow:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == INCIDENT_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.title
            if column == 1:
                return f"{row.percent}%"
            return format_age(row.aware_at)
        if role == Qt.ItemDataRole.ToolTipRole:
            status = "Closed" if row.status == "closed" else "Open"
            return plain_tip(f"{row.title}\n{status} · {row.playbook_title}\n"
                             f"Aware since {local_time(row.aware_at)}\n{row.finished} of {row.total} steps finished")
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if row.status == "closed" and role == Qt.ItemDataRole.ForegroundRole:
            return QGuiApplication.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        if row.status == "closed" and role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setItalic(True)
            return font
        return None
