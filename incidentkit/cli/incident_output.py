"""How incidents, their steps and their events print: readable text and stable JSON."""

from __future__ import annotations

import dataclasses
from typing import Any

from incidentkit.core.corrections import awareness_time
from incidentkit.core.events import Event, canonical_ts, format_ts
from incidentkit.core.playbook.due import deadline
from incidentkit.core.playbook.model import Playbook, Step
from incidentkit.core.projections import IncidentState, TimelineItem
from incidentkit.core.store import Incident
from incidentkit.core.summaries import IncidentSummary

_MARK = {"open": "[ ]", "done": "[x]", "skipped": "[-]"}


def incident_json(incident: Incident, state: IncidentState | IncidentSummary) -> dict[str, Any]:
    return {
        "id": incident.id,
        "title": state.title or incident.title,
        "status": state.status,
        "playbook_id": incident.playbook_id,
        "playbook_version": state.playbook_version or incident.playbook_version,
        "aware_at": awareness_time(incident, state),
        "aware_corrections": [dataclasses.asdict(c) for c in state.aware_corrections],
        "created_at": incident.created_at,
        "closed_at": state.closed_at,
        "done": state.done,
        "skipped": state.skipped,
        "total": state.total,
        "event_count": state.event_count,
    }


def incident_line(incident: Incident, state: IncidentState | IncidentSummary) -> str:
    finished = f"{state.finished}/{state.total}"
    mark = "*" if state.aware_corrections else " "  # a corrected awareness time (see `incident show`)
    return f"{incident.id[:12]}  {state.status:<6}  {finished:>7}  {awareness_time(incident, state)[:16]}{mark} {state.title}"


def aware_lines(incident: Incident, state: IncidentState) -> list[str]:
    """`aware at:` and, when it was corrected, what it was, who corrected it, when and why."""
    corrected = " (corrected)" if state.aware_corrections else ""
    lines = [f"aware at:  {awareness_time(incident, state)}{corrected}"]
    for c in state.aware_corrections:
        lines.append(f"           was {c.previous}; corrected by {c.by} at {c.at}: {c.reason or '(no reason given)'}")
    return lines


def due_at(incident: Incident, step: Step, state: IncidentState) -> str | None:
    """When the step falls due (awareness plus its `due`), as UTC ISO text; None without one."""
    when = deadline(step.due, awareness_time(incident, state))
    return format_ts(when) if when else None


def show_json(incident: Incident, playbook: Playbook, state: IncidentState) -> dict[str, Any]:
    phases = []
    for phase, progress in zip(playbook.phases, state.phases):
        steps = []
        for step in phase.steps:
            s = state.steps[step.id]
            due = step.due
            steps.append({
                "id": step.id, "text": step.text, "role": step.role, "state": s.status, "by": s.by,
                "at": s.at, "reason": s.reason, "assignee": s.assignee, "note": s.note,
                "note_by": s.note_by, "note_at": s.note_at, "note_id": s.note_id or "", "severity": step.severity,
                "due": due.to_json() if due else ({"text": step.attrs["due"]} if step.attrs.get("due") else None),
                "due_at": due_at(incident, step, state), "retired": step.retired, "revised": s.revised,
            })
        phases.append({"id": phase.id, "title": phase.title, "done": progress.done,
                       "skipped": progress.skipped, "total": progress.total, "retired": phase.retired,
                       "steps": steps})
    return {
        **incident_json(incident, state),
        "playbook": {"id": incident.playbook_id, "version": playbook.version,
                     "title": playbook.title, "snapshot_sha256": playbook.sha256,
                     "opened_with": {"version": incident.playbook_version,
                                     "snapshot_sha256": incident.snapshot_sha256}},
        "opened_at": state.opened_at,
        "head_hash": state.head_hash,
        "phases": phases,
    }


def show_text(incident: Incident, playbook: Playbook, state: IncidentState) -> list[str]:
    lines = [
        state.title,
        f"id:        {incident.id}",
        f"playbook:  {playbook.title} ({incident.playbook_id} v{playbook.version}"
        + (f", opened with v{incident.playbook_version})" if playbook.sha256 != incident.snapshot_sha256 else ")"),
        f"status:    {state.status}" + (f" since {state.closed_at}" if state.closed_at else ""),
        *aware_lines(incident, state),
        f"progress:  {state.done} done, {state.skipped} skipped, of {state.total} steps",
    ]
    for phase, progress in zip(playbook.phases, state.phases):
        count = "not counted in progress" if phase.retired else f"{progress.finished}/{progress.total}"
        lines += ["", f"{phase.title}  ({count})"]
        for step in phase.steps:
            s = state.steps[step.id]
            indent = "  " * (step.depth + 1)
            lines.append(f"{indent}{_MARK[s.status]} {step.id}: {step.text}")
            more = indent + "      "
            facts = [f"severity {step.severity}"] if step.severity else []
            if step.attrs.get("due"):
                facts.append(f"due {step.attrs['due']}" + (f" (by {due_at(incident, step, state)})" if step.due else ""))
            if step.retired:
                facts.append(f"retired (was in {step.section})" if step.section else "retired")
            if s.revised:
                facts.append(f"changed in v{s.revised}: read it again")
            if facts:
                lines.append(more + "; ".join(facts))
            if s.status != "open" or s.by:
                lines.append(f"{more}{s.status} by {s.by} at {s.at}")
            if s.reason:
                lines.append(f"{more}reason: {s.reason}")
            if s.assignee:
                lines.append(f"{more}assigned to: {s.assignee}")
            if s.note:
                note = s.note.replace("\n", "\n" + more + "      ")
                lines.append(f"{more}note: {note}  ({s.note_by}, {s.note_at})")
    return lines


def event_json(event: Event) -> dict[str, Any]:
    return event.to_json()


def _utc(text: str) -> str:
    """An imported time written in another offset or form, in the store's UTC form, so the
    listed times read in order; text that does not parse is shown as it is."""
    return canonical_ts(text) or text


def timeline_text(items: list[TimelineItem]) -> list[str]:
    lines = []
    for item in items:
        e = item.event
        amended = " (amended)" if item.amended_by else ""
        category = f"  [{item.category}]" if item.category else ""
        lines.append(f"{_utc(item.occurred_at)}  #{e.seq:<4} {e.id[:12]}  {e.actor}: {item.title}{amended}{category}")
        if item.detail:
            lines.extend(f"    {line}" for line in item.detail.splitlines())
    return lines
