"""The timeline tab: a lazy table of every event, a filter, and add / amend / export actions.

`show_session` reads the incident's whole log once (off the GUI thread when it is large)
and projects it with the core's `timeline()`. From then on the panel reads nothing: the
session's new events arrive through `add_events` and the core's `update_timeline` turns
them into rows, appended, or, when one changes earlier rows (an amendment, a backdated
entry), placed into the rows already made. Entries and amendments are written through the
window's write path (`run`, see `ui/commands.py`).
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
from incidentkit.core import operations
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import Event
from incidentkit.core.projections import TimelineItem, timeline, update_timeline
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.timeline.entry_dialogs import AmendDialog, EntryDialog
from incidentkit.ui.timeline.filter import TimelineFilterProxy
from incidentkit.ui.timeline.loader import TimelineLoader
from incidentkit.ui.timeline.model import KIND_FILTERS, TimelineModel
from incidentkit.ui.timeline.table import TimelineTable
from incidentkit.ui.widgets.message import show_error

FILTER_DELAY_MS = 200
# Above this many events an incident is read and projected off the GUI thread.
ASYNC_THRESHOLD = 5_000


def can_amend(item: TimelineItem) -> bool:
    """Every event can be corrected except a correction itself."""
    return item.event.kind not in (ev.TIMELINE_AMENDED, ev.INCIDENT_AWARE_CORRECTED)


class TimelinePanel(QWidget):
    """`show_session(session)` shows an incident's timeline; `add_events(events)` adds its new events.

    `loaded` fires once the model holds the incident's timeline (at once for small
    incidents, after the background load for large ones).
    """

    export_requested = Signal()
    loaded = Signal()

    def __init__(self, run: Callable[..., object | None], parent: QWidget | None = None, *,
                 async_threshold: int = ASYNC_THRESHOLD, add_action: QAction | None = None) -> None:
        """`run(operation, **kwargs)` is the window's write path (`Commands.run`). `add_action` is
        the window's Add entry action (in its menu and toolbar), which this panel then
        drives; without one the panel makes its own."""
        super().__init__(parent)
        self._run = run
        self._session: IncidentSession | None = None
        self._last_seq = 0  # the last event the rows show
        self._async_threshold = async_threshold
        self._pending: list[Event] = []  # events that arrived while the log was loading
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
        return self._session.id if self._session is not None else None

    @property
    def session(self) -> IncidentSession | None:
        return self._session

    def is_loading(self) -> bool:
        return self.loader.busy

    def show_session(self, session: IncidentSession | None) -> None:
        """Show this incident's timeline (None clears the panel)."""
        self.loader.cancel()
        self._pending = []
        self._session = session
        self._last_seq = 0
        self.model.clear()
        if session is not None:
            self.model.set_playbook(session.playbook)
            self.table.fit_step_ids([step.id for step in session.playbook.steps()])
            try:
                self._load()
            except IncidentKitError as exc:
                self.model.clear()
                show_error(self, "Timeline", str(exc))
        self._update_actions()
        self._update_count()
        if not self.is_loading():
            self.table.scrollToBottom()
            self.loaded.emit()

    def show_items(self, items: Sequence[TimelineItem], last_seq: int = 0) -> None:
        """Show already projected items (no store): what `show_session` ends with."""
        self._last_seq = last_seq
        self.model.set_items(items)

    def _load(self) -> None:
        """Read and project the whole incident; in the background when it is large."""
        store, incident_id = self._session.store, self._session.id
        if self._session.state.event_count > self._async_threshold:
            self.loader.start(store, incident_id)
            return
        events = store.events(incident_id)
        self.show_items(timeline(self._session.playbook, events), events[-1].seq if events else 0)

    def _loaded(self, items: list[TimelineItem], last_seq: int) -> None:
        self.show_items(items, last_seq)
        self._update_actions()
        self._update_count()
        self.table.scrollToBottom()
        pending, self._pending = self._pending, []
        self.add_events(pending)
        if self._select_after_load:
            self.select_event(self._select_after_load)
            self._select_after_load = None
        self.loaded.emit()

    def _load_failed(self, message: str) -> None:
        self._pending = []
        self._update_actions()
        self._update_count()
        show_error(self, "Timeline", message)

    def add_events(self, events: list[Event]) -> None:
        """New events of the incident shown (its session's `events_added`): their rows join the table."""
        session = self._session
        if session is None or not events or events[0].incident_id != session.id:
            return
        if self.is_loading():
            self._pending.extend(events)
            return
        new = [e for e in events if e.seq > self._last_seq]  # a load that finished late may hold them already
        if not new:
            return
        shown = self.model.items()
        update = update_timeline(session.playbook, shown, new)
        self._last_seq = new[-1].seq
        if update.appends_to(shown):
            scrollbar = self.table.verticalScrollBar()
            following = scrollbar.value() == scrollbar.maximum()
            self.model.append_items(update.added)
            if following:  # the user watches the latest entries: keep them in view
                self.table.scrollToBottom()
        else:
            self._keeping_selection(lambda: self.model.set_items(update.applied_to(shown)))
            self._update_count()

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
        if self._session is None:
            return
        dialog = EntryDialog(self, aware_at=self._session.state.aware_at)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._write(operations.add_timeline_entry, dialog.arguments(), None))
        dialog.open()

    def amend_selected(self) -> None:
        item = self.selected_item()
        if item is None or self._session is None or not can_amend(item):
            return
        dialog = AmendDialog(item, self, aware_at=self._session.state.aware_at)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._write(operations.amend_event, dialog.arguments(), item))
        dialog.open()

    def _write(self, operation: Callable[..., object], arguments: dict[str, object], item: TimelineItem | None) -> None:
        event = self._run(operation, incident_id=self._session.id, **arguments)
        if not isinstance(event, Event):
            return  # refused, and already said so
        # The new rows are in (the write path read them); after an amendment, the row that
        # matters is the one it corrected.
        target = item.event.id if item is not None else event.id
        if self.is_loading():
            self._select_after_load = target
        else:
            self.select_event(target)

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
        has_incident = self._session is not None
        item = self.selected_item() if has_incident else None
        self.add_action.setEnabled(has_incident and not self.is_loading())
        self.amend_action.setEnabled(item is not None and can_amend(item) and not self.is_loading())
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
