"""The playbooks of a library as a table: title, id, version, steps, and where each came from.

A file that overrides a playbook but does not load is a row too (`FailedEntry`), in
italics, with its error as the tooltip: the built-in playbook it shadows is not offered
in its place without a word.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from incidentkit.core.playbook.library import FailedEntry, PlaybookEntry
from incidentkit.ui.widgets.list_table_model import Index, ListTableModel
from incidentkit.ui.widgets.plain_tip import plain_tip

PlaybookIdRole = Qt.ItemDataRole.UserRole + 1
EntryRole = Qt.ItemDataRole.UserRole + 2

COL_TITLE, COL_ID, COL_VERSION, COL_STEPS, COL_SOURCE = range(5)
HEADERS = ("Playbook", "ID", "Version", "Steps", "Source")
SOURCE_LABELS = {"builtin": "built-in", "user": "user", "extra": "extra folder"}


def _id(entry: PlaybookEntry | FailedEntry) -> str:
    return entry.playbook_id if isinstance(entry, FailedEntry) else entry.playbook.id


def source_label(entry: PlaybookEntry | FailedEntry, overrides: str | None = None) -> str:
    """`user`, `extra folder`, `built-in`; with what it overrides, e.g. `user, overrides built-in`."""
    label = SOURCE_LABELS.get(entry.source, entry.source)
    return f"{label}, overrides {SOURCE_LABELS.get(overrides, overrides)}" if overrides else label


class PlaybookListModel(ListTableModel):
    """One row per library entry; the source of user and extra-folder playbooks is shown in bold,
    with the source of the playbook it overrides (`shadowed`: the library's overridden entries)."""

    HEADERS = HEADERS

    def __init__(self, entries: list[PlaybookEntry] | None = None, parent: object | None = None, *,
                 shadowed: list[PlaybookEntry] = (), failed: list[FailedEntry] = ()) -> None:
        super().__init__(sorted([*(entries or ()), *failed], key=_id), parent)
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        # The lowest-precedence source an id came from is what the user knows it as.
        self._overrides: dict[str, str] = {}
        for old in reversed(list(shadowed)):
            self._overrides[old.playbook.id] = old.source

    def source_text(self, entry: PlaybookEntry | FailedEntry) -> str:
        return source_label(entry, self._overrides.get(_id(entry)))

    def entry(self, row: int) -> PlaybookEntry | FailedEntry:
        return self._rows[row]

    def row_of(self, playbook_id: str) -> int:
        for row, entry in enumerate(self._rows):
            if _id(entry) == playbook_id:
                return row
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        entry = self.row_item(index)
        if entry is None:
            return None
        if isinstance(entry, FailedEntry):
            return self._failed_data(entry, index.column(), role)
        playbook = entry.playbook
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (playbook.title, playbook.id, playbook.version, playbook.step_count, self.source_text(entry))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(f"{playbook.title}\n{playbook.summary}\n\n{entry.path}" if playbook.summary else entry.path)
        if role == Qt.ItemDataRole.FontRole and column == COL_SOURCE and entry.source != "builtin":
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_STEPS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PlaybookIdRole:
            return playbook.id
        if role == EntryRole:
            return entry
        return None

    def _failed_data(self, entry: FailedEntry, column: int, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return ("Does not load: fix the file", entry.playbook_id, "", "", self.source_text(entry))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(entry.error.format())
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column == COL_SOURCE else self._italic
        if role == Qt.ItemDataRole.ForegroundRole:
            return QGuiApplication.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        if role == PlaybookIdRole:
            return entry.playbook_id
        if role == EntryRole:
            return entry
        return None
