"""The main window on a real database under tmp_path: walk an incident by keyboard, as a responder would."""

from __future__ import annotations


from window_helpers import press, start_incident, step_ids, timeline_titles, visible_texts, with_incident
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QStyle

from incidentkit.core import operations
from incidentkit.core.paths import AppPaths
from incidentkit.core.store import Store
from incidentkit.ui.incidents.new_dialog import NewIncidentDialog
from incidentkit.ui.steps.dialogs import TextPrompt
from incidentkit.ui.timeline.entry_dialogs import EntryDialog
from incidentkit.ui.widgets.check_style import VisibleChecksStyle
from incidentkit.ui.widgets.times import local_time

BROKEN_PLAYBOOK = """\
---
id: broken
title: Broken
version: "1"
---

## Scope

- [ ] A step {#same}
- [ ] Another step {#same}
"""


def test_first_run_offers_to_start_an_incident(open_window):
    window = open_window()
    assert window.stack.currentWidget() is window.empty
    assert "Start an incident from a playbook" in window.empty.start_button.text()
    assert not window.incidents.isVisible()  # no empty list beside it
    window.close()  # saves the splitters while the list is hidden
    start_incident(window.store)
    again = open_window()
    assert again.incidents.isVisible() and again.incidents.width() >= 120


def test_create_an_incident_from_the_dialog(qtbot, open_window):
    window = open_window()
    window.empty.start_button.click()
    dialog = window.findChild(NewIncidentDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.select_playbook("vendor-data-breach")
    dialog.title_edit.setText("Mailer vendor breach")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: window.session() is not None)
    assert window.stack.currentWidget() is window.incident_page
    qtbot.waitUntil(lambda: window.incidents.isVisible() and window.incidents.width() >= 120, timeout=2000)
    assert window.header.title.text() == "Mailer vendor breach"
    assert [i.title for i in window.store.incidents()] == ["Mailer vendor breach"]
    assert window.incidents.model.rowCount() == 1
    assert window.steps.model.rowCount() == len(window.session().playbook.phases)
    assert window.steps.selected_step_id() == step_ids(window)[0]  # ready to work on the first step
    assert len(timeline_titles(window)) == 1


def test_complete_steps_by_keyboard(open_window):
    window = with_incident(open_window())
    first, second, third = step_ids(window)[:3]
    window.steps.tree.setFocus()
    assert window.steps.selected_step_id() == first
    press(window, Qt.Key.Key_Space)
    assert window.session().step_state(first).status == "done"
    assert window.steps.selected_step_id() == second  # moved on to the next open step
    press(window, Qt.Key.Key_Space)
    assert window.session().step_state(second).status == "done"
    assert window.steps.model.data(window.steps.model.index_for_step(second), Qt.ItemDataRole.CheckStateRole) \
        == Qt.CheckState.Checked
    # Space on a done step unticks it: reopened.
    window.steps.select_step(first)
    press(window, Qt.Key.Key_Space)
    assert window.session().step_state(first).status == "open"
    assert [e.kind for e in window.store.events(window.session().id)][1:] == ["step.done", "step.done", "step.reopened"]
    assert window.steps.detail.meta.text().endswith(" · Open (reopened by Dana, " + local_time(
        window.session().step_state(first).at) + ")")
    # N jumps to the next open step after the selection: the first is open again, the second is done.
    press(window, Qt.Key.Key_N)
    assert window.steps.selected_step_id() == third
    titles = timeline_titles(window)
    assert len(titles) == 4 and titles[-1].startswith("Reopened")


