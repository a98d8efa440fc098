"""The new-incident dialog and the entry dialogs, on real widgets with a real playbook library."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from tools import need_file

from incidentkit.core import operations
from incidentkit.core.events import parse_ts
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.store import Store
from incidentkit.ui.incidents.new_dialog import NewIncidentDialog
from incidentkit.ui.playbooks.list_model import COL_ID, COL_SOURCE, COL_STEPS, PlaybookListModel
from incidentkit.ui.timeline.entry_dialogs import EntryDialog

USER_PLAYBOOK = """---
id: our-mailer-breach
title: Our mailer breach runbook
version: "2.1"
summary: The team's own variant.
---
# Our mailer breach runbook

## Scope

- [ ] Call the vendor {#call-vendor}
- [ ] Count the customers {#count}
- [ ] Tell legal {#legal}
"""


@pytest.fixture
def library(data_dir: Path) -> PlaybookLibrary:
    paths = AppPaths(data_dir)
    paths.ensure()
    (paths.playbooks_dir / "ours.md").write_text(USER_PLAYBOOK, encoding="utf-8")
    return PlaybookLibrary.discover(paths)


def test_playbook_list_model_passes_model_tester(qtmodeltester, library):
    qtmodeltester.check(PlaybookListModel(list(library.playbooks)), force_py=True)


def test_dialog_lists_playbooks_and_marks_user_ones(qtbot, library):
    dialog = NewIncidentDialog(library)
    qtbot.addWidget(dialog)
    model = dialog.model
    rows = {model.index(r, COL_ID).data(): r for r in range(model.rowCount())}
    assert {"vendor-data-breach", "our-mailer-breach"} <= rows.keys()
    ours = rows["our-mailer-breach"]
    assert model.index(ours, COL_SOURCE).data() == "user"
    assert model.index(ours, COL_SOURCE).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(ours, COL_STEPS).data() == 3
    builtin = rows["vendor-data-breach"]
    assert model.index(builtin, COL_SOURCE).data() == "built-in"
    assert model.index(builtin, COL_SOURCE).data(Qt.ItemDataRole.FontRole) is None
    assert dialog.select_playbook("our-mailer-breach")
    assert "The team's own variant." in dialog.details.text()
    assert "version 2.1, 3 steps, user" in dialog.details.text()


def test_user_playbook_overriding_a_builtin_says_so(qtbot, data_dir):
    paths = AppPaths(data_dir)
    paths.ensure()
    (paths.playbooks_dir / "ours.md").write_text(USER_PLAYBOOK.replace("our-mailer-breach", "vendor-data-breach"),
                                                 encoding="utf-8")
    dialog = NewIncidentDialog(PlaybookLibrary.discover(paths), playbook_id="vendor-data-breach")
    qtbot.addWidget(dialog)
    row = dialog.model.row_of("vendor-data-breach")
    assert dialog.model.index(row, COL_SOURCE).data() == "user, overrides built-in"
    assert dialog.selected_entry().playbook.title == "Our mailer breach runbook"


def test_title_is_required_and_aware_defaults_to_now(qtbot, library):
    dialog = NewIncidentDialog(library, playbook_id="vendor-data-breach")
    qtbot.addWidget(dialog)
    assert dialog.selected_entry().playbook.id == "vendor-data-breach"
    assert not dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    with pytest.raises(ValueError):
        dialog.choice()
    assert abs(dialog.aware_edit.utc() - datetime.now(timezone.utc)) < timedelta(minutes=2)
    qtbot.keyClicks(dialog.title_edit, "Mailer vendor breach")
    assert dialog.ok_button.isEnabled()


def test_choice_creates_an_incident_with_utc_awareness(qtbot, library, tmp_path):
    dialog = NewIncidentDialog(library, playbook_id="our-mailer-breach")
    qtbot.addWidget(dialog)
    aware = datetime(2026, 3, 30, 22, 15, tzinfo=timezone.utc)
    dialog.title_edit.setText("  Mailer vendor breach ")
    dialog.aware_edit.set_utc(aware)
    dialog.show()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    choice = dialog.choice()
    assert (choice.playbook.id, choice.title, choice.aware_at) == ("our-mailer-breach", "Mailer vendor breach", aware)
    assert choice.aware_at.tzinfo is not None
    with Store(tmp_path / "incidentkit.db") as store:
        incident = operations.open_incident(store, playbook=choice.playbook, title=choice.title, actor="alice",
                                            aware_at=choice.aware_at)
        assert parse_ts(store.incident(incident.id).aware_at) == aware


def test_empty_library_says_so_and_cannot_start(qtbot):
    dialog = NewIncidentDialog(PlaybookLibrary([]))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title_edit.setText("Something")
    assert dialog.empty_label.isVisible()
    assert not dialog.ok_button.isEnabled()


def test_entry_dialog_returns_utc_from_local_display(qtbot):
    dialog = EntryDialog()
    qtbot.addWidget(dialog)
    when = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
    dialog.when_edit.set_utc(when)
    assert dialog.when_edit.dateTime().toString("yyyy-MM-dd HH:mm") == when.astimezone().strftime("%Y-%m-%d %H:%M")
    dialog.title_edit.setText(" Regulator acknowledged ")
    dialog.category_box.setCurrentText("notification")
    values = dialog.values()
    assert (values.title, values.category, values.occurred_at) == ("Regulator acknowledged", "notification", when)


LOCAL_TIME_CHECK = """
from datetime import datetime, timezone
from PySide6.QtWidgets import QApplication
app = QApplication([])
from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit, local_zone_label
from incidentkit.ui.widgets.times import local_time
edit = UtcDateTimeEdit(datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc))
print(edit.text(), edit.utc().isoformat(), local_time("2026-03-01T09:30:00+00:00"), local_zone_label(), sep="|")
"""


def test_local_time_shown_and_utc_kept_in_a_half_hour_zone():
    need_file("/usr/share/zoneinfo/Asia/Kolkata", package="tzdata")
    env = {**os.environ, "TZ": "Asia/Kolkata", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", LOCAL_TIME_CHECK], env=env, capture_output=True, text=True,
                         check=True, timeout=60).stdout.strip()
    assert out == "2026-03-01 15:00|2026-03-01T09:30:00+00:00|2026-03-01 15:00 IST|local time (IST, UTC+05:30)"
