"""A read-only folder path with an "Open folder" button that shows it in the system file manager.

Only ever used for our own data folder: the URL is built from a local path with
`QUrl.fromLocalFile`, never from text a playbook or a note supplied.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from incidentkit.ui.widgets.message import show_error


class FolderField(QWidget):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.path_edit = QLineEdit(str(self.folder))
        self.path_edit.setReadOnly(True)
        self.path_edit.setCursorPosition(0)
        self.path_edit.setToolTip(str(self.folder))
        self.open_button = QPushButton("Open folder")
        self.open_button.setToolTip("Show this folder in the file manager")
        self.open_button.clicked.connect(self.open_folder)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.path_edit, 1)
        layout.addWidget(self.open_button)

    def open_folder(self) -> bool:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            show_error(self, "Open folder", f"{self.folder}: cannot create the folder: {exc.strerror or exc}")
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))):
            show_error(self, "Open folder", f"{self.folder}: no file manager could open it")
            return False
        return True
