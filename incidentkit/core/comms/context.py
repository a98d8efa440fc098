"""What a template sees: the incident's own record as plain data (a pure function, no I/O).

    context = notice_context(record, audience="individuals", jurisdictions=("US-CA",))

Every value is JSON-shaped (strings, numbers, lists, mappings), because the template
runs in another process and because a template should reach facts, not objects with
methods. A notice detail the incident has not recorded appears as a visible
placeholder (`[to fill in: the vendor's name]`), never as an empty string: a notice that
silently lacks the organisation's name is worse than one that shows the gap. Templates
test `is filled` to leave an optional detail out. The variables are documented in
docs/notices.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from incidentkit.core.comms.format_filters import day_words, thousands, time_words, words, zone
from incidentkit.core.comms.vocabulary import AUDIENCES, DETAILS, PLACEHOLDER
from incidentkit.core.deadlines.board import Board
from incidentkit.core.deadlines.describe import DISCLAIMER, STATUS_WORDS
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.core.deadlines.records import Notification, iso
from incidentkit.core.deadlines.vocabulary import MILESTONES, RECIPIENTS
from incidentkit.core.events import Event
from incidentkit.core.scope.vocabulary import DATA_ELEMENTS, EEA_COUNTRIES, ENCRYPTION_STATES
from incidentkit.core.titles import AMENDABLE

# The organisation's details as `organisation.<name>` (the rest of DETAILS live elsewhere).
_ORGANISATION = ("website", "notice_page", "phone", "hours", "email", "postal_address", "dpo_contact",
                 "phishing_report", "sending_domain", "spokesperson", "signatory")
_REGIONS = {"EU": "the European Economic Area", "US": "the United States", "global": "every country",
            "unknown": "an unknown location"}


@dataclass(frozen=True)
class IncidentRecord:
    """What a notice may say about one incident, as read from the store (`desk.read_record`)."""

    incident_id: str
    title: str
    status: str
    opened_at: str
    board: Board
    details: Mapping[str, str]
    chronology: Sequence[Mapping[str, Any]] | None = None   # made only for templates that read `timeline`


def placeholder(what: str) -> str:
    return PLACEHOLDER.format(what=what)


def jurisdiction_name(code: str) -> str:
    """`US-CA` California, `FR` France, `EU` the European Economic Area."""
    if code in _REGIONS:
        return _REGIONS[code]
    import pycountry

    found = pycountry.subdivisions.get(code=code) if "-" in code else pycountry.countries.get(alpha_2=code)
    return (getattr(found, "common_name", None) or found.name) if found is not None else code


def _detail(details: Mapping[str, str], key: str) -> str:
    return details.get(key) or placeholder(DETAILS[key])


def _in(jurisdiction: str, chosen: Sequence[str]) -> bool:
    if not chosen or jurisdiction in chosen or jurisdiction == "global":
        return True
    return jurisdiction == "EU" and any(c.split("-")[0] in EEA_COUNTRIES for c in chosen) or \
        jurisdiction == "US" and any(c.startswith("US-") for c in chosen)


def audience_obligations(board: Board, audience: str, jurisdictions: Sequence[str] = ()) -> list[Obligation]:
    """The obligations a draft for `audience` serves: ours, applying (or needing input), to that
    recipient, in the chosen jurisdictions (all when none are chosen)."""
    return [o for o in board.obligations if o.applies and o.owed_by == "organisation" and not o.rule_id.startswith(
        "step:") and o.recipient == audience and _in(o.jurisdiction, jurisdictions)]


def _people(code: str, n: int) -> dict[str, Any]:
    return {"code": code, "name": jurisdiction_name(code), "people": n, "people_text": thousands(n)}


def _obligation(o: Obligation, tz: Any) -> dict[str, Any]:
    return {
        "rule_id": o.rule_id, "title": o.title, "regime": o.regime, "jurisdiction": o.jurisdiction,
        "jurisdiction_name": jurisdiction_name(o.jurisdiction) if o.jurisdiction else "",
        "recipient": o.recipient, "recipient_words": o.recipient_detail or RECIPIENTS.get(o.recipient, o.recipient),
        "status": o.status, "status_words": STATUS_WORDS.get(o.status, o.status), "deadline": iso(o.deadline) or "",
        "deadline_text": time_words(o.deadline, tz) if o.deadline else "no fixed deadline",
        "reason": o.reason, "people": o.people,
        "sources": [{"citation": s.citation, "as_of": s.as_of, "url": s.url} for s in o.sources],
    }


def _sent(n: Notification, o: Obligation | None, tz: Any) -> dict[str, Any]:
    """A notification sent, with the jurisdiction and kind of recipient of its rule."""
    return {"rule_id": n.rule_id, "at": iso(n.at), "date": day_words(n.at, tz), "reference": n.reference,
            "channel": n.channel, "recipient": n.recipient, "jurisdiction": o.jurisdiction if o else "",
            "rule_recipient": o.recipient if o else "", "title": o.title if o else n.rule_id}


def _window(details: Mapping[str, str], tz: Any) -> str:
    start, end = details.get("breach_start", ""), details.get("breach_end", "")
    if start and end:
        first, last = day_words(start, tz), day_words(end, tz)
        return f"on {first}" if first == last else f"between {first} and {last}"
    if start:
        return f"from {day_words(start, tz)}"
    return placeholder("when the unauthorised access began and ended")


def notice_context(record: IncidentRecord, *, audience: str, jurisdictions: Sequence[str] = ()) -> dict[str, Any]:
    details, board = record.details, record.board
    tz = zone(details.get("time_zone"))
    profile = board.profile
    aware = board.milestones.get("aware")
    codes = [c for c in DATA_ELEMENTS if c in profile.elements]
    element_words = [DATA_ELEMENTS[c] for c in codes]
    chosen = [_people(c, profile.people_in(c)) for c in jurisdictions]
    applicable = [o for o in board.obligations if o.applies and o.owed_by == "organisation"]
    rules = {o.rule_id: o for o in board.obligations}
    context: dict[str, Any] = {
        "organisation": {"name": _detail(details, "organisation"), **{k: _detail(details, k) for k in _ORGANISATION}},
        "vendor": {"name": _detail(details, "vendor")},
        "incident": {
            "id": record.incident_id, "short_id": record.incident_id[:8], "title": record.title,
            "status": record.status, "opened_at": record.opened_at,
            "aware_at": iso(aware.at) if aware else "", "aware_date": day_words(aware.at, tz) if aware else "",
            "breach_start": details.get("breach_start", ""), "breach_end": details.get("breach_end", ""),
            "breach_window": _window(details, tz),
        },
        "time_zone": details.get("time_zone") or "UTC",
        "now": iso(board.now), "today": day_words(board.now, tz),
        "scope": {
            "people": profile.people, "people_text": thousands(profile.people), "unknown": profile.unknown,
            "jurisdictions": [_people(c, n) for c, n in profile.by_jurisdiction.items()],
            "element_codes": codes, "elements": element_words,
            "elements_text": words(element_words) or placeholder("which data was exposed"),
            "encrypted": ENCRYPTION_STATES.get(profile.encrypted, profile.encrypted),
        },
        "audience": {
            "recipient": audience, "words": AUDIENCES.get(audience, audience), "jurisdictions": chosen,
            "people": sum(j["people"] for j in chosen) if chosen else profile.people,
        },
        "milestones": {name: {"at": iso(m.at), "date": day_words(m.at, tz), "words": MILESTONES.get(name, name),
                              "reason": m.reason} for name, m in board.milestones.items()},
        "deadlines": [_obligation(o, tz) for o in applicable],
        "obligations": [_obligation(o, tz) for o in audience_obligations(board, audience, jurisdictions)],
        "notices_sent": [_sent(n, rules.get(n.rule_id), tz) for n in board.notifications],
        "disclaimer": DISCLAIMER,
    }
    context["audience"]["people_text"] = thousands(context["audience"]["people"])
    if record.chronology is not None:
        context["timeline"] = list(record.chronology)
    return context


def chronology(items: Iterable[Any], events: Iterable[Event], tz_name: str = "") -> list[dict[str, Any]]:
    """The counsel's chronology from `projections.timeline` items: each entry with when it
    happened and when it was recorded, who recorded it, and its amendments beside it (each
    change as before and after, with who, when and why). Amendments are not entries of
    their own: they sit with what they correct."""
    tz = zone(tz_name)
    by_id = {e.id: e for e in events}
    out: list[dict[str, Any]] = []
    for item in items:
        event = item.event
        if event.kind == "timeline.amended":
            continue
        values = {key: str(item.original.get(key, _current(item, key))) for key in AMENDABLE}
        amendments = []
        for fix_id in item.amended_by:
            fix = by_id.get(fix_id)
            if fix is None:
                continue
            changes = []
            for key in AMENDABLE:
                if key in fix.payload:
                    after = str(fix.payload[key])
                    shown = (time_words(values[key], tz), time_words(after, tz)) if key == "occurred_at" else (
                        values[key], after)
                    changes.append({"field": key.replace("_", " "), "before": shown[0], "after": shown[1]})
                    values[key] = after
            amendments.append({"by": fix.actor, "recorded_at": fix.recorded_at,
                               "recorded_text": time_words(fix.recorded_at, tz),
                               "reason": str(fix.payload.get("reason", "")), "changes": changes})
        out.append({"seq": event.seq, "kind": event.kind, "actor": event.actor, "title": item.title,
                    "detail": item.detail, "category": item.category, "occurred_at": item.occurred_at,
                    "occurred_text": time_words(item.occurred_at, tz), "recorded_at": event.recorded_at,
                    "recorded_text": time_words(event.recorded_at, tz), "amendments": amendments})
    return out


def _current(item: Any, key: str) -> str:
    if key == "occurred_at":
        return item.event.occurred_at
    if key == "title" and item.event.kind == "timeline.entry":
        return str(item.event.payload.get("title", ""))
    return str(getattr(item, key, ""))

