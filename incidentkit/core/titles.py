"""One human line (and a detail text) per event, as the timeline and its exports show it.

`Titles` makes them for many events of one playbook (the timeline of 100,000 events):
step texts are looked up in one dict made once, and a title that depends only on the
event's kind and step (`Completed: ...`, `Incident closed`) is made once per pair.

A note event's detail is a short summary of the change (`note_summary`), not the note:
a note saved as it is typed is stored whole each time, and printing every version made
a 1 MB note into a thousand-page PDF. The full texts stay in the log, the JSON and the
Timesketch exports; the human-readable ones show the final note in their step summary.
An upgraded incident's events name each step as it read when the event was recorded:
an upgrade that changed a step's text keeps the old text in its payload, and events
before that upgrade are titled with it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from incidentkit.core import events as ev
from incidentkit.core.events import Event, parse_ts
from incidentkit.core.playbook.diff import change_summary
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.scope.titles import scope_title
from incidentkit.core.versions import entries, old_texts

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


EXCERPT = 80  # characters of a note's line quoted in its summary


def entry_line(title: str) -> str:
    return ENTRY_PREFIX + title


def _characters(n: int, *, signed: bool = False) -> str:
    return f"{n:+,} character{'' if abs(n) == 1 else 's'}" if signed else f"{n:,} character{'' if n == 1 else 's'}"


def _excerpt(line: str) -> str:
    line = " ".join(line.split())
    return f"“{line[:EXCERPT - 1]}…”" if len(line) > EXCERPT else f"“{line}”"


def _utc_minute(value: object) -> str:
    """A stored time as people read it (`2026-12-02 02:19 UTC`); a title is made once for every
    zone, so it names UTC. Anything that is not a time is shown as it is."""
    try:
        return parse_ts(str(value)).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return str(value or "")


def _short(text: str) -> bool:
    """A note of one short line is its own summary."""
    return len(text) <= EXCERPT and "\n" not in text.strip()


def note_summary(before: str | None, after: str) -> str:
    """What a note event changed, in one line: "Note edited: +1,204 characters; first changed
    line: “...”". `before` is the step's note before the event (None or "" when it had none)."""
    if not before:
        if not after.strip():
            return "Note saved empty"
        if _short(after):
            return f"Note added: {_excerpt(after)}"
        first = next(line for line in after.splitlines() if line.strip())
        return f"Note added: {_characters(len(after))}; first line: {_excerpt(first)}"
    if after == before:
        return "Note saved unchanged"
    if not after.strip():
        return f"Note cleared (it had {_characters(len(before))})"
    if _short(after):
        return f"Note edited: {_excerpt(after)}"
    old, new = before.splitlines(), after.splitlines()
    same, common = 0, min(len(old), len(new))
    while same < common and old[same] == new[same]:
        same += 1
    changed = next((line for line in new[same:] if line.strip()), None)
    where = f"first changed line: {_excerpt(changed)}" if changed is not None else "lines removed at the end"
    return f"Note edited: {_characters(len(after) - len(before), signed=True)}; {where}"


def latest_notes(events: Iterable[Event]) -> dict[str, str]:
    """Each step's note text after `events` (any order): the `notes` of a `Titles` for later events."""
    latest: dict[str, Event] = {}
    for event in events:
        if event.kind == ev.STEP_NOTED:
            step = event.step_id or ""
            if step not in latest or latest[step].seq < event.seq:
                latest[step] = event
    return {step: str(e.payload.get("text", "")) for step, e in latest.items()}
def imported_lines(payload: Mapping[str, object]) -> tuple[str, str]:
    """The title and detail of the mark `import --as-new` leaves on a copy."""
    original = str(payload.get("original_incident_id", ""))
    title = f"Imported as a copy of incident {original[:12]} from {payload.get('file', '')}"
    detail = (f"File sha256 {payload.get('sha256', '')}; original incident {original}, its chain head "
              f"{payload.get('original_head_hash', '')}; this copy is titled {payload.get('title', '')!s}")
    return title, detail


