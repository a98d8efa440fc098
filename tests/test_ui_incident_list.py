"""The incidents list model: open first, newest first, progress and age; rows stay put on refresh."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timezone

from PySide6.QtCore import Qt

from incidentkit.ui.incidents.list_model import INCIDENT_ID_ROLE, IncidentListModel, IncidentRow
from incidentkit.ui.widgets.times import format_age, local_and_utc, local_time, utc_time

ROWS = [
    IncidentRow("a", "Old closed", "closed", 10, 10, "2026-01-01T00:00:00+00:00"),
    IncidentRow("b", "Older open", "open", 3, 62, "2026-11-20T08:00:00+00:00"),
    IncidentRow("c", "Newest open", "open", 0, 62, "2026-11-29T01:00:00+00:00"),
]


def test_model_passes_qtmodeltester(qtmodeltester):
    model = IncidentListModel()
    model.set_rows(ROWS)
    qtmodeltester.check(model, force_py=True)


def test_open_incidents_first_then_newest(qapp):
    model = IncidentListModel()
    model.set_rows(ROWS)
    assert [model.index(r, 0).data(INCIDENT_ID_ROLE) for r in range(3)] == ["c", "b", "a"]
    assert model.index(1, 1).data() == "4%"  # 3 of 62 is 4.8%: rounded down, as the progress bar shows it
    assert model.index(2, 0).data(Qt.ItemDataRole.FontRole).italic()  # closed
    assert "Closed" in model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_refresh_with_the_same_incidents_changes_data_in_place(qtbot):
    model = IncidentListModel()
    model.set_rows(ROWS)
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged):
        model.set_rows([ROWS[0], replace(ROWS[1], finished=4), ROWS[2]])
    assert model.index(1, 1).data() == "6%"
    with qtbot.waitSignal(model.modelReset):
        model.set_rows(ROWS[:2])
    assert model.rowCount() == 2


def test_age_is_compact():
    now = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
    assert format_age("2026-11-29T11:15:00+00:00", now) == "45 min"
    assert format_age("2026-11-29T07:00:00+00:00", now) == "5 h"
    assert format_age("2026-11-26T12:00:00+00:00", now) == "3 d"
    assert format_age("2026-10-01T12:00:00+00:00", now) == "8 wk"
    assert format_age("not a time", now) == ""


def test_times_show_local_with_utc_beside_only_when_they_differ(monkeypatch):
    moment = "2026-11-27T23:30:00+00:00"
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    assert local_and_utc(moment) == "2026-11-27 23:30 UTC"
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        assert local_and_utc(moment) == "2026-11-28 00:30 CET (2026-11-27 23:30 UTC)"
        assert local_and_utc("2026-11-27T14:20:00+00:00") == "2026-11-27 15:20 CET (14:20 UTC)"
        assert utc_time(moment) == "2026-11-27 23:30 UTC"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_zone_without_letters_for_a_name_is_shown_by_its_offset(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Dubai")  # its abbreviation is "+04"
    time.tzset()
    try:
        assert local_time("2026-11-27T23:30:00+00:00") == "2026-11-28 03:30 UTC+04:00"
    finally:
        monkeypatch.undo()
        time.tzset()
