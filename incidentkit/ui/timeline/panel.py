"""The timeline tab: a lazy table of every event, a filter, and add / amend / export actions.

The panel reads events from the store, projects them with the core's `timeline()` and
writes entries through the core operations; it holds no domain logic of its own. A
refresh appends only the events it has not seen, unless one of them changes earlier
rows (an amendment or a backdated entry), when it re-projects the whole incident.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core import events as ev
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import Event
from incidentkit.core.projections import TimelineItem, latest_notes, timeline
from incidentkit.ui.timeline import writes as timeline_writes
from incidentkit.ui.timeline.entry_dialogs import AmendDialog, EntryDialog
from incidentkit.ui.timeline.filter import TimelineFilterProxy
from incidentkit.ui.timeline.loader import TimelineLoader
from incidentkit.ui.timeline.model import KIND_FILTERS, TimelineModel
from incidentkit.ui.timeline.table import TimelineTable
from incidentkit.ui.widgets.message import show_error

FILTER_DELAY_MS = 200
# Above this many events an incident is read and projected off the GUI thread.
ASYNC_THRESHOLD = 5_000


class TimelinePanel(QWidget):
    """`set_incident(store, id)` shows an incident's timeline; `refresh()` picks up new events.

    `loaded` fires once the model holds the incident's timeline (at once for small
    incidents, after the background load for large ones).
    """

    changed = Signal()
    export_requested = Signal()
    loaded = Signal()

    def __init__(self, actor: Callable[[], str], parent: QWidget | None = None, *,
                 async_threshold: int = ASYNC_THRESHOLD, add_action: QAction | None = None) -> None:
        """`add_action` is the window's Add entry action (in its menu and toolbar), which
        this panel then drives; without one the panel makes its own."""
        super().__init__(parent)
        self._actor = actor
        self._store = None
        self._incident_id: str | None = None
        self._playbook = None
        self._last_seq = 0
        self._async_threshold = async_threshold
        self._refresh_pending = False
        self._select_after_load: str | None = None
        self.loader = TimelineLoader(self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._load_failed)

        self.model = TimelineModel(self)
        self.proxy = TimelineFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = TimelineTable(self.proxy, self)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter timeline")
        self.filter_edit.setClearButtonEnabled(True)
        self.kind_box = QComboBox()
        for key, label in KIND_FILTERS:
            self.kind_box.addItem(label, key)
        self.count_label = QLabel()

        if add_action is None:
            self.add_action = self._action("&Add entry…", "Ctrl+T", self.add_entry)
        else:
            self.add_action = add_action
            add_action.triggered.connect(self.add_entry)
        self.amend_action = self._action("A&mend…", "", self.amend_selected)
        self.export_action = self._action("&Export…", "", self.export_requested.emit)
        self.add_button = self._button(self.add_action)
        self.amend_button = self._button(self.amend_action)
        self.export_button = self._button(self.export_action)
        self.copy_action = QAction("&Copy entry", self.table)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_selected)
        self.table.addAction(self.copy_action)
        self.table.addAction(self.amend_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_text_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.kind_box.currentIndexChanged.connect(self._apply_kind_filter)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.doubleClicked.connect(self.amend_selected)
        for signal in (self.proxy.modelReset, self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.layoutChanged):
            signal.connect(self._update_count)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.kind_box)
        bar.addWidget(self.count_label)
        bar.addWidget(self.add_button)
        bar.addWidget(self.amend_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._update_actions()
        self._update_count()

    # construction ----------------------------------------------------------------
    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text().replace("&", ""))
        tip = action.text().replace("&", "").rstrip("…")
        if not action.shortcut().isEmpty():
            tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        button.setToolTip(tip)
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        return button

    # loading ---------------------------------------------------------------------
    @property
    def incident_id(self) -> str | None:
        return self._incident_id

    def is_loading(self) -> bool:
        return self.loader.busy

    def set_incident(self, store: object | None, incident_id: str | None) -> None:
        """Show this incident's timeline (None clears the panel)."""
        self.loader.cancel()
        self._refresh_pending = False
        self._store = store if incident_id else None
        self._incident_id = incident_id if store is not None else None
        self._playbook = None
        self._last_seq = 0
        self.model.clear()
        if self._incident_id is not None:
            try:
                self._playbook = self._store.playbook(self._incident_id)
                self.model.set_playbook(self._playbook)
                self.table.fit_step_ids([step.id for step in self._playbook.steps()])
                self._reload()
            except IncidentKitError as exc:
                self.model.clear()
                show_error(self, "Timeline", str(exc))
        self._update_actions()
        self._update_count()
        if not self.is_loading():
            self.table.scrollToBottom()
            self.loaded.emit()

    def show_items(self, items: Sequence[TimelineItem], last_seq: int = 0) -> None:
        """Show already projected items (no store): what `set_incident` ends with."""
        self._last_seq = last_seq
        self.model.set_items(items)

    def _reload(self) -> None:
        """Re-read and re-project the whole incident; in the background when it is large."""
        if self._store.event_count(self._incident_id) > self._async_threshold:
            self.loader.start(self._store, self._incident_id)
            return
        events = self._store.events(self._incident_id)
        self.show_items(timeline(self._playbook, events), events[-1].seq if events else 0)

    def _loaded(self, items: list[TimelineItem], last_seq: int) -> None:
        self.show_items(items, last_seq)
        self._update_actions()
        self._update_count()
        self.table.scrollToBottom()
        if self._select_after_load:
            self.select_event(self._select_after_load)
            self._select_after_load = None
        self.loaded.emit()
        if self._refresh_pending:
            self._refresh_pending = False
            self.refresh()

    def _load_failed(self, message: str) -> None:
        self._update_actions()
        self._update_count()
        show_error(self, "Timeline", message)

    def refresh(self) -> None:
        """Pick up events written since the last read (by this window, another one, or the CLI)."""
        if self._incident_id is None:
            return
        if self.is_loading():
            self._refresh_pending = True
            return
        try:
            new = self._store.events(self._incident_id, after_seq=self._last_seq)
            if not new:
                return
            if self._changes_earlier_rows(new):
                self._keeping_selection(self._reload)
                self._update_count()
            else:
                scrollbar = self.table.verticalScrollBar()
                following = scrollbar.value() == scrollbar.maximum()
                # A note's summary compares it with the step's note before it, shown already.
                notes = latest_notes(self.model.items()) if any(e.kind == ev.STEP_NOTED for e in new) else None
                self.model.append_items(timeline(self._playbook, new, notes=notes))
                self._last_seq = new[-1].seq
                if following:  # the user watches the latest entries: keep them in view
                    self.table.scrollToBottom()
        except IncidentKitError as exc:
            show_error(self, "Timeline", str(exc))

    def _changes_earlier_rows(self, new: Sequence[Event]) -> bool:
        items = self.model.items()
        if not items:
            return False
        last = items[-1].occurred_at
        return any(e.kind == ev.TIMELINE_AMENDED or e.occurred_at < last for e in new)

    # actions -----------------------------------------------------------------------
    def selected_item(self) -> TimelineItem | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.item(self.proxy.mapToSource(rows[0]).row())

    def select_event(self, event_id: str) -> bool:
        row = self.model.row_of_event(event_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(index, flags)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def copy_selected(self) -> None:
        """The selected entry as one tab-separated line (UTC time first), for a chat or a ticket."""
        item = self.selected_item()
        if item is not None:
            fields = (item.occurred_at, item.event.actor, item.title, item.event.step_id or "", item.category)
            QGuiApplication.clipboard().setText("\t".join(fields))

    def add_entry(self) -> None:
        if self._incident_id is None:
            return
        dialog = EntryDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._write(timeline_writes.add_entry, dialog.values(), None))
        dialog.open()

    def amend_selected(self) -> None:
        item = self.selected_item()
        if item is None or self._incident_id is None or not timeline_writes.can_amend(item):
            return
        dialog = AmendDialog(item, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._write(timeline_writes.amend, dialog.values(), item))
        dialog.open()

    def _write(self, operation: Callable[..., Event], values: object, item: TimelineItem | None) -> None:
        args = (values,) if item is None else (values, item)
        try:
            event = operation(self._store, self._incident_id, self._actor(), *args)
        except IncidentKitError as exc:
            show_error(self, "Timeline", str(exc))
            return
        self.refresh()
        # After an amendment, the row that matters is the one it corrected.
        self._select_after_load = item.event.id if item is not None else event.id
        if not self.is_loading():
            self.select_event(self._select_after_load)
            self._select_after_load = None
        self.changed.emit()

    # filtering and state -------------------------------------------------------------
    def _apply_text_filter(self) -> None:
        self._keeping_selection(lambda: self.proxy.set_text(self.filter_edit.text()))

    def _apply_kind_filter(self) -> None:
        self._keeping_selection(lambda: self.proxy.set_kind(self.kind_box.currentData()))

    def _keeping_selection(self, change: Callable[[], None]) -> None:
        """Refiltering and reloading reset the view; the selected entry stays selected when still shown."""
        item = self.selected_item()
        change()
        if item is not None:
            if self.is_loading():
                self._select_after_load = item.event.id
            else:
                self.select_event(item.event.id)
        self._update_actions()

    def _update_actions(self) -> None:
        has_incident = self._incident_id is not None
        item = self.selected_item() if has_incident else None
        self.add_action.setEnabled(has_incident and not self.is_loading())
        self.amend_action.setEnabled(item is not None and timeline_writes.can_amend(item) and not self.is_loading())
        self.copy_action.setEnabled(item is not None)
        self.export_action.setEnabled(has_incident)
        for widget in (self.filter_edit, self.kind_box):
            widget.setEnabled(has_incident)

    def _update_count(self) -> None:
        if self.is_loading():
            self.count_label.setText("Loading…")
            return
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        noun = "event" if total == 1 else "events"
        self.count_label.setText(f"{total:,} {noun}" if shown == total else f"{shown:,} of {total:,} {noun}")
