"""The notices' user actions: record a draft, approve a draft's text, record a sending. One transaction each.

Calling convention as `core/operations.py`: the store first, everything else by keyword.
Each refuses with one clear line and writes nothing when the incident is closed, the
draft is unknown, or the state does not allow it; checks against the log run inside the
write transaction, so two windows cannot both approve or both send on a stale view.

Sending is where the approval binds: a text whose sha256 no one approved is refused
unless the sender overrides it explicitly with a reason, which the log keeps. A sending
that serves obligations also records each one's `notification.sent` (the deadlines'
own event, in the shape `deadlines/records.py` documents) in the same transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime

from incidentkit.core import events as ev
from incidentkit.core import writes
from incidentkit.core.comms.records import Draft, fold_drafts
from incidentkit.core.comms.templates import NoticeTemplate
from incidentkit.core.comms.worker import Rendered
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.deadlines.records import NOTIFICATION_SENT, notification_payload
from incidentkit.core.deadlines.vocabulary import RECIPIENTS
from incidentkit.core.errors import IncidentKitError, NotFoundError, StateError
from incidentkit.core.events import Event
from incidentkit.core.store import Store

NOTICE_EVENT_KINDS = (ev.NOTICE_DRAFTED, ev.NOTICE_APPROVED, ev.NOTICE_SENT)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_drafts(store: Store, incident_id: str) -> list[Draft]:
    full = store.incident(incident_id).id
    events, _ = store.deciding_events(full, always=NOTICE_EVENT_KINDS, groups=())
    return fold_drafts(events)


def _drafts_in_transaction(store: Store, incident_id: str) -> list[Draft]:
    """The drafts as the write transaction sees them (`deciding_events` takes a read transaction of
    its own, which cannot nest in it): the notice events, by one SELECT on the same connection."""
    from incidentkit.core.store.queries import EVENT_COLUMNS, rows_to_events

    marks = ", ".join("?" * len(NOTICE_EVENT_KINDS))
    rows = store.conn.execute(f"SELECT {EVENT_COLUMNS} FROM events WHERE incident_id = ? AND kind IN ({marks}) "
                              "ORDER BY seq", (incident_id, *NOTICE_EVENT_KINDS)).fetchall()
    return fold_drafts(rows_to_events(rows))


def find_draft(drafts: Sequence[Draft], draft_id: str) -> Draft:
    """The one draft whose id starts with `draft_id`; NotFoundError when none or several do."""
    wanted = draft_id.strip().lower()
    found = [d for d in drafts if wanted and d.id.startswith(wanted)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"no draft {draft_id!r} (see `incidentkit notice list`)")
    raise NotFoundError(f"draft id {draft_id!r} is ambiguous: give more of it")


def record_draft(store: Store, *, incident_id: str, template: NoticeTemplate, rendered: Rendered, audience: str,
                 jurisdictions: Sequence[str], details: Mapping[str, str], unfilled: Sequence[str], title: str,
                 actor: str, based_on: str = "") -> Draft:
    """Record a draft; an identical draft (same template, audience and text) already on record is
    returned instead, and nothing is written."""
    full = store.incident(incident_id).id
    sha = text_sha256(rendered.text)
    for existing in read_drafts(store, full):
        if (existing.sha256, existing.template_id, existing.audience, existing.jurisdictions) == (
                sha, template.id, audience, tuple(jurisdictions)):
            return existing
    payload = {
        "template_id": template.id, "template_version": template.version, "template_sha256": template.sha256,
        "template_title": template.title, "audience": audience, "jurisdictions": list(jurisdictions),
        "title": title, "fields": dict(rendered.fields), "unfilled": list(unfilled), "details": dict(details),
        "text": rendered.text, "sha256": sha, "based_on": based_on,
    }
    event = writes.append(store, full, ev.NOTICE_DRAFTED, actor=actor, payload=payload)
    return find_draft(read_drafts(store, full), event.id)


def approve_draft(store: Store, *, incident_id: str, draft_id: str, actor: str, role: str = "",
                  note: str = "") -> Event:
    """Approve the draft's exact text (its sha256)."""
    full = store.incident(incident_id).id
    draft = find_draft(read_drafts(store, full), draft_id)
    if draft.unfilled:
        raise StateError(f"draft {draft.id[:12]} still shows placeholders ({', '.join(draft.unfilled)}): "
                         "fill them in and approve the new draft")

    def check() -> None:
        current = find_draft(_drafts_in_transaction(store, full), draft.id)
        if any(a.by == actor for a in current.approvals):
            raise StateError(f"{actor} has already approved this text (sha256 {draft.sha256[:12]})")

    payload = {"draft_id": draft.id, "sha256": draft.sha256, "role": role.strip(), "note": note.strip()}
    return writes.append(store, full, ev.NOTICE_APPROVED, actor=actor, payload=payload, check=check)


def record_sent(store: Store, *, incident_id: str, draft_id: str, audience: str, count: int, actor: str,
                at: datetime | None = None, channel: str = "", batch: str = "", reference: str = "",
                rules: Sequence[Rule] = (), unapproved_reason: str | None = None) -> list[Event]:
    """Record that the draft's text went to `count` people of `audience`; with `rules`, that it
    served those obligations too (each gets its `notification.sent`)."""
    full = store.incident(incident_id).id
    draft = find_draft(read_drafts(store, full), draft_id)
    audience = audience.strip()
    if not audience:
        raise IncidentKitError("say who it went to (--audience): 'California residents, batch 1'")
    if count < 1:
        raise IncidentKitError("the count must be at least 1: how many people or recipients it went to")
    if unapproved_reason is not None and not unapproved_reason.strip():
        raise IncidentKitError("sending an unapproved text needs a reason, which the record keeps")
    if draft.unfilled:
        raise StateError(f"draft {draft.id[:12]} still shows placeholders ({', '.join(draft.unfilled)}): "
                         "it cannot be sent")
    for rule in rules:
        if rule.recipient != draft.audience:
            raise IncidentKitError(f"rule {rule.id} is a notice to {RECIPIENTS.get(rule.recipient, rule.recipient)}; "
                                   f"this draft is for {RECIPIENTS.get(draft.audience, draft.audience)}")
    batch = batch.strip() or str(len(draft.sendings) + 1)
    reference = reference.strip() or f"notice {draft.id[:12]} batch {batch}"

    def check() -> None:
        if unapproved_reason is None and not find_draft(_drafts_in_transaction(store, full), draft.id).approvals:
            raise StateError(f"the text of draft {draft.id[:12]} (sha256 {draft.sha256[:12]}) was never approved: "
                             "approve it first (`incidentkit notice approve`), or record the sending with "
                             "--unapproved and a reason")

    sent = {"draft_id": draft.id, "sha256": draft.sha256, "audience": audience, "channel": channel.strip(),
            "count": count, "batch": batch, "reference": reference, "rule_ids": [r.id for r in rules],
            "unapproved": unapproved_reason is not None, "reason": (unapproved_reason or "").strip()}
    size = len(draft.text.encode("utf-8"))
    items = [(ev.NOTICE_SENT, sent, at)] + [(NOTIFICATION_SENT, notification_payload(
        rule.id, reference=reference, channel=channel, recipient=audience, file_name=f"notice-{draft.id[:12]}.md",
        sha256=draft.sha256, size=size), at) for rule in rules]
    return writes.append_many(store, full, items, actor=actor, check=check)
