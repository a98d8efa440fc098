"""Step-level deadlines: a playbook step's `due="72 hours"` as an obligation on the same board.

A step's clock starts at the incident's awareness time. Its deadline counts like a
rule's with no jurisdiction (in UTC, weekends as the only non-business days); it is met
when the step is done (late when done after the deadline) and not applicable when the
step was skipped. An unreadable `due` is left out (the playbook validator warns about it).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from incidentkit.core.deadlines.clock import HolidayCalendars, deadline_after
from incidentkit.core.deadlines.duration import parse_duration
from incidentkit.core.deadlines.obligations import ClockStart, Obligation
from incidentkit.core.events import parse_ts
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import IncidentState

STEP_PREFIX = "step:"
_UTC = ZoneInfo("UTC")


def step_obligations(playbook: Playbook, state: IncidentState, now: datetime, *,
                     calendars: HolidayCalendars | None = None) -> tuple[Obligation, ...]:
    if not state.aware_at:
        return ()
    try:
        aware = parse_ts(state.aware_at)
    except ValueError:
        return ()
    found: list[Obligation] = []
    for step in playbook.steps():
        text = step.attrs.get("due")
        if not text:
            continue
        try:
            due = parse_duration(text)
        except ValueError:
            continue
        deadline = deadline_after(aware, due, _UTC, calendar="", calendars=calendars or HolidayCalendars())
        st = state.step(step.id)
        when = _parse(st.at)
        if st.status == "done":
            late = when is not None and when > deadline
            status, reason = ("met-late" if late else "met"), f"step done {st.at or ''} by {st.by or 'someone'}"
        elif st.status == "skipped":
            status, reason = "not-applicable", f"step skipped: {st.reason or 'no reason given'}"
        else:
            status = "overdue" if now > deadline else "due"
            reason = f"the playbook gives this step {due.words()} from awareness"
        found.append(Obligation(
            rule_id=STEP_PREFIX + step.id, title=step.text, jurisdiction="", recipient="other", status=status,
            deadline=None if status == "not-applicable" else deadline,
            clock_start=ClockStart("aware", aware), reason=reason, sources=(),
            regime=f"playbook {playbook.id}", recipient_detail=playbook.role_name(step.role) or "the team",
            deadline_kind="target", wording=f"due {text} after awareness (playbook)"))
    return tuple(found)


def _parse(text: str | None) -> datetime | None:
    try:
        return parse_ts(text) if text else None
    except ValueError:
        return None
