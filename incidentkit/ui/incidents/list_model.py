"""The incidents list: open incidents first (newest first), each with its progress and age.

The model is fed `IncidentRow`s (built by the window from the core's projections) and
keeps rows in place when only their numbers change, so the view's selection survives a
refresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from incidentkit.core.projections import percent_finished
from incidentkit.core.text import shown
from incidentkit.ui.widgets.list_table_model import Index, ListTableModel
from incidentkit.ui.widgets.plain_tip import plain_tip
from incidentkit.ui.widgets.times import format_age, local_time

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
        return percent_finished(self.finished, self.total)


def sort_rows(rows: list[IncidentRow]) -> list[IncidentRow]:
    """Open before closed; within each, the most recent `aware_at` first."""
    newest_first = sorted(rows, key=lambda r: r.aware_at, reverse=True)
    return sorted(newest_first, key=lambda r: r.status != "open")


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
                return shown(row.title)
            if column == 1:
                return f"{row.percent}%"
            return format_age(row.aware_at)
        if role == Qt.ItemDataRole.ToolTipRole:
            status = "Closed" if row.status == "closed" else "Open"
            return plain_tip(shown(f"{row.title}\n{status} · {row.playbook_title}\n"
                                   f"Aware since {local_time(row.aware_at)}\n{row.finished} of {row.total} "
                                   "steps finished"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if row.status == "closed" and role == Qt.ItemDataRole.ForegroundRole:
            return QGuiApplication.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        if row.status == "closed" and role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setItalic(True)
            return font
        return None
