"""The timeline as a Qt table model, and the proxy that filters it by text and kind.

The model holds the projected `TimelineItem`s and nothing else: every display string is
computed on demand in `data()`, so 100,000 events cost one Python list, not 500,000
QStrings. Filtering goes through QSortFilterProxyModel's own regular-expression filter
on a key role, so an empty filter never calls back into Python once per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from PySide6.QtCore import QModelIndex, QRegularExpression, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from incidentkit.core import events as ev
from incidentkit.core.events import parse_ts
from incidentkit.core.projections import TimelineItem
from incidentkit.ui.list_table_model import Index, ListTableModel

EventIdRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
ItemRole = Qt.ItemDataRole.UserRole + 3
SeqRole = Qt.ItemDataRole.UserRole + 4
OccurredAtRole = Qt.ItemDataRole.UserRole + 5
AmendedRole = Qt.ItemDataRole.UserRole + 6
FilterKeyRole = Qt.ItemDataRole.UserRole + 7

COL_WHEN, COL_WHO, COL_WHAT, COL_STEP, COL_CATEGORY = range(5)
HEADERS = ("When", "Who", "What", "Step", "Category")

KIND_ALL = "all"
KIND_STATE = "state"
KIND_MANUAL = "manual"
KIND_NOTE = "note"
KIND_FILTERS = ((KIND_ALL, "All events"), (KIND_STATE, "State changes"), (KIND_MANUAL, "Manual entries"))

MANUAL_KINDS = frozenset({ev.TIMELINE_ENTRY, ev.TIMELINE_AMENDED})
AMENDED_MARK = " (amended)"


def kind_class(kind: str) -> str:
    """Which kind filter an event kind belongs to: manual entries, notes, or state changes."""
    if kind in MANUAL_KINDS:
        return KIND_MANUAL
    if kind == ev.STEP_NOTED:
        return KIND_NOTE
    return KIND_STATE


def local_time_text(iso: str) -> str:
    """A UTC ISO timestamp shown in the machine's local time zone, to the minute."""
    try:
        return parse_ts(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _original_text(item: TimelineItem) -> str:
    lines = [f"{key}: {value}" for key, value in item.original.items() if value not in (None, "")]
    return "\n".join(lines)


class TimelineModel(ListTableModel):
    """Rows are timeline items in chronological order; columns When, Who, What, Step, Category."""

    HEADERS = HEADERS

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(None, parent)
        self._italic = QFont()
        self._italic.setItalic(True)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        item = self.row_item(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._italic if item.amended_by else None
        if role == EventIdRole:
            return item.event.id
        if role == KindRole:
            return item.event.kind
        if role == ItemRole:
            return item
        if role == SeqRole:
            return item.event.seq
        if role == OccurredAtRole:
            return item.occurred_at
        if role == AmendedRole:
            return bool(item.amended_by)
        if role == FilterKeyRole:
            return self.filter_key(item)
        return None

    @staticmethod
    def _display(item: TimelineItem, column: int) -> str | None:
        if column == COL_WHEN:
            return local_time_text(item.occurred_at)
        if column == COL_WHO:
            return item.event.actor
        if column == COL_WHAT:
            return item.title + AMENDED_MARK if item.amended_by else item.title
        if column == COL_STEP:
            return item.event.step_id or ""
        if column == COL_CATEGORY:
            return item.category
        return None

    @staticmethod
    def _tooltip(item: TimelineItem, column: int) -> str:
        event = item.event
        if column == COL_WHEN:
            text = f"{item.occurred_at} (UTC)"
            if event.recorded_at != item.occurred_at:
                text += f"\nrecorded {event.recorded_at}"
        else:
            text = item.title + (f"\n\n{item.detail}" if item.detail else "")
        if item.amended_by:
            original = _original_text(item)
            text += "\n\nAmended; original values:\n" + (original or "(not recorded)")
        return text + f"\n\n{event.kind} · #{event.seq} · {event.id}"

    @staticmethod
    def filter_key(item: TimelineItem) -> str:
        """`<kind class>\\x1f<lower-cased searchable text>`: what the proxy's regex runs over."""
        event = item.event
        text = "\x1e".join((item.title, item.detail, item.category, event.actor, event.step_id or "", event.kind))
        return f"{kind_class(event.kind)}\x1f{text.lower()}"

    # access for views ----------------------------------------------------------
    def item(self, row: int) -> TimelineItem:
        return self._rows[row]

    def items(self) -> Sequence[TimelineItem]:
        return self._rows

    def row_of_event(self, event_id: str) -> int:
        """The row showing this event, or -1."""
        for row, item in enumerate(self._rows):
            if item.event.id == event_id:
                return row
        return -1

    def last_occurred_at(self) -> datetime | None:
        return parse_ts(self._rows[-1].occurred_at) if self._rows else None

    # changing ------------------------------------------------------------------
    def set_items(self, items: Iterable[TimelineItem]) -> None:
        self.set_rows(items)

    def append_items(self, items: Iterable[TimelineItem]) -> None:
        new = list(items)
        if not new:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        self._rows.extend(new)
        self.endInsertRows()

    def clear(self) -> None:
        self.set_items(())


class TimelineFilterProxy(QSortFilterProxyModel):
    """Filters a TimelineModel by free text (case-insensitive, all words) and by kind."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._kind = KIND_ALL
        self.setFilterRole(FilterKeyRole)
        self.setFilterKeyColumn(COL_WHEN)

    @property
    def text(self) -> str:
        return self._text

    @property
    def kind(self) -> str:
        return self._kind

    def set_text(self, text: str) -> None:
        self._text = text.strip()
        self._apply()

    def set_kind(self, kind: str) -> None:
        if kind not in (KIND_ALL, KIND_STATE, KIND_MANUAL):
            raise ValueError(f"unknown kind filter {kind!r}")
        self._kind = kind
        self._apply()

    def _apply(self) -> None:
        # One regex over the key role keeps filtering in C++; an empty pattern accepts
        # every row without calling data() at all.
        words = [QRegularExpression.escape(w) for w in self._text.lower().split()]
        if not words and self._kind == KIND_ALL:
            pattern = ""
        else:
            kind = self._kind if self._kind != KIND_ALL else "[^\x1f]*"
            lookaheads = "".join(f"(?=.*{w})" for w in words)
            pattern = f"^{kind}\x1f{lookaheads}"
        regex = QRegularExpression(pattern, QRegularExpression.PatternOption.DotMatchesEverythingOption)
        self.setFilterRegularExpression(regex)
