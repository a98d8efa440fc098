"""The Epsilon scenario as an incident record: a marketing vendor breached, names and email
addresses of our customers in six jurisdictions exposed, phishing to follow.

`incidentkit validate` renders each template with it (so a template's runtime errors are
found with their lines before anyone drafts from it), and the golden tests render every
shipped template with it. Everything is fixed: the times, the people, the details, a
correction in the record; nothing depends on the clock or the machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from incidentkit.core import events as ev
from incidentkit.core.comms.context import IncidentRecord, chronology
from incidentkit.core.comms.details import fold_details
from incidentkit.core.deadlines.board import make_board
from incidentkit.core.deadlines.clock import HolidayCalendars
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.events import Event, chain_hash
from incidentkit.core.scope.profile import ScopeProfile

INCIDENT_ID = "e951a0f1c0de4e11a9b0c0ffee2011a4"
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)
PEOPLE = {"US-CA": 1000, "US-NY": 800, "US-TX": 300, "US-DE": 600, "FR": 2000, "GB": 1500}
PROFILE = ScopeProfile(imported=PEOPLE, people_imported=sum(PEOPLE.values()),
                       elements=frozenset({"name", "email"}), encrypted="no")
DETAILS = {
    "organisation": "Harbor & Pine Outfitters",
    "vendor": "Epsilon Data Management",
    "website": "harborpine.example",
    "notice_page": "https://harborpine.example/security-notice",
    "phone": "1-800-555-0142",
    "hours": "Monday to Friday, 8 am to 8 pm Eastern Time",
    "email": "notices@harborpine.example",
    "postal_address": "200 Harbor Street\nPortland, ME 04101",
    "dpo_contact": "Dana Whitfield, Data Protection Officer, privacy@harborpine.example, +44 20 7946 0321",
    "phishing_report": "phishing@harborpine.example",
    "sending_domain": "harborpine.example",
    "spokesperson": "Sam Ortiz, Head of Communications, press@harborpine.example",
    "signatory": "Jordan Lee, Chief Customer Officer",
    "breach_start": "2026-02-24T22:10:00.000000+00:00",
    "breach_end": "2026-02-27T04:30:00.000000+00:00",
    "time_zone": "America/New_York",
}
PLAYBOOK = """---
id: sample-vendor-breach
title: Vendor data breach (sample)
version: "1"
---
# Vendor data breach (sample)

## Scope

- [ ] Record when and how we became aware {#scope-record-awareness}
- [ ] Get written confirmation from the vendor {#scope-vendor-confirmation}
"""

# (kind, occurred_at, recorded_at, actor, step_id, payload); the incident.opened event first.
_EVENTS: tuple[tuple[str, str, str, str, str | None, dict], ...] = (
    (ev.INCIDENT_OPENED, "2026-03-02T09:00:00", "2026-03-02T09:20:00", "ann", None,
     {"title": "Epsilon email breach", "playbook_id": "sample-vendor-breach", "playbook_version": "1",
      "snapshot_sha256": "0" * 64, "aware_at": "2026-03-02T09:00:00.000000+00:00"}),
    (ev.TIMELINE_ENTRY, "2026-03-02T08:55:00", "2026-03-02T09:25:00", "ann", None,
     {"title": "Epsilon's account manager emailed: unusual activity on the email platform",
      "detail": "Email to the marketing team; forwarded to security at 09:05", "category": "vendor"}),
    (ev.STEP_DONE, "2026-03-02T09:40:00", "2026-03-02T09:40:00", "ann", "scope-record-awareness", {}),
    (ev.TIMELINE_ENTRY, "2026-03-02T16:00:00", "2026-03-02T16:30:00", "raj", None,
     {"title": "Vendor confirmed in writing: names and email addresses accessed",
      "detail": "Letter from Epsilon's general counsel", "category": "vendor"}),
    (ev.TIMELINE_AMENDED, "2026-03-03T08:00:00", "2026-03-03T08:00:00", "raj", None,
     {"target": "", "occurred_at": "2026-03-02T14:45:00.000000+00:00",
      "detail": "Letter from Epsilon's general counsel, received by email at 14:45",
      "reason": "the email's headers show when it arrived"}),
    (ev.STEP_DONE, "2026-03-02T16:35:00", "2026-03-02T16:35:00", "raj", "scope-vendor-confirmation", {}),
    (ev.NOTICE_DETAILS, "2026-03-02T17:00:00", "2026-03-02T17:00:00", "ann", None,
     {"details": DETAILS, "reason": "from the contact sheet"}),
)


def sample_events() -> list[Event]:
    """The scenario's events, hash-chained; the amendment corrects the vendor's written confirmation."""
    out: list[Event] = []
    prev = ev.GENESIS_HASH
    for seq, (kind, occurred, recorded, actor, step, payload) in enumerate(_EVENTS, start=1):
        body = dict(payload)
        if kind == ev.TIMELINE_AMENDED:
            body["target"] = out[3].id
        event = Event(f"{seq:04d}".ljust(32, "0"), INCIDENT_ID, seq, kind, step, actor,
                      f"{occurred}.000000+00:00", f"{recorded}.000000+00:00", body, prev)
        object.__setattr__(event, "hash", chain_hash(prev, event))
        prev = event.hash
        out.append(event)
    return out


def sample_record(rules: Sequence[Rule], *, profile: ScopeProfile = PROFILE, now: datetime = NOW,
                  timeline: bool = True) -> IncidentRecord:
    from incidentkit.core.playbook.parser import parse_playbook
    from incidentkit.core.projections import project
    from incidentkit.core.projections import timeline as timeline_items

    events = sample_events()
    playbook = parse_playbook(PLAYBOOK, "sample.md")
    state = project(playbook, events)
    board = make_board(playbook, state, events, rules=rules, profile=profile, now=now, calendars=HolidayCalendars())
    details = fold_details(events)
    entries = chronology(timeline_items(playbook, events), events, details.get("time_zone", "")) if timeline else None
    return IncidentRecord(INCIDENT_ID, state.title, state.status, state.opened_at or "", board, details, entries)
