"""The timeline's filter: a proxy that shows the rows of a TimelineModel matching text and kind.

Why not QSortFilterProxyModel: it asks the source about every row through a virtual
call, which for a Python model is a call into Python per row on every keystroke, and
even an inactive filter pays for its per-row mapping. This proxy is the identity (no
per-row work at all) until a filter is set; filtering is one Python pass over cached
per-row keys. Appends from the
source stay appends here, so new events arrive without a reset.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QObject, Qt

from incidentkit.ui.timeline.model import KIND_ALL, KIND_MANUAL, KIND_STATE, TimelineModel
from incidentkit.ui.widgets.list_table_model import Index

KINDS = (KIND_ALL, KIND_STATE, KIND_MANUAL)


class TimelineFilterProxy(QAbstractProxyModel):
    """Rows of the source whose key contains every word of `text` (case-insensitive) and, unless
    `kind` is "all", whose kind class is `kind`. `rows` is None when every row is shown."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._kind = KIND_ALL
        self._rows: list[int] | None = None
        self._connections: list = []

    # the filter ----------------------------------------------------------------
    @property
    def text(self) -> str:
        return self._text

    @property
    def kind(self) -> str:
        return self._kind

    def is_active(self) -> bool:
        return bool(self._text.split()) or self._kind != KIND_ALL

    def set_text(self, text: str) -> None:
        self._text = text.strip()
        self._refilter()

    def set_kind(self, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown kind filter {kind!r}")
        self._kind = kind
        self._refilter()

    def _accepts(self, key: str) -> bool:
        if self._kind != KIND_ALL and not key.startswith(self._kind + "\x1f"):
            return False
        return all(word in key for word in self._text.lower().split())

    def _matching(self, first: int = 0) -> list[int] | None:
        model: TimelineModel | None = self.sourceModel()
        if model is None or not self.is_active():
            return None
        keys = model.filter_keys()
        accepts = self._accepts
        return [row for row in range(first, len(keys)) if accepts(keys[row])]

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._matching()
        self.endResetModel()

    # the source ------------------------------------------------------------------
    def setSourceModel(self, model: TimelineModel) -> None:
        old = self.sourceModel()
        if old is not None:
            for signal, slot in self._connections:
                signal.disconnect(slot)
        self._connections = []
        self.beginResetModel()
        super().setSourceModel(model)
        if model is not None:
            self._connections = [
                (model.modelAboutToBeReset, self.beginResetModel),
                (model.modelReset, self._source_reset),
                (model.rowsAboutToBeInserted, self._rows_about_to_be_inserted),
                (model.rowsInserted, self._rows_inserted),
                (model.rowsAboutToBeRemoved, self._about_to_change),
                (model.rowsRemoved, self._source_reset),
                (model.layoutAboutToBeChanged, self._about_to_change),
                (model.layoutChanged, self._source_reset),
                (model.dataChanged, self._data_changed),
                (model.headerDataChanged, self.headerDataChanged),
            ]
            for signal, slot in self._connections:
                signal.connect(slot)
        self._rows = self._matching()
        self.endResetModel()

    def _about_to_change(self, *_args: object) -> None:
        self.beginResetModel()

    def _source_reset(self, *_args: object) -> None:
        self._rows = self._matching()
        self.endResetModel()

    def _rows_about_to_be_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._rows is None:
            self.beginInsertRows(QModelIndex(), first, last)

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if self._rows is None:
            self.endInsertRows()
            return
        if self._rows and first <= self._rows[-1]:
            # Not an append (the timeline model only appends): start over.
            self._refilter()
            return
        new = [row for row in (self._matching(first) or []) if row <= last]
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int] = ()) -> None:
        if self._rows is None:
            self.dataChanged.emit(self.mapFromSource(top_left), self.mapFromSource(bottom_right), roles)
        else:
            self._refilter()

    # structure -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        model = self.sourceModel()
        if parent.isValid() or model is None:
            return 0
        return model.rowCount() if self._rows is None else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index | None = None):  # QObject.parent() when called without an index
        if child is None:
            return super().parent()
        return QModelIndex()

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.rowCount() > 0

    def flags(self, index: Index) -> Qt.ItemFlag:
        model = self.sourceModel()
        return model.flags(self.mapToSource(index)) if model is not None else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        return model.headerData(section, orientation, role)

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        model = self.sourceModel()
        if model is None or not proxy_index.isValid():
            return QModelIndex()
        row = proxy_index.row()
        if self._rows is not None:
            if row >= len(self._rows):
                return QModelIndex()
            row = self._rows[row]
        return model.index(row, proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if self.sourceModel() is None or not source_index.isValid():
            return QModelIndex()
        row = source_index.row()
        if self._rows is not None:
            position = bisect_left(self._rows, row)
            if position >= len(self._rows) or self._rows[position] != row:
                return QModelIndex()
            row = position
        return self.index(row, source_index.column())
