"""The timeline as a Qt table model: one row per projected TimelineItem, strings made on demand.

The model holds the projected `TimelineItem`s and nothing else: every display string is
computed on demand in `data()`, so a large timeline costs one Python list, not a string
per cell. The filter proxy (`timeline_filter.py`) matches against per-row keys that are
built the first time a filter runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from incidentkit.core import events as ev
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import TimelineItem
from incidentkit.core.text import shown
from incidentkit.ui.widgets.list_table_model import Index, ListTableModel
from incidentkit.ui.widgets.plain_tip import plain_tip
from incidentkit.ui.widgets.times import local_time

EventIdRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
ItemRole = Qt.ItemDataRole.UserRole + 3
SeqRole = Qt.ItemDataRole.UserRole + 4
OccurredAtRole = Qt.ItemDataRole.UserRole + 5
AmendedRole = Qt.ItemDataRole.UserRole + 6
FilterKeyRole = Qt.ItemDataRole.UserRole + 7

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)

COL_WHEN, COL_WHO, COL_WHAT, COL_STEP, COL_CATEGORY = range(5)
HEADERS = ("When", "Who", "What", "Step", "Category")

KIND_ALL = "all"
KIND_STATE = "state"
KIND_MANUAL = "manual"
KIND_NOTE = "note"
KIND_FILTERS = ((KIND_ALL, "All events"), (KIND_STATE, "State changes"), (KIND_MANUAL, "Manual entries"))

AMENDED_MARK = " (amended)"


def kind_class(kind: str) -> str:
    """Which kind filter an event kind belongs to: manual entries, notes, or state changes."""
    if kind in ev.MANUAL_KINDS:
        return KIND_MANUAL
    if kind == ev.STEP_NOTED:
        return KIND_NOTE
    return KIND_STATE


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
        # Filter keys are built the first time a filter runs, then kept: items never change.
        self._keys: list[str] = []
        self._steps: dict[str, str] = {}  # step id -> "Phase › step text", from the pinned playbook
        # Plain-int roles: data() runs for every visible cell and every role a view asks.
        self._by_role = {
            _DISPLAY: lambda item, column: self._display(item, column),
            _TOOLTIP: lambda item, column: plain_tip(shown(self._tooltip(item, column, self._steps))),
            _FONT: lambda item, column: self._italic if item.amended_by else None,
            EventIdRole: lambda item, column: item.event.id,
            KindRole: lambda item, column: item.event.kind,
            ItemRole: lambda item, column: item,
            SeqRole: lambda item, column: item.event.seq,
            OccurredAtRole: lambda item, column: item.occurred_at,
            AmendedRole: lambda item, column: bool(item.amended_by),
        }

    def data(self, index: Index, role: int = _DISPLAY):
        if role == FilterKeyRole:
            return self._filter_key_at(index.row()) if index.isValid() else None
        getter = self._by_role.get(role)
        if getter is None:
            return None
        item = self.row_item(index)
        return None if item is None else getter(item, index.column())

    def _filter_key_at(self, row: int) -> str | None:
        return self.filter_keys()[row] if 0 <= row < len(self._rows) else None

    def filter_keys(self) -> list[str]:
        """Every row's filter key (see `filter_key`), built once and then kept: items never change."""
        keys = self._keys
        if len(keys) < len(self._rows):
            keys.extend(self.filter_key(item) for item in self._rows[len(keys):])
        return keys

    @staticmethod
    def _display(item: TimelineItem, column: int) -> str | None:
        """People's text `shown`: a right-to-left override cannot make "gnp.exe" read "exe.png"."""
        if column == COL_WHEN:
            return local_time(item.occurred_at)
        if column == COL_WHO:
            return shown(item.event.actor)
        if column == COL_WHAT:
            return shown(item.title + AMENDED_MARK if item.amended_by else item.title)
        if column == COL_STEP:
            return item.event.step_id or ""
        if column == COL_CATEGORY:
            return shown(item.category)
        return None

    @staticmethod
    def _tooltip(item: TimelineItem, column: int, steps: Mapping[str, str]) -> str:
        event = item.event
        if column == COL_STEP and event.step_id:
            text = f"{steps.get(event.step_id, '(not in the playbook)')}\n{event.step_id}"
        elif column == COL_WHEN:
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

    # changing ------------------------------------------------------------------
    def set_playbook(self, playbook: Playbook | None) -> None:
        """The incident's pinned playbook: the Step column's tooltip names each step by its text."""
        self._steps = {step.id: f"{phase.title} › {step.text}" for phase in playbook.phases
                       for step in phase.steps} if playbook else {}

    def set_items(self, items: Iterable[TimelineItem]) -> None:
        self._keys = []
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
        self.set_playbook(None)
