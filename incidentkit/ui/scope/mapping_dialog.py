"""Choosing which column of a vendor's file holds what, by eye: the file's first rows in a
small table, and a column for each field. The result is the mapping `scope import --map`
takes (a header name, or a 1-based column number when the file has no header row).

Nothing is remembered: the rows shown live as long as the dialog, and no choice is saved
in the settings (a file's columns say nothing about the next file's).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.scope.columns import header_key
from incidentkit.core.scope.preview import Preview
from incidentkit.ui.widgets.hint import hint_label

# The fields in the order a person reads them, with what each means.
FIELD_LABELS = (
    ("email", "&Email address:"),
    ("key", "…or a &key column:"),
    ("country", "&Country:"),
    ("state", "&State / region:"),
    ("zip", "&Postal code:"),
)
_NONE = -1


_CHOOSE = ("Choose which column holds what. Only the column that identifies a person (the email address, "
           "or a key such as a customer number) is needed.")


def _why_text(reason: str) -> str:
    """What the dialog opens with: the import's own words only when they say more than "no
    column identifies a person" (a column chosen before that the file does not have)."""
    if not reason or "--map email=COLUMN or --map key=COLUMN" in reason:
        lead = "No column of this file is named like an email address. " if reason else ""
        return lead + _CHOOSE
    return f"These columns do not fit the file ({reason}). {_CHOOSE}"


class MappingDialog(QDialog):
    """`mapping()` once accepted: field -> column, for `import_people(mapping=...)`."""

    def __init__(self, path: Path, preview: Preview, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.preview = Path(path), preview
        self.setWindowTitle(f"Columns of {self.path.name}")
        self.why = why = QLabel(_why_text(reason))
        why.setWordWrap(True)
        why.setTextFormat(Qt.TextFormat.PlainText)
        self.header_box = QCheckBox("The first row names the columns")
        self.header_box.setChecked(preview.header)
        self.header_box.setVisible(not preview.keys)
        self.header_box.toggled.connect(self._show_rows)

        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.setMinimumHeight(6 * (self.table.fontMetrics().height() + 6))

        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for field, label in FIELD_LABELS:
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)
            combo.currentIndexChanged.connect(self._update)
            self.combos[field] = combo
            form.addRow(label, combo)
        self.equivalent = hint_label("")
        self.equivalent.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(why)
        layout.addWidget(hint_label(f"{self.path.name}: {preview.detail}. Its first rows:"))
        layout.addWidget(self.header_box)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.equivalent)
        layout.addWidget(self.buttons)
        self.resize(720, 560)
        self._show_rows()
        for field, column in preview.recognised.items():
            self.choose(field, column)

    # the table and the choices -----------------------------------------------------------
    def _header(self) -> list[str] | None:
        if self.preview.keys:
            return self.preview.keys
        if self.header_box.isChecked() and self.preview.rows:
            return self.preview.rows[0]
        return None

    def _column_names(self) -> list[str]:
        header = self._header()
        return [f"{i + 1}: {header[i]}" if header and header[i] else str(i + 1) for i in range(self.preview.width)]

    def _show_rows(self) -> None:
        rows = self.preview.rows[1:] if self.header_box.isChecked() and not self.preview.keys else self.preview.rows
        self.table.clear()
        self.table.setColumnCount(self.preview.width)
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels(self._column_names())
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        for c in range(self.preview.width):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), 220))
        names = self._column_names()
        for combo in self.combos.values():
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("(none)", _NONE)
            for i, name in enumerate(names):
                combo.addItem(name, i)
            combo.setCurrentIndex(max(0, combo.findData(chosen if chosen is not None else _NONE)))
            combo.blockSignals(False)
        self._update()

    def choose(self, field: str, column: int | None) -> None:
        """Pick the 0-based `column` for `field` (None: none), as a user would."""
        combo = self.combos[field]
        combo.setCurrentIndex(max(0, combo.findData(_NONE if column is None else column)))

    def _update(self) -> None:
        mapping = self.mapping()
        ok = "email" in mapping or "key" in mapping
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if ok:
            options = " ".join(f"--map {f}={c if isinstance(c, int) else repr(c)}" for f, c in mapping.items())
            self.equivalent.setText(f"The same as: incidentkit scope import ID {self.path.name} {options}")
        else:
            self.equivalent.setText("Choose the column of the email address, or of another key that identifies "
                                    "a person.")

    def mapping(self) -> dict[str, str | int]:
        """Field -> its column: by name when the first row names the columns (and the name is
        the only one of its spelling), else by number, 1-based."""
        header = self._header()
        keys = [header_key(h) for h in header] if header else []
        chosen: dict[str, str | int] = {}
        for field, combo in self.combos.items():
            i = combo.currentData()
            if i is None or i == _NONE:
                continue
            name = header[i] if header else ""
            if self.preview.keys or (header_key(name) and keys.count(header_key(name)) == 1):
                chosen[field] = name
            else:
                chosen[field] = i + 1
        return chosen
