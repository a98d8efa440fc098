"""The Communications tab's dialogs: approve a text, record a sending, the incident's notice details."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.comms.details import MULTILINE
from incidentkit.core.comms.records import Draft
from incidentkit.core.comms.vocabulary import DETAILS, ROLES
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit, local_zone_label
from incidentkit.ui.widgets.hint import hint_label


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ApproveDialog(QDialog):
    def __init__(self, draft: Draft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Approve this text")
        self.role = QComboBox()
        self.role.setEditable(True)
        self.role.addItems(ROLES)
        self.note = QLineEdit()
        form = QFormLayout(self)
        text = QLabel(f"{draft.template_title}: “{draft.title}”\nsha256 {draft.sha256}")
        text.setWordWrap(True)
        form.addRow(text)
        form.addRow(hint_label("You approve this exact text. Any change makes a new draft that needs its own "
                               "approval."))
        form.addRow("As:", self.role)
        form.addRow("Note:", self.note)
        form.addRow(_buttons(self, "Approve"))


@dataclass(frozen=True)
class Sending:
    audience: str
    count: int
    channel: str
    at: datetime
    rule_ids: tuple[str, ...]
    unapproved_reason: str | None


class SendDialog(QDialog):
    """Mark sent: to whom, how many, how, when; the obligations it meets; the override when unapproved."""

    def __init__(self, draft: Draft, obligations: Sequence[Obligation], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark as sent")
        self.audience = QLineEdit()
        self.audience.setPlaceholderText("California residents, batch 1")
        self.count = QSpinBox()
        self.count.setRange(1, 2_000_000_000)
        self.channel = QComboBox()
        self.channel.setEditable(True)
        self.channel.addItems(["email", "post", "website", "portal"])
        self.when = UtcDateTimeEdit()
        self.rules = [QCheckBox(f"{o.title} ({o.jurisdiction})") for o in obligations]
        self.rule_ids = [o.rule_id for o in obligations]
        self.reason = QLineEdit()
        form = QFormLayout(self)
        form.addRow(QLabel(f"{draft.template_title}: “{draft.title}”"))
        form.addRow("To:", self.audience)
        form.addRow("How many:", self.count)
        form.addRow("Channel:", self.channel)
        form.addRow(f"Sent at, {local_zone_label()}:", self.when)
        for box in self.rules:
            form.addRow("" if box is not self.rules[0] else "Meets:", box)
        if not draft.approvals:
            form.addRow(hint_label("Nobody approved this text. Recording it as sent is an override: say why."))
            form.addRow("Reason:", self.reason)
        self.approved = bool(draft.approvals)
        self.buttons = _buttons(self, "Record")
        form.addRow(self.buttons)
        self.audience.textChanged.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        ok = bool(self.audience.text().strip()) and (self.approved or bool(self.reason.text().strip()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def sending(self) -> Sending:
        chosen = tuple(r for r, box in zip(self.rule_ids, self.rules) if box.isChecked())
        return Sending(self.audience.text().strip(), self.count.value(), self.channel.currentText().strip(),
                       self.when.utc(), chosen, None if self.approved else self.reason.text().strip())


class DetailsDialog(QDialog):
    """The incident's notice details; a default (the Settings' organisation name) fills an empty one."""

    def __init__(self, details: Mapping[str, str], defaults: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Notice details")
        self.resize(620, 640)
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        page = QWidget()
        form = QFormLayout(page)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for key, words in DETAILS.items():
            value = details.get(key) or defaults.get(key, "")
            editor: QLineEdit | QPlainTextEdit
            if key in MULTILINE:
                editor = QPlainTextEdit(value)
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 3 + 12)
            else:
                editor = QLineEdit(value)
            editor.setAccessibleName(words)
            self.editors[key] = editor
            form.addRow(f"{words[0].upper()}{words[1:]}:", editor)
        self.original = {k: details.get(k, "") for k in DETAILS}
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(hint_label("These go into every notice of this incident, and into its record."))
        layout.addWidget(scroll, 1)
        layout.addWidget(_buttons(self, "Record"))

    def changed(self) -> dict[str, str]:
        values = {k: e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text() for k, e in self.editors.items()}
        return {k: v.strip() for k, v in values.items() if v.strip() != self.original[k].strip()}
