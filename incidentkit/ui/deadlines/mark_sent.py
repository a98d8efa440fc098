"""Mark as sent: when the notice went, its reference, how and to whom, and the file sent (as proof)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit, local_zone_label


@dataclass(frozen=True)
class SentNotice:
    at: datetime
    reference: str
    channel: str
    recipient: str
    file: Path | None


class MarkSentDialog(QDialog):
    def __init__(self, obligation: Obligation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark as sent")
        self.when = UtcDateTimeEdit()
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("receipt, case number or message id")
        self.channel = QLineEdit()
        self.channel.setPlaceholderText("portal, email, post")
        self.recipient = QLineEdit(obligation.recipient_detail)
        self.file = QLineEdit()
        self.file.setPlaceholderText("the notice as sent (its sha256 is kept as proof)")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reference.textChanged.connect(self._update)
        form = QFormLayout(self)
        title = QLabel(f"{obligation.title}\n{obligation.rule_id} · {obligation.jurisdiction or 'playbook'}")
        title.setWordWrap(True)
        form.addRow(title)
        form.addRow(f"Sent at, {local_zone_label()}:", self.when)
        form.addRow("Reference:", self.reference)
        form.addRow("Channel:", self.channel)
        form.addRow("Recipient:", self.recipient)
        form.addRow("File:", file_row)
        form.addRow(self.buttons)
        self._update()

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "The notice as sent")
        if name:
            self.file.setText(name)

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reference.text().strip()))

    def notice(self) -> SentNotice:
        file = self.file.text().strip()
        return SentNotice(self.when.utc(), self.reference.text().strip(), self.channel.text().strip(),
                          self.recipient.text().strip(), Path(file) if file else None)