def test_skip_needs_a_reason_and_shows_it(qtbot, open_window):
    window = with_incident(open_window())
    step = step_ids(window)[0]
    window.steps.tree.setFocus()
    press(window, Qt.Key.Key_S)
    prompt = window.findChild(TextPrompt)
    assert prompt is not None and prompt.isVisible()
    ok = prompt.buttons.buttons()[0]
    assert not ok.isEnabled()  # no reason, no skip
    prompt.accept()
    assert window.session().step_state(step).status == "open"
    assert prompt.field is prompt.edit  # nothing used before: a plain line, no empty drop-down
    QTest.keyClicks(prompt.edit, "vendor holds no card data")
    assert ok.isEnabled()
    QTest.keyClick(prompt.edit, Qt.Key.Key_Return)
    state = window.session().step_state(step)
    assert (state.status, state.reason, state.by) == ("skipped", "vendor holds no card data", "Dana")
    index = window.steps.model.index_for_step(step)
    assert window.steps.model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    assert "vendor holds no card data" in window.steps.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert window.steps.model.data(index.siblingAtColumn(3)) == "Skipped"
    assert "vendor holds no card data" in timeline_titles(window)[-1]
    window.steps.select_step(step)
    meta = window.steps.detail.meta
    assert "Skipped by Dana, " in meta.text() and meta.text().endswith(": vendor holds no card data")
    assert meta.toolTip().startswith("Skipped at ") and meta.toolTip().endswith(" UTC")


def test_skip_offers_the_reasons_used_in_this_incident_most_recent_first(qtbot, open_window):
    window = with_incident(open_window())
    first, second, third = step_ids(window)[:3]
    for step, reason in ((first, "vendor holds no card data"), (second, "no EU residents affected")):
        window.steps.select_step(step)
        window.steps.tree.setFocus()
        press(window, Qt.Key.Key_S)
        prompt = next(p for p in window.findChildren(TextPrompt) if p.isVisible())
        QTest.keyClicks(prompt.edit, reason)
        QTest.keyClick(prompt.edit, Qt.Key.Key_Return)
        assert window.session().step_state(step).reason == reason
    window.steps.select_step(third)
    window.steps.tree.setFocus()
    press(window, Qt.Key.Key_S)
    prompt = next(p for p in window.findChildren(TextPrompt) if p.isVisible())
    offered = [prompt.field.itemText(i) for i in range(prompt.field.count())]
    assert offered == ["no EU residents affected", "vendor holds no card data"]
    assert prompt.text() == ""  # offered, not chosen for the responder
    prompt.field.setCurrentIndex(1)
    QTest.keyClick(prompt.edit, Qt.Key.Key_Return)
    assert window.session().step_state(third).reason == "vendor holds no card data"


def test_note_survives_closing_the_window_mid_sentence(open_window):
    window = with_incident(open_window())
    step = window.steps.selected_step_id()
    QTest.keyClicks(window.steps.detail.notes, "Called the vendor; they confirm")
    window.close()  # well before the save timer fires
    again = open_window()
    assert again.steps.selected_step_id() == step
    assert again.steps.detail.notes.toPlainText() == "Called the vendor; they confirm"
    assert again.session().step_state(step).note_by == "Dana"


def test_note_saves_after_a_pause_in_typing(qtbot, open_window):
    window = with_incident(open_window())
    step = window.steps.selected_step_id()
    QTest.keyClicks(window.steps.detail.notes, "draft")
    assert window.session().step_state(step).note == ""
    qtbot.waitUntil(lambda: window.session().step_state(step).note == "draft", timeout=3000)
    assert sum(e.kind == "step.noted" for e in window.store.events(window.session().id)) == 1
    assert "Note on" in timeline_titles(window)[-1]


