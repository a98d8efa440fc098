"""How late (or early) a record was, in words, and the zone an export names."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from incidentkit.core.events import format_ts
from incidentkit.core.export.human_times import recorded_text
from incidentkit.core.export.options import ExportOptions

AT = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("later", "said"), [
    (timedelta(seconds=30), ""),
    (timedelta(minutes=5), ""),  # within 5 minutes: as it happened
    (timedelta(minutes=6), "recorded 6 minutes later by Sam (2026-11-20 10:06:00 UTC)"),
    (timedelta(hours=3, minutes=59), "recorded 3 hours later by Sam (2026-11-20 13:59:00 UTC)"),
    (timedelta(days=2, hours=5), "recorded 2 days later by Sam (2026-11-22 15:00:00 UTC)"),
    (-timedelta(hours=3), "recorded by Sam 3 hours before the time it gives (2026-11-20 07:00:00 UTC)"),
])
def test_recorded_text(later, said):
    assert recorded_text(format_ts(AT), format_ts(AT + later), "Sam", timezone.utc) == said


def test_recorded_text_in_another_zone_and_for_times_that_do_not_parse():
    berlin = ExportOptions(tz="Europe/Berlin").zone
    assert recorded_text(format_ts(AT), format_ts(AT + timedelta(days=1)), "Sam", berlin).endswith(
        "(2026-11-21 11:00:00+01:00)")
    assert recorded_text("yesterday", format_ts(AT), "Sam", berlin) == ""  # nothing claimed about it


def test_the_zone_is_named_with_its_offsets():
    summer = datetime(2026, 7, 1, tzinfo=timezone.utc)
    assert ExportOptions(tz="Europe/Berlin").describe_zone(AT) == "Europe/Berlin, UTC+01:00"
    assert ExportOptions(tz="Europe/Berlin").describe_zone(summer, AT) == "Europe/Berlin, UTC+02:00 and UTC+01:00"
    assert ExportOptions(tz="Asia/Kolkata").describe_zone(AT) == "Asia/Kolkata, UTC+05:30"
    assert ExportOptions(tz="America/St_Johns").describe_zone(AT) == "America/St_Johns, UTC-03:30"
    assert ExportOptions().describe_zone(AT) == ExportOptions(tz="Etc/UTC").describe_zone(AT) == "UTC"
