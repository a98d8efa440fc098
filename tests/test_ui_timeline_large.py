"""A large incident in the Timeline tab: its latest events show at once while the rest load, and
a tab not shown reads nothing until it is opened. (A panel built with `async_threshold=0`
treats every incident as large.)"""

from __future__ import annotations


from incident_helpers import tiny_playbook
from PySide6.QtWidgets import QLabel, QTabWidget

from incidentkit.core import events as ev
from incidentkit.core.store import Store
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.timeline.model import EventIdRole
from incidentkit.ui.timeline.panel import TimelinePanel


def _panel(**kwargs: object) -> TimelinePanel:
    return TimelinePanel(lambda _operation, **_kwargs: None, async_threshold=0, **kwargs)  # writes nothing


def _incident(store: Store, entries: int) -> str:
    incident = store.create_incident(tiny_playbook(), "Vendor breach", actor="ann").id
    for n in range(entries):
        store.append(incident, ev.TIMELINE_ENTRY, actor="ann", payload={"title": f"entry {n}"})
    return incident


def _ids(panel: TimelinePanel) -> list[str]:
    model = panel.model
    return [model.index(row, 0).data(EventIdRole) for row in range(model.rowCount())]


def test_the_latest_events_show_while_the_rest_load(qtbot, store) -> None:
    incident = _incident(store, 11)
    every = [e.id for e in store.events(incident)]
    panel = _panel(first_screen=5)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        panel.show_session(IncidentSession(store, store.incident(incident), panel))
        assert panel.is_loading() and _ids(panel) == every[-5:]
        panel.select_event(every[-2])  # picked while the rest loads
        assert not panel.add_action.isEnabled() and panel.count_label.text() == "Loading…"
    assert _ids(panel) == every and not panel.is_loading()
    assert panel.selected_item().event.id == every[-2]
    assert panel.count_label.text() == "12 events"


def test_a_tab_not_shown_reads_no_log_until_it_is_opened(qtbot, store) -> None:
    incident = _incident(store, 3)
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    panel = _panel()
    tabs.addTab(QLabel("steps"), "Steps")
    tabs.addTab(panel, "Timeline")
    tabs.show()
    qtbot.waitExposed(tabs)
    session = IncidentSession(store, store.incident(incident), panel)
    session.events_added.connect(panel.add_events)
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    panel.show_session(session)
    store.conn.set_trace_callback(None)
    store.append(incident, ev.TIMELINE_ENTRY, actor="ann", payload={"title": "while hidden"})
    store.conn.set_trace_callback(seen.append)
    assert len(session.read_new()) == 1  # what the window does after a write; the hidden panel reads nothing
    reads = [s for s in seen if "FROM events WHERE incident_id" in s]
    assert len(reads) == 1 and "seq >" in reads[0]  # the session's one read of what is new
    assert panel.model.rowCount() == 0 and not panel.is_loading()
    assert panel.add_action.isEnabled()  # Add entry works from the other tab too
    store.conn.set_trace_callback(None)
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        tabs.setCurrentWidget(panel)
    assert panel.model.rowCount() == 5
