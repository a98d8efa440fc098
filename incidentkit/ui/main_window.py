"""The main window: composition of the incidents list, the Steps and Timeline tabs and the panels.

It wires widgets to the core and holds no domain logic. Every write goes through one
path (`Commands.run`: one core operation, then the incident's session reads the new
events once); every view follows the session's `events_added`. Writes by another process
(the CLI, a second window) are picked up by polling the database's `data_version` once a
second. Store, paths, settings and the playbook library (through its watcher) are passed in.

A tab follows the incident shown with two signals: `incident_changed(id)` (show
`window.session()`, None for no incident) and `events_added(events)` (new events of that
incident, already folded into `window.session().state`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from incidentkit.core import operations
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import Event
from incidentkit.core.gc_pause import startup_done
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.store import Incident, Store
from incidentkit.core.summaries import read_summaries
from incidentkit.core.text import shown
from incidentkit.ui.actions import install_menus, make_actions
from incidentkit.ui.commands import Commands
from incidentkit.ui.incident_session import IncidentSession, incident_row
from incidentkit.ui.incidents.header import IncidentHeader
from incidentkit.ui.incidents.list_model import IncidentRow
from incidentkit.ui.incidents.panel import EmptyState, IncidentsPanel
from incidentkit.ui.playbooks.problems_panel import problems_dock
from incidentkit.ui.playbooks.upgrade_banner import UpgradeBanner
from incidentkit.ui.playbooks.watcher import LibraryWatcher
from incidentkit.ui.scope.tab import ScopeTab
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
    incident_changed = Signal(str)  # the incident now shown ("" for none): its session is `session()`
    events_added = Signal(list)  # list[Event]: new events of the incident shown, already in its session's state

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
        # Every incident's row comes from the summaries of all logs (one read, whatever their
        # length); a session, which folds an incident's state, is opened for an incident shown.
        self.rows: dict[str, IncidentRow] = {}
        self.sessions: dict[str, IncidentSession] = {}
        self.setWindowTitle("IncidentKit")
        self.setWindowIcon(app_icon())

        self.actions_ = make_actions(self)
        self.incidents = IncidentsPanel()
        self.steps = StepsPane()
        # The Timeline tab's panel is built on first use (`timeline`), just after the first
        # paint: a start shows the Steps tab and need not wait for the Timeline's modules.
        self._timeline: TimelinePanel | None = None
        self.timeline_page = QWidget()
        QVBoxLayout(self.timeline_page).setContentsMargins(0, 0, 0, 0)
        self._deadlines: DeadlinesPanel | None = None  # built after the first paint, as the timeline
        self.deadlines_page = QWidget()
        QVBoxLayout(self.deadlines_page).setContentsMargins(0, 0, 0, 0)
        self._comms: CommunicationsPanel | None = None  # built when its tab is first shown
        self.comms_page = QWidget()
        QVBoxLayout(self.comms_page).setContentsMargins(0, 0, 0, 0)
        self.scope = ScopeTab(lambda operation, **kw: self.commands.run(operation, **kw), actor, settings)
        self.tabs = QTabWidget()
        # In the order of the work: the walk-through, then the breach desk's three questions
        # (who, by when, what to say), then the record of it all.
        self.pages = {"steps": self.steps, "scope": self.scope, "deadlines": self.deadlines_page,
                      "communications": self.comms_page, "timeline": self.timeline_page}
        for name, page in self.pages.items():
            self.tabs.addTab(page, name.capitalize())
        self.header = IncidentHeader()
        self.upgrade_banner = UpgradeBanner()
        self.incident_page = QWidget()
        page = QVBoxLayout(self.incident_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.header)
        page.addWidget(self.upgrade_banner)
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
        self.splitter.setSizes([250, 1030])  # room for the start of a title beside its numbers
        self.setCentralWidget(self.splitter)
        self.problems, self.problems_dock = problems_dock(self)
        self.toolbar = install_menus(self, self.actions_, self.problems_dock.toggleViewAction())
        self.steps.detail.set_actions(self.actions_.step_actions())
        self.commands = Commands(parent=self, store=store, actor=actor, session=self.sessions.get)
        self.step_commands = StepCommands(window=self, commands=self.commands, steps=self.steps)
        self.state = WindowState(settings, self, (self.splitter, self.steps.splitter, self.steps.detail.splitter),
                                 persist=persist)
        self._connect()
        self._painted = False
        self.state.restore()
        self._data_version = store.data_version()  # read before the incidents: a write in between shows at the poll
        self.reload_incidents(select=self.state.last_incident())
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.poll)
        self._poll.start()

    def _connect(self) -> None:
        a, c = self.actions_, self.step_commands
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
        self.events_added.connect(self.steps.add_events)
        self.header.correct_awareness.connect(self.correct_awareness)
        self.incident_changed.connect(lambda _id: self.scope.show_session(self.session()))
        self.events_added.connect(self.scope.add_events)

        self.steps.selection_changed.connect(self._update_actions)
        self.steps.model.check_requested.connect(c.set_checked)
        self.steps.detail.note_edited.connect(c.save_note)
        self.steps.detail.set_obligations_source(
            lambda incident_id: self._deadlines.obligations_for(incident_id) if self._deadlines else None)
        self.steps.detail.obligation_requested.connect(self.show_obligation)
        a.add_entry.setEnabled(False)  # until the timeline panel, which drives it, holds an open incident
        a.add_entry.triggered.connect(lambda: self.tabs.setCurrentWidget(self.timeline_page))
        self.tabs.currentChanged.connect(lambda _i: self._update_actions())
        self.tabs.currentChanged.connect(lambda _i: self.load_timeline())
        self.tabs.currentChanged.connect(lambda _i: self.load_comms())
        self.events_added.connect(lambda _events: self.load_comms())  # only while its tab is shown
        self.problems.problems_changed.connect(lambda count: self.problems_dock.setVisible(count > 0))
        a.upgrade.setEnabled(False)  # until the banner finds a newer version of the shown incident's playbook
        self.upgrade_banner.available_changed.connect(a.upgrade.setEnabled)
        self.upgrade_banner.preview_requested.connect(self.preview_upgrade)
        a.upgrade.triggered.connect(self.preview_upgrade)
        a.playbooks.triggered.connect(self.open_playbooks)

    # incidents -----------------------------------------------------------------------
    def session(self) -> IncidentSession | None:
        return self.steps.session

    def _open_session(self, incident: Incident) -> IncidentSession:
        session = self.sessions[incident.id] = IncidentSession(self.store, incident, self)
        session.events_added.connect(partial(self._events_added, session))
        return session

    def _events_added(self, session: IncidentSession, events: list[Event]) -> None:
        """What one read of `session` found: its row in the list, and the incident shown."""
        self.rows[session.id] = session.row()
        self.incidents.set_rows(list(self.rows.values()))
        if session is self.session():
            self.events_added.emit(events)
            self._show_title()
            self._update_actions()

    def reload_incidents(self, select: str | None = None) -> None:
        """Read the incident list again (new incidents, and what is new in each) and keep or set the selection."""
        try:
            incidents = self.store.incidents()
            summaries = read_summaries(self.store, {i.id: self.store.playbook(i.id) for i in incidents
                                                    if i.id not in self.sessions}, cache_dir=self.store.cache_dir)
            for session in list(self.sessions.values()):
                session.read_new()
            self.rows = {i.id: self.sessions[i.id].row() if i.id in self.sessions else
                         incident_row(i, summaries[i.id]) if i.id in summaries else self._open_session(i).row()
                         for i in incidents}
        except IncidentKitError as exc:
            show_error(self, "IncidentKit", str(exc))
        self.incidents.set_rows(list(self.rows.values()))
        self.stack.setCurrentWidget(self.incident_page if self.rows else self.empty)
        self.incidents.setVisible(bool(self.rows))  # an empty list beside the first-run page says nothing
        current = self.session()
        wanted = select or (current.id if current else None)
        if not self.incidents.select(wanted) and not self.incidents.select_first():
            self.show_incident("")

    def show_incident(self, incident_id: str) -> None:
        session = self.sessions.get(incident_id) if incident_id in self.rows else None
        if session is None and incident_id in self.rows:
            try:
                session = self._open_session(self.store.incident(incident_id))
            except IncidentKitError as exc:
                show_error(self, "IncidentKit", str(exc))
        if session is not self.session():
            self.steps.show_session(session)
            if self._timeline is not None:
                self._timeline.show_session(None)
            QTimer.singleShot(0, self.load_timeline)  # after the tree has painted
            QTimer.singleShot(0, self.load_deadlines)
            QTimer.singleShot(0, self.load_comms)
            self.state.remember_incident(incident_id)
            self.incident_changed.emit(incident_id)
        self._show_title()
        self._update_actions()

    def show_tab(self, name: str) -> None:
        """Show the tab called `name` (a key of `pages`: steps, scope, deadlines, timeline, ...)."""
        self.tabs.setCurrentWidget(self.pages[name])

    def _show_title(self) -> None:
        session = self.session()
        self.header.show_session(session)
        self.upgrade_banner.update_for(session, self.library)
        self.setWindowTitle(f"{shown(session.row().title)} — IncidentKit" if session else "IncidentKit")

    def poll(self) -> None:
        """Pick up what another process wrote to the same database (our own writes leave
        `data_version` as it is: each is read right after it is made)."""
        try:
            version = self.store.data_version()
        except IncidentKitError:
            return
        if version != self._data_version:
            self._data_version = version
            self.reload_incidents()  # each incident reads what is new in it; new incidents join the list

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

    def correct_awareness(self) -> None:
        from incidentkit.ui.incidents.awareness_dialog import ask_awareness_correction  # loads on first use

        if (session := self.session()) is not None:
            ask_awareness_correction(self, self.commands, session)

    # steps ---------------------------------------------------------------------------
    def _find(self) -> None:
        self.tabs.setCurrentWidget(self.steps)
        self.steps.focus_filter()

    def _update_actions(self) -> None:
        session = self.session()
        step_id = self.steps.selected_step_id() if self.tabs.currentWidget() is self.steps else None
        if session and step_id and session.playbook.step(step_id).retired:
            step_id = None  # kept for its history: notes only
        status = session.step_state(step_id).status if session and step_id else None
        writable = not self.store.read_only
        is_open = writable and session is not None and session.state.status == "open"
        a = self.actions_
        a.new_incident.setEnabled(writable)
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

            panel = TimelinePanel(self.commands.run, add_action=self.actions_.add_entry)
            panel.export_requested.connect(self.export)
            self.events_added.connect(panel.add_events)
            self.timeline_page.layout().addWidget(panel)
            self._timeline = panel
        return self._timeline

    def load_timeline(self) -> None:
        """Show the current incident's timeline, unless it is shown already."""
        session = self.session()
        if session is not None and self._painted and self.timeline.session is not session:
            self.timeline.show_session(session)

    @property
    def deadlines(self) -> DeadlinesPanel:
        """The Deadlines tab's panel, built the first time it is needed."""
        if self._deadlines is None:
            from incidentkit.ui.deadlines.panel import DeadlinesPanel

            panel = DeadlinesPanel(self.paths, self.commands.run)
            panel.next_deadline_changed.connect(self.header.show_next_deadline)
            panel.board_changed.connect(self.steps.detail.refresh_obligations)
            self.events_added.connect(panel.add_events)
            self.deadlines_page.layout().addWidget(panel)
            self._deadlines = panel
        return self._deadlines

    def show_obligation(self, rule_id: str) -> None:
        """The Deadlines tab, with the obligation of `rule_id` selected when given."""
        self.load_deadlines()
        self.show_tab("deadlines")
        if rule_id:
            self.deadlines.select_rule(rule_id)

    def load_deadlines(self) -> None:
        """Show the current incident's deadlines (and the next one in the header), or read them again."""
        session = self.session()
        if not self._painted:
            return
        if session is None:
            if self._deadlines is not None:
                self._deadlines.set_incident(None, None)
            return
        if self.deadlines.incident_id != session.id:  # the same incident's newer events come by add_events
            self.deadlines.set_incident(self.store, session.id)

    def load_comms(self) -> None:
        """Show the current incident's notices, or read its drafts again. The panel (and with its
        first render, the template worker's process) starts when its tab is first shown."""
        session = self.session()
        if self.tabs.currentWidget() is not self.comms_page:
            return  # read when its tab is shown (a tick elsewhere reads no drafts)
        if self._comms is None:
            from incidentkit.ui.comms.panel import CommunicationsPanel

            self._comms = CommunicationsPanel(self.paths, self.actor,
                                              defaults=lambda: {"organisation": self.settings.organisation_name()})
            # The panel writes through the core's notice actions; the incident's session then
            # reads what it wrote once, and every view follows (events_added).
            self._comms.changed.connect(lambda: self.session() and self.commands.read_incident(self.session().id))
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
        self.upgrade_banner.update_for(self.session(), library)

    def open_settings(self) -> None:
        from incidentkit.ui.settings_dialog import SettingsDialog

        self.load_library()
        dialog = SettingsDialog(self.settings, self.paths.data_dir, self)
        dialog.applied.connect(lambda: self.watcher.set_extra_dirs(
            [*self.cli_playbook_dirs, *self.settings.extra_playbook_dirs()]))
        self._open(dialog)

    def preview_upgrade(self) -> None:
        from incidentkit.ui.playbooks.upgrade_dialog import open_upgrade_dialog

        open_upgrade_dialog(self, self.session(), self.upgrade_banner.entry, self.commands)

    def open_playbooks(self) -> None:
        from incidentkit.ui.playbooks.dialog import PlaybooksDialog

        self.load_library()
        self._open(PlaybooksDialog(self.watcher, self.paths, self))

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
        if self.steps.detail.note_held:  # someone else changed the note: the merge dialog is open
            event.ignore()
            return
        self._poll.stop()
        if self._comms is not None:
            self._comms.shutdown()
        self.state.save()
        super().closeEvent(event)
