"""The Settings dialog: the display name recorded as actor, the organisation's name for notices,
extra playbook folders, the data folder.

It edits a `Settings` object and writes to it only when accepted; `applied` is emitted
then, so the window can refresh its actor and reload the playbook library.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.text import TextRefused, check_line
from incidentkit.ui.settings import Settings, os_user
from incidentkit.ui.widgets.folder_field import FolderField
from incidentkit.ui.widgets.hint import hint_label


class SettingsDialog(QDialog):
    applied = Signal()

    def __init__(self, settings: Settings, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)

        self.name_edit = QLineEdit(settings.saved_display_name())
        self.name_edit.setPlaceholderText(os_user())
        name_hint = hint_label("Recorded as the actor of everything you do. Empty: your login name.")
        self.name_error = QLabel()
        self.name_error.setWordWrap(True)
        self.name_error.setTextFormat(Qt.TextFormat.PlainText)
        self.name_error.hide()

        self.organisation_edit = QLineEdit(settings.organisation_name())
        self.organisation_edit.setPlaceholderText("Harbor & Pine Outfitters")
        organisation_hint = hint_label("Offered to notices until an incident records its own "
                                       "(Communications tab, Details…).")

        self.folder_list = QListWidget()
        self.folder_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.folder_list.addItems([str(d) for d in settings.extra_playbook_dirs()])
        rows = self.folder_list.fontMetrics().height() + 6
        self.folder_list.setMinimumHeight(3 * rows)
        self.folder_list.setMaximumHeight(6 * rows)
        self.add_button = QPushButton("Add folder…")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self._browse)
        self.remove_button.clicked.connect(self.remove_selected)
        self.folder_list.itemSelectionChanged.connect(self._update_buttons)
        folder_buttons = QVBoxLayout()
        folder_buttons.addWidget(self.add_button)
        folder_buttons.addWidget(self.remove_button)
        folder_buttons.addStretch(1)
        folders = QHBoxLayout()
        folders.addWidget(self.folder_list, 1)
        folders.addLayout(folder_buttons)
        folder_hint = hint_label("Playbooks (.md) in these folders are offered besides the built-in ones and "
                                 "your own playbooks folder. A playbook with the same id overrides a built-in one.")

        self.data_folder = FolderField(data_dir)
        data_hint = hint_label("The database, your playbooks folder and backups live here.")

        form = QFormLayout()
        form.addRow("&Display name:", self.name_edit)
        form.addRow("", name_hint)
        form.addRow("", self.name_error)
        form.addRow("&Organisation:", self.organisation_edit)
        form.addRow("", organisation_hint)
        form.addRow("Extra playbook folders:", folders)
        form.addRow("", folder_hint)
        form.addRow("Data folder:", self.data_folder)
        form.addRow("", data_hint)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._update_buttons()

    def folders(self) -> list[Path]:
        return [Path(self.folder_list.item(i).text()) for i in range(self.folder_list.count())]

    def add_folder(self, folder: Path | str) -> bool:
        """Add a folder to the list (not yet saved); False when it is already there."""
        text = str(Path(folder).expanduser())
        if text in (str(f) for f in self.folders()):
            return False
        self.folder_list.addItem(text)
        self.folder_list.setCurrentRow(self.folder_list.count() - 1)
        return True

    def remove_selected(self) -> None:
        for item in self.folder_list.selectedItems():
            self.folder_list.takeItem(self.folder_list.row(item))
        self._update_buttons()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a playbook folder")
        if folder:
            self.add_folder(folder)

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.folder_list.selectedItems()))

    def accept(self) -> None:
        try:  # the core's rule for actors: one line, no control characters
            check_line(" ".join(self.name_edit.text().split()), "The display name")
        except TextRefused as exc:
            self.name_error.setText(f"{exc}.")
            self.name_error.show()
            self.name_edit.setFocus()
            return
        self.settings.set_display_name(self.name_edit.text())
        self.settings.set_organisation_name(self.organisation_edit.text())
        self.settings.set_extra_playbook_dirs(self.folders())
        self.settings.sync()
        super().accept()
        self.applied.emit()
