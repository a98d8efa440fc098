"""One human line (and a detail text) per event, as the timeline and its exports show it.

`Titles` makes them for many events of one playbook (the timeline of 100,000 events):
step texts are looked up in one dict made once, and a title that depends only on the
event's kind and step (`Completed: ...`, `Incident closed`) is made once per pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from incidentkit.core import events as ev
from incidentkit.core.events import Event
from incidentkit.core.playbook.model import Playbook

ENTRY_PREFIX = "Timeline: "

# Kinds whose (title, detail) follow from the kind and the step alone, never the payload.
_FIXED = {
    ev.STEP_DONE: "Completed: {step}",
    ev.STEP_REOPENED: "Reopened: {step}",
    ev.INCIDENT_CLOSED: "Incident closed",
    ev.INCIDENT_REOPENED: "Incident reopened",
}
# What an amendment can correct, in the order its detail names the changes.
AMENDABLE = ("title", "detail", "category", "occurred_at")


def entry_line(title: str) -> str:
    return ENTRY_PREFIX + title


class Titles:
    """`(title, detail)` of events of one playbook. `by_id` resolves the target of an amendment;
    without it, it is made from `events` when the first amendment needs it."""

    __slots__ = ("_steps", "_by_id", "_events", "_fixed")

    def __init__(self, playbook: Playbook, by_id: Mapping[str, Event] | None = None, *,
                 events: Iterable[Event] = ()) -> None:
        # The same lookup as Playbook.step (the last step with an id wins), made once.
        self._steps = {s.id: s.text for s in playbook.steps()}
        self._by_id = by_id
        self._events = events
        self._fixed: dict[tuple[str, str | None], tuple[str, str]] = {}

    def _step(self, step_id: str | None) -> str:
        return self._steps.get(step_id, step_id) if step_id else ""

    def of(self, event: Event) -> tuple[str, str]:
        kind = event.kind
        fixed = self._fixed.get((kind, event.step_id))
        if fixed is not None:
            return fixed
        payload = event.payload
        if kind == ev.STEP_NOTED:
            return f"Note on {self._step(event.step_id)}", str(payload.get("text", ""))
        if kind == ev.TIMELINE_ENTRY:
            return ENTRY_PREFIX + str(payload.get("title", "")), str(payload.get("detail", ""))
        if kind == ev.STEP_SKIPPED:
            reason = str(payload.get("reason", ""))
            return f"Skipped: {self._step(event.step_id)} — {reason}", reason
        if kind == ev.STEP_ASSIGNED:
            step, name = self._step(event.step_id), str(payload.get("assignee", ""))
            return (f"Assigned {step} to {name}" if name else f"Unassigned {step}"), ""
        if kind == ev.TIMELINE_AMENDED:
            return self._amendment(event)
        if kind == ev.INCIDENT_OPENED:
            return f"Incident opened: {payload.get('title', '')}", ""
        if kind == ev.INCIDENT_RENAMED:
            return f"Incident renamed: {payload.get('title', '')}", ""
        if kind.startswith("milestone.") or kind == "notification.sent":
            from incidentkit.core.deadlines.records import event_line

            return event_line(event)
        if kind.startswith("notice."):
            from incidentkit.core.comms.records import event_line as notice_line

            return notice_line(event)
        step = self._step(event.step_id)
        if kind in _FIXED:
            title = _FIXED[kind].format(step=step)
        else:
            title = f"{kind}: {step}" if step else kind
        fixed = self._fixed[(kind, event.step_id)] = (title, "")
        return fixed

    def _amendment(self, event: Event) -> tuple[str, str]:
        payload = event.payload
        if self._by_id is None:
            self._by_id = {e.id: e for e in self._events}
        target = self._by_id.get(str(payload.get("target", "")))
        if target is not None and target.seq < event.seq:
            target_title = self.of(target)[0]
        else:
            target_title = f"event {str(payload.get('target', ''))[:12]}"
        changes = [f"{key} → {payload[key]}" for key in AMENDABLE if key in payload]
        reason = str(payload.get("reason", ""))
        detail = "; ".join(changes) + (f" (reason: {reason})" if reason else "")
        return f"Amended: {target_title}", detail
