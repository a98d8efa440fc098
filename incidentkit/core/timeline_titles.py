"""One human line (and a detail text) per event, as the timeline and its exports show it."""

from __future__ import annotations

from collections.abc import Mapping

from incidentkit.core import events as ev
from incidentkit.core.events import Event
from incidentkit.core.playbook_model import Playbook


def step_label(playbook: Playbook, step_id: str | None) -> str:
    """The step's text, or its id when the playbook has no such step."""
    if not step_id:
        return "(no step)"
    try:
        return playbook.step(step_id).text
    except KeyError:
        return step_id


def entry_line(title: str) -> str:
    return f"Timeline: {title}"


def event_title(playbook: Playbook, event: Event, by_id: Mapping[str, Event]) -> tuple[str, str]:
    """(title, detail) for `event`; `by_id` resolves the target of an amendment."""
    kind, payload = event.kind, event.payload
    step = step_label(playbook, event.step_id) if event.step_id else ""
    if kind == ev.STEP_DONE:
        return f"Completed: {step}", ""
    if kind == ev.STEP_REOPENED:
        return f"Reopened: {step}", ""
    if kind == ev.STEP_SKIPPED:
        reason = str(payload.get("reason", ""))
        return f"Skipped: {step} — {reason}", reason
    if kind == ev.STEP_NOTED:
        return f"Note on {step}", str(payload.get("text", ""))
    if kind == ev.STEP_ASSIGNED:
        name = str(payload.get("assignee", ""))
        return (f"Assigned {step} to {name}" if name else f"Unassigned {step}"), ""
    if kind == ev.TIMELINE_ENTRY:
        return entry_line(str(payload.get("title", ""))), str(payload.get("detail", ""))
    if kind == ev.TIMELINE_AMENDED:
        return _amendment(playbook, event, by_id)
    if kind == ev.INCIDENT_OPENED:
        return f"Incident opened: {payload.get('title', '')}", ""
    if kind == ev.INCIDENT_RENAMED:
        return f"Incident renamed: {payload.get('title', '')}", ""
    if kind == ev.INCIDENT_CLOSED:
        return "Incident closed", ""
    if kind == ev.INCIDENT_REOPENED:
        return "Incident reopened", ""
    return (f"{kind}: {step}" if step else kind), ""


def _amendment(playbook: Playbook, event: Event, by_id: Mapping[str, Event]) -> tuple[str, str]:
    payload = event.payload
    target = by_id.get(str(payload.get("target", "")))
    if target is not None and target.seq < event.seq:
        target_title = event_title(playbook, target, by_id)[0]
    else:
        target_title = f"event {str(payload.get('target', ''))[:12]}"
    changes = [f"{key} → {payload[key]}" for key in ("title", "detail", "category", "occurred_at") if key in payload]
    reason = str(payload.get("reason", ""))
    detail = "; ".join(changes) + (f" (reason: {reason})" if reason else "")
    return f"Amended: {target_title}", detail
