"""The playbook problems panel (and its dock): one `file:line: message` row per diagnostic, or a calm empty state.

Double-clicking a row copies its `file:line:col` location to the clipboard (what an
editor's "go to" accepts) and emits `location_activated`.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.playbook.model import Diagnostic
from incidentkit.ui.widgets.hint import hint_label
from incidentkit.ui.widgets.list_table_model import Index, ListTableModel
from incidentkit.ui.widgets.plain_tip import plain_tip

DiagnosticRole = Qt.ItemDataRole.UserRole + 1
COL_SEVERITY, COL_PROBLEM = range(2)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def location(d: Diagnostic) -> str:
    return f"{d.path}:{d.line}:{d.col}"


class ProblemsModel(ListTableModel):
    """Rows are diagnostics, errors first (then by file and line)."""

    HEADERS = ("Severity", "Problem")

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(None, parent)
        self._icons: dict[str, QIcon] | None = None

    def _icon(self, severity: str) -> QIcon | None:
        # Looked up when the first problem is shown: most starts have none, and QStyle's
        # enums take milliseconds to load.
        if self._icons is None:
            from PySide6.QtWidgets import QStyle

            style = QApplication.style()
            self._icons = {
                "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
                "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
            }
        return self._icons.get(severity)

    def set_problems(self, problems: Iterable[Diagnostic]) -> None:
        self.set_rows(sorted(problems, key=lambda d: (d.severity != "error", d.path, d.line, d.col)))

    def problem(self, row: int) -> Diagnostic:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        d: Diagnostic | None = self.row_item(index)
        if d is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return d.severity if column == COL_SEVERITY else f"{d.path}:{d.line}: {d.message}"
        if role == Qt.ItemDataRole.DecorationRole and column == COL_SEVERITY:
            return self._icon(d.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(d.format() + "\n\nDouble-click to copy the location.")
        if role == DiagnosticRole:
            return d
        return None


class ProblemsPanel(QWidget):
    """`set_problems(diagnostics)`; `problems_changed(count)` tells the window whether to show it."""

    problems_changed = Signal(int)
    location_activated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProblemsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_SEVERITY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_PROBLEM, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._activated)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.empty_label = hint_label("No playbook problems: every playbook loaded.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.stack, 1)
        self.set_problems([])

    def set_problems(self, problems: Iterable[Diagnostic]) -> None:
        self.model.set_problems(problems)
        count = self.model.rowCount()
        errors = sum(1 for r in range(count) if self.model.problem(r).severity == "error")
        files = len({self.model.problem(r).path for r in range(count)})
        self.stack.setCurrentWidget(self.table if count else self.empty_label)
        self.summary.setVisible(bool(count))
        if count:
            self.summary.setText(f"{_count(errors, 'error')}, {_count(count - errors, 'warning')} in "
                                 f"{_count(files, 'file')}. Fix the file and save: the list updates by itself.")
        self.problems_changed.emit(count)

    def _activated(self, index: QModelIndex) -> None:
        d = self.model.problem(index.row())
        QGuiApplication.clipboard().setText(location(d))
        self.location_activated.emit(d.path, d.line)


def problems_dock(window: QMainWindow) -> tuple[ProblemsPanel, QDockWidget]:
    """The Problems panel in a bottom dock, hidden until there is a problem (its toggleViewAction shows it)."""
    panel = ProblemsPanel()
    dock = QDockWidget("Playbook problems", window)
    dock.setObjectName("problems-dock")
    dock.setWidget(panel)
    dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    return panel, dock
