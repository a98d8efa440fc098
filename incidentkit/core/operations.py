"""One small function per user action, shared by the CLI and the window.

Each resolves abbreviated ids, checks its input, then appends one event whose state
check runs INSIDE the write transaction (`Store.append(check=...)`), so two windows
cannot both complete the same step. Refusals raise StateError / NotFoundError /
IncidentKitError with one clear line; nothing is written then.

Calling convention: the store first, everything else by keyword, e.g.
`complete_step(store, incident_id="3f2a", step_id="scope-confirm", actor="ann")`;
each returns the event it wrote (`open_incident` returns the `Incident`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from incidentkit.core import events as ev
from incidentkit.core import times
from incidentkit.core.errors import IncidentKitError, NotFoundError, StateError
from incidentkit.core.events import Event, format_ts
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.store import Incident, Store
from incidentkit.core.text import check_event

_AMENDABLE = ("title", "detail", "category")


def _append(store: Store, incident_id: str, kind: str, *, actor: str, step_id: str | None = None,
            payload: dict[str, str] | None = None, occurred_at: datetime | None = None,
            check: Callable[[], None] | None = None) -> Event:
    """Every operation's write: its text (core/text.py) and its time (core/times.py) checked first."""
    check_event(actor, payload or {})
    times.check_possible(occurred_at)
    return store.append(incident_id, kind, actor=actor, step_id=step_id, payload=payload,
                        occurred_at=occurred_at, check=check)


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


def _ensure_open(store: Store, incident_id: str) -> None:
    if _is_closed(store, incident_id):
        raise StateError(f"incident {incident_id[:8]} is closed: reopen it first")


def _step_status(store: Store, incident_id: str, step_id: str) -> str:
    kind = store.last_kind(incident_id, tuple(ev.STEP_STATUS_OF), step_id)
    return ev.STEP_STATUS_OF.get(kind or "", "open")


def _change_step(store: Store, incident_id: str, step_id: str, kind: str, *, actor: str,
                 refuse_when: str, why: str, payload: dict[str, str] | None = None,
                 occurred_at: datetime | None = None) -> Event:
    full, step = _step_id(store, incident_id, step_id)

    def check() -> None:
        _ensure_open(store, full)
        if _step_status(store, full, step) == refuse_when:
            raise StateError(f"step '{step}' {why}")

    return _append(store, full, kind, actor=actor, step_id=step, payload=payload, occurred_at=occurred_at, check=check)


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
              occurred_at: datetime | None = None) -> Event:
    return _change_step(store, incident_id, step_id, ev.STEP_SKIPPED, actor=actor, occurred_at=occurred_at,
                        payload={"reason": _required(reason, "the reason for skipping")},
                        refuse_when="skipped", why="is already skipped")


def assign_step(store: Store, *, incident_id: str, step_id: str, assignee: str, actor: str,
                occurred_at: datetime | None = None) -> Event:
    """Assign the step to `assignee`; an empty name unassigns it."""
    full, step = _step_id(store, incident_id, step_id)
    name = assignee.strip()

    def check() -> None:
        _ensure_open(store, full)
        current = (store.last_payload(full, ev.STEP_ASSIGNED, step) or {}).get("assignee", "")
        if current == name:
            raise StateError(f"step '{step}' is already assigned to {name}" if name else f"step '{step}' is not assigned")

    return _append(store, full, ev.STEP_ASSIGNED, actor=actor, step_id=step, payload={"assignee": name},
                   occurred_at=occurred_at, check=check)


def note_step(store: Store, *, incident_id: str, step_id: str, text: str, actor: str,
              occurred_at: datetime | None = None) -> Event | None:
    """Save the step's whole note text (latest wins); None, writing nothing, when it is unchanged."""
    full, step = _step_id(store, incident_id, step_id)

    def check() -> None:
        _ensure_open(store, full)
        if (store.last_payload(full, ev.STEP_NOTED, step) or {}).get("text", "") == text:
            raise _Unchanged

    try:
        return _append(store, full, ev.STEP_NOTED, actor=actor, step_id=step, payload={"text": text},
                       occurred_at=occurred_at, check=check)
    except _Unchanged:
        return None


class _Unchanged(Exception):
    """Rolls back a write that would record nothing new."""


def add_timeline_entry(store: Store, *, incident_id: str, title: str, actor: str,
                       occurred_at: datetime | None = None, detail: str = "", category: str = "") -> Event:
    full = _incident_id(store, incident_id)
    payload = {"title": _required(title, "the entry title"), "detail": detail.strip(), "category": category.strip()}
    return _append(store, full, ev.TIMELINE_ENTRY, actor=actor, payload=payload, occurred_at=occurred_at,
                   check=lambda: _ensure_open(store, full))


def amend_event(store: Store, *, incident_id: str, event_id: str, actor: str, reason: str = "",
                title: str | None = None, detail: str | None = None, category: str | None = None,
                occurred_at: datetime | None = None) -> Event:
    """Correct an earlier event's title, detail, category or time; the original stays in the log."""
    full = _incident_id(store, incident_id)
    target = store.event(full, event_id)
    if target.kind == ev.TIMELINE_AMENDED:
        raise StateError(f"event {target.id[:8]} is itself an amendment: amend event {str(target.payload.get('target', ''))[:8]} instead")
    changes: dict[str, str] = {k: v.strip() for k, v in zip(_AMENDABLE, (title, detail, category)) if v is not None}
    if "title" in changes:
        _required(changes["title"], "the corrected title")
    if occurred_at is not None:
        times.check_possible(occurred_at)
        changes["occurred_at"] = format_ts(occurred_at)
    if not changes:
        raise IncidentKitError("nothing to amend: give a new title, detail, category or time")
    payload = {"target": target.id, **changes, "reason": reason.strip()}
    return _append(store, full, ev.TIMELINE_AMENDED, actor=actor, payload=payload,
                   check=lambda: _ensure_open(store, full))


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

    return _append(store, full, ev.INCIDENT_RENAMED, actor=actor, payload={"title": new}, check=check)


def _is_closed(store: Store, incident_id: str) -> bool:
    return store.last_kind(incident_id, (ev.INCIDENT_CLOSED, ev.INCIDENT_REOPENED)) == ev.INCIDENT_CLOSED


def close_incident(store: Store, *, incident_id: str, actor: str, occurred_at: datetime | None = None) -> Event:
    full = _incident_id(store, incident_id)
    # Read before the write transaction (a state read opens its own); a correction of the
    # awareness time racing this close is not worth holding the write lock for.
    aware_at = times.awareness(store, full)

    def check() -> None:
        if _is_closed(store, full):
            raise StateError(f"incident {full[:8]} is already closed")
        times.check_close(occurred_at or ev.utc_now(), aware_at, full)

    return _append(store, full, ev.INCIDENT_CLOSED, actor=actor, occurred_at=occurred_at, check=check)


def reopen_incident(store: Store, *, incident_id: str, actor: str) -> Event:
    full = _incident_id(store, incident_id)

    def check() -> None:
        if not _is_closed(store, full):
            raise StateError(f"incident {full[:8]} is not closed")

    return _append(store, full, ev.INCIDENT_REOPENED, actor=actor, check=check)