def test_filter_by_text_and_role(open_window):
    window = with_incident(open_window())
    everything = window.steps.visible_step_ids()
    QTest.keyClick(window.steps.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.steps.filter_edit.hasFocus()
    QTest.keyClicks(window.steps.filter_edit, "insurer")
    shown = window.steps.visible_step_ids()
    playbook = window.session().playbook
    assert shown and shown < everything
    assert all("insurer" in playbook.step(s).text.lower() or s in {p.parent_id for p in playbook.steps()}
               for s in shown)
    window.steps.filter_edit.clear()
    role_index = next(i for i in range(1, window.steps.role_box.count()))
    window.steps.role_box.setCurrentIndex(role_index)
    role = window.steps.role_box.itemData(role_index)
    shown = window.steps.visible_step_ids()
    assert shown and all(playbook.step(s).role == role for s in shown)


def test_switching_incidents_keeps_each_selection(open_window):
    window = open_window()
    first = start_incident(window.store, "First")
    second = start_incident(window.store, "Second")
    window.reload_incidents(select=first)
    chosen = step_ids(window)[5]
    window.steps.select_step(chosen)
    window.incidents.select(second)
    assert window.session().id == second
    assert window.steps.selected_step_id() == step_ids(window)[0]
    window.incidents.select(first)
    assert window.steps.selected_step_id() == chosen


def test_another_process_writing_shows_up(open_window):
    window = with_incident(open_window())
    incident = window.session().id
    step = step_ids(window)[3]
    with Store.open(window.paths) as other:  # a second connection, as the CLI would open
        operations.complete_step(other, incident_id=incident, step_id=step, actor="cli")
    window.poll()
    assert window.session().step_state(step).status == "done"
    assert window.steps.model.index_for_step(step).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert window.incidents.model.incident_row(0).finished == 1
    assert timeline_titles(window)[-1].startswith("Completed")
    window.poll()  # nothing new: nothing read again
    assert window._data_version == window.store.data_version()


def test_a_refusal_from_the_core_is_a_message_not_a_crash(qtbot, open_window):
    window = with_incident(open_window())
    incident = window.session().id
    step = window.steps.selected_step_id()
    with Store.open(window.paths) as other:
        operations.close_incident(other, incident_id=incident, actor="cli")
    window.actions_.done.trigger()  # the window has not polled yet: the core refuses
    box = window.findChild(QMessageBox)
    assert box is not None and "closed" in box.text()
    assert window.session().step_state(step).status == "open"


def test_broken_user_playbook_is_listed_with_its_line(qtbot, open_window, paths: AppPaths):
    (paths.playbooks_dir / "broken.md").write_text(BROKEN_PLAYBOOK, encoding="utf-8")
    window = open_window()
    qtbot.waitUntil(window.problems_dock.isVisible, timeout=2000)
    text = visible_texts(window.problems)
    assert "broken.md:10" in text


def test_geometry_and_splitters_persist(open_window):
    window = open_window()
    window.resize(760, 560)
    window.splitter.setSizes([200, 560])
    sizes = window.splitter.sizes()
    window.close()
    again = open_window()
    assert (again.width(), again.height()) == (760, 560)
    assert again.splitter.sizes() == sizes


def test_the_steps_and_detail_splitters_persist_too(open_window):
    window = with_incident(open_window())
    inner = lambda w: (w.steps.splitter, w.steps.detail.splitter)  # noqa: E731
    for splitter in inner(window):
        total = sum(splitter.sizes())
        splitter.setSizes([total // 3, total - total // 3])
    share = lambda w: [round(s.sizes()[0] / sum(s.sizes()), 1) for s in inner(w)]  # noqa: E731
    assert share(window) == [0.3, 0.3]  # was 2:1 and 3:1 by default
    window.close()
    again = open_window()
    assert share(again) == [0.3, 0.3]


def test_fixing_the_playbook_on_disk_clears_the_problem(qtbot, open_window, paths: AppPaths):
    broken = paths.playbooks_dir / "broken.md"
    broken.write_text(BROKEN_PLAYBOOK, encoding="utf-8")
    window = open_window()
    qtbot.waitUntil(window.problems_dock.isVisible, timeout=2000)
    broken.write_text(BROKEN_PLAYBOOK.replace("Another step {#same}", "Another step {#other}"), encoding="utf-8")
    qtbot.waitUntil(lambda: not window.problems_dock.isVisible(), timeout=5000)
    assert "broken" in window.library.ids()


def test_ctrl_t_adds_a_timeline_entry(qtbot, open_window):
    window = with_incident(open_window())
    QApplication.processEvents()
    QTest.keyClick(window.steps.tree, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.timeline_page
    dialog = window.findChild(EntryDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.title_edit.setText("Vendor called back")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert timeline_titles(window)[-1] == "Timeline: Vendor called back"
    assert window.session().state.last_seq == window.store.events(window.session().id)[-1].seq  # the session read it


def test_assign_by_keyboard_and_the_display_name_from_settings(qtbot, open_window):
    window = with_incident(open_window())
    step = window.steps.selected_step_id()
    tree = window.steps.tree
    assert tree.isColumnHidden(2)  # no step is assigned yet: no Assignee column
    assert window.steps.detail.history.item(0).text() == "Nothing done to this step yet."
    window.settings.set_display_name("Priya N")
    press(window, Qt.Key.Key_A)
    prompt = window.findChild(TextPrompt)
    prompt.field.setCurrentText("Sam")
    prompt.buttons.buttons()[0].click()
    state = window.session().step_state(step)
    assert state.assignee == "Sam"
    assert window.store.events(window.session().id)[-1].actor == "Priya N"
    assert window.steps.model.data(window.steps.model.index_for_step(step).siblingAtColumn(2)) == "Sam"
    assert "Sam" in window.steps.detail.meta.text()
    assert window.steps.detail.history.item(0).text().endswith("Priya N assigned it to Sam")
    assert window.steps.detail.history.count() == 1
    assert not tree.isColumnHidden(2)
    # The side columns fit their text; the Step column takes the rest of the width.
    assert tree.columnWidth(0) > max(tree.columnWidth(c) for c in (1, 2, 3))


def test_note_saves_when_focus_leaves_the_editor(open_window):
    window = with_incident(open_window())
    step = window.steps.selected_step_id()
    window.steps.detail.notes.setFocus()
    QTest.keyClicks(window.steps.detail.notes, "vendor confirmed by phone")
    window.steps.filter_edit.setFocus()
    QApplication.processEvents()
    assert window.session().step_state(step).note == "vendor confirmed by phone"


def test_a_closed_incident_offers_no_step_actions(open_window):
    window = with_incident(open_window())
    with Store.open(window.paths) as other:
        operations.close_incident(other, incident_id=window.session().id, actor="cli")
    window.poll()
    assert window.session().state.status == "closed"
    assert not any(a.isEnabled() for a in window.actions_.step_actions())
    assert window.steps.detail.notes.isReadOnly()
    assert window.header.facts.text().startswith("Closed")


def test_ctrl_e_opens_the_export_dialog_for_the_incident(open_window):
    from incidentkit.ui.export_dialog import ExportDialog

    window = with_incident(open_window())
    QTest.keyClick(window.steps.tree, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_a_finished_export_says_where_the_file_went(open_window, qtbot, tmp_path):
    from incidentkit.ui.export_dialog import ExportDialog

    window = with_incident(open_window())
    QTest.keyClick(window.steps.tree, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ExportDialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("md"))
    dest = tmp_path / "out.md"
    dialog.dest_edit.setText(str(dest))
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dest.is_file()
    assert window.statusBar().currentMessage() == f"Exported to {dest}"


def test_the_desktop_turning_dark_gives_check_boxes_their_outline(qtbot, open_window):
    window = with_incident(open_window())
    window.step_commands.complete_selected()
    done = window.steps.model.index_for_step(window.store.events(window.session().id)[-1].step_id)
    app = QApplication.instance()
    app.setStyle("fusion")  # unwrapped, whatever ran before
    light = app.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))
    try:
        app.setPalette(dark)  # as when the desktop switches to a dark scheme while the window is open
        qtbot.waitUntil(lambda: isinstance(app.style(), VisibleChecksStyle), timeout=2000)
        assert window.isVisible()
        # a finished step's faded text follows the new palette
        qtbot.waitUntil(lambda: done.data(Qt.ItemDataRole.ForegroundRole).color() == QColor("#8a8a8a"), timeout=2000)
    finally:
        app.setPalette(light)


def test_on_a_small_screen_the_step_buttons_give_the_tree_room(qtbot, open_window):
    window = with_incident(open_window())
    step = window.steps.selected_step_id()
    with Store.open(window.paths) as other:
        operations.note_step(other, incident_id=window.session().id, step_id=step,
                             text="Vendor counts 48,210 rows", actor="Priya Natarajan")
    window.poll()  # "Saved · Priya Natarajan, <date time zone>" beside Notes: it must not hold the pane wide either
    assert "Priya Natarajan" in window.steps.detail.note_status.text()
    qtbot.wait(10)  # the layouts take in the new text
    assert window.steps.detail.step_part.minimumSizeHint().width() < 200  # it wraps
    window.resize(1024, 640)
    bar = window.steps.detail.buttons
    qtbot.waitUntil(lambda: window.width() == 1024)
    # By default the pane takes its third of the room (it was held at ~330 px), showing the buttons as icons.
    qtbot.waitUntil(lambda: window.steps.splitter.sizes()[1] < 300)
    assert not bar.showing_text()
    window.steps.splitter.setSizes([900, 100])  # the responder drags the pane narrow
    qtbot.waitUntil(lambda: window.steps.splitter.sizes()[1] < 200)  # was held at ~330 by the buttons' text
    assert not bar.showing_text()  # icons alone
    assert all(b.isVisible() and b.width() <= b.height() * 2 for b in bar.buttons)
    assert "(Space)" in bar.buttons[0].toolTip()  # the tooltip still says what and which key
    window.steps.tree.setFocus()
    press(window, Qt.Key.Key_Space)  # keys work as before
    assert window.session().step_state(step).status == "done"
    window.steps.splitter.setSizes([500, 500])
    qtbot.waitUntil(bar.showing_text)  # room again: text beside the icons


def test_the_start_up_pause_of_the_cycle_collector_ends_once_the_window_has_painted(qtbot, open_window):
    import gc

    from incidentkit.core.gc_pause import pause_during_startup, startup_done

    gc.enable()
    pause_during_startup()  # as `incidentkit` does before it imports anything
    try:
        window = open_window()
        window.show()
        qtbot.waitUntil(gc.isenabled)
    finally:
        startup_done()
        gc.enable()


def test_a_click_on_a_step_s_check_box_completes_it_and_a_second_reopens_it(qtbot, open_window):
    window = with_incident(open_window())
    step = step_ids(window)[2]
    tree, model = window.steps.tree, window.steps.model

    def click_box() -> None:
        index = window.steps.proxy.mapFromSource(model.index_for_step(step))
        rect = tree.visualRect(index)
        box = QPoint(rect.left() + tree.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) // 2 + 3,
                     rect.center().y())
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=box)

    click_box()
    qtbot.waitUntil(lambda: window.session().step_state(step).status == "done")
    assert model.index_for_step(step).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    click_box()
    qtbot.waitUntil(lambda: window.session().step_state(step).status == "open")
    assert model.index_for_step(step).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert [e.kind for e in window.store.events(window.session().id)][-2:] == ["step.done", "step.reopened"]


def test_the_header_s_facts_take_one_line_beside_the_correct_button(qtbot, open_window):
    window = with_incident(open_window())
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    header = window.header
    qtbot.waitUntil(lambda: header.facts.isVisible() and header.facts.text() != "")
    qtbot.wait(10)  # the layouts take in the text
    # It was a column of five wrapped lines, a hundred pixels wide, beside the button.
    assert header.facts.height() < 2 * header.facts.fontMetrics().lineSpacing()
    assert header.facts.geometry().right() < header.correct_button.geometry().left()


def test_the_incidents_list_shows_the_start_of_a_title_on_a_small_screen(qtbot, open_window):
    window = with_incident(open_window())
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    view = window.incidents.view
    # Its title column held "Maili…" beside the Done and Age columns.
    assert view.header().sectionSize(0) >= view.fontMetrics().horizontalAdvance("Mailer vendor")
