"""The window with a colleague writing to the same database: nothing they wrote is replaced
unseen, and the awareness time and amendments are corrected as the record allows.

Before: the note autosave replaced a note set meanwhile by `incidentkit note`, the assign
and skip dialogs wrote over what changed while they were open, the header's "aware since"
never changed, and the amend dialog let a step's title be rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from incidentkit.core import events as ev
from incidentkit.core import operations
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.store import Store
from incidentkit.ui.app import build_window
from incidentkit.ui.incidents.awareness_dialog import AwarenessDialog
from incidentkit.ui.main_window import MainWindow
from incidentkit.ui.settings import Settings
from incidentkit.ui.steps.dialogs import TextPrompt
from incidentkit.ui.steps.note_merge_dialog import NoteMergeDialog
from incidentkit.ui.timeline.entry_dialogs import AmendDialog


@pytest.fixture
def window(qtbot, paths: AppPaths, tmp_path: Path) -> Iterator[MainWindow]:
    with Store.open(paths) as store:
        playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
        operations.open_incident(store, playbook=playbook, title="Mailer vendor breach", actor="setup",
                                 aware_at=datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc))
        settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
        settings.set_display_name("Dana")
        win = build_window(store=store, paths=paths, settings=settings, persist=False)
        win._poll.stop()  # the tests say when the window looks at the database
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        yield win


@pytest.fixture
def colleague(paths: AppPaths) -> Iterator[Store]:
    """A second connection, as `incidentkit` on the command line opens it."""
    with Store.open(paths) as store:
        yield store


def _visible(window: MainWindow, kind: type):
    QApplication.processEvents()
    found = [w for w in window.findChildren(kind) if w.isVisible()]
    assert len(found) == 1, found
    return found[0]


def _note(store: Store, incident_id: str, step: str) -> str:
    last = store.last_event(incident_id, (ev.STEP_NOTED,), step)
    return str(last.payload["text"]) if last else ""


def _type_note_while_colleague_saves(window: MainWindow, colleague: Store) -> tuple[str, str]:
    incident, step = window.session().id, window.steps.selected_step_id()
    QTest.keyClicks(window.steps.detail.notes, "Vendor called at 09:10")
    operations.note_step(colleague, incident_id=incident, step_id=step, text="Regulator hotline: +44 20 7946 0000",
                         actor="bob")
    window.steps.detail.flush()  # what the autosave timer does 800 ms after the last key
    return incident, step


def test_a_note_changed_meanwhile_opens_the_merge_dialog_and_the_merge_is_saved(window, colleague) -> None:
    incident, step = _type_note_while_colleague_saves(window, colleague)
    dialog = _visible(window, NoteMergeDialog)
    assert _note(colleague, incident, step) == "Regulator hotline: +44 20 7946 0000"  # not replaced
    assert dialog.theirs_edit.toPlainText() == "Regulator hotline: +44 20 7946 0000"
    assert dialog.mine_edit.toPlainText() == "Vendor called at 09:10"
    assert dialog.merge_edit.toPlainText() == "Regulator hotline: +44 20 7946 0000\nVendor called at 09:10"
    assert "bob" in dialog.windowTitle()
    detail = window.steps.detail
    assert detail.notes.isReadOnly() and detail.notes.toPlainText() == "Vendor called at 09:10"
    window.poll()  # reading new events while the dialog is open keeps the text typed here
    assert detail.notes.toPlainText() == "Vendor called at 09:10"

    dialog.merge_edit.setPlainText("Regulator hotline: +44 20 7946 0000\nVendor called at 09:10 (Sam)")
    dialog.save_button.click()
    assert _note(colleague, incident, step) == "Regulator hotline: +44 20 7946 0000\nVendor called at 09:10 (Sam)"
    assert not detail.notes.isReadOnly() and detail.notes.toPlainText() == _note(colleague, incident, step)
    # Typing on builds on the merged note: saved without another dialog.
    QTest.keyClicks(detail.notes, ".")
    detail.flush()
    assert _note(colleague, incident, step).endswith("(Sam).")
    assert not [d for d in window.findChildren(NoteMergeDialog) if d.isVisible()]


def test_keeping_their_note_writes_nothing(window, colleague) -> None:
    incident, step = _type_note_while_colleague_saves(window, colleague)
    count = colleague.event_count(incident)
    dialog = _visible(window, NoteMergeDialog)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # dismissing decides nothing
    assert dialog.isVisible()
    dialog.keep_button.click()
    assert colleague.event_count(incident) == count
    assert window.steps.detail.notes.toPlainText() == "Regulator hotline: +44 20 7946 0000"
    assert "Kept bob's note" in window.steps.detail.note_status.text()


def test_the_window_stays_open_while_a_merge_is_undecided(window, colleague) -> None:
    QTest.keyClicks(window.steps.detail.notes, "half a sentence")
    operations.note_step(colleague, incident_id=window.session().id, step_id=window.steps.selected_step_id(),
                         text="theirs", actor="bob")
    window.close()  # saves the note first: refused, so the merge dialog opens instead
    assert window.isVisible()
    assert _visible(window, NoteMergeDialog).mine_edit.toPlainText() == "half a sentence"


def test_an_assignment_made_while_the_dialog_was_open_is_kept(window, colleague) -> None:
    incident, step = window.session().id, window.steps.selected_step_id()
    window.actions_.assign.trigger()
    prompt = _visible(window, TextPrompt)
    operations.assign_step(colleague, incident_id=incident, step_id=step, assignee="Lee", actor="bob")
    prompt.edit.setText("Sam")
    prompt.accept()
    box = _visible(window, QMessageBox)
    assert f"step '{step}' was assigned to Lee by bob at " in box.text() and "nothing was changed" in box.text()
    assert window.session().step_state(step).assignee == "Lee"  # the window shows the state as it is
    assert "Assigned to Lee" in window.steps.detail.meta.text()


def test_a_step_completed_while_the_skip_dialog_was_open_is_not_skipped(window, colleague) -> None:
    incident, step = window.session().id, window.steps.selected_step_id()
    window.actions_.skip.trigger()
    prompt = _visible(window, TextPrompt)
    operations.complete_step(colleague, incident_id=incident, step_id=step, actor="bob")
    prompt.edit.setText("not our vendor")
    prompt.accept()
    box = _visible(window, QMessageBox)
    assert "was marked done by bob" in box.text() and "it was not skipped" in box.text()
    assert window.session().step_state(step).status == "done"


def test_correct_the_awareness_time_from_the_header(window) -> None:
    header = window.header
    assert "(corrected)" not in header.facts.text() and header.correct_button.isVisible()
    header.correct_button.click()
    dialog = _visible(window, AwarenessDialog)
    assert not dialog.ok_button.isEnabled()
    dialog.when_edit.set_utc(datetime(2026, 11, 20, 7, 30, tzinfo=timezone.utc))
    assert not dialog.ok_button.isEnabled()  # a reason is required
    dialog.reason_edit.setText("the vendor's first email came at 07:30")
    dialog.ok_button.click()
    state = window.session().state
    assert state.aware_at == "2026-11-20T07:30:00.000000+00:00"
    assert header.facts.text().split(" · ")[2].endswith(" (corrected)")
    assert "Corrected by Dana" in header.facts.toolTip() and "the vendor's first email" in header.facts.toolTip()
    assert window.incidents.model.incident_row(0).aware_at == state.aware_at


def test_the_amend_dialog_keeps_a_system_event_s_title(window, qtbot) -> None:
    window.tabs.setCurrentWidget(window.timeline_page)
    panel = window.timeline
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    opened = panel.model.item(0)
    dialog = AmendDialog(opened, window)
    qtbot.addWidget(dialog)
    assert dialog.title_edit.isReadOnly() and not dialog.category_box.isEnabled()
    assert not dialog.when_edit.isEnabled()  # the opening is at the awareness time: corrected in the header
    operations.complete_step(window.store, incident_id=window.session().id,
                             step_id=window.steps.selected_step_id(), actor="Dana")
    window.commands.read_incident(window.session().id)
    done = next(panel.model.item(r) for r in range(panel.model.rowCount())
                if panel.model.item(r).event.kind == ev.STEP_DONE)
    step_dialog = AmendDialog(done, window)
    qtbot.addWidget(step_dialog)
    assert step_dialog.title_edit.isReadOnly() and step_dialog.when_edit.isEnabled()
