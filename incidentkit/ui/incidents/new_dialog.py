"""The dialog that starts an incident: pick a playbook, give a title, say when you became aware.

It only collects the choice (`NewIncidentChoice`); the caller creates the incident
through the core. "Became aware at" is shown in local time and returned in UTC. A file
that overrides a built-in playbook but does not load is listed with its error and cannot
be started; "Use the built-in version instead" is the explicit way back, as `--builtin`
is on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.playbook.library import FailedEntry, PlaybookEntry, PlaybookLibrary
from incidentkit.core.playbook.model import Playbook
from incidentkit.ui.playbooks.list_model import COL_TITLE, PlaybookListModel
from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit, local_zone_label
from incidentkit.ui.widgets.hint import hint_label
from incidentkit.ui.widgets.when_note import WhenNote


@dataclass(frozen=True)
class NewIncidentChoice:
    playbook: Playbook
    title: str
    aware_at: datetime  # aware UTC


class NewIncidentDialog(QDialog):
    """Lists the library's playbooks; `choice()` gives (playbook, title, aware_at UTC) after accept."""

    def __init__(self, library: PlaybookLibrary, parent: QWidget | None = None, *,
                 playbook_id: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New incident")
        self.resize(720, 520)
        self.library = library
        self.model = PlaybookListModel(list(library.playbooks), self, shadowed=list(library.shadowed),
                                       failed=list(library.failed.values()))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.use_builtin = QCheckBox("Use the built-in version instead")
        self.use_builtin.hide()
        self.use_builtin.toggled.connect(self._update_ok)
        self.empty_label = QLabel("No playbooks found. Put a playbook (.md) in your playbooks folder, "
                                  "or add a folder in Settings.")
        self.empty_label.setWordWrap(True)

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("e.g. Mailer vendor breach, March 2026 (required)")
        self.aware_edit = UtcDateTimeEdit()
        aware_hint = hint_label(local_zone_label() + "; stored in UTC")
        self.aware_note = WhenNote(self.aware_edit)

        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Became aware at:", self.aware_edit)
        form.addRow("", aware_hint)
        form.addRow("", self.aware_note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Start incident")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        choose = QLabel("&Playbook:")
        choose.setBuddy(self.table)
        layout = QVBoxLayout(self)
        layout.addWidget(choose)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.details)
        layout.addWidget(self.use_builtin)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.title_edit.setFocus())
        self.title_edit.textChanged.connect(self._update_ok)
        self.aware_note.changed.connect(self._update_ok)
        self.empty_label.setVisible(self.model.rowCount() == 0)
        if not (playbook_id and self.select_playbook(playbook_id)) and self.model.rowCount():
            self._select_row(0)
        self._selection_changed()
        self.title_edit.setFocus()

    def _select_row(self, row: int) -> None:
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        index = self.model.index(row, 0)
        self.table.selectionModel().select(index, flags)
        self.table.setCurrentIndex(index)

    def select_playbook(self, playbook_id: str) -> bool:
        row = self.model.row_of(playbook_id)
        if row >= 0:
            self._select_row(row)
        return row >= 0

    def _selected_row(self) -> PlaybookEntry | FailedEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def selected_failure(self) -> FailedEntry | None:
        """The selected row when it is a file that does not load."""
        row = self._selected_row()
        return row if isinstance(row, FailedEntry) else None

    def selected_entry(self) -> PlaybookEntry | None:
        """The playbook to start: the selected one, or for a file that does not load, the
        built-in one it overrides when "Use the built-in version instead" is ticked."""
        row = self._selected_row()
        if isinstance(row, FailedEntry):
            return self.library.builtin(row.playbook_id) if self.use_builtin.isChecked() else None
        return row

    def _selection_changed(self, *_args: object) -> None:
        failure = self.selected_failure()
        has_builtin = failure is not None and self.library.builtin(failure.playbook_id) is not None
        self.use_builtin.setVisible(has_builtin)
        if failure is not None:
            self.use_builtin.setChecked(False)
            what = "overrides the built-in playbook but does not load" if has_builtin else "does not load"
            way_back = ", or tick “Use the built-in version instead”" if has_builtin else ""
            self.details.setText(f"{failure.path} {what}:\n{failure.error.format()}\n\n"
                                 f"Fix the file (Playbook problems lists every error){way_back}.")
            self.details.setToolTip(failure.path)
            self._update_ok()
            return
        entry = self.selected_entry()
        if entry is None:
            self.details.setText("")
        else:
            playbook = entry.playbook
            phases = " → ".join(p.title for p in playbook.phases)
            lines = [f"{playbook.title} (version {playbook.version}, {playbook.step_count} steps, "
                     f"{self.model.source_text(entry)})"]
            if playbook.summary:
                lines.append(playbook.summary)
            if phases:
                lines.append(f"Phases: {phases}")
            self.details.setText("\n\n".join(lines))
            self.details.setToolTip(entry.path)
        self._update_ok()

    def _ready(self) -> bool:
        return (self.selected_entry() is not None and bool(self.title_edit.text().strip())
                and self.aware_note.refusal() is None)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self._ready())

    def accept(self) -> None:
        if self._ready():
            super().accept()

    def choice(self) -> NewIncidentChoice:
        """The playbook, title and awareness time (UTC); ValueError when nothing valid is chosen."""
        entry = self.selected_entry()
        title = self.title_edit.text().strip()
        if entry is None or not title:
            raise ValueError("no playbook or no title chosen")
        return NewIncidentChoice(entry.playbook, title, self.aware_edit.utc())
