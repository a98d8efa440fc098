"""Setting the breach profile by hand: data elements, stated counts, encryption, organisation.

One function per action, the store first and the rest by keyword, as in
`core/operations.py`; each validates its input against the vocabularies, then appends
one event through the core's checked write (`writes.append`: the incident open, the text
without control characters).
An action that would change nothing writes nothing and returns None.
`read_profile` folds an incident's scope events without reading the rest of its log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from incidentkit.core import events as ev
from incidentkit.core import writes
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import Event
from incidentkit.core.scope.fold import scope_profile
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.core.scope.vocabulary import DATA_ELEMENTS, ENCRYPTION_STATES, ORGANISATION_FLAGS
from incidentkit.core.store import Store

# The events the profile folds: every scope event, and amendments (an import's time).
PROFILE_KINDS = (*sorted(ev.SCOPE_KINDS), ev.TIMELINE_AMENDED)


def read_profile(store: Store, incident_id: str) -> ScopeProfile:
    """The incident's profile as of now, from its scope events only (an index lookup)."""
    full = store.incident(incident_id).id
    events, _count = store.deciding_events(full, always=PROFILE_KINDS, groups=())
    return scope_profile(events)


def _tokens(values: Iterable[str], vocabulary: Mapping[str, str], what: str) -> list[str]:
    tokens = sorted({v.strip().lower() for v in values if v.strip()})
    unknown = [t for t in tokens if t not in vocabulary]
    if unknown:
        raise IncidentKitError(f"unknown {what} {', '.join(map(repr, unknown))} (choose from: {', '.join(vocabulary)})")
    return tokens


def _append(store: Store, incident_id: str, kind: str, payload: dict[str, Any], actor: str,
            unchanged: Any) -> Event | None:
    full = store.incident(incident_id).id
    # Read before the write transaction (the fold's read takes a transaction of its own): two
    # writers racing can at worst both record the same value, which the fold reads as one.
    if unchanged(read_profile(store, full)):
        return None
    return writes.append(store, full, kind, actor=actor, payload=payload)


def set_elements(store: Store, *, incident_id: str, elements: Iterable[str], actor: str,
                 reason: str = "") -> Event | None:
    """Record which data elements were exposed (the whole list; it replaces the last one)."""
    tokens = _tokens(elements, DATA_ELEMENTS, "data element")
    return _append(store, incident_id, ev.SCOPE_ELEMENTS_SET, {"elements": tokens, "reason": reason.strip()}, actor,
                   lambda p: p.elements_known and p.elements == frozenset(tokens))


def set_encryption(store: Store, *, incident_id: str, encrypted: str, actor: str, reason: str = "") -> Event | None:
    """Record whether the data was encrypted (`yes`, `no`, `key-exposed`, `unknown`)."""
    value = encrypted.strip().lower()
    if value not in ENCRYPTION_STATES:
        raise IncidentKitError(f"unknown encryption state {encrypted!r} (choose from: {', '.join(ENCRYPTION_STATES)})")
    return _append(store, incident_id, ev.SCOPE_ENCRYPTION_SET, {"encrypted": value, "reason": reason.strip()},
                   actor, lambda p: p.encrypted == value)


def set_organisation(store: Store, *, incident_id: str, flags: Iterable[str], actor: str, reason: str = "",
                     from_settings: bool = False) -> Event | None:
    """Pin the organisation profile for this incident (the whole set of flags)."""
    tokens = _tokens(flags, ORGANISATION_FLAGS, "organisation flag")
    payload = {"flags": tokens, "from_settings": from_settings, "reason": reason.strip()}
    return _append(store, incident_id, ev.SCOPE_ORGANISATION_SET, payload, actor,
                   lambda p: p.organisation_known and p.organisation == frozenset(tokens))


def set_counts(store: Store, *, incident_id: str, counts: Mapping[str, int], actor: str,
               reason: str = "") -> Event | None:
    """Record counts the vendor stated per jurisdiction (0 withdraws one); they are kept
    apart from imported people and never added to them."""
    from incidentkit.core.scope.locations import valid_code

    clean: dict[str, int] = {}
    for code, n in counts.items():
        valid = valid_code(code)
        if valid is None:
            raise IncidentKitError(f"unknown jurisdiction {code!r}: give an ISO 3166 code such as US-CA, DE or CA-ON, "
                                   "or unknown")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise IncidentKitError(f"the count for {valid} must be a whole number, 0 or more")
        clean[valid] = n
    if not clean:
        raise IncidentKitError("no counts given: use JURISDICTION=N, e.g. US-CA=1200")
    return _append(store, incident_id, ev.SCOPE_COUNTS_SET, {"counts": dict(sorted(clean.items())),
                                                             "reason": reason.strip()}, actor,
                   lambda p: all(p.stated.get(code, 0) == n for code, n in clean.items()))
