"""Milestones and notifications: the facts in the event log that deadlines are computed from.

Event kinds (payloads are JSON objects; `occurred_at` is when it happened, backdatable):

- `milestone.<name>` for each of RECORDED_MILESTONES (`milestone.discovered`,
  `milestone.breach-determined`, `milestone.materiality-determined`,
  `milestone.classified-major`, `milestone.risk-assessed`, `milestone.ransom-paid`,
  `milestone.incident-handled`):
  `{"milestone": name, "reason": text}`, plus `"level": "unlikely"|"risk"|"high"` for
  `risk-assessed`. The latest event of a name wins (recording it again corrects it), and
  a `timeline.amended` that moves its time moves the milestone.
- `notification.sent`: `{"rule_id", "reference", "channel", "recipient", "file_name",
  "sha256", "size"}` (the file fields empty when no file was given). Every notification
  is kept; an amendment can move its time.

`aware` and `incident-closed` are not events of ours: they are the incident's awareness
time (`IncidentState.aware_at`, correctable by `incident aware`) and its close
(`IncidentState.closed_at`, while it is closed). `individuals-notified` is derived from
the notifications.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from incidentkit.core import events as ev
from incidentkit.core.deadlines.vocabulary import MILESTONES, RECORDED_MILESTONES, RISK_LEVELS
from incidentkit.core.events import Event, parse_ts

MILESTONE_PREFIX = "milestone."
MILESTONE_KINDS: dict[str, str] = {name: MILESTONE_PREFIX + name for name in RECORDED_MILESTONES}
NOTIFICATION_SENT = "notification.sent"
# Every kind the deadlines read, for Store.deciding_events(always=...).
DEADLINE_KINDS: tuple[str, ...] = (*MILESTONE_KINDS.values(), NOTIFICATION_SENT, ev.TIMELINE_AMENDED)


@dataclass(frozen=True)
class Milestone:
    """A clock start: when it happened (UTC) and why we say so."""

    name: str
    at: datetime
    reason: str = ""
    by: str = ""
    event_id: str = ""
    level: str = ""                       # risk-assessed only: a key of RISK_LEVELS

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "at": iso(self.at), "reason": self.reason, "by": self.by,
                "event_id": self.event_id, "level": self.level}


@dataclass(frozen=True)
class Notification:
    """A notice sent under a rule, with its proof: the reference and the sent file's sha256."""

    rule_id: str
    at: datetime
    reference: str
    channel: str = ""
    recipient: str = ""
    file_name: str = ""
    sha256: str = ""
    size: int = 0
    by: str = ""
    event_id: str = ""

    def to_json(self) -> dict[str, object]:
        return {"rule_id": self.rule_id, "at": iso(self.at), "reference": self.reference, "channel": self.channel,
                "recipient": self.recipient, "file_name": self.file_name, "sha256": self.sha256,
                "size": self.size, "by": self.by, "event_id": self.event_id}


def notification_payload(rule_id: str, *, reference: str, channel: str = "", recipient: str, file_name: str = "",
                         sha256: str = "", size: int = 0) -> dict[str, object]:
    """A `notification.sent` event's payload, as `fold_notifications` reads it: the notice under
    the rule went to `recipient`, `reference` names it, a file's name, sha256 and size prove what
    was sent. The deadlines' own action and a notice sent under the rule (`comms.actions`) both
    make it here."""
    return {"rule_id": rule_id, "reference": reference.strip(), "channel": channel.strip(),
            "recipient": recipient.strip(), "file_name": file_name, "sha256": sha256, "size": size}


def iso(when: datetime | None) -> str | None:
    """UTC ISO 8601 with a `Z` and whole seconds (`2026-03-04T09:00:00Z`), or None."""
    if when is None:
        return None
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _times(events: list[Event]) -> dict[str, str]:
    """Effective occurred_at of amended events (the latest amendment wins)."""
    moved: dict[str, str] = {}
    for event in events:
        if event.kind == ev.TIMELINE_AMENDED and isinstance(event.payload.get("target"), str):
            when = ev.canonical_ts(event.payload.get("occurred_at"))
            if when:
                moved[event.payload["target"]] = when
    return moved


def _at(event: Event, moved: Mapping[str, str]) -> datetime | None:
    try:
        return parse_ts(moved.get(event.id, event.occurred_at))
    except ValueError:
        return None


def fold_milestones(events: Iterable[Event], aware_at: str | datetime | None = None,
                    closed_at: str | datetime | None = None) -> dict[str, Milestone]:
    """The incident's milestones by name: `aware` from the awareness time, `incident-closed` from the
    close of a closed incident, the rest from their events."""
    ordered = sorted(events, key=lambda e: e.seq)
    moved = _times(ordered)
    found: dict[str, Milestone] = {}
    for name, when, why in (("aware", aware_at, "the incident's awareness time"),
                            ("incident-closed", closed_at, "the incident was closed")):
        at = when if isinstance(when, datetime) or when is None else _parse(when)
        if at is not None:
            found[name] = Milestone(name, at, why)
    names = {kind: name for name, kind in MILESTONE_KINDS.items()}
    for event in ordered:
        name = names.get(event.kind)
        at = _at(event, moved) if name else None
        if name and at is not None:
            level = str(event.payload.get("level", ""))
            found[name] = Milestone(name, at, str(event.payload.get("reason", "")), event.actor, event.id,
                                    level if level in RISK_LEVELS else "")
    return found


def fold_notifications(events: Iterable[Event]) -> tuple[Notification, ...]:
    """Every notification sent, in the order they happened."""
    ordered = sorted(events, key=lambda e: e.seq)
    moved = _times(ordered)
    out: list[Notification] = []
    for event in ordered:
        if event.kind != NOTIFICATION_SENT:
            continue
        at, p = _at(event, moved), event.payload
        if at is None or not isinstance(p.get("rule_id"), str):
            continue
        size = p.get("size", 0)
        out.append(Notification(p["rule_id"], at, str(p.get("reference", "")), str(p.get("channel", "")),
                                str(p.get("recipient", "")), str(p.get("file_name", "")), str(p.get("sha256", "")),
                                size if type(size) is int else 0, event.actor, event.id))
    out.sort(key=lambda n: n.at)
    return tuple(out)


def _parse(text: str) -> datetime | None:
    try:
        return parse_ts(text)
    except ValueError:
        return None


def event_line(event: Event) -> tuple[str, str]:
    """The timeline's (title, detail) of a milestone or notification event."""
    p = event.payload
    if event.kind == NOTIFICATION_SENT:
        title = f"Notice sent under {p.get('rule_id', '?')} to {p.get('recipient') or 'the recipient'}"
        parts = [f"reference {p.get('reference', '')}"]
        if p.get("channel"):
            parts.append(f"via {p['channel']}")
        if p.get("sha256"):
            parts.append(f"file {p.get('file_name', '')} sha256 {p['sha256']}")
        return title, "; ".join(parts)
    name = str(p.get("milestone") or event.kind.removeprefix(MILESTONE_PREFIX))
    title = f"Milestone: {MILESTONES.get(name, name)}"
    level = str(p.get("level", ""))
    if level:
        title += f" ({RISK_LEVELS.get(level, level)})"
    return title, str(p.get("reason", ""))
