"""What the window tests share: a started incident, the step ids and timeline titles shown,
keys pressed on the step tree, a timeline panel wired as the window wires it, file: URLs caught."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QVBoxLayout, QWidget

from incidentkit.core import operations
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.store import Store
from incidentkit.ui.main_window import MainWindow
from incidentkit.ui.commands import Commands
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.timeline.panel import TimelinePanel


def start_incident(store: Store, title: str = "Mailer vendor breach") -> str:
    playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
    return operations.open_incident(store, playbook=playbook, title=title, actor="setup").id


def with_incident(window: MainWindow) -> MainWindow:
    start_incident(window.store)
    window.reload_incidents()
    return window


def step_ids(window: MainWindow) -> list[str]:
    return window.steps.model.step_ids()


def timeline_titles(window: MainWindow) -> list[str]:
    QApplication.processEvents()  # the timeline loads just after the incident shows
    model = window.timeline.model
    return [model.item(row).title for row in range(model.rowCount())]


def visible_texts(widget: QWidget) -> str:
    """Every label and every item view row under `widget`, as one string."""
    texts = [label.text() for label in widget.findChildren(QLabel)]
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        for row in range(model.rowCount() if model else 0):
            texts.extend(str(model.index(row, c).data() or "") for c in range(model.columnCount()))
    if isinstance(widget, QAbstractItemView):
        texts.extend(str(widget.model().index(r, 0).data()) for r in range(widget.model().rowCount()))
    return "\n".join(texts)


def press(window: MainWindow, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.steps.tree, key, modifier)


def open_panel(qtbot, store: Store, **kwargs: object) -> TimelinePanel:
    """A panel in a host widget that owns the write path (its refusals show over the host),
    wired to every incident's session as the window wires it."""
    host = QWidget()
    qtbot.addWidget(host)
    sessions: dict[str, IncidentSession] = {}

    def session(incident_id: str) -> IncidentSession:
        if incident_id not in sessions:
            sessions[incident_id] = IncidentSession(store, store.incident(incident_id), host)
            sessions[incident_id].events_added.connect(lambda events: widget.add_events(events))
        return sessions[incident_id]

    commands = Commands(parent=host, store=store, actor=lambda: "bob", session=session)
    widget = TimelinePanel(commands.run, host, **kwargs)
    widget.open = lambda incident_id: widget.show_session(session(incident_id))  # type: ignore[attr-defined]
    QVBoxLayout(host).addWidget(widget)
    host.resize(900, 400)
    return widget


class UrlCatcher(QObject):
    """Receives file: URLs instead of the desktop's file manager (Qt's own URL-handler hook)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)
