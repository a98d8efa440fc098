"""The main window: composition of the incidents list, the Steps and Timeline tabs and the panels.

It wires widgets to the core and holds no domain logic: step actions go through
`StepCommands` (one core operation each), followed by a refresh, so every change shows
in the tree and the timeline at once. Writes by another process (the CLI, a second
window) are picked up by polling the database's `data_version` once a second. Store,
paths, settings and the playbook library (through its watcher) are passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from incidentkit.core import operations
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.gc_pause import startup_done
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.store import Store
from incidentkit.ui.actions import install_menus, make_actions
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.incidents.header import IncidentHeader
from incidentkit.ui.incidents.panel import EmptyState, IncidentsPanel
from incidentkit.ui.playbooks.problems_panel import problems_dock
from incidentkit.ui.playbooks.watcher import LibraryWatcher
from incidentkit.ui.settings import Settings
from incidentkit.ui.steps.commands import StepCommands
from incidentkit.ui.steps.pane import StepsPane
from incidentkit.ui.widgets.dark_checks import use_visible_checks
from incidentkit.ui.widgets.icons import app_icon
from incidentkit.ui.widgets.message import show_error
from incidentkit.ui.window_state import WindowState

if TYPE_CHECKING:
    from incidentkit.ui.comms.panel import CommunicationsPanel
    from incidentkit.ui.deadlines.panel import DeadlinesPanel
    from incidentkit.ui.timeline.panel import TimelinePanel

POLL_MS = 1000


class MainWindow(QMainWindow):
    incident_changed = Signal(str)  # the incident now shown ("" for none)

    def __init__(self, *, store: Store, paths: AppPaths, settings: Settings,
                 make_watcher: Callable[[], LibraryWatcher], actor: Callable[[], str],
                 cli_playbook_dirs: Sequence[Path] = (), persist: bool = True, poll_ms: int = POLL_MS) -> None:
        super().__init__()
        self.store, self.paths, self.settings, self.actor = store, paths, settings, actor
        self.cli_playbook_dirs = tuple(cli_playbook_dirs)
        # The playbook library (every playbook parsed) and the timeline (every event
        # projected) load just after the window first paints, not before it.
        self._make_watcher = make_watcher
        self.watcher: LibraryWatcher | None = None
        self.library = PlaybookLibrary([])
        self.sessions: dict[str, IncidentSession] = {}
        self.setWindowTitle("IncidentKit")
        self.setWindowIcon(app_icon())

        self.actions_ = make_actions(self)
        self.incidents = IncidentsPanel()
        self.steps = StepsPane()
        # The Timeline tab's panel is built on first use (`timeline`), just after the first
        # paint: its modules and widgets are ~10 ms of a start that shows the Steps tab.
        self._timeline: TimelinePanel | None = None
        self.timeline_page = QWidget()
        QVBoxLayout(self.timeline_page).setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.steps, "Steps")
        self.tabs.addTab(self.timeline_page, "Timeline")
        self._deadlines: DeadlinesPanel | None = None  # built after the first paint, as the timeline
        self.deadlines_page = QWidget()
        QVBoxLayout(self.deadlines_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.deadlines_page, "Deadlines")
        self._comms: CommunicationsPanel | None = None  # built when its tab is first shown
        self.comms_page = QWidget()
        QVBoxLayout(self.comms_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.comms_page, "Communications")
        self.header = IncidentHeader()
        self.incident_page = QWidget()
        page = QVBoxLayout(self.incident_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.header)
        page.addWidget(self.tabs, 1)
        self.empty = EmptyState(self.actions_.new_incident)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.incident_page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.incidents)
        self.splitter.addWidget(self.stack)
        # On a smaller screen the list gives up width too, a sixth of what is lost.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([210, 1070])
        self.setCentralWidget(self.splitter)
        self.problems, self.problems_dock = problems_dock(self)
        self.toolbar = install_menus(self, self.actions_, self.problems_dock.toggleViewAction())
        self.steps.detail.set_actions(self.actions_.step_actions())
        self.commands = StepCommands(window=self, store=store, actor=actor, steps=self.steps, written=self.refresh)
        self.state = WindowState(settings, self, (self.splitter, self.steps.splitter, self.steps.detail.splitter),
                                 persist=persist)
        self._connect()
        self._painted = False
        self.state.restore()
        self.reload_incidents(select=self.state.last_incident())
        self._data_version = store.data_version()
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.poll)
        self._poll.start()

    def _connect(self) -> None:
        a, c = self.actions_, self.commands
        a.new_incident.triggered.connect(self.new_incident)
        a.done.triggered.connect(c.complete_selected)
        a.skip.triggered.connect(c.skip_selected)
        a.reopen.triggered.connect(c.reopen_selected)
        a.assign.triggered.connect(c.assign_selected)
        a.next_open.triggered.connect(self.steps.select_next_open)
        a.find.triggered.connect(self._find)
        a.export.triggered.connect(self.export)
        a.settings.triggered.connect(self.open_settings)
        a.about.triggered.connect(self.open_about)
        a.quit.triggered.connect(self.close)
        self.incidents.current_changed.connect(self.show_incident)
        self.steps.selection_changed.connect(self._update_actions)
        self.steps.model.check_requested.connect(c.set_checked)
        self.steps.detail.note_edited.connect(c.save_note)
        a.add_entry.setEnabled(False)  # until the timeline panel, which drives it, holds an open incident
        a.add_entry.triggered.connect(lambda: self.tabs.setCurrentWidget(self.timeline_page))
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())
        self.tabs.currentChanged.connect(lambda _i: self.load_timeline())
        self.tabs.currentChanged.connect(lambda _i: self.load_comms())
        self.problems.problems_changed.connect(lambda count: self.problems_dock.setVisible(count > 0))

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
        self.stack.setCurrentWidget(self.incident_page if self.sessions else self.empty)
        self.incidents.setVisible(bool(self.sessions))  # an empty list beside the first-run page says nothing
        current = self.session()
        wanted = select or (current.id if current else None)
        if not self.incidents.select(wanted) and not self.incidents.select_first():
            self.show_incident("")

    def show_incident(self, incident_id: str) -> None:
        session = self.sessions.get(incident_id) if incident_id else None
        if session is not self.session():
            self.steps.show_session(session)
            if self._timeline is not None:
                self._timeline.set_incident(None, None)
            QTimer.singleShot(0, self.load_timeline)  # after the tree has painted
            QTimer.singleShot(0, self.load_deadlines)
            QTimer.singleShot(0, self.load_comms)
            self.state.remember_incident(incident_id)
            self.incident_changed.emit(incident_id)
        self._show_title()
        self._update_actions()

    def _show_title(self) -> None:
        session = self.session()
        self.header.show_session(session)
        self.setWindowTitle(f"{session.row().title} — IncidentKit" if session else "IncidentKit")

    def refresh(self) -> None:
        """After a write: fold new events into the current incident, the list and the timeline."""
        session = self.session()
        if session is not None:
            session.reload()
        self.incidents.set_rows([s.row() for s in self.sessions.values()])
        self._show_changes()

    def _show_changes(self) -> None:
        """The current incident's tree, timeline, title and actions, once its session has reloaded."""
        if self.session() is not None:
            self.steps.refresh()
            self.load_timeline()
            self.load_deadlines()
            self.load_comms()
        self._data_version = self.store.data_version()
        self._show_title()
        self._update_actions()

    def poll(self) -> None:
        """Pick up what another process wrote to the same database."""
        try:
            version = self.store.data_version()
        except IncidentKitError:
            return
        if version != self._data_version:
            self.reload_incidents()  # every incident read again, and the list with them
            self._show_changes()

    def new_incident(self) -> None:
        from incidentkit.ui.incidents.new_dialog import NewIncidentDialog  # dialogs load on first use

        self.load_library()
        dialog = NewIncidentDialog(self.library, self)
        dialog.accepted.connect(lambda: self._create_incident(dialog.choice()))
        self._open(dialog)

    def _create_incident(self, choice) -> None:  # a NewIncidentChoice
        incident = self.commands.run(operations.open_incident, playbook=choice.playbook, title=choice.title,
                                     aware_at=choice.aware_at)
        if incident is not None:
            self.reload_incidents(select=incident.id)

    # steps ---------------------------------------------------------------------------
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

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)
        elif event.type() == QEvent.Type.ApplicationPaletteChange:  # e.g. the desktop turned dark
            use_visible_checks(QApplication.instance())
            self.steps.model.restyle()  # finished steps' faded text takes the new palette's colour
        return super().event(event)

    def _after_first_paint(self) -> None:
        startup_done()  # the collector was paused for the start (gc_pause)
        self.load_library()
        self.load_timeline()
        self.load_deadlines()

    @property
    def timeline(self) -> TimelinePanel:
        """The Timeline tab's panel, built the first time it is needed."""
        if self._timeline is None:
            from incidentkit.ui.timeline.panel import TimelinePanel

            panel = TimelinePanel(self.actor, add_action=self.actions_.add_entry)
            panel.changed.connect(self.refresh)
            panel.export_requested.connect(self.export)
            self.timeline_page.layout().addWidget(panel)
            self._timeline = panel
        return self._timeline

    def load_timeline(self) -> None:
        """Show the current incident's timeline, or fold new events into it when already shown."""
        session = self.session()
        if session is None or not self._painted:
            return
        if self.timeline.incident_id == session.id:
            self.timeline.refresh()
        else:
            self.timeline.set_incident(self.store, session.id)

    @property
    def deadlines(self) -> DeadlinesPanel:
        """The Deadlines tab's panel, built the first time it is needed."""
        if self._deadlines is None:
            from incidentkit.ui.deadlines.panel import DeadlinesPanel

            panel = DeadlinesPanel(self.paths, self.actor)
            panel.changed.connect(self.refresh)
            panel.next_deadline_changed.connect(self.header.show_next_deadline)
            self.deadlines_page.layout().addWidget(panel)
            self._deadlines = panel
        return self._deadlines

    def load_deadlines(self) -> None:
        """Show the current incident's deadlines (and the next one in the header), or read them again."""
        session = self.session()
        if not self._painted:
            return
        if session is None:
            if self._deadlines is not None:
                self._deadlines.set_incident(None, None)
            return
        if self.deadlines.incident_id == session.id:
            self.deadlines.refresh()
        else:
            self.deadlines.set_incident(self.store, session.id)

    def load_comms(self) -> None:
        """Show the current incident's notices, or read its drafts again. The panel (and with its
        first render, the template worker's process) starts when its tab is first shown."""
        session = self.session()
        if self._comms is None:
            if self.tabs.currentWidget() is not self.comms_page:
                return
            from incidentkit.ui.comms.panel import CommunicationsPanel

            self._comms = CommunicationsPanel(self.paths, self.actor,
                                              defaults=lambda: {"organisation": self.settings.organisation_name()})
            self._comms.changed.connect(self.refresh)
            self.comms_page.layout().addWidget(self._comms)
        if session is None:
            self._comms.set_incident(None, None)
        elif self._comms.incident_id == session.id:
            self._comms.refresh()
        else:
            self._comms.set_incident(self.store, session.id)

    def comms_busy(self) -> bool:
        return self._comms is not None and self._comms.busy()

    # library, settings, export, lifetime ------------------------------------------------
    def load_library(self) -> None:
        """Find and parse the playbooks (once), and watch their files from then on."""
        if self.watcher is None:
            self.watcher = self._make_watcher()
            self.watcher.setParent(self)
            self.watcher.library_changed.connect(self.set_library)
            self.set_library(self.watcher.library)

    def set_library(self, library: PlaybookLibrary) -> None:
        """A new playbook library (found at start or reloaded after a file changed)."""
        self.library = library
        self.problems.set_problems(library.problems)

    def open_settings(self) -> None:
        from incidentkit.ui.settings_dialog import SettingsDialog

        self.load_library()
        dialog = SettingsDialog(self.settings, self.paths.data_dir, self)
        dialog.applied.connect(lambda: self.watcher.set_extra_dirs(
            [*self.cli_playbook_dirs, *self.settings.extra_playbook_dirs()]))
        self._open(dialog)

    def open_about(self) -> None:
        from incidentkit.ui.about import AboutDialog

        self._open(AboutDialog(self.paths.data_dir, self))

    def export(self) -> None:
        session = self.session()
        if session is None:
            return
        from incidentkit.ui.export_dialog import ExportDialog  # the export stack loads on first use

        dialog = ExportDialog(Path(self.store.path), session.id, self)
        dialog.exported.connect(lambda path: self.statusBar().showMessage(f"Exported to {path}", 8000))
        self._open(dialog)

    def _open(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.steps.detail.flush()
        self._poll.stop()
        if self._comms is not None:
            self._comms.shutdown()
        self.state.save()
        super().closeEvent(event)
