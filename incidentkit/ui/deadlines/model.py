"""The obligations as a table: status (icon and words), deadline, time left, where, and the duty.

Rows are `Obligation`s (the core's), most urgent first as the board gives them.
`set_now` moves the countdowns without reading anything again.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import Qt

from incidentkit.core.deadlines.describe import STATUS_WORDS, countdown
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.core.deadlines.records import iso
from incidentkit.ui.deadlines.status_marks import COLOURS, status_icon
from incidentkit.ui.widgets.list_table_model import Index, ListTableModel
from incidentkit.ui.widgets.times import local_time

OBLIGATION_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS, DEADLINE, LEFT, WHERE, DUTY = range(5)
_LIVE = ("due", "overdue", "needs-input")


def deadline_text(o: Obligation) -> str:
    if o.deadline is None:
        return "no fixed deadline" if o.applies else ""
    text = local_time(iso(o.deadline) or "")
    return text + {"target": " (target)", "latest": " (at the latest)"}.get(o.deadline_kind, "")


class ObligationsModel(ListTableModel):
    HEADERS = ("Status", "Deadline", "Time left", "Where", "Duty")

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent=parent)
        self.now = datetime.now(timezone.utc)

    def set_now(self, now: datetime) -> None:
        self.now = now
        if self._rows:
            self.dataChanged.emit(self.index(0, LEFT), self.index(len(self._rows) - 1, LEFT))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        o: Obligation | None = self.row_item(index)
        if o is None:
            return None
        column = index.column()
        if role == OBLIGATION_ROLE:
            return o
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(o, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return status_icon(o.status)
        if role == Qt.ItemDataRole.ForegroundRole and column == LEFT and o.status == "overdue":
            return COLOURS["overdue"]
        if role == Qt.ItemDataRole.ToolTipRole:
            return o.reason
        if role == Qt.ItemDataRole.AccessibleTextRole and column == STATUS:
            return STATUS_WORDS[o.status]
        return None

    def _text(self, o: Obligation, column: int) -> str:
        if column == STATUS:
            return STATUS_WORDS[o.status]
        if column == DEADLINE:
            return deadline_text(o)
        if column == LEFT:
            return countdown(o.deadline, self.now) if o.status in _LIVE else ""
        if column == WHERE:
            return o.jurisdiction or "playbook"
        return o.title
