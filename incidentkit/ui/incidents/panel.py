"""The incidents list beside the incident, and the first-run page shown when there is none."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from incidentkit.ui.incidents.list_model import COLUMNS, INCIDENT_ID_ROLE, IncidentListModel, IncidentRow


def _action_button(action: QAction) -> QPushButton:
    button = QPushButton(action.icon(), action.text().replace("&", ""))
    button.setToolTip(action.toolTip())
    button.clicked.connect(action.trigger)
    return button


class IncidentsPanel(QWidget):
    """The list of incidents; says which one is current. (New incidents start from the
    toolbar's and the File menu's "New incident" action, Ctrl+N.)"""

    current_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = IncidentListModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized for the widest text they can hold: fitting them to their contents would ask
        # the model for every row's text, at every start, however many incidents there are.
        metrics, em = self.view.fontMetrics(), self.view.fontMetrics().horizontalAdvance("M")
        for column, widest in ((1, "100%"), (2, "999 wk")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            text = max(metrics.horizontalAdvance(widest), header.fontMetrics().horizontalAdvance(COLUMNS[column]))
            header.resizeSection(column, text + em)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)

    def set_rows(self, rows: list[IncidentRow]) -> None:
        current = self.current_id()
        self.view.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        self.view.selectionModel().blockSignals(False)
        if current and self.current_id() != current:
            self.select(current)

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(INCIDENT_ID_ROLE) if index.isValid() else None

    def select(self, incident_id: str | None) -> bool:
        row = self.model.row_of(incident_id) if incident_id else -1
        if row < 0:
            return False
        if self.current_id() == incident_id:
            self.current_changed.emit(incident_id)
            return True
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)
        return True

    def select_first(self) -> bool:
        return self.model.rowCount() > 0 and self.select(self.model.incident_row(0).id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(current.data(INCIDENT_ID_ROLE) if current.isValid() else "")


class EmptyState(QWidget):
    """What a first run shows: no incidents yet, and the way to start one."""

    def __init__(self, new_incident: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel("No incidents yet")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        text = QLabel(
            "Start an incident from a playbook: IncidentKit walks you through its phases and steps,\n"
            "keeps your notes, and records every action on a tamper-evident timeline."
        )
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        button = _action_button(new_incident)
        button.setText("Start an incident from a playbook…")
        button.setDefault(True)
        self.start_button = button
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addStretch(1)
        for widget in (heading, text, button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
