"""The main window: composition of the incidents list, the Steps and Timeline tabs and the panels.

It wires widgets to the core operations and holds no domain logic: every action is a
call into `incidentkit.core.operations`, followed by a refresh, so it shows in the
tree and the timeline at once; a refusal from the core becomes a message box. Writes
by another process (the CLI, a second window) are picked up by polling the
database's `data_version` once a second. Store, paths, settings and the playbook
library are passed in; nothing here is global.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QStackedWidget, QTabWidget, QWidget

from incidentkit.core import operations
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook_library import PlaybookLibrary
from incidentkit.core.store import Store
from incidentkit.ui.actions import install_menus, make_actions
from incidentkit.ui.icons import app_icon
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.main_panels import EmptyState, IncidentsPanel, problems_dock
from incidentkit.ui.message import show_error
from incidentkit.ui.new_incident_dialog import NewIncidentDialog
from incidentkit.ui.step_dialogs import assign_prompt, skip_prompt
from incidentkit.ui.steps_pane import StepsPane
from incidentkit.ui.timeline_panel import TimelinePanel
from incidentkit.ui.window_state import WindowState

POLL_MS = 1000


class MainWindow(QMainWindow):
    incident_changed = Signal(str)  # the incident now shown ("" for none)

    def __init__(self, *, store: Store, paths: AppPaths, settings: QSettings, library: PlaybookLibrary,
                 actor: Callable[[], str], persist: bool = True, poll_ms: int = POLL_MS) -> None:
        super().__init__()
        self.store, self.paths, self.library, self.actor = store, paths, library, actor
        self.sessions: dict[str, IncidentSession] = {}
        self.setWindowTitle("IncidentKit")
        self.setWindowIcon(app_icon())

        self.actions_ = make_actions(self)
        self.incidents = IncidentsPanel(self.actions_.new_incident)
        self.steps = StepsPane()
        self.timeline = TimelinePanel(actor)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.steps, "Steps")
        self.tabs.addTab(self.timeline, "Timeline")
        self.empty = EmptyState(self.actions_.new_incident)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tabs)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.incidents)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 1020])
        self.splitter.setObjectName("main")
        self.setCentralWidget(self.splitter)
        self.problems, self.problems_dock = problems_dock(self)
        self.toolbar = install_menus(self, self.actions_, self.timeline.add_action,
                                     self.problems_dock.toggleViewAction())
        self.steps.detail.set_actions(self.actions_.step_actions())
        self.state = WindowState(settings, self, persist=persist)
        self._connect()
        self.state.restore()
        self.set_library(library)
        self.reload_incidents(select=self.state.last_incident())
        self._data_version = store.data_version()
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.poll)
        self._poll.start()

    def _connect(self) -> None:
        a = self.actions_
        a.new_incident.triggered.connect(self.new_incident)
        a.done.triggered.connect(self.complete_selected)
        a.skip.triggered.connect(self.skip_selected)
        a.reopen.triggered.connect(self.reopen_selected)
        a.assign.triggered.connect(self.assign_selected)
        a.next_open.triggered.connect(self.steps.select_next_open)
        a.find.triggered.connect(self._find)
        a.export.triggered.connect(self.export)
        a.quit.triggered.connect(self.close)
        self.incidents.current_changed.connect(self.show_incident)
        self.steps.selection_changed.connect(self._update_actions)
        self.steps.model.check_requested.connect(self._on_check)
        self.steps.detail.note_edited.connect(self._save_note)
        self.timeline.changed.connect(self.refresh)
        self.timeline.export_requested.connect(self.export)
        self.timeline.add_action.triggered.connect(lambda: self.tabs.setCurrentWidget(self.timeline))
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())

    # incidents -----------------------------------------------------------------------
    def session(self) -> IncidentSession | None:
        return self.steps.session

    def _session_for(self, incident_id: str) -> IncidentSession:
        if incident_id not in self.sessions:
            self.sessions[incident_id] = IncidentSession(self.store, self.store.incident(incident_id))
        return self.sessions[incident_id]

    def reload_incidents(self, select: str | None = None) -> None:
        """Read the incident list again (new incidents, progress) and keep or set the selection."""
        try:
            for incident in self.store.incidents():
                self._session_for(incident.id).reload()
        except IncidentKitError as exc:
            show_error(self, "IncidentKit", str(exc))
        self.incidents.set_rows([s.row() for s in self.sessions.values()])
        self.stack.setCurrentWidget(self.tabs if self.sessions else self.empty)
        current = self.session()
        wanted = select or (current.id if current else None)
        if not self.incidents.select(wanted) and not self.incidents.select_first():
            self.show_incident("")

    def show_incident(self, incident_id: str) -> None:
        session = self.sessions.get(incident_id) if incident_id else None
        if session is not self.session():
            self.steps.show_session(session)
            self.timeline.set_incident(self.store if session else None, incident_id or None)
            self.state.remember_incident(incident_id)
            self.incident_changed.emit(incident_id)
        self.setWindowTitle(f"{session.row().title} — IncidentKit" if session else "IncidentKit")
        self._update_actions()

    def refresh(self) -> None:
        """After a write: fold new events into the current incident, the list and the timeline."""
        session = self.session()
        if session is not None:
            session.reload()
            self.steps.refresh()
            self.timeline.refresh()
        self.incidents.set_rows([s.row() for s in self.sessions.values()])
        self._data_version = self.store.data_version()
        self._update_actions()

    def poll(self) -> None:
        """Pick up what another process wrote to the same database."""
        try:
            version = self.store.data_version()
        except IncidentKitError:
            return
        if version != self._data_version:
            self._data_version = version
            self.reload_incidents()
            self.refresh()

    def new_incident(self) -> None:
        dialog = NewIncidentDialog(self.library, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._create_incident(dialog.choice()))
        dialog.open()

    def _create_incident(self, choice) -> None:
        incident = self._run(operations.open_incident, playbook=choice.playbook, title=choice.title,
                             aware_at=choice.aware_at)
        if incident is not None:
            self.reload_incidents(select=incident.id)

    # steps ---------------------------------------------------------------------------
    def _run(self, operation: Callable[..., object], **kwargs: object) -> object | None:
        """Run one core operation as the current actor; a refusal is shown, never raised."""
        try:
            return operation(self.store, actor=self.actor(), **kwargs)
        except IncidentKitError as exc:
            show_error(self, "IncidentKit", str(exc))
            return None
        finally:
            self.refresh()

    def _selected(self) -> tuple[str, str] | None:
        session, step_id = self.session(), self.steps.selected_step_id()
        return (session.id, step_id) if session and step_id else None

    def complete_selected(self) -> None:
        """Done: complete the selected step, then move on to the next open step."""
        target = self._selected()
        if target and self._run(operations.complete_step, incident_id=target[0], step_id=target[1]):
            self.steps.select_next_open()

    def reopen_selected(self) -> None:
        if target := self._selected():
            self._run(operations.reopen_step, incident_id=target[0], step_id=target[1])

    def skip_selected(self) -> None:
        if target := self._selected():
            prompt = skip_prompt(self, self.session().playbook.step(target[1]).text)
            prompt.answered.connect(lambda reason: self._run(
                operations.skip_step, incident_id=target[0], step_id=target[1], reason=reason))
            prompt.open()

    def assign_selected(self) -> None:
        if target := self._selected():
            session = self.session()
            names = sorted({s.assignee for s in session.state.steps.values() if s.assignee} | {self.actor()})
            prompt = assign_prompt(self, session.playbook.step(target[1]).text,
                                   session.step_state(target[1]).assignee or "", names)
            prompt.answered.connect(lambda name: self._run(
                operations.assign_step, incident_id=target[0], step_id=target[1], assignee=name))
            prompt.open()

    def _on_check(self, step_id: str, done: bool) -> None:
        session = self.session()
        if session is not None:
            operation = operations.complete_step if done else operations.reopen_step
            self._run(operation, incident_id=session.id, step_id=step_id)

    def _save_note(self, incident_id: str, step_id: str, text: str) -> None:
        self._run(operations.note_step, incident_id=incident_id, step_id=step_id, text=text)

    def _find(self) -> None:
        self.tabs.setCurrentWidget(self.steps)
        self.steps.focus_filter()

    def _update_actions(self) -> None:
        session = self.session()
        step_id = self.steps.selected_step_id() if self.tabs.currentWidget() is self.steps else None
        status = session.step_state(step_id).status if session and step_id else None
        is_open = session is not None and session.state.status == "open"
        a = self.actions_
        a.done.setEnabled(is_open and status in ("open", "skipped"))
        a.skip.setEnabled(is_open and status == "open")
        a.reopen.setEnabled(is_open and status in ("done", "skipped"))
        a.assign.setEnabled(is_open and status is not None)
        a.next_open.setEnabled(session is not None)
        a.export.setEnabled(session is not None)

    # library, export, lifetime ---------------------------------------------------------
    def set_library(self, library: PlaybookLibrary) -> None:
        """A new playbook library (found at start or reloaded after a file changed)."""
        self.library = library
        self.problems.set_problems(list(library.problems))
        self.problems_dock.setVisible(bool(library.problems))

    def export(self) -> None:
        session = self.session()
        if session is None:
            return
        from incidentkit.ui.export_dialog import ExportDialog  # the export stack loads on first use

        dialog = ExportDialog(Path(self.store.path), session.id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.steps.detail.flush()
        self._poll.stop()
        self.state.save()
        super().closeEvent(event)
