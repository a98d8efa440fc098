"""The incident's notice details: who we are, who the vendor is, how people reach us, the breach window.

`notice.details` events carry `{"details": {key: value, ...}, "reason": text}` with keys
from `DETAILS`; each key's latest value (by seq) stands, and an empty value clears it.
They are events, not settings, so every notice can be traced to facts on the record; the
window offers the Settings' organisation name as a default (`with_defaults`) until the
incident records its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from incidentkit.core import events as ev
from incidentkit.core import writes
from incidentkit.core.comms.vocabulary import DETAILS, TIME_DETAILS
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import Event, format_ts, parse_ts
from incidentkit.core.store import Store
from incidentkit.core.text import TextRefused, problem

# Details that may run over several lines; the others are one line (a name, a number, an
# address that may end up in an email header).
MULTILINE = frozenset({"postal_address", "dpo_contact", "signatory"})


def fold_details(events: Iterable[Event]) -> dict[str, str]:
    """Each detail's latest value (empty ones left out)."""
    found: dict[str, str] = {}
    for event in sorted(events, key=lambda e: e.seq):
        values = event.payload.get("details") if event.kind == ev.NOTICE_DETAILS else None
        if isinstance(values, Mapping):
            for key, value in values.items():
                if key in DETAILS and isinstance(value, str):
                    found[key] = value
    return {k: v for k, v in found.items() if v}


def read_details(store: Store, incident_id: str) -> dict[str, str]:
    full = store.incident(incident_id).id
    events, _ = store.deciding_events(full, always=(ev.NOTICE_DETAILS,), groups=())
    return fold_details(events)


def with_defaults(recorded: Mapping[str, str], defaults: Mapping[str, str]) -> dict[str, str]:
    """The recorded details, with `defaults` (the Settings' organisation name) where none is recorded."""
    return {**{k: v for k, v in defaults.items() if k in DETAILS and v}, **recorded}


def check_details(values: Mapping[str, str]) -> dict[str, str]:
    """The values cleaned and checked; IncidentKitError naming the first bad one."""
    clean: dict[str, str] = {}
    for key, raw in values.items():
        if key not in DETAILS:
            raise IncidentKitError(f"unknown notice detail '{key}' (known: {', '.join(DETAILS)})")
        value = str(raw).replace("\r\n", "\n").strip()
        why = problem(value, multiline=key in MULTILINE)
        if why:
            raise TextRefused(f"the notice detail '{key}' {why}")
        if value and key in TIME_DETAILS:
            try:
                value = format_ts(parse_ts(value))
            except ValueError:
                raise IncidentKitError(f"{key} {value!r} is not an ISO 8601 time (e.g. 2026-03-01T18:00:00Z)") from None
        if value and key == "time_zone":
            _check_zone(value)
        if value and key == "email":
            _check_address(value)
        clean[key] = value
    start, end = clean.get("breach_start") or "", clean.get("breach_end") or ""
    if start and end and end < start:
        raise IncidentKitError("breach_end is before breach_start")
    return clean


def _check_zone(value: str) -> None:
    if value.upper() == "UTC":
        return
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise IncidentKitError(f"unknown time zone {value!r} (an IANA name such as America/New_York)") from None


def _check_address(value: str) -> None:
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    try:
        Address(addr_spec=value)
    except (HeaderParseError, ValueError, IndexError):
        raise IncidentKitError(f"email {value!r} is not an email address") from None


def record_details(store: Store, *, incident_id: str, values: Mapping[str, str], actor: str,
                   reason: str = "") -> Event | None:
    """Record the given details (the others keep their values); None, writing nothing, when
    nothing changes."""
    full = store.incident(incident_id).id
    clean = check_details(values)
    current = read_details(store, full)
    changed = {k: v for k, v in clean.items() if current.get(k, "") != v}
    if not changed:
        return None
    return writes.append(store, full, ev.NOTICE_DETAILS, actor=actor,
                         payload={"details": changed, "reason": reason.strip()})
