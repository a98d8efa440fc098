"""One change signal: an action in the window is one write and ONE read of the new events, which
every view (the step tree and detail, the incidents list, the timeline, any tab) follows.

The statements are counted on the real store's connection (`set_trace_callback`) while a
real window, after its first paint (so the Timeline tab is loaded), does what a responder does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QStyle

from incidentkit.core import events as ev
from incidentkit.core import operations
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.store import Store
from incidentkit.ui.app import build_window
from incidentkit.ui.main_window import MainWindow
from incidentkit.ui.settings import Settings
from incidentkit.ui.timeline.entry_dialogs import EntryDialog


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    with Store.open(paths) as store:
        playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
        for title in ("Older breach", "Mailer vendor breach"):
            operations.open_incident(store, playbook=playbook, title=title, actor="setup")
        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        settings.set_display_name("Dana")
        shown = build_window(store=store, paths=paths, settings=settings, persist=False)
        qtbot.addWidget(shown)
        shown.show()
        qtbot.waitExposed(shown)
        qtbot.waitUntil(lambda: shown.timeline.session is shown.session())  # loaded just after the first paint
        yield shown


class Statements:
    """Every statement the window's connection runs inside the `with` block."""

    def __init__(self, store: Store) -> None:
        self.store, self.all = store, []

    def __enter__(self) -> Statements:
        self.store.conn.set_trace_callback(self.all.append)
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.conn.set_trace_callback(None)

    def after_commit(self) -> list[str]:
        """What ran once the write was committed: the reads."""
        assert self.all.count("COMMIT") == 1, self.all
        return self.all[self.all.index("COMMIT") + 1:]


def _is_read_of_new_events(sql: str, incident_id: str) -> bool:
    return sql.startswith("SELECT id, incident_id, seq") and f"incident_id = '{incident_id}' AND seq > " in sql


def test_ticking_a_step_costs_one_read_of_the_new_events(qtbot, window: MainWindow):
    session = window.session()
    step = window.steps.model.step_ids()[2]
    tree, model = window.steps.tree, window.steps.model
    rect = tree.visualRect(window.steps.proxy.mapFromSource(model.index_for_step(step)))
    box = QPoint(rect.left() + tree.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) // 2 + 3,
                 rect.center().y())
    heard: list[list[ev.Event]] = []
    window.events_added.connect(heard.append)  # as a tab subscribes
    with Statements(window.store) as statements:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=box)
        qtbot.waitUntil(lambda: session.step_state(step).status == "done")
    reads = statements.after_commit()
    assert len(reads) == 1 and _is_read_of_new_events(reads[0], session.id), statements.all
    # The one read reached every view.
    assert [[e.kind for e in events] for events in heard] == [[ev.STEP_DONE]]
    assert model.index_for_step(step).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    row = window.incidents.model.row_of(session.id)
    assert window.incidents.model.incident_row(row).finished == 1
    assert window.timeline.model.items()[-1].title.startswith("Completed: ")
    assert window.steps.progress.value() == 1


def test_adding_a_timeline_entry_costs_one_read_of_the_new_events(qtbot, window: MainWindow):
    session = window.session()
    window.tabs.setCurrentWidget(window.timeline_page)
    window.actions_.add_entry.trigger()
    dialog = window.findChild(EntryDialog)
    dialog.title_edit.setText("Vendor called back")
    with Statements(window.store) as statements:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    reads = statements.after_commit()
    assert len(reads) == 1 and _is_read_of_new_events(reads[0], session.id), statements.all
    assert window.timeline.model.items()[-1].title == "Timeline: Vendor called back"
    assert window.timeline.selected_item().title == "Timeline: Vendor called back"
    assert session.state.event_count == 2


def test_another_process_writing_is_read_once_per_incident(qtbot, window: MainWindow):
    shown = window.session()
    other_incident = next(s for s in window.sessions.values() if s is not shown)
    with Store.open(window.paths) as other:  # the CLI, or a second window
        operations.complete_step(other, incident_id=other_incident.id, step_id="scope-record-awareness", actor="cli")
        operations.add_timeline_entry(other, incident_id=shown.id, title="From the CLI", actor="cli")
    heard: list[list[ev.Event]] = []
    window.events_added.connect(heard.append)
    with Statements(window.store) as statements:
        window.poll()
    reads = [sql for sql in statements.all if sql.startswith("SELECT id, incident_id, seq")]
    assert len(reads) == 2  # one per incident
    assert all(any(_is_read_of_new_events(sql, s.id) for sql in reads) for s in (shown, other_incident))
    assert [[e.payload.get("title") for e in events] for events in heard] == [["From the CLI"]]  # the shown one only
    assert window.timeline.model.items()[-1].title == "Timeline: From the CLI"
    row = window.incidents.model.row_of(other_incident.id)
    assert window.incidents.model.incident_row(row).finished == 1
    with Statements(window.store) as statements:
        window.poll()  # nothing new: nothing read
    assert statements.all == ["PRAGMA data_version"]
