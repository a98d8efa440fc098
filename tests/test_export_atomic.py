"""Exports land atomically: cancelled, failed or refused exports leave no file and no debris."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from export_helpers import bulk_incident
from incident_helpers import open_store

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ExportCancelled
from incidentkit.core.export.registry import EXPORTERS, Exporter
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import export_incident, write_file


@pytest.fixture
def big(tmp_path):
    with open_store(tmp_path / "data") as store:
        incident = bulk_incident(store, 2_000)
        yield store, load_export_data(store, incident.id)


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_cancel_leaves_nothing_and_keeps_the_old_file(big, out, fmt):
    _, data = big
    dest = out / f"timeline{EXPORTERS[fmt].extension}"
    dest.write_text("previous export")
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return len(calls) < 3

    with pytest.raises(ExportCancelled):
        write_file(EXPORTERS[fmt], data, ExportOptions(), dest, progress)
    assert dest.read_text() == "previous export"
    assert sorted(p.name for p in out.iterdir()) == [dest.name]
    assert all(total > 0 and 0 <= done <= total for done, total in calls)


def test_progress_reaches_the_end(big, out):
    _, data = big
    seen = []
    write_file(EXPORTERS["csv"], data, ExportOptions(), out / "t.csv", lambda d, t: seen.append((d, t)) or True)
    assert seen[-1] == (data.event_count, data.event_count)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_failing_exporter_leaves_nothing(big, out):
    _, data = big

    def explode(data, options, stream, progress):
        stream.write("half a file")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_file(Exporter("x", "x", ".x", True, True, explode), data, ExportOptions(), out / "t.x")
    assert list(out.iterdir()) == []


def test_unwritable_destinations_get_one_clear_line(big, tmp_path, out):
    store, data = big
    a_file = out / "plain.txt"
    a_file.write_text("x")
    cases = {
        a_file / "t.md": "not a folder",
        out / "missing" / "t.md": "does not exist",
        out: "it is a folder",
    }
    for dest, why in cases.items():
        with pytest.raises(IncidentKitError) as info:
            write_file(EXPORTERS["md"], data, ExportOptions(), dest)
        message = str(info.value)
        assert "\n" not in message and str(dest) in message and why in message, message
    if os.geteuid() != 0:  # root ignores permission bits
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(IncidentKitError, match="Permission denied"):
            export_incident(store, data.incident.id, "csv", locked / "t.csv")


def test_file_gets_ordinary_permissions(big, out):
    store, data = big
    result = export_incident(store, data.incident.id[:8], "json", out / "t.json")
    assert result.path == out / "t.json" and result.event_count == 2_000
    mask = os.umask(0)
    os.umask(mask)
    assert (out / "t.json").stat().st_mode & 0o777 == 0o666 & ~mask
