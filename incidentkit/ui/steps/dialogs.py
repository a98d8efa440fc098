"""Small prompts for step actions: the reason for skipping (required) and whom to assign.

The dialogs are window-modal and opened with `open()`, never `exec()`: the caller
gets the answer through `answered(text)` and the event loop keeps running (so the
notes timer and tests keep working).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class TextPrompt(QDialog):
    answered = Signal(str)

    def __init__(self, parent: QWidget | None, title: str, label: str, *, required: bool,
                 suggestions: Iterable[str] = (), initial: str = "", ok_text: str = "OK") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._required = required
        offered = [s for s in suggestions if s]
        if offered:  # a drop-down only when there is something in it
            self.field: QWidget = QComboBox()
            self.field.setEditable(True)
            self.field.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            self.field.addItems(offered)
            self.field.setMinimumContentsLength(44)
            self.edit = self.field.lineEdit()
        else:
            self.field = self.edit = QLineEdit()
            self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("x") * 44)
        self.edit.setText(initial)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._update_ok)
        prompt = QLabel(label)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        prompt.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.field)
        layout.addWidget(self.buttons)
        self._update_ok()

    def text(self) -> str:
        return self.edit.text().strip()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.text()) or not self._required)

    def accept(self) -> None:
        if self._required and not self.text():
            return
        super().accept()
        self.answered.emit(self.text())


def skip_prompt(parent: QWidget, step_text: str, used: Iterable[str] = ()) -> TextPrompt:
    """`used`: reasons given before in this incident, most recent first, offered to pick from."""
    return TextPrompt(parent, "Skip step", f"Why is this step skipped?\n\n{step_text}", required=True,
                      suggestions=used, ok_text="Skip step")


def assign_prompt(parent: QWidget, step_text: str, current: str, suggestions: Iterable[str]) -> TextPrompt:
    return TextPrompt(parent, "Assign step", f"Who should do this step? Leave empty to unassign.\n\n{step_text}",
                      required=False, suggestions=suggestions, initial=current, ok_text="Assign")
