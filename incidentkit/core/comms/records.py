"""Drafts, approvals and sendings: the notices' events and their fold.

Event kinds (payloads are JSON objects):

- `notice.drafted`: `template_id`, `template_version`, `template_sha256`, `template_title`,
  `audience`, `jurisdictions`, `title` (the notice's first heading: an email's subject),
  `fields` (every field's value as used), `unfilled` (required fields left empty),
  `details` (the notice details as used), `text` (the Markdown) and `sha256` (of the
  text as UTF-8), `based_on` (the draft it was made from, or ""). The draft's id is the
  event's id. Drafts never change: editing one makes a new one.
- `notice.approved`: `draft_id`, `sha256`, `role`, `note`; the actor approved. An approval
  binds to the text (its sha256), so any draft with exactly that text is approved.
- `notice.sent`: `draft_id`, `sha256`, `audience`, `channel`, `count`, `batch`,
  `reference`, `rule_ids` (the obligations it serves; each also has its
  `notification.sent`), `unapproved` and `reason` (an explicit override).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from incidentkit.core import events as ev
from incidentkit.core.events import Event

STATES = {"draft": "draft, not approved", "approved": "approved", "sent": "sent"}


@dataclass(frozen=True)
class Approval:
    by: str
    role: str
    at: str
    sha256: str
    draft_id: str
    note: str = ""
    event_id: str = ""

    def to_json(self) -> dict[str, str]:
        return {"by": self.by, "role": self.role, "at": self.at, "sha256": self.sha256, "draft_id": self.draft_id,
                "note": self.note, "event_id": self.event_id}


@dataclass(frozen=True)
class Sending:
    at: str
    audience: str
    channel: str
    count: int
    batch: str
    sha256: str
    reference: str = ""
    rule_ids: tuple[str, ...] = ()
    unapproved: bool = False
    reason: str = ""
    by: str = ""
    event_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "audience": self.audience, "channel": self.channel, "count": self.count,
                "batch": self.batch, "sha256": self.sha256, "reference": self.reference,
                "rule_ids": list(self.rule_ids), "unapproved": self.unapproved, "reason": self.reason,
                "by": self.by, "event_id": self.event_id}


@dataclass(frozen=True)
class Draft:
    id: str
    template_id: str
    template_version: str
    template_sha256: str
    template_title: str
    audience: str
    jurisdictions: tuple[str, ...]
    title: str
    fields: dict[str, str]
    unfilled: tuple[str, ...]
    details: dict[str, str]
    text: str
    sha256: str
    based_on: str
    by: str
    at: str
    approvals: tuple[Approval, ...] = ()
    sendings: tuple[Sending, ...] = ()

    @property
    def state(self) -> str:
        return "sent" if self.sendings else "approved" if self.approvals else "draft"

    def to_json(self, *, text: bool = False) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": self.id, "template_id": self.template_id, "template_version": self.template_version,
            "template_sha256": self.template_sha256, "template_title": self.template_title,
            "audience": self.audience, "jurisdictions": list(self.jurisdictions), "title": self.title,
            "state": self.state, "sha256": self.sha256, "fields": self.fields, "unfilled": list(self.unfilled),
            "details": self.details, "based_on": self.based_on, "by": self.by, "at": self.at,
            "approvals": [a.to_json() for a in self.approvals], "sendings": [s.to_json() for s in self.sendings],
        }
        if text:
            doc["text"] = self.text
        return doc


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _str_map(value: Any) -> dict[str, str]:
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(value, dict) else {}


def _s(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key, "")
    return value if isinstance(value, str) else ""


@dataclass
class _Fold:
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    approvals: dict[str, list[Approval]] = field(default_factory=dict)     # by sha256
    sendings: dict[str, list[Sending]] = field(default_factory=dict)       # by draft id


def fold_drafts(events: Iterable[Event]) -> list[Draft]:
    """Every draft, oldest first, with the approvals of its text and its own sendings."""
    fold = _Fold()
    for event in sorted(events, key=lambda e: e.seq):
        p = event.payload
        if event.kind == ev.NOTICE_DRAFTED and _s(p, "sha256"):
            fold.drafts[event.id] = dict(
                id=event.id, template_id=_s(p, "template_id"), template_version=_s(p, "template_version"),
                template_sha256=_s(p, "template_sha256"), template_title=_s(p, "template_title"),
                audience=_s(p, "audience"), jurisdictions=_strs(p.get("jurisdictions")), title=_s(p, "title"),
                fields=_str_map(p.get("fields")), unfilled=_strs(p.get("unfilled")),
                details=_str_map(p.get("details")), text=_s(p, "text"), sha256=_s(p, "sha256"),
                based_on=_s(p, "based_on"), by=event.actor, at=event.occurred_at)
        elif event.kind == ev.NOTICE_APPROVED and _s(p, "sha256"):
            fold.approvals.setdefault(_s(p, "sha256"), []).append(Approval(
                event.actor, _s(p, "role"), event.occurred_at, _s(p, "sha256"), _s(p, "draft_id"), _s(p, "note"),
                event.id))
        elif event.kind == ev.NOTICE_SENT and _s(p, "draft_id"):
            count = p.get("count", 0)
            fold.sendings.setdefault(_s(p, "draft_id"), []).append(Sending(
                event.occurred_at, _s(p, "audience"), _s(p, "channel"), count if type(count) is int else 0,
                _s(p, "batch"), _s(p, "sha256"), _s(p, "reference"), _strs(p.get("rule_ids")),
                p.get("unapproved") is True, _s(p, "reason"), event.actor, event.id))
    return [Draft(**d, approvals=tuple(fold.approvals.get(d["sha256"], ())),
                  sendings=tuple(fold.sendings.get(d["id"], ()))) for d in fold.drafts.values()]


def event_line(event: Event) -> tuple[str, str]:
    """The timeline's (title, detail) of a notice event."""
    p = event.payload
    sha = _s(p, "sha256")[:12]
    if event.kind == ev.NOTICE_DRAFTED:
        title = f"Notice drafted: {_s(p, 'template_title') or _s(p, 'template_id')}"
        if _s(p, "title"):
            title += f" ({_s(p, 'title')})"
        return title, f"template {_s(p, 'template_id')} v{_s(p, 'template_version')}; sha256 {sha}; " \
                      f"draft {event.id[:12]}"
    if event.kind == ev.NOTICE_APPROVED:
        role = f" as {_s(p, 'role')}" if _s(p, "role") else ""
        return f"Notice approved{role}: draft {_s(p, 'draft_id')[:12]}", f"sha256 {sha}" + (
            f"; {_s(p, 'note')}" if _s(p, "note") else "")
    if event.kind == ev.NOTICE_SENT:
        count = p.get("count", 0)
        title = f"Notice sent to {_s(p, 'audience')}: {count:,} by {_s(p, 'channel') or 'an unnamed channel'}" \
            if type(count) is int else f"Notice sent to {_s(p, 'audience')}"
        parts = [f"draft {_s(p, 'draft_id')[:12]}", f"batch {_s(p, 'batch')}", f"sha256 {sha}"]
        if p.get("unapproved") is True:
            parts.append(f"sent WITHOUT APPROVAL: {_s(p, 'reason')}")
        if _strs(p.get("rule_ids")):
            parts.append("for " + ", ".join(_strs(p.get("rule_ids"))))
        return title, "; ".join(parts)
    values = p.get("details")
    changed = ", ".join(sorted(values)) if isinstance(values, dict) else ""
    return f"Notice details recorded: {changed}", _s(p, "reason")
