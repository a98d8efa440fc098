"""Asking how to copy the built-in playbook: replace it (same id) or keep both (a new id)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.playbook.customise import custom_version
from incidentkit.core.playbook.ids import check_id
from incidentkit.core.playbook.model import Playbook


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class CopyDialog(QDialog):
    """`new_id()` is None to keep the id (the copy replaces the original), else the id typed."""

    def __init__(self, playbook: Playbook, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Copy the built-in playbook to customise")
        version = custom_version(playbook.version)
        self.keep = QRadioButton(f"Replace the built-in playbook: keep the id {playbook.id}")
        self.keep.setChecked(True)
        keep_note = _wrapped(
            "New incidents use your copy. Incidents already running keep the version they started with, and "
            f"offer an upgrade to {version} once you change steps.")
        self.both = QRadioButton("Keep both: give the copy its own id")
        self.id_edit = QLineEdit(f"{playbook.id}-custom")
        self.id_edit.setEnabled(False)
        self.problem = _wrapped("")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = self.buttons.addButton("Copy", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.both.toggled.connect(self.id_edit.setEnabled)
        self.both.toggled.connect(lambda _on: self._check())
        self.id_edit.textChanged.connect(lambda _text: self._check())
        layout = QVBoxLayout(self)
        layout.addWidget(_wrapped(f"The copy goes into your playbooks folder ({folder}) as version {version}, "
                                  "so you can tell it from the original. Edit it in any editor; IncidentKit "
                                  "reloads it when you save."))
        layout.addWidget(self.keep)
        layout.addWidget(keep_note)
        layout.addWidget(self.both)
        layout.addWidget(self.id_edit)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    def new_id(self) -> str | None:
        return self.id_edit.text().strip() if self.both.isChecked() else None

    def _check(self) -> None:
        reason = check_id(self.new_id() or "") if self.both.isChecked() else None
        self.problem.setText(reason or "")
        self.copy_button.setEnabled(reason is None)
