"""The dialog shown when a note being edited here was saved by someone else meanwhile.

Their note and the text typed here side by side, and below them an editable merge to
start from (`core.note_merge`). The responder saves the merge or keeps their note; the
dialog cannot be dismissed without one of the two, so neither text is dropped unseen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.note_merge import NoteMerge
from incidentkit.ui.widgets.hint import hint_label
from incidentkit.ui.widgets.times import local_time


def _text_box(text: str, *, editable: bool) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setReadOnly(not editable)
    box.setTabChangesFocus(True)
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance("x") * 36)
    return box


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class NoteMergeDialog(QDialog):
    merged = Signal(str)   # the note to save
    kept_theirs = Signal()

    def __init__(self, parent: QWidget | None, *, step_text: str, theirs: str, their_by: str, their_at: str,
                 mine: str, merge: NoteMerge) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Note changed by {their_by}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._decided = False
        when = local_time(their_at)
        intro = _label(f"{their_by} saved the note on “{step_text}” at {when}, while you were editing it. "
                       "Nothing has been saved over their note. Save the merged note below, or keep theirs.")
        self.theirs_edit = _text_box(theirs, editable=False)
        self.mine_edit = _text_box(mine, editable=False)
        self.merge_edit = _text_box(merge.text, editable=True)
        self.merge_hint = hint_label(
            "Your changes are applied to their note." if merge.clean else
            "You both changed the same part of the note: both versions are in the merge, theirs first. "
            "Edit it to what the note should say.")
        sides = QGridLayout()
        sides.addWidget(_label(f"Their note ({their_by}, {when})"), 0, 0)
        sides.addWidget(_label("Your text (not saved)"), 0, 1)
        sides.addWidget(self.theirs_edit, 1, 0)
        sides.addWidget(self.mine_edit, 1, 1)

        self.use_theirs = QPushButton("Start from theirs")
        self.use_mine = QPushButton("Start from mine")
        self.use_theirs.clicked.connect(lambda: self.merge_edit.setPlainText(theirs))
        self.use_mine.clicked.connect(lambda: self.merge_edit.setPlainText(mine))
        merge_head = QHBoxLayout()
        merge_head.addWidget(_label("Merged note (edit it before saving)"), 1)
        merge_head.addWidget(self.use_theirs)
        merge_head.addWidget(self.use_mine)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Save merged note", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_button = self.buttons.addButton(f"Keep {their_by}'s note", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save)
        self.keep_button.clicked.connect(self._keep)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(sides, 1)
        layout.addLayout(merge_head)
        layout.addWidget(self.merge_edit, 1)
        layout.addWidget(self.merge_hint)
        layout.addWidget(self.buttons)
        self.merge_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _save(self) -> None:
        self._decided = True
        self.merged.emit(self.merge_edit.toPlainText())
        self.done(QDialog.DialogCode.Accepted)

    def _keep(self) -> None:
        self._decided = True
        self.kept_theirs.emit()
        self.done(QDialog.DialogCode.Rejected)

    def reject(self) -> None:
        """Escape and the close button decide nothing: one of the two buttons must."""
        if self._decided:
            super().reject()
