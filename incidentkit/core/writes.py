"""The core's one way to append an event: the incident open, its text and its time checked first.

Every user action of the core writes through here (`operations`, the deadlines', notices'
and scope's actions, the scope import, the playbook upgrade), so one set of rules holds
whichever area an event comes from:

- its text (`text.check_event`): no control characters anywhere, one line except in the
  payload fields `text.MULTILINE_FIELDS` names;
- its time (`times.check_possible`): not ahead of this computer's clock beyond clock skew,
  not before 1970;
- the incident open (`ensure_open`), checked inside the write transaction before the
  action's own `check`; `needs_open=False` for the actions that are about that (close,
  reopen) or allowed on a closed incident (rename).

A refusal raises one clear line and writes nothing. Usage, as the store's own appends:

    from incidentkit.core import writes
    writes.append(store, incident_id, kind, actor="ann", payload={...}, occurred_at=at, check=check)
    writes.append_many(store, incident_id, [(kind, payload, at), ...], actor="ann", check=check)
    writes.append_with(store, incident_id, kind, actor="ann", work=work)  # payload made in the transaction
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from incidentkit.core import events as ev
from incidentkit.core import times
from incidentkit.core.errors import StateError
from incidentkit.core.events import Event
from incidentkit.core.store import Store
from incidentkit.core.text import check_event


def is_closed(store: Store, incident_id: str) -> bool:
    """Whether the incident's latest close or reopen is a close (`incident_id` in full)."""
    return store.last_kind(incident_id, (ev.INCIDENT_CLOSED, ev.INCIDENT_REOPENED)) == ev.INCIDENT_CLOSED


def ensure_open(store: Store, incident_id: str) -> None:
    """StateError when the incident is closed (`incident_id` in full)."""
    if is_closed(store, incident_id):
        raise StateError(f"incident {incident_id[:8]} is closed: reopen it first")


def _in_transaction(store: Store, incident_id: str, check: Callable[[], None] | None,
                    needs_open: bool) -> Callable[[], None] | None:
    if not needs_open:
        return check

    def both() -> None:
        ensure_open(store, incident_id)
        if check is not None:
            check()

    return both


def append(store: Store, incident_id: str, kind: str, *, actor: str, step_id: str | None = None,
           payload: Mapping[str, Any] | None = None, occurred_at: datetime | None = None,
           check: Callable[[], None] | None = None, snapshot: str | None = None,
           needs_open: bool = True) -> Event:
    """`Store.append` with the text, the time and (inside the transaction) the incident open checked."""
    check_event(actor, payload or {}, kind)
    times.check_possible(occurred_at)
    return store.append(incident_id, kind, actor=actor, step_id=step_id, payload=payload, occurred_at=occurred_at,
                        check=_in_transaction(store, incident_id, check, needs_open), snapshot=snapshot)


def append_many(store: Store, incident_id: str, items: Sequence[tuple[str, Mapping[str, Any], datetime | None]], *,
                actor: str, check: Callable[[], None] | None = None, needs_open: bool = True) -> list[Event]:
    """`Store.append_many` (`(kind, payload, occurred_at)` events, all or none) with each checked as `append`."""
    for kind, payload, at in items:
        check_event(actor, payload, kind)
        times.check_possible(at)
    return store.append_many(incident_id, items, actor=actor, check=_in_transaction(store, incident_id, check,
                                                                                     needs_open))


def append_with(store: Store, incident_id: str, kind: str, *, actor: str,
                work: Callable[[sqlite3.Connection], Mapping[str, Any]], occurred_at: datetime | None = None,
                needs_open: bool = True) -> Event:
    """`Store.append_with`: the payload `work(conn)` makes inside the transaction is checked there
    too, so a refusal rolls back the rows `work` wrote with it."""
    check_event(actor, {})
    times.check_possible(occurred_at)

    def checked(conn: sqlite3.Connection) -> Mapping[str, Any]:
        if needs_open:
            ensure_open(store, incident_id)
        payload = work(conn)
        check_event(actor, payload, kind)
        return payload

    return store.append_with(incident_id, kind, actor=actor, work=checked, occurred_at=occurred_at)