class Titles:
    """`(title, detail)` of events of one playbook. `by_id` resolves the target of an amendment;
    without it, it is made from `events` when the first amendment needs it.

    Note events must be asked about in seq order (as `timeline` does): each one's summary
    compares it with the step's note before it. `notes` holds each step's note text before
    the first event asked about (for a log read in parts) and is kept up to date."""

    __slots__ = ("_steps", "_by_id", "_events", "_fixed", "_upgrades", "_epochs", "notes", "_noted")

    def __init__(self, playbook: Playbook, by_id: Mapping[str, Event] | None = None, *,
                 events: Iterable[Event] = (), notes: dict[str, str] | None = None) -> None:
        # The same lookup as Playbook.step (the last step with an id wins), made once.
        self._steps = {s.id: s.text for s in playbook.steps()}
        self._by_id = by_id
        self._events = events
        self._fixed: dict[tuple[str, str | None], tuple[str, str]] = {}
        self.notes = notes if notes is not None else {}
        self._noted: dict[str, str] = {}  # note event id -> its summary, once made
        # An upgraded incident: per span between upgrades (an epoch), the step texts then in force
        # and its own cache of fixed titles. Events before upgrade n read the texts its changes
        # replaced (the first later upgrade that changed a step says how it read).
        upgrades = sorted((e for e in events if e.kind == ev.INCIDENT_PLAYBOOK_UPGRADED), key=lambda e: e.seq) \
            if isinstance(events, list) else []
        self._upgrades = [e.seq for e in upgrades]
        epochs = [(self._steps, self._fixed)]
        for upgrade in reversed(upgrades):
            epochs.append(({**epochs[-1][0], **old_texts(upgrade.payload)}, {}))
        self._epochs = epochs[::-1]

    def _step(self, step_id: str | None) -> str:
        return self._steps.get(step_id, step_id) if step_id else ""

    def of(self, event: Event) -> tuple[str, str]:
        if self._upgrades:
            self._steps, self._fixed = self._epochs[bisect_right(self._upgrades, event.seq)]
        kind = event.kind
        fixed = self._fixed.get((kind, event.step_id))
        if fixed is not None:
            return fixed
        payload = event.payload
        if kind == ev.STEP_NOTED:
            return f"Note on {self._step(event.step_id)}", self._note(event)
        if kind == ev.TIMELINE_ENTRY:
            return ENTRY_PREFIX + str(payload.get("title", "")), str(payload.get("detail", ""))
        if kind == ev.STEP_SKIPPED:
            # The reason is in the title; repeating it as the detail printed it twice.
            return f"Skipped: {self._step(event.step_id)} — {payload.get('reason', '')}", ""
        if kind == ev.STEP_ASSIGNED:
            step, name = self._step(event.step_id), str(payload.get("assignee", ""))
            return (f"Assigned {step} to {name}" if name else f"Unassigned {step}"), ""
        if kind == ev.TIMELINE_AMENDED:
            return self._amendment(event)
        if kind == ev.INCIDENT_OPENED:
            return f"Incident opened: {payload.get('title', '')}", ""
        if kind == ev.INCIDENT_RENAMED:
            return f"Incident renamed: {payload.get('title', '')}", ""
        if kind == ev.INCIDENT_AWARE_CORRECTED:
            reason = str(payload.get("reason", ""))
            return (f"Awareness time corrected to {_utc_minute(payload.get('aware_at'))}",
                    f"was {_utc_minute(payload.get('previous'))}" + (f" (reason: {reason})" if reason else ""))
        if kind == ev.INCIDENT_IMPORTED:
            return imported_lines(payload)
        if kind == ev.INCIDENT_PLAYBOOK_UPGRADED:
            return upgrade_line(payload)
        if kind in ev.SCOPE_KINDS:
            return scope_title(event)
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

    def _note(self, event: Event) -> str:
        summary = self._noted.get(event.id)
        if summary is None:
            step, text = event.step_id or "", str(event.payload.get("text", ""))
            summary = self._noted[event.id] = note_summary(self.notes.get(step), text)
            self.notes[step] = text
        return summary

    def _amendment(self, event: Event) -> tuple[str, str]:
        payload = event.payload
        if self._by_id is None:
            self._by_id = {e.id: e for e in self._events}
        target = self._by_id.get(str(payload.get("target", "")))
        if target is not None and target.seq < event.seq:
            target_title = self.of(target)[0]
        else:
            target_title = f"event {str(payload.get('target', ''))[:12]}"
        return f"Amended: {target_title}", amendment_detail(payload)


def amendment_detail(payload: Mapping[str, object], show_time: Callable[[str], str] = str) -> str:
    """"title → ...; occurred_at → ... (reason: ...)": what an amendment changes, its new time
    shown through `show_time` (the exports pass their zone's)."""
    changes = [f"{key} → {show_time(str(payload[key])) if key == 'occurred_at' else payload[key]}"
               for key in AMENDABLE if key in payload]
    reason = str(payload.get("reason", ""))
    return "; ".join(changes) + (f" (reason: {reason})" if reason else "")


def upgrade_line(payload: Mapping[str, Any]) -> tuple[str, str]:
    """`Playbook upgraded to 1.1.0 (from 1.0.0): 3 new steps, 1 removed, 2 changed`, and a line per step."""
    added, removed, changed, restored = (entries(payload, k) for k in ("added", "removed", "changed", "restored"))
    summary = change_summary(len(added) + len(restored), len(removed), len(changed))
    title = f"Playbook upgraded to {payload.get('to_version', '?')} (from {payload.get('from_version', '?')}): {summary}"
    lines = [f"New: {e.get('text', e.get('id'))}" for e in added]
    lines += [f"Back from retired: {e.get('text', e.get('id'))}" for e in restored]
    lines += [f"Changed ({', '.join(map(str, e.get('fields') or []))}): {e.get('new_text', e.get('id'))}"
              for e in changed]
    lines += [f"Removed{', kept as retired' if e.get('retired') else ''}: {e.get('text', e.get('id'))}"
              for e in removed]
    return title, "\n".join(lines)
