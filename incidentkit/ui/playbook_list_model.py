"""The playbooks of a library as a table: title, id, version, steps, and where each came from."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from incidentkit.core.playbook_library import PlaybookEntry

Index = QModelIndex | QPersistentModelIndex

PlaybookIdRole = Qt.ItemDataRole.UserRole + 1
EntryRole = Qt.ItemDataRole.UserRole + 2

COL_TITLE, COL_ID, COL_VERSION, COL_STEPS, COL_SOURCE = range(5)
HEADERS = ("Playbook", "ID", "Version", "Steps", "Source")
SOURCE_LABELS = {"builtin": "built-in", "user": "user", "extra": "extra folder"}


def source_label(entry: PlaybookEntry) -> str:
    return SOURCE_LABELS.get(entry.source, entry.source)


class PlaybookListModel(QAbstractTableModel):
    """One row per library entry; the source of user and extra-folder playbooks is shown in bold."""

    def __init__(self, entries: list[PlaybookEntry] | None = None, parent: object | None = None) -> None:
        super().__init__(parent)
        self._entries: list[PlaybookEntry] = list(entries or ())
        self._bold = QFont()
        self._bold.setBold(True)

    def set_entries(self, entries: list[PlaybookEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> PlaybookEntry:
        return self._entries[row]

    def row_of(self, playbook_id: str) -> int:
        for row, entry in enumerate(self._entries):
            if entry.playbook.id == playbook_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        playbook = entry.playbook
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (playbook.title, playbook.id, playbook.version, playbook.step_count, source_label(entry))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{playbook.title}\n{playbook.summary}\n\n{entry.path}" if playbook.summary else entry.path
        if role == Qt.ItemDataRole.FontRole and column == COL_SOURCE and entry.source != "builtin":
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_STEPS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PlaybookIdRole:
            return playbook.id
        if role == EntryRole:
            return entry
        return None
