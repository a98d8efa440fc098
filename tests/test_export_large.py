"""10,000-event incidents export completely in every format."""

from __future__ import annotations

import json

import pytest
from export_helpers import bulk_incident
from incident_helpers import open_store

from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_file

N = 10_000
ENTRIES = sum(1 for seq in range(2, N + 1) if seq % 4 == 1)  # bulk_incident's rotation of kinds


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    with open_store(folder / "data") as store:
        incident = bulk_incident(store, N)
        yield load_export_data(store, incident.id), folder


@pytest.mark.parametrize("fmt", [f for f in EXPORTERS if f != "pdf"])
def test_ten_thousand_events_export(big, fmt):
    data, folder = big
    path = write_file(EXPORTERS[fmt], data, ExportOptions(), folder / f"big-{fmt}{EXPORTERS[fmt].extension}")
    text = path.read_text(encoding="utf-8-sig")
    if fmt == "json":
        assert len(json.loads(text)["events"]) == N
    elif fmt == "timesketch-jsonl":
        assert len(text.splitlines()) == N
    else:
        assert text.count("Call with vendor") == ENTRIES
    if EXPORTERS[fmt].human:
        assert data.head_hash in text[-800:]


def test_ten_thousand_events_pdf(big):
    data, folder = big
    path = write_file(EXPORTERS["pdf"], data, ExportOptions(), folder / "big.pdf")
    assert path.read_bytes().startswith(b"%PDF") and path.stat().st_size > 100_000
