"""The window shows bidi controls escaped (timeline, step detail, step tree, incident list, header,
window title) and refuses a display name with control characters, as the core refuses actors."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from window_helpers import start_incident

from incidentkit.core import operations
from incidentkit.ui.settings import Settings
from incidentkit.ui.settings_dialog import SettingsDialog
from incidentkit.ui.timeline.model import COL_CATEGORY, COL_WHAT, COL_WHO

RLO = "\u202e"


def test_bidi_overrides_are_shown_escaped_everywhere_in_the_window(qtbot, open_window):
    window = open_window()
    incident = start_incident(window.store, title=f"Invoice {RLO}gnp.exe")
    step = next(iter(window.store.playbook(incident).steps())).id
    operations.add_timeline_entry(window.store, incident_id=incident, title=f"Mail with {RLO}fdp.bat",
                                  actor=f"sam{RLO}", category=f"vendor{RLO}")
    operations.skip_step(window.store, incident_id=incident, step_id=step, reason=f"see {RLO}txt.js",
                         actor=f"sam{RLO}")
    operations.assign_step(window.store, incident_id=incident, step_id=step, assignee=f"lee{RLO}", actor="ann")
    window.reload_incidents()
    qtbot.waitUntil(lambda: window.session() is not None and window.timeline.model.rowCount() == 4)

    assert window.header.title.text() == "Invoice <U+202E>gnp.exe"
    assert window.windowTitle().startswith("Invoice <U+202E>gnp.exe")
    rows = window.incidents.model
    assert rows.data(rows.index(0, 0)) == "Invoice <U+202E>gnp.exe"
    assert "<U+202E>gnp.exe" in rows.data(rows.index(0, 0), Qt.ItemDataRole.ToolTipRole)

    model = window.timeline.model
    entry = next(r for r in range(model.rowCount()) if "fdp.bat" in model.data(model.index(r, COL_WHAT)))
    assert model.data(model.index(entry, COL_WHAT)) == "Timeline: Mail with <U+202E>fdp.bat"
    assert model.data(model.index(entry, COL_WHO)) == "sam<U+202E>"
    assert model.data(model.index(entry, COL_CATEGORY)) == "vendor<U+202E>"
    assert RLO not in model.data(model.index(entry, COL_WHAT), Qt.ItemDataRole.ToolTipRole)

    window.steps.select_step(step)
    detail = window.steps.detail
    assert "sam<U+202E>" in detail.meta.text() and "<U+202E>txt.js" in detail.meta.text()
    assert "lee<U+202E>" in detail.meta.text()
    history = [detail.history.item(i).text() for i in range(detail.history.count())]
    assert any("sam<U+202E> skipped it: see <U+202E>txt.js" in line for line in history), history
    tree = window.steps.model
    index = tree.index_for_step(step)
    assert tree.data(index.siblingAtColumn(2)) == "lee<U+202E>"
    assert RLO not in tree.data(index, Qt.ItemDataRole.ToolTipRole)


def test_a_display_name_with_control_characters_is_refused(qtbot, tmp_path):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    dialog = SettingsDialog(settings, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("Dana\x1b[31m")
    dialog.accept()
    assert dialog.isVisible() and settings.saved_display_name() == ""
    assert dialog.name_error.isVisible()
    assert dialog.name_error.text() == ("The display name contains a control character (U+001B ESCAPE) at "
                                        "character 5; remove it.")
    dialog.name_edit.setText("Dana  Scully")
    dialog.accept()
    assert settings.saved_display_name() == "Dana Scully"
