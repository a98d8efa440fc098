"""The window's time fields: a time the core would refuse keeps the dialog open with the reason;
one before the awareness time is a note, not a refusal; the skip dialog says when."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from window_helpers import open_panel, press, step_ids, with_incident

from incidentkit.core.events import parse_ts
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.ui.incidents.new_dialog import NewIncidentDialog
from incidentkit.ui.steps.dialogs import TextPrompt
from incidentkit.ui.timeline.entry_dialogs import EntryDialog

FUTURE = datetime(2030, 1, 1, 9, 0, tzinfo=timezone.utc)


def _open_skip(window) -> TextPrompt:
    window.steps.tree.setFocus()
    press(window, Qt.Key.Key_S)
    return next(p for p in window.findChildren(TextPrompt) if p.isVisible())


def test_skip_dialog_has_a_time_field_and_records_it(qtbot, open_window):
    window = with_incident(open_window())
    step = step_ids(window)[0]
    prompt = _open_skip(window)
    assert prompt.when_edit is not None and prompt.when_edit.isVisible()
    earlier = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(hours=3)
    prompt.when_edit.set_utc(earlier)
    QTest.keyClicks(prompt.edit, "the vendor counts for us")
    QTest.keyClick(prompt.edit, Qt.Key.Key_Return)
    event = window.store.events(window.session().id)[-1]
    assert (event.kind, event.payload["reason"], parse_ts(event.occurred_at)) == \
        ("step.skipped", "the vendor counts for us", earlier)
    assert window.session().step_state(step).status == "skipped"


def test_skip_dialog_left_at_now_records_now(qtbot, open_window):
    window = with_incident(open_window())
    prompt = _open_skip(window)
    QTest.keyClicks(prompt.edit, "n/a")
    QTest.keyClick(prompt.edit, Qt.Key.Key_Return)
    event = window.store.events(window.session().id)[-1]
    assert event.occurred_at == event.recorded_at  # not the time the dialog opened


def test_skip_dialog_refuses_a_future_time_and_notes_one_before_awareness(qtbot, open_window):
    window = with_incident(open_window())
    prompt = _open_skip(window)
    QTest.keyClicks(prompt.edit, "n/a")
    ok = prompt.buttons.button(prompt.buttons.StandardButton.Ok)
    prompt.when_edit.set_utc(FUTURE)
    assert not ok.isEnabled()
    assert prompt.when_note.isVisible() and prompt.when_note.text().startswith(
        "Cannot be saved: 2030-01-01 09:00 UTC is in the future")
    QTest.keyClick(prompt.edit, Qt.Key.Key_Return)
    assert prompt.isVisible() and window.store.event_count(window.session().id) == 1
    aware = parse_ts(window.session().state.aware_at)
    prompt.when_edit.set_utc(aware - timedelta(days=2))
    assert ok.isEnabled()  # a note, not a refusal
    assert "is before the awareness time" in prompt.when_note.text()
    QTest.keyClick(prompt.edit, Qt.Key.Key_Return)
    assert window.store.events(window.session().id)[-1].kind == "step.skipped"


def test_add_entry_dialog_keeps_a_2030_date_from_being_saved(qtbot, store, incident):
    panel = open_panel(qtbot, store)
    panel.open(incident)
    panel.add_entry()
    dialog = panel.findChild(EntryDialog)
    dialog.title_edit.setText("Regulator called")
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled() and dialog.when_note.isHidden()
    dialog.when_edit.set_utc(FUTURE)
    assert not ok.isEnabled() and "cannot be right" in dialog.when_note.text()
    dialog.accept()
    assert dialog.isVisible() and store.event_count(incident) == 1
    dialog.when_edit.set_utc(parse_ts(store.incident(incident).aware_at) - timedelta(days=1))
    assert ok.isEnabled() and "before the awareness time" in dialog.when_note.text()


def test_new_incident_dialog_refuses_a_future_awareness_time(qtbot):
    dialog = NewIncidentDialog(PlaybookLibrary.discover(None), playbook_id="vendor-data-breach")
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Mailer vendor breach")
    assert dialog.ok_button.isEnabled()
    dialog.aware_edit.set_utc(FUTURE)
    assert not dialog.ok_button.isEnabled() and "is in the future" in dialog.aware_note.text()
