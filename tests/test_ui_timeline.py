"""The timeline model, its filter proxy and the timeline panel, on real widgets and a real store.

The panel is driven as the window drives it: it shows an `IncidentSession`, follows the
session's `events_added`, and writes through the window's write path (`Commands.run`).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from window_helpers import open_panel
from incident_helpers import MARKDOWN, tiny_playbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from incidentkit.core import events as ev
from incidentkit.core import operations
from incidentkit.core.events import Event, format_ts, parse_ts
from incidentkit.core.projections import TimelineItem
from incidentkit.core.store import Store
from incidentkit.ui.timeline.entry_dialogs import AmendDialog, EntryDialog
from incidentkit.ui.timeline.filter import TimelineFilterProxy
from incidentkit.ui.timeline.model import (
    AMENDED_MARK,
    COL_STEP,
    COL_WHAT,
    COL_WHEN,
    COL_WHO,
    KIND_MANUAL,
    KIND_STATE,
    EventIdRole,
    KindRole,
    TimelineModel,
)
from incidentkit.ui.timeline.panel import TimelinePanel
from incidentkit.ui.widgets.times import zone_name

T0 = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)


def make_item(seq: int, kind: str = ev.TIMELINE_ENTRY, title: str = "Vendor called", *, step_id: str | None = None,
              minutes: int = 0, amended: bool = False, category: str = "") -> TimelineItem:
    when = format_ts(T0 + timedelta(minutes=minutes))
    event = Event(id=f"ev{seq:04d}", incident_id="inc", seq=seq, kind=kind, step_id=step_id, actor="alice",
                  occurred_at=when, recorded_at=when, payload={"title": title})
    return TimelineItem(event=event, occurred_at=when, title=title, detail="said so on the phone", category=category,
                        amended_by=("fix1",) if amended else (),
                        original={"title": "Vendor emailed"} if amended else {})


@pytest.fixture
def items() -> list[TimelineItem]:
    return [
        make_item(1, ev.INCIDENT_OPENED, "Incident opened: Acme breach"),
        make_item(2, ev.STEP_DONE, "Completed: Confirm the breach in writing", step_id="confirm", minutes=5),
        make_item(3, ev.TIMELINE_ENTRY, "Timeline: Vendor called", minutes=10, amended=True, category="vendor"),
        make_item(4, ev.STEP_NOTED, "Note on Count affected customers", step_id="count", minutes=20),
    ]


@pytest.fixture
def incident(store):
    return store.create_incident(tiny_playbook(), "Acme breach", actor="alice",
                                 aware_at=T0)


@pytest.fixture
def panel(qtbot, store, incident):
    widget = open_panel(qtbot, store)
    widget.open(incident.id)
    return widget


def texts(panel: TimelinePanel, column: int) -> list[str]:
    return [panel.proxy.index(r, column).data() for r in range(panel.proxy.rowCount())]


def test_model_passes_qt_model_tester(qtmodeltester, items):
    model = TimelineModel()
    model.set_items(items[:2])
    qtmodeltester.check(model, force_py=True)
    model.append_items(items[2:])  # the tester follows the insert signals
    model.set_items(items[1:])
    model.clear()


def test_filter_proxy_passes_qt_model_tester_through_changes(qtmodeltester, items):
    model = TimelineModel()
    model.set_items(items[:2])
    proxy = TimelineFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)  # from here on the tester checks every change signal
    model.append_items(items[2:3])  # identity: an append stays an append
    assert proxy.rowCount() == 3
    proxy.set_text("vendor")
    model.append_items([make_item(5, title="Vendor sent the forensic report", minutes=30),
                        make_item(6, ev.STEP_DONE, "Completed: Count", minutes=31)])
    assert [proxy.index(r, 0).data(EventIdRole) for r in range(proxy.rowCount())] == ["ev0003", "ev0005"]
    assert not proxy.mapFromSource(model.index(4, 0)).isValid()
    assert proxy.mapToSource(proxy.index(1, COL_WHAT)).row() == 3
    proxy.set_kind(KIND_STATE)
    proxy.set_text("")
    model.set_items(items)
    assert proxy.rowCount() == 2


def test_filtered_proxy_passes_qt_model_tester(qtmodeltester, items):
    model = TimelineModel()
    model.set_items(items)
    proxy = TimelineFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("breach")
    qtmodeltester.check(proxy, force_py=True)


def test_model_shows_local_time_with_utc_tooltip_and_marks_amendments(items):
    model = TimelineModel()
    model.set_items(items)
    when = model.index(0, COL_WHEN)
    assert when.data() == T0.astimezone().strftime("%Y-%m-%d %H:%M ") + zone_name(T0.astimezone())  # named, as elsewhere
    assert "2026-03-01T09:30:00.000000+00:00 (UTC)" in when.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, COL_WHO).data() == "alice"
    assert model.index(1, COL_STEP).data() == "confirm"
    amended = model.index(2, COL_WHAT)
    assert amended.data() == "Timeline: Vendor called" + AMENDED_MARK
    assert "title: Vendor emailed" in amended.data(Qt.ItemDataRole.ToolTipRole)
    assert amended.data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(2, 0).data(EventIdRole) == "ev0003"
    assert model.index(3, 0).data(KindRole) == ev.STEP_NOTED
    assert model.index(1, COL_WHAT).data(Qt.ItemDataRole.FontRole) is None


def test_proxy_filters_by_words_and_kind(items):
    model = TimelineModel()
    model.set_items(items)
    proxy = TimelineFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("BREACH")
    assert proxy.rowCount() == 2
    proxy.set_text("breach writing")
    assert proxy.rowCount() == 1
    proxy.set_text("")
    proxy.set_kind(KIND_MANUAL)
    assert [proxy.index(r, 0).data(EventIdRole) for r in range(proxy.rowCount())] == ["ev0003"]
    proxy.set_kind(KIND_STATE)
    assert proxy.rowCount() == 2  # opened + done; the note is neither a state change nor an entry
    proxy.set_text("vendor")
    assert proxy.rowCount() == 0
    proxy.set_text("a+b (c")  # regex metacharacters are literal text
    assert proxy.rowCount() == 0
    with pytest.raises(ValueError):
        proxy.set_kind("bogus")


def test_panel_shows_incident_and_clears(panel, store, incident):
    assert texts(panel, COL_WHAT) == ["Incident opened: Acme breach"]
    assert panel.count_label.text() == "1 event"
    assert panel.add_action.isEnabled()
    panel.show_session(None)
    assert panel.model.rowCount() == 0
    assert not panel.add_action.isEnabled()


def test_add_entry_by_keyboard_with_backdated_time(qtbot, panel, store, incident):
    panel.window().show()
    panel.activateWindow()
    qtbot.waitActive(panel.window())
    panel.table.setFocus()
    with qtbot.waitSignal(panel.session.events_added):
        QTest.keySequence(panel.window().windowHandle(), QKeySequence("Ctrl+T"))
        dialog = panel.findChild(EntryDialog)
        assert dialog is not None and dialog.isVisible()
        qtbot.keyClicks(dialog.title_edit, "Vendor confirmed the breach by phone")
        dialog.detail_edit.setPlainText("Call with their CISO")
        dialog.category_box.setCurrentText("vendor")
        backdated = T0 - timedelta(days=2)
        dialog.when_edit.set_utc(backdated)
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    stored = store.events(incident.id)[-1]
    assert stored.kind == ev.TIMELINE_ENTRY and stored.actor == "bob"
    assert stored.payload["title"] == "Vendor confirmed the breach by phone"
    assert stored.payload["category"] == "vendor"
    assert parse_ts(stored.occurred_at) == backdated
    # Backdated before the incident opened: it is the first row, and selected.
    assert "Vendor confirmed the breach by phone" in texts(panel, COL_WHAT)[0]
    assert panel.selected_item().event.id == stored.id


def test_entry_dialog_needs_a_title(qtbot):
    dialog = EntryDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.title_edit.setText("   ")
    assert not ok.isEnabled()
    dialog.title_edit.setText("Something")
    assert ok.isEnabled()


def test_amend_keeps_original_and_marks_it(qtbot, panel, store, incident):
    entry = store.append(incident.id, ev.TIMELINE_ENTRY, actor="alice",
                         payload={"title": "Vendor emailed", "detail": "", "category": "vendor"})
    panel.session.read_new()
    assert panel.select_event(entry.id)
    assert panel.amend_action.isEnabled()
    with qtbot.waitSignal(panel.session.events_added):
        panel.amend_button.click()
        dialog = panel.findChild(AmendDialog)
        assert dialog.title_edit.text() == "Vendor emailed"
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        dialog.title_edit.setText("Vendor phoned")
        assert not ok.isEnabled()  # a reason is required
        dialog.reason_edit.setText("it was a call, not an email")
        ok.click()
    events = store.events(incident.id)
    assert [e.kind for e in events][-2:] == [ev.TIMELINE_ENTRY, ev.TIMELINE_AMENDED]
    assert events[-2].payload["title"] == "Vendor emailed"  # the original stays
    assert events[-1].payload == {"target": entry.id, "reason": "it was a call, not an email", "title": "Vendor phoned"}
    row = panel.model.row_of_event(entry.id)
    what = panel.model.index(row, COL_WHAT)
    assert what.data().endswith(AMENDED_MARK) and "Vendor phoned" in what.data()
    assert "Vendor emailed" in what.data(Qt.ItemDataRole.ToolTipRole)
    assert panel.selected_item().event.id == entry.id


def test_new_events_are_appended_without_reading_the_log_again(qtbot, panel, store, incident, tmp_path):
    with Store(store.path) as other:  # another window or the CLI
        other.append(incident.id, ev.STEP_DONE, actor="carol", step_id="confirm")
        other.append(incident.id, ev.STEP_DONE, actor="carol", step_id="count")
    reads: list[str] = []
    store.conn.set_trace_callback(reads.append)
    try:
        with qtbot.assertNotEmitted(panel.model.modelReset):
            with qtbot.waitSignal(panel.model.rowsInserted) as inserted:
                panel.session.read_new()
    finally:
        store.conn.set_trace_callback(None)
    assert len(reads) == 1  # the session's one read; the panel reads nothing
    assert inserted.args[1:] == [1, 2]
    assert texts(panel, COL_WHO) == ["alice", "carol", "carol"]
    panel.add_events(store.events(incident.id))  # events the rows show already are not added twice
    assert panel.model.rowCount() == 3


def test_a_backdated_entry_from_elsewhere_takes_its_place_in_time(qtbot, panel, store, incident):
    store.append(incident.id, ev.STEP_DONE, actor="carol", step_id="confirm")
    panel.session.read_new()
    early = store.append(incident.id, ev.TIMELINE_ENTRY, actor="carol", payload={"title": "First contact"},
                         occurred_at=T0 - timedelta(hours=1))
    panel.session.read_new()
    assert texts(panel, COL_WHAT) == ["Timeline: First contact", "Incident opened: Acme breach",
                                      "Completed: Confirm the breach in writing"]
    assert panel.model.item(0).event.id == early.id


def test_a_note_edited_elsewhere_shows_as_a_summary_of_its_change(qtbot, panel, store, incident, tmp_path):
    long_note = "\n".join(f"line {i} of the vendor's answer" for i in range(500))
    store.append(incident.id, ev.STEP_NOTED, actor="alice", step_id="count", payload={"text": long_note})
    panel.session.read_new()
    with Store(store.path) as other:  # the CLI adds to the note: only the new event is read
        other.append(incident.id, ev.STEP_NOTED, actor="carol", step_id="count",
                     payload={"text": long_note + "\nand one more line"})
    with qtbot.assertNotEmitted(panel.model.modelReset):
        panel.session.read_new()
    details = [item.detail for item in panel.model.items() if item.event.kind == ev.STEP_NOTED]
    assert details[0].startswith("Note added: 15,")
    assert details[1] == "Note edited: +18 characters; first changed line: “and one more line”"
    tip = panel.model.index(panel.model.rowCount() - 1, COL_WHAT).data(Qt.ItemDataRole.ToolTipRole)
    assert "line 499" not in tip  # the window's timeline shows the summary, not the note


def test_filter_box_and_kind_filter(qtbot, panel, store, incident):
    store.append(incident.id, ev.STEP_DONE, actor="alice", step_id="confirm")
    store.append(incident.id, ev.TIMELINE_ENTRY, actor="alice", payload={"title": "Regulator called"})
    panel.session.read_new()
    qtbot.keyClicks(panel.filter_edit, "regulator")
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1)
    assert panel.count_label.text() == "1 of 3 events"
    panel.filter_edit.clear()
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 3)
    done = store.events(incident.id)[1]
    assert panel.select_event(done.id)
    panel.kind_box.setCurrentIndex(panel.kind_box.findData(KIND_STATE))
    assert texts(panel, COL_WHAT) == ["Incident opened: Acme breach", "Completed: Confirm the breach in writing"]
    assert panel.selected_item().event.id == done.id  # the selection survives refiltering


def test_a_log_the_panel_cannot_read_is_a_message_not_a_crash(qtbot, store, incident, tmp_path):
    entry = store.append(incident.id, ev.TIMELINE_ENTRY, actor="alice", payload={"title": "Vendor emailed"})
    store.append(incident.id, ev.STEP_DONE, actor="alice", step_id="confirm")  # the session opens without the entry
    with Store(store.path) as other:
        other.conn.execute("DROP TRIGGER events_no_update")
        other.conn.execute("UPDATE events SET payload = '{not json' WHERE id = ?", (entry.id,))
    widget = open_panel(qtbot, store)
    widget.open(incident.id)
    box = widget.window().findChild(QMessageBox)
    assert box is not None and "corrupt payload" in box.text()
    assert widget.model.rowCount() == 0
    box.close()


def test_refused_write_is_a_message_not_a_crash(qtbot, panel, store, incident):
    operations.close_incident(store, incident_id=incident.id, actor="alice")
    panel.add_action.trigger()
    dialog = panel.findChild(EntryDialog)
    dialog.title_edit.setText("Too late")
    with qtbot.waitSignal(panel.session.events_added) as read:
        dialog.accept()
    assert [e.kind for e in read.args[0]] == [ev.INCIDENT_CLOSED]  # the write path read what refused it
    box = panel.window().findChild(QMessageBox)
    assert box is not None and "closed" in box.text()
    assert store.events(incident.id)[-1].kind == ev.INCIDENT_CLOSED
    assert panel.model.item(panel.model.rowCount() - 1).event.kind == ev.INCIDENT_CLOSED
    box.close()


def test_export_button_emits(qtbot, panel):
    with qtbot.waitSignal(panel.export_requested):
        panel.export_button.click()


def test_large_incident_loads_in_the_background(qtbot, store, incident, tmp_path):
    for step in ("confirm", "count"):
        store.append(incident.id, ev.STEP_DONE, actor="alice", step_id=step)
    other = store.create_incident(tiny_playbook(), "Other breach", actor="dana", aware_at=T0)
    widget = open_panel(qtbot, store, async_threshold=0)
    with qtbot.waitSignal(widget.loaded, timeout=10000):
        widget.open(incident.id)
        assert widget.is_loading()
        assert widget.count_label.text() == "Loading…"
        assert not widget.add_action.isEnabled()
        widget.open(other.id)  # the first load's result must be dropped
    assert texts(widget, COL_WHO) == ["dana"]
    assert widget.add_action.isEnabled()
    # Events that arrive while loading join the rows once the load is in, each once.
    with qtbot.waitSignal(widget.loaded, timeout=10000):
        widget.open(incident.id)
        store.append(incident.id, ev.TIMELINE_ENTRY, actor="carol", payload={"title": "Late news"})
        widget.session.read_new()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 4)
    assert texts(widget, COL_WHO)[-1] == "carol"


def test_background_load_error_is_a_message(qtbot, store, incident, tmp_path):
    widget = open_panel(qtbot, store, async_threshold=0)
    widget.open(incident.id)
    widget.loader.wait()
    store.path.rename(tmp_path / "moved.db")  # the worker's own connection cannot open it
    widget.loader.start(store, incident.id)
    qtbot.waitUntil(lambda: widget.findChild(QMessageBox) is not None, timeout=10000)
    assert not widget.is_loading()


def test_copy_selected_entry(qtbot, panel, store, incident):
    entry = store.append(incident.id, ev.TIMELINE_ENTRY, actor="alice", occurred_at=T0,
                         payload={"title": "Vendor emailed", "detail": "", "category": "vendor"})
    panel.session.read_new()
    panel.select_event(entry.id)
    panel.table.setFocus()
    panel.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == \
        "2026-03-01T09:30:00.000000+00:00\talice\tTimeline: Vendor emailed\t\tvendor"


def test_reload_after_an_amendment_elsewhere_keeps_the_selection(qtbot, panel, store, incident):
    first = store.append(incident.id, ev.TIMELINE_ENTRY, actor="alice", payload={"title": "Vendor emailed"})
    panel.session.read_new()
    opened = store.events(incident.id)[0]
    assert panel.select_event(opened.id)
    operations.amend_event(store, incident_id=incident.id, event_id=first.id, actor="carol", title="Vendor phoned",
                           reason="typo")
    with qtbot.waitSignal(panel.model.modelReset):  # an amendment changes an earlier row: the rows are remade
        panel.session.read_new()
    assert panel.selected_item().event.id == opened.id
    assert "Vendor phoned" in panel.model.item(panel.model.row_of_event(first.id)).title


LONG_ID = "scope-reconstruct-shared-data"  # the longest id in the built-in playbook


def test_step_column_fits_the_playbooks_ids_and_names_the_step_in_its_tooltip(qtbot, store):
    playbook = tiny_playbook(MARKDOWN.replace("{#count}", "{#" + LONG_ID + "}"))
    incident = store.create_incident(playbook, "Acme breach", actor="alice", aware_at=T0)
    operations.complete_step(store, incident_id=incident.id, step_id=LONG_ID, actor="alice")
    panel = open_panel(qtbot, store)
    panel.window().resize(1060, 600)
    panel.window().show()
    qtbot.waitExposed(panel)
    panel.open(incident.id)
    header = panel.table.horizontalHeader()
    assert header.sectionSize(COL_STEP) >= panel.table.fontMetrics().horizontalAdvance(LONG_ID)  # not cut off
    row = texts(panel, COL_STEP).index(LONG_ID)
    tip = panel.proxy.index(row, COL_STEP).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"Scope › Count affected people\n{LONG_ID}")
    panel.window().resize(700, 600)  # a narrow table: the column gives way to What
    qtbot.waitUntil(lambda: header.sectionSize(COL_STEP) < panel.table.fontMetrics().horizontalAdvance(LONG_ID))
