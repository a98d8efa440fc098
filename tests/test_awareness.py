"""The awareness time can be corrected, and every view and export shows the corrected time and
its history (from what, by whom, when, why).

Before: amending the `incident.opened` event moved it in the timeline while "aware at"
stayed the old time in `show`, `list`, the window and every export.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cli_inprocess import run
from export_helpers import empty_incident
from incident_helpers import open_store

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.deciding import read_state
from incidentkit.core.errors import IncidentKitError, StateError
from incidentkit.core.export.json_import import import_file
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_stream
from incidentkit.core.projections import project, timeline

UTC = timezone.utc
FIRST = datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
SECOND = datetime(2026, 11, 20, 7, 10, tzinfo=UTC)


@pytest.fixture
def corrected(store) -> str:
    """Aware at 08:00, corrected to 07:30 by bob, then to 07:10 by carol."""
    incident = empty_incident(store, "Acme vendor breach")
    ops.correct_awareness(store, incident_id=incident.id, aware_at=FIRST, reason="the vendor's email came at 07:30",
                          actor="bob")
    ops.correct_awareness(store, incident_id=incident.id, aware_at=SECOND, reason="mail server log: 07:10",
                          actor="carol")
    return incident.id


def whole(store, incident_id: str):
    return project(store.playbook(incident_id), store.events(incident_id))


def test_a_correction_is_an_event_with_the_time_it_replaces_and_a_reason(store, corrected: str) -> None:
    first, second = [e for e in store.events(corrected) if e.kind == ev.INCIDENT_AWARE_CORRECTED]
    assert first.payload == {"aware_at": "2026-11-20T07:30:00.000000+00:00",
                             "previous": "2026-11-20T08:00:00.000000+00:00",
                             "reason": "the vendor's email came at 07:30"}
    assert second.payload["previous"] == "2026-11-20T07:30:00.000000+00:00" and second.actor == "carol"


def test_the_state_honours_the_latest_correction_and_keeps_the_history(store, corrected: str) -> None:
    state = whole(store, corrected)
    assert state.aware_at == "2026-11-20T07:10:00.000000+00:00"
    assert [(c.previous[11:16], c.aware_at[11:16], c.by, c.reason) for c in state.aware_corrections] == [
        ("08:00", "07:30", "bob", "the vendor's email came at 07:30"),
        ("07:30", "07:10", "carol", "mail server log: 07:10"),
    ]
    assert all(c.at and c.event_id for c in state.aware_corrections)
    # The window's fast path (the deciding events) sees the same.
    assert read_state(store, store.playbook(corrected), corrected) == state
    assert store.incident(corrected).aware_at == "2026-11-20T08:00:00.000000+00:00"  # the row never changes


def test_the_opening_moves_to_the_corrected_time_with_its_original_kept(store, corrected: str) -> None:
    opened = next(i for i in timeline(store.playbook(corrected), store.events(corrected))
                  if i.event.kind == ev.INCIDENT_OPENED)
    assert opened.occurred_at == "2026-11-20T07:10:00.000000+00:00"
    assert opened.original == {"occurred_at": "2026-11-20T08:00:00.000000+00:00"}
    assert [(a.by, a.was, a.reason) for a in opened.amendments] == [
        ("bob", {"occurred_at": "2026-11-20T08:00:00.000000+00:00"}, "the vendor's email came at 07:30"),
        ("carol", {"occurred_at": "2026-11-20T07:30:00.000000+00:00"}, "mail server log: 07:10"),
    ]


def test_the_correction_s_timeline_line_reads_as_a_time(store, corrected: str) -> None:
    lines = [(i.title, i.detail) for i in timeline(store.playbook(corrected), store.events(corrected))
             if i.event.kind == ev.INCIDENT_AWARE_CORRECTED]
    # It printed the stored form, "2026-11-20T07:10:00.000000+00:00".
    assert lines[-1] == ("Awareness time corrected to 2026-11-20 07:10 UTC",
                         "was 2026-11-20 07:30 UTC (reason: mail server log: 07:10)")


def test_a_correction_needs_a_reason_a_new_time_and_an_open_incident(store) -> None:
    incident = empty_incident(store)
    with pytest.raises(IncidentKitError, match="the reason for the correction must not be empty"):
        ops.correct_awareness(store, incident_id=incident.id, aware_at=FIRST, reason=" ", actor="bob")
    with pytest.raises(StateError, match="is already 2026-11-20T08:00:00.000000"):
        ops.correct_awareness(store, incident_id=incident.id, aware_at=datetime(2026, 11, 20, 8, tzinfo=UTC),
                              reason="same", actor="bob")
    ops.close_incident(store, incident_id=incident.id, actor="bob")
    with pytest.raises(StateError, match="is closed: reopen it first"):
        ops.correct_awareness(store, incident_id=incident.id, aware_at=FIRST, reason="late", actor="bob")
    assert store.event_count(incident.id) == 2


def test_amending_the_opening_s_time_is_refused_and_points_to_incident_aware(store) -> None:
    incident = empty_incident(store)
    opened = store.events(incident.id)[0]
    with pytest.raises(StateError, match=r"is at the awareness time: correct that with `incidentkit incident aware"):
        ops.amend_event(store, incident_id=incident.id, event_id=opened.id, actor="bob", reason="typo",
                        occurred_at=FIRST)
    fix = ops.correct_awareness(store, incident_id=incident.id, aware_at=FIRST, reason="r", actor="bob")
    with pytest.raises(StateError, match="is a correction of the awareness time"):
        ops.amend_event(store, incident_id=incident.id, event_id=fix.id, actor="bob", reason="r", detail="x")


def test_an_older_amendment_of_the_opening_s_time_moves_the_awareness_too(store) -> None:
    """Logs written before corrections existed moved the opening by amending it."""
    incident = empty_incident(store)
    opened = store.events(incident.id)[0]
    store.append(incident.id, ev.TIMELINE_AMENDED, actor="bob",
                 payload={"target": opened.id, "occurred_at": "2026-11-20T06:45:00.000000+00:00", "reason": "typo"})
    state = whole(store, incident.id)
    assert state.aware_at == "2026-11-20T06:45:00.000000+00:00"
    assert [(c.previous, c.by, c.reason) for c in state.aware_corrections] == [
        ("2026-11-20T08:00:00.000000+00:00", "bob", "typo")]
    item = next(i for i in timeline(store.playbook(incident.id), store.events(incident.id)) if i.event == opened)
    assert item.occurred_at == state.aware_at  # the timeline and "aware at" agree


def test_cli_aware_show_and_list(store, corrected: str) -> None:
    data = Path(store.path).parent
    shown = run(data, "incident", "show", corrected).out.splitlines()
    at = shown.index("aware at:  2026-11-20T07:10:00.000000+00:00 (corrected)")
    assert shown[at + 1].startswith("           was 2026-11-20T08:00:00.000000+00:00; corrected by bob at ")
    assert shown[at + 1].endswith(": the vendor's email came at 07:30")
    assert shown[at + 2].endswith(": mail server log: 07:10")
    assert run(data, "incident", "list").out.startswith(f"{corrected[:12]}  open        0/3  2026-11-20T07:10* Acme")
    [listed] = json.loads(run(data, "incident", "list", "--json").out)
    assert listed["aware_at"] == "2026-11-20T07:10:00.000000+00:00"
    assert [(c["previous"][11:16], c["aware_at"][11:16], c["by"]) for c in listed["aware_corrections"]] == [
        ("08:00", "07:30", "bob"), ("07:30", "07:10", "carol")]
    assert json.loads(run(data, "incident", "show", corrected, "--json").out)["aware_corrections"] == \
        listed["aware_corrections"]

    again = run(data, "incident", "aware", corrected, "--at", "2026-11-20T07:05Z", "--reason", "phone log", actor="dee")
    assert again.code == 0 and len(again.out.strip()) == 32
    assert run(data, "incident", "list").out.startswith(f"{corrected[:12]}  open        0/3  2026-11-20T07:05* ")
    no_reason = run(data, "incident", "aware", corrected, "--at", "2026-11-20T07:00Z")
    assert no_reason.code == 2 and "--reason" in no_reason.err
    amend = run(data, "timeline", "amend", corrected, store.events(corrected)[0].id, "--at", "2026-11-20T06:00Z",
                "--reason", "x")
    assert amend.code == 1 and "incidentkit incident aware" in amend.err


def _export(store, incident_id: str, fmt: str, **options) -> str:
    out = io.BytesIO()
    data = load_export_data(store, incident_id)
    write_stream(EXPORTERS[fmt], data, ExportOptions(**options), out)
    return out.getvalue().decode("utf-8-sig")


def test_every_human_export_shows_the_corrected_time_and_its_history(store, corrected: str) -> None:
    md = _export(store, corrected, "md")
    assert "| Aware at | 2026-11-20 07:10:00 UTC (corrected) |" in md
    assert ("| Awareness corrected | was 2026-11-20 08:00:00 UTC — corrected by bob at " in md
            and "; reason: the vendor's email came at 07:30 |" in md)
    html = _export(store, corrected, "html", tz="Europe/Berlin")
    assert "<tr><th>Aware at</th><td>2026-11-20 08:10:00+01:00 (corrected)</td></tr>" in html
    assert "<tr><th>Awareness corrected</th><td>was 2026-11-20 08:30:00+01:00 — corrected by carol at " in html
    csv_text = _export(store, corrected, "csv")
    assert "\r\nAware at,2026-11-20 07:10:00 UTC (corrected)\r\n" in csv_text
    assert "\r\nAwareness corrected,was 2026-11-20 08:00:00 UTC — corrected by bob at " in csv_text
    # The opening's row sits at the corrected time, with what it was.
    opening = md.split("- **2026-11-20 07:10:00 UTC** — Incident opened: Acme vendor breach\\\n")[1].split("\n\n- ")[0]
    assert "*was: time 2026-11-20 08:00:00 UTC" in opening


def test_the_pdf_title_block_shows_the_correction(store, corrected: str) -> None:
    from incidentkit.core.export import pdf

    pdf.ensure_gui_app()
    log: list[str] = []  # the text of every line the PDF draws
    pdf.render(load_export_data(store, corrected), ExportOptions(), io.BytesIO(), log=log)
    text = " ".join(" ".join(log).split())
    assert "Aware at: 2026-11-20 07:10:00 UTC (corrected)" in text
    assert "Awareness corrected: was 2026-11-20 07:30:00 UTC — corrected by carol at " in text


def test_json_export_and_import_keep_the_corrections(store, corrected: str, tmp_path: Path) -> None:
    path = tmp_path / "incident.json"
    path.write_text(_export(store, corrected, "json"), encoding="utf-8")
    with open_store(tmp_path / "elsewhere") as other:
        imported = import_file(other, path)
        state = read_state(other, other.playbook(imported.id), imported.id)
    assert replace(state, steps={}) == replace(whole(store, corrected), steps={})
    assert state.aware_at == "2026-11-20T07:10:00.000000+00:00" and len(state.aware_corrections) == 2
