"""One small function per user action, shared by the CLI and the window.

Each resolves abbreviated ids, checks its input, then appends one event through the core's
one checked write (`writes.append`: the text, the time and the incident open checked); its
state check runs INSIDE the write transaction, so two windows cannot both complete the
same step. Refusals raise StateError / NotFoundError / IncidentKitError with one clear
line; nothing is written then.

Calling convention: the store first, everything else by keyword, e.g.
`complete_step(store, incident_id="3f2a", step_id="scope-confirm", actor="ann")`;
each returns the event it wrote (`open_incident` returns the `Incident`).
"""

from __future__ import annotations

from datetime import datetime

from incidentkit.core import events as ev
from incidentkit.core import times, writes
from incidentkit.core.deciding import current_aware_at
from incidentkit.core.errors import IncidentKitError, MovedOn, NotFoundError, StateError
from incidentkit.core.events import Event, format_ts
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.store import Incident, Store
from incidentkit.core.text import check_event

_AMENDABLE = ("title", "detail", "category")
_STATUS_WORDS = {ev.STEP_DONE: "marked done", ev.STEP_REOPENED: "reopened", ev.STEP_SKIPPED: "skipped"}


def _required(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise IncidentKitError(f"{what} must not be empty")
    return value


def _incident_id(store: Store, incident_id: str) -> str:
    return store.incident(incident_id).id


def _step_id(store: Store, incident_id: str, step_id: str) -> tuple[str, str]:
    full = _incident_id(store, incident_id)
    if not store.playbook(full).has_step(step_id):
        raise NotFoundError(f"incident {full[:8]} has no step '{step_id}' (see `incidentkit incident show`)")
    return full, step_id


def _step_status(store: Store, incident_id: str, step_id: str) -> str:
    kind = store.last_kind(incident_id, tuple(ev.STEP_STATUS_OF), step_id)
    return ev.STEP_STATUS_OF.get(kind or "", "open")


def _by_whom(event: Event) -> str:
    """`by bob at 2026-11-29 10:02 UTC`: who changed a state, and when it was recorded."""
    return f"by {event.actor} at {event.recorded_at[:16].replace('T', ' ')} UTC"


def _check_status(store: Store, incident_id: str, step: str, expected: str, action: str) -> None:
    """MovedOn unless the step's status is still `expected` (what a dialog was opened on)."""
    last = store.last_event(incident_id, tuple(ev.STEP_STATUS_OF), step)
    status = ev.STEP_STATUS_OF[last.kind] if last else "open"
    if status != expected and last is not None:
        reason = last.payload.get("reason") if last.kind == ev.STEP_SKIPPED else None
        raise MovedOn(f"step '{step}' was {_STATUS_WORDS[last.kind]} {_by_whom(last)}"
                      + (f" (reason: {reason})" if reason else "")
                      + f" while it was {expected} here; it was not {action}", last)


def _change_step(store: Store, incident_id: str, step_id: str, kind: str, *, actor: str,
                 refuse_when: str, why: str, payload: dict[str, str] | None = None,
                 occurred_at: datetime | None = None, expected_status: str | None = None) -> Event:
    full, step = _step_id(store, incident_id, step_id)

    def check() -> None:
        if expected_status is not None:
            _check_status(store, full, step, expected_status, _STATUS_WORDS[kind])
        if _step_status(store, full, step) == refuse_when:
            raise StateError(f"step '{step}' {why}")

    return writes.append(store, full, kind, actor=actor, step_id=step, payload=payload, occurred_at=occurred_at,
                         check=check)


def open_incident(store: Store, *, playbook: Playbook, title: str, actor: str,
                  aware_at: datetime | None = None) -> Incident:
    title = _required(title, "the incident title")
    check_event(actor, {"title": title})
    times.check_possible(aware_at)
    return store.create_incident(playbook, title, actor=actor, aware_at=aware_at)


def complete_step(store: Store, *, incident_id: str, step_id: str, actor: str,
                  occurred_at: datetime | None = None) -> Event:
    return _change_step(store, incident_id, step_id, ev.STEP_DONE, actor=actor, occurred_at=occurred_at,
                        refuse_when="done", why="is already done")


def reopen_step(store: Store, *, incident_id: str, step_id: str, actor: str) -> Event:
    return _change_step(store, incident_id, step_id, ev.STEP_REOPENED, actor=actor,
                        refuse_when="open", why="is already open")


def skip_step(store: Store, *, incident_id: str, step_id: str, reason: str, actor: str,
              occurred_at: datetime | None = None, expected_status: str | None = None) -> Event:
    """`expected_status`: the step's status the reason was given for (a dialog's); MovedOn,
    writing nothing, when it has changed since."""
    return _change_step(store, incident_id, step_id, ev.STEP_SKIPPED, actor=actor, occurred_at=occurred_at,
                        payload={"reason": _required(reason, "the reason for skipping")},
                        refuse_when="skipped", why="is already skipped", expected_status=expected_status)


def assign_step(store: Store, *, incident_id: str, step_id: str, assignee: str, actor: str,
                expected_assignee: str | None = None, occurred_at: datetime | None = None) -> Event:
    """Assign the step to `assignee`; an empty name unassigns it. `expected_assignee`: who the
    step was assigned to when the choice was made ("" for nobody); MovedOn, writing nothing,
    when that has changed since."""
    full, step = _step_id(store, incident_id, step_id)
    name = assignee.strip()

    def check() -> None:
        last = store.last_event(full, (ev.STEP_ASSIGNED,), step)
        current = str(last.payload.get("assignee", "")) if last else ""
        if expected_assignee is not None and current != expected_assignee.strip():
            now = f"assigned to {current}" if current else "unassigned"
            was = f"assigned to {expected_assignee.strip()}" if expected_assignee.strip() else "unassigned"
            who = f" {_by_whom(last)}" if last else ""
            raise MovedOn(f"step '{step}' was {now}{who} while it was {was} here; nothing was changed", last)
        if current == name:
            raise StateError(f"step '{step}' is already assigned to {name}" if name else f"step '{step}' is not assigned")

    return writes.append(store, full, ev.STEP_ASSIGNED, actor=actor, step_id=step, payload={"assignee": name},
                         occurred_at=occurred_at, check=check)


def note_step(store: Store, *, incident_id: str, step_id: str, text: str, actor: str,
              based_on: str | None = None, occurred_at: datetime | None = None) -> Event | None:
    """Save the step's whole note text (latest wins); None, writing nothing, when it is unchanged.

    `based_on`: the id (or a prefix) of the note event the text was edited from, "" when the
    step had no note. When the note has moved on since, MovedOn names the newer note (its
    `current` event) and nothing is written; None saves whatever the note is now."""
    full, step = _step_id(store, incident_id, step_id)
    base = _note_base(store, full, step, based_on)

    def check() -> None:
        last = store.last_event(full, (ev.STEP_NOTED,), step)
        if (last.payload.get("text", "") if last else "") == text:
            raise _Unchanged
        if base is not None and last is not None and last.id != base:
            since = f"since event {base[:12]}" if base else "since it was empty"
            raise MovedOn(f"the note on step '{step}' has changed {since}: event {last.id[:12]} "
                          f"{_by_whom(last)} holds a newer note; nothing was saved", last)

    try:
        return writes.append(store, full, ev.STEP_NOTED, actor=actor, step_id=step, payload={"text": text},
                             occurred_at=occurred_at, check=check)
    except _Unchanged:
        return None


def _note_base(store: Store, incident_id: str, step: str, based_on: str | None) -> str | None:
    """The full id of the note event `based_on` names ("" and None as they are)."""
    if not based_on:
        return based_on
    event = store.event(incident_id, based_on)
    if event.kind != ev.STEP_NOTED or event.step_id != step:
        raise IncidentKitError(f"event {event.id[:12]} is not a note on step '{step}' ({event.kind})")
    return event.id


class _Unchanged(Exception):
    """Rolls back a write that would record nothing new."""


def add_timeline_entry(store: Store, *, incident_id: str, title: str, actor: str,
                       occurred_at: datetime | None = None, detail: str = "", category: str = "") -> Event:
    full = _incident_id(store, incident_id)
    payload = {"title": _required(title, "the entry title"), "detail": detail.strip(), "category": category.strip()}
    return writes.append(store, full, ev.TIMELINE_ENTRY, actor=actor, payload=payload, occurred_at=occurred_at)


def amend_event(store: Store, *, incident_id: str, event_id: str, actor: str, reason: str,
                title: str | None = None, detail: str | None = None, category: str | None = None,
                occurred_at: datetime | None = None) -> Event:
    """Correct an earlier event's time or detail, and a timeline entry's title and category;
    the original stays in the log. The reason is required. The title of an event the app
    wrote (a step done, an incident opened) says what happened and is not amendable, and
    the opening's time is the awareness time: `correct_awareness` corrects it."""
    full = _incident_id(store, incident_id)
    target = store.event(full, event_id)
    _check_amendable(target, title=title, category=category, occurred_at=occurred_at)
    reason = _required(reason, "the reason for the amendment")
    changes: dict[str, str] = {k: v.strip() for k, v in zip(_AMENDABLE, (title, detail, category)) if v is not None}
    if "title" in changes:
        _required(changes["title"], "the corrected title")
    if occurred_at is not None:
        times.check_possible(occurred_at)
        changes["occurred_at"] = format_ts(occurred_at)
    if not changes:
        raise IncidentKitError("nothing to amend: give a new title, detail, category or time")
    payload = {"target": target.id, **changes, "reason": reason}
    return writes.append(store, full, ev.TIMELINE_AMENDED, actor=actor, payload=payload)


def _check_amendable(target: Event, *, title: str | None, category: str | None,
                     occurred_at: datetime | None) -> None:
    short = target.id[:8]
    if target.kind == ev.TIMELINE_AMENDED:
        raise StateError(f"event {short} is itself an amendment: amend event {str(target.payload.get('target', ''))[:8]} instead")
    if target.kind == ev.INCIDENT_AWARE_CORRECTED:
        raise StateError(f"event {short} is a correction of the awareness time: correct it again with "
                         "`incidentkit incident aware` instead")
    if target.kind != ev.TIMELINE_ENTRY and title is not None:
        raise StateError(f"event {short} ({target.kind}) was written by IncidentKit: its title says what "
                         "happened and cannot be amended (its detail can)")
    if target.kind != ev.TIMELINE_ENTRY and category is not None:
        raise StateError(f"event {short} ({target.kind}) has no category: only timeline entries do")
    if target.kind == ev.INCIDENT_OPENED and occurred_at is not None:
        raise StateError(f"event {short} (incident.opened) is at the awareness time: correct that with "
                         "`incidentkit incident aware ID --at ISO8601 --reason TEXT`")


def current_title(store: Store, incident_id: str) -> str:
    kind = store.last_kind(incident_id, (ev.INCIDENT_RENAMED, ev.INCIDENT_IMPORTED))
    renamed = store.last_payload(incident_id, kind) if kind else None
    return str(renamed["title"]) if renamed else store.incident(incident_id).title


def rename_incident(store: Store, *, incident_id: str, title: str, actor: str) -> Event:
    full = _incident_id(store, incident_id)
    new = _required(title, "the incident title")

    def check() -> None:
        if current_title(store, full) == new:
            raise StateError(f"incident {full[:8]} is already titled {new!r}")

    # Allowed on a closed incident: the title is how the record is found and reported.
    return writes.append(store, full, ev.INCIDENT_RENAMED, actor=actor, payload={"title": new}, check=check,
                         needs_open=False)


def close_incident(store: Store, *, incident_id: str, actor: str, occurred_at: datetime | None = None) -> Event:
    full = _incident_id(store, incident_id)
    # Read before the write transaction (a state read opens its own); a correction of the
    # awareness time racing this close is not worth holding the write lock for.
    aware_at = times.awareness(store, full)

    def check() -> None:
        if writes.is_closed(store, full):
            raise StateError(f"incident {full[:8]} is already closed")
        times.check_close(occurred_at or ev.utc_now(), aware_at, full)

    return writes.append(store, full, ev.INCIDENT_CLOSED, actor=actor, occurred_at=occurred_at, check=check,
                         needs_open=False)


def reopen_incident(store: Store, *, incident_id: str, actor: str) -> Event:
    full = _incident_id(store, incident_id)

    def check() -> None:
        if not writes.is_closed(store, full):
            raise StateError(f"incident {full[:8]} is not closed")

    return writes.append(store, full, ev.INCIDENT_REOPENED, actor=actor, check=check, needs_open=False)


def correct_awareness(store: Store, *, incident_id: str, aware_at: datetime, reason: str, actor: str) -> Event:
    """Correct when the organisation became aware (the start of the legal clocks); the reason is
    required, and the time it replaces is kept in the event (`previous`) and in the log."""
    full = _incident_id(store, incident_id)
    times.check_possible(aware_at)
    new = format_ts(aware_at)
    why = _required(reason, "the reason for the correction")
    previous = current_aware_at(store, full)
    if ev.canonical_ts(previous) == new:
        raise StateError(f"the awareness time of incident {full[:8]} is already {new}")
    seen = store.last_event(full, (ev.INCIDENT_AWARE_CORRECTED,))

    def check() -> None:
        last = store.last_event(full, (ev.INCIDENT_AWARE_CORRECTED,))
        if last is not None and (seen is None or last.id != seen.id):
            raise MovedOn(f"the awareness time of incident {full[:8]} was corrected to {last.payload.get('aware_at')} "
                          f"{_by_whom(last)} meanwhile; nothing was changed", last)

    return writes.append(store, full, ev.INCIDENT_AWARE_CORRECTED, actor=actor,
                         payload={"aware_at": new, "previous": previous, "reason": why}, check=check)
