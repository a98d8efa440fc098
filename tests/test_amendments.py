"""Amendments: what may be corrected, the reason they need, and how every export shows them.

Before: the title of an event IncidentKit wrote (a step done, an incident opened) could be
replaced, an amendment needed no reason, and the exports said "Amended by event ..." and
"Originally: ..." without who corrected it, when or why.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cli_inprocess import run
from export_helpers import ENTRY, hostile_incident

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.errors import IncidentKitError, StateError
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_stream
from incidentkit.core.projections import timeline

LATER = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def hostile(store):
    return hostile_incident(store)


def _event(store, incident_id: str, kind: str):
    return next(e for e in store.events(incident_id) if e.kind == kind)


@pytest.mark.parametrize("kind", [ev.INCIDENT_OPENED, ev.STEP_DONE, ev.STEP_SKIPPED, ev.STEP_ASSIGNED, ev.STEP_NOTED])
def test_the_title_of_an_event_incidentkit_wrote_is_not_amendable(store, hostile, kind: str) -> None:
    incident, _ = hostile
    target = _event(store, incident.id, kind)
    before = store.event_count(incident.id)
    with pytest.raises(StateError, match=r"was written by IncidentKit: its title says what happened"):
        ops.amend_event(store, incident_id=incident.id, event_id=target.id, actor="bob", reason="r", title="Other")
    with pytest.raises(StateError, match="has no category: only timeline entries do"):
        ops.amend_event(store, incident_id=incident.id, event_id=target.id, actor="bob", reason="r", category="x")
    assert store.event_count(incident.id) == before


def test_the_time_and_detail_of_a_system_event_are_amendable(store, hostile) -> None:
    incident, _ = hostile
    done = _event(store, incident.id, ev.STEP_DONE)
    fix = ops.amend_event(store, incident_id=incident.id, event_id=done.id, actor="bob", reason="done on the phone",
                          detail="confirmed by phone", occurred_at=LATER)
    item = next(i for i in timeline(store.playbook(incident.id), store.events(incident.id)) if i.event == done)
    assert (item.title, item.detail, item.occurred_at) == ("Completed: Confirm the breach in writing",
                                                          "confirmed by phone", "2026-11-20T10:00:00.000000+00:00")
    [amendment] = item.amendments
    assert (amendment.event_id, amendment.by, amendment.reason) == (fix.id, "bob", "done on the phone")
    assert amendment.was == {"detail": "", "occurred_at": done.occurred_at}


def test_an_amendment_needs_a_reason(store, hostile) -> None:
    incident, entry = hostile
    with pytest.raises(IncidentKitError, match="the reason for the amendment must not be empty"):
        ops.amend_event(store, incident_id=incident.id, event_id=entry.id, actor="bob", reason="  ", title="x")
    data = Path(store.path).parent
    missing = run(data, "timeline", "amend", incident.id, entry.id, "--title", "x")
    assert missing.code == 2 and "Missing option '--reason'" in missing.err
    done = _event(store, incident.id, ev.STEP_DONE)
    refused = run(data, "timeline", "amend", incident.id, done.id[:8], "--title", "x", "--reason", "r")
    assert refused.code == 1 and "its title says what happened and cannot be amended" in refused.err
    ok = run(data, "timeline", "amend", incident.id, entry.id[:8], "--category", "vendor", "--reason", "recategorised")
    assert ok.code == 0, ok.err


def _export(store, incident_id: str, fmt: str) -> str:
    out = io.BytesIO()
    write_stream(EXPORTERS[fmt], load_export_data(store, incident_id), ExportOptions(), out)
    return out.getvalue().decode("utf-8-sig")


def test_every_human_export_shows_the_original_next_to_the_correction(store, hostile) -> None:
    incident, entry = hostile
    fix = next(e for e in store.events(incident.id) if e.kind == ev.TIMELINE_AMENDED)
    recorded = fix.recorded_at[:10] + " " + fix.recorded_at[11:19] + " UTC"
    was = (f"was: title “{ENTRY}”; time 2026-11-20 09:00:00 UTC — corrected by alice at {recorded} "
           f"(event {fix.id[:12]}); reason: checked the call log")
    assert f"*{was}*" in _export(store, incident.id, "md")
    assert f'<div class="original text">{was}</div>' in _export(store, incident.id, "html").replace("&#x27;", "'")
    assert f",{fix.id},{was}," in _export(store, incident.id, "csv")

    import io

    from incidentkit.core.export import pdf

    pdf.ensure_gui_app()
    log: list[str] = []  # the text of every line the PDF draws
    pdf.render(load_export_data(store, incident.id), ExportOptions(), io.BytesIO(), log=log)
    assert was in " ".join(" ".join(log).split())
