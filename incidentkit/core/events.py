"""Events: the single, append-only source of truth of an incident.

Every change is an `Event`. Events are chained per incident: `hash` is sha256 over the
previous event's hash and this event's canonical JSON (`canonical_json`), so altering,
deleting or reordering any row breaks the chain (`Store.verify`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

# Event kinds. Projections ignore kinds they do not know, so new kinds can be added.
INCIDENT_OPENED = "incident.opened"
INCIDENT_RENAMED = "incident.renamed"
INCIDENT_CLOSED = "incident.closed"
INCIDENT_REOPENED = "incident.reopened"
# A correction of when the organisation became aware (payload: aware_at, previous, reason).
INCIDENT_AWARE_CORRECTED = "incident.aware_at_corrected"
# `import --as-new`: the copy's mark, with where it came from; its `title` renames the copy.
INCIDENT_IMPORTED = "incident.imported"
INCIDENT_PLAYBOOK_UPGRADED = "incident.playbook_upgraded"  # the incident moved onto another snapshot
STEP_DONE = "step.done"
STEP_REOPENED = "step.reopened"
STEP_SKIPPED = "step.skipped"
STEP_NOTED = "step.noted"
STEP_ASSIGNED = "step.assigned"
TIMELINE_ENTRY = "timeline.entry"
TIMELINE_AMENDED = "timeline.amended"
# The breach profile (core/scope): every input to it is one of these; `scope_profile` folds them.
SCOPE_IMPORTED = "scope.imported"
SCOPE_COUNTS_SET = "scope.counts_set"
SCOPE_ELEMENTS_SET = "scope.elements_set"
SCOPE_ENCRYPTION_SET = "scope.encryption_set"
SCOPE_ORGANISATION_SET = "scope.organisation_set"
# Notices (core/comms): the incident's notice details, and each draft, approval and sending.
NOTICE_DETAILS = "notice.details"
NOTICE_DRAFTED = "notice.drafted"
NOTICE_APPROVED = "notice.approved"
NOTICE_SENT = "notice.sent"

KINDS = (
    INCIDENT_OPENED,
    INCIDENT_RENAMED,
    INCIDENT_CLOSED,
    INCIDENT_REOPENED,
    INCIDENT_AWARE_CORRECTED,
    INCIDENT_IMPORTED,
    INCIDENT_PLAYBOOK_UPGRADED,
    STEP_DONE,
    STEP_REOPENED,
    STEP_SKIPPED,
    STEP_NOTED,
    STEP_ASSIGNED,
    TIMELINE_ENTRY,
    TIMELINE_AMENDED,
    SCOPE_IMPORTED,
    SCOPE_COUNTS_SET,
    SCOPE_ELEMENTS_SET,
    SCOPE_ENCRYPTION_SET,
    SCOPE_ORGANISATION_SET,
    NOTICE_DETAILS,
    NOTICE_DRAFTED,
    NOTICE_APPROVED,
    NOTICE_SENT,
)
SCOPE_KINDS = frozenset(k for k in KINDS if k.startswith("scope."))

# A step's status after each of the kinds that set it; untouched steps are "open".
STEP_STATUS_OF = {STEP_DONE: "done", STEP_REOPENED: "open", STEP_SKIPPED: "skipped"}
# Kinds a responder writes by hand (the rest follow from step and incident actions).
MANUAL_KINDS = frozenset({TIMELINE_ENTRY, TIMELINE_AMENDED})

GENESIS_HASH = "0" * 64


def new_id() -> str:
    """A new event or incident id: a random uuid4 as 32 hex digits."""
    import uuid  # loaded on the first write: it pulls in `platform`, which a start need not load

    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def format_ts(ts: datetime) -> str:
    """UTC ISO 8601 with offset and microseconds, e.g. `2026-11-29T03:44:47.123456+00:00`."""
    if ts.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return ts.astimezone(timezone.utc).isoformat(timespec="microseconds")


class YearOutOfRange(ValueError):
    """A well-formed time in year 1 or 9999 (`parse_ts`); `core.times.year_refusal` says why."""

    def __init__(self, year: int) -> None:
        super().__init__(f"year {year} is out of range")
        self.year = year


def parse_ts(text: str) -> datetime:
    """Parse an ISO 8601 timestamp; a naive one is taken as UTC. ValueError on bad text.

    Years 1 and 9999 are refused too (`YearOutOfRange`): such a time cannot be shown in
    every zone (converting it overflows), and no incident happens then.
    """
    ts = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if not 1 < ts.year < 9999:
        raise YearOutOfRange(ts.year)
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=timezone.utc)
    return ts.astimezone(timezone.utc)


def canonical_ts(value: object) -> str | None:
    """`value` as `format_ts` text, in which string order is time order; None when it is not
    a time. The store writes that form already; an imported file might not."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return format_ts(parse_ts(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class Event:
    """One committed event. `occurred_at`/`recorded_at` are UTC ISO 8601 strings (see `format_ts`)."""

    id: str
    incident_id: str
    seq: int
    kind: str
    step_id: str | None
    actor: str
    occurred_at: str
    recorded_at: str
    payload: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS_HASH
    hash: str = ""

    def body(self) -> dict[str, Any]:
        """Everything the hash covers (all fields but the hashes)."""
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "seq": self.seq,
            "kind": self.kind,
            "step_id": self.step_id,
            "actor": self.actor,
            "occurred_at": self.occurred_at,
            "recorded_at": self.recorded_at,
            "payload": self.payload,
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.body(), "prev_hash": self.prev_hash, "hash": self.hash}


def canonical_json(obj: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept: the same bytes on every machine."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, event: Event) -> str:
    """sha256(prev_hash + canonical JSON of the event body), hex."""
    h = hashlib.sha256()
    h.update(prev_hash.encode("ascii"))
    h.update(canonical_json(event.body()).encode("utf-8"))
    return h.hexdigest()
