"""The deadlines as an iCalendar file: one event per dated obligation, with alarms.

Each event's UID is the incident id and the rule id, so importing the file again updates
the events instead of adding copies; SEQUENCE is the incident's last event number, which
only grows. Open obligations get alarms 24 hours and 2 hours before the deadline. The
icalendar package writes the file (folding, escaping).
"""

from __future__ import annotations

from datetime import timedelta

from incidentkit.core.deadlines.board import OPEN, Board
from incidentkit.core.deadlines.describe import DISCLAIMER, STATUS_WORDS

ALARMS = (timedelta(hours=24), timedelta(hours=2))
PRODID = "-//IncidentKit//Deadlines//EN"


def calendar_bytes(board: Board) -> bytes:
    from icalendar import Alarm, Calendar, Event  # ~0.15 s to import: only when a calendar is written

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Deadlines: {board.title}")
    for o in board.shown():
        if o.deadline is None:
            continue
        event = Event()
        event.add("uid", f"{board.incident_id}-{o.rule_id}@incidentkit")
        event.add("sequence", board.state.last_seq)
        event.add("dtstamp", board.now)
        event.add("dtstart", o.deadline)
        event.add("dtend", o.deadline)
        event.add("summary", f"[{STATUS_WORDS[o.status]}] {o.title} ({o.jurisdiction or 'playbook'})")
        sources = "\n".join(f"- {s.citation} ({s.type}, as of {s.as_of}) {s.url}".rstrip() for s in o.sources)
        event.add("description", f"{o.reason}\n\n{o.wording}\n\nSources:\n{sources or '- the playbook'}\n\n"
                                 f"{DISCLAIMER}")
        url = next((s.url for s in o.sources if s.url), "")
        if url:
            event.add("url", url)
        if o.status in OPEN:
            for before in ALARMS:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{o.title}: due in {int(before.total_seconds() // 3600)} h")
                alarm.add("trigger", -before)
                event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
