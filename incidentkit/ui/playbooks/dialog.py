"""Playbooks: the playbook author's loop in the window.

Open the playbooks folder; copy the built-in playbook there to customise (`CopyDialog`
says what keeping or changing its id does); edit the file in any editor and save: the
library watcher reloads it, and the list, the problems (errors and warnings, with
`file:line`) and the preview of the file being edited (its phases and steps in the
incident's own tree) follow by themselves.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.customise import copy_to_customise
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.playbook.model import Diagnostic
from incidentkit.ui.playbooks.list_model import COL_TITLE, PlaybookListModel
from incidentkit.ui.playbooks.preview import PlaybookPreview
from incidentkit.ui.playbooks.problems_panel import ProblemsPanel
from incidentkit.ui.playbooks.watcher import LibraryWatcher
from incidentkit.ui.widgets.folder_field import FolderField
from incidentkit.ui.widgets.hint import hint_label
from incidentkit.ui.widgets.message import show_error


def author_problems(library: PlaybookLibrary) -> list[Diagnostic]:
    """What an author fixes: the files that do not load, and the warnings of those that do."""
    return [*library.problems, *(w for entry in library for w in entry.playbook.warnings)]


class PlaybooksDialog(QDialog):
    def __init__(self, watcher: LibraryWatcher, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Playbooks")
        self.watcher, self.paths = watcher, paths
        self.library = watcher.library
        self.folder = FolderField(paths.playbooks_dir)
        self.copy_button = QPushButton("Copy the built-in playbook to customise…")
        self.copy_button.clicked.connect(self.copy_builtin)
        self.table = QTableView()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.preview = PlaybookPreview()
        self.problems = ProblemsPanel()
        self.problems.location_activated.connect(lambda path, _line: self.show_path(path))
        top = QHBoxLayout()
        top.addWidget(self.folder, 1)
        top.addWidget(self.copy_button)
        lists = QSplitter(Qt.Orientation.Horizontal)
        lists.addWidget(self.table)
        lists.addWidget(self.preview)
        lists.setSizes([500, 600])
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(lists)
        body.addWidget(self.problems)
        body.setSizes([460, 140])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint_label("Edit a playbook in your editor and save it: the list, the problems and the "
                                    "preview update by themselves (the command line's \"incidentkit validate\" says the same)."))
        layout.addWidget(body, 1)
        layout.addWidget(buttons)
        self.resize(1120, 720)
        self._path = ""
        watcher.library_changed.connect(self.set_library)
        self.set_library(self.library)

    # the library -----------------------------------------------------------------------
    def set_library(self, library: PlaybookLibrary) -> None:
        """A reload after a save (or the first show): list, problems and preview follow."""
        self.library = library
        model = PlaybookListModel(list(library.playbooks), self, shadowed=list(library.shadowed))
        self.table.setModel(model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.problems.set_problems(author_problems(library))
        self.copy_button.setEnabled(self._builtin() is not None)
        if not self.show_path(self._path):
            if library.playbooks:
                self._select_row(0)
            else:
                self.preview.show_playbook(None)

    def _builtin(self):  # PlaybookEntry | None: the built-in playbook, when one loaded
        every = [*self.library.playbooks, *self.library.shadowed]
        return next((e for e in every if e.source == "builtin"), None)

    def show_path(self, path: str) -> bool:
        """Preview the file at `path`: its playbook, or why it does not load; False when it is neither."""
        model = self.table.model()
        for row in range(model.rowCount()):
            if model.entry(row).path == path:
                self._select_row(row)
                return True
        errors = sum(1 for d in self.library.problems if d.path == path and d.severity == "error")
        if errors:
            self.table.clearSelection()
            self._path = path
            self.preview.show_broken(path, errors)
        return bool(errors)

    def _select_row(self, row: int) -> None:
        index = self.table.model().index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self._on_row(index, QModelIndex())

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        entry = self.table.model().entry(current.row())
        self._path = entry.path
        self.preview.show_playbook(entry.playbook, entry.path)

    # copying the built-in playbook ---------------------------------------------------------
    def copy_builtin(self) -> None:
        from incidentkit.ui.playbooks.copy_dialog import CopyDialog

        builtin = self._builtin()
        if builtin is None:
            return
        dialog = CopyDialog(builtin.playbook, str(self.paths.playbooks_dir), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._copy(builtin.playbook, dialog.new_id()))
        dialog.open()

    def _copy(self, playbook, new_id: str | None) -> None:
        try:
            target = copy_to_customise(playbook, self.paths.playbooks_dir, new_id=new_id)
        except IncidentKitError as exc:
            show_error(self, "Copy the built-in playbook", str(exc))
            return
        self._path = str(target)
        self.watcher.reload()  # at once, not after the file watcher's debounce
