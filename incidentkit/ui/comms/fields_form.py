"""The form of a template's fields: one line or a few lines each, its help as the tooltip.

`set_fields` rebuilds it for a template (quietly); `edited` fires as the person types. A
field keeps following its default (rendered from the record: the vendor's name, the
dates) until the person edits it; `given()` is only what they edited, which the next
render takes, and `show_defaults` puts the rendered defaults into the other fields.
Required fields carry a `*`; the ones still empty in the last render are marked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from incidentkit.core.comms.templates import FieldSpec
from incidentkit.ui.widgets.plain_tip import plain_tip


class FieldsForm(QScrollArea):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)   # the fields take the width
        self.specs: tuple[FieldSpec, ...] = ()
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self._quiet = False
        self.setWidget(QWidget())

    def set_fields(self, specs: Sequence[FieldSpec], values: Mapping[str, str], *, given: bool = False) -> None:
        """The template's fields with `values`; `given`: the values are the person's (a draft's)."""
        self.specs = tuple(specs)
        self.editors, self.labels = {}, {}
        self.touched = {s.name for s in self.specs} if given else set()
        page = QWidget()
        # Each label above its field, as wide as the pane: a QFormLayout gives a wrapped label
        # only its own size hint, a narrow column of two or three lines.
        form = QVBoxLayout(page)
        form.setSpacing(2)
        for spec in self.specs:
            editor: QLineEdit | QPlainTextEdit
            if spec.multiline:
                editor = QPlainTextEdit()
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 5 + 12)
                editor.textChanged.connect(lambda name=spec.name: self._changed(name))
            else:
                editor = QLineEdit()
                editor.textEdited.connect(lambda _text, name=spec.name: self._changed(name))
            editor.setAccessibleName(spec.label)
            if spec.help:
                editor.setToolTip(plain_tip(spec.help))
            label = QLabel(spec.label + (" *" if spec.required else ""))
            label.setWordWrap(True)  # a long label must not widen the form past its pane
            label.setBuddy(editor)
            self.editors[spec.name], self.labels[spec.name] = editor, label
            form.addWidget(label)
            form.addWidget(editor)
            form.addSpacing(6)
        form.addStretch(1)
        self.setWidget(page)
        self.set_values(values)

    def set_values(self, values: Mapping[str, str]) -> None:
        self._quiet = True
        try:
            for name, editor in self.editors.items():
                if name not in values:
                    continue
                text = values[name]
                if isinstance(editor, QPlainTextEdit):
                    if editor.toPlainText() != text:
                        editor.setPlainText(text)
                elif editor.text() != text:
                    editor.setText(text)
                    editor.setCursorPosition(0)  # show a long value's start
        finally:
            self._quiet = False

    def values(self) -> dict[str, str]:
        return {name: e.toPlainText() if isinstance(e, QPlainTextEdit) else e.text() for name, e in self.editors.items()}

    def given(self) -> dict[str, str]:
        """The values the person edited (the others follow their defaults)."""
        return {name: value for name, value in self.values().items() if name in self.touched}

    def show_defaults(self, values: Mapping[str, str]) -> None:
        """The rendered values of the fields nobody edited."""
        self.set_values({name: value for name, value in values.items() if name not in self.touched})

    def mark_unfilled(self, names: Sequence[str]) -> None:
        for spec in self.specs:
            label = self.labels[spec.name]
            empty = spec.name in names
            label.setText(spec.label + (" *" if spec.required else "") + ("  (to fill in)" if empty else ""))

    def _changed(self, name: str) -> None:
        if not self._quiet:
            self.touched.add(name)
            self.edited.emit()
