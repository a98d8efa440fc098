"""The About box: what IncidentKit is, its version, and where this user's data lives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

import incidentkit
from incidentkit.ui.widgets.folder_field import FolderField
from incidentkit.ui.widgets.icons import app_icon


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About IncidentKit")
        self.setMinimumWidth(480)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title_label = QLabel(f"IncidentKit {incidentkit.__version__}")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title_label.setFont(font)
        blurb = QLabel("Offline-first incident response: walk markdown playbooks, keep a tamper-evident "
                       "timeline, export it for the people who need it.")
        blurb.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(self.title_label)
        heading.addWidget(blurb)
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addLayout(heading, 1)

        self.data_folder = FolderField(data_dir)
        form = QFormLayout()
        form.addRow("Version:", QLabel(incidentkit.__version__))
        form.addRow("Qt:", QLabel(qVersion()))
        form.addRow("Data folder:", self.data_folder)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(buttons)
