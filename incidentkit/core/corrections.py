"""Corrections of what the log says: amendments of events, and of the awareness time.

An amendment (`timeline.amended`) corrects an earlier event's time or detail (and a
timeline entry's title and category). An awareness correction
(`incident.aware_at_corrected`) corrects when the organisation became aware, which is
also the time the timeline shows the incident's opening at. Both leave the original in
the log; the records here say what was corrected, by whom, when and why, so every view
and export can show the original next to the correction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from incidentkit.core import events as ev
from incidentkit.core.events import Event

if TYPE_CHECKING:
    from incidentkit.core.projections import IncidentSummary
    from incidentkit.core.store import Incident


def awareness_time(incident: Incident, state: IncidentSummary) -> str:
    """The incident's awareness time as every view and export reads it: the state's (an
    `IncidentState` or a summary), its corrections applied, else the one its row was opened
    with (a state of no events has none)."""
    return state.aware_at or incident.aware_at


@dataclass(frozen=True)
class Amendment:
    """One correction applied to a timeline item: `was` holds the values it replaced
    (among title, detail, category, occurred_at), as they were just before it."""

    event_id: str
    by: str
    at: str            # when the correction was recorded
    reason: str
    was: Mapping[str, str]


@dataclass(frozen=True)
class AwareCorrection:
    """One correction of the awareness time, from `previous` to `aware_at`."""

    aware_at: str
    previous: str
    by: str
    at: str            # when the correction was recorded
    reason: str
    event_id: str


def changes_of(fix: Event) -> Mapping[str, object]:
    """What a correction sets on the event it corrects: an amendment's fields, or, for an
    awareness correction, the opening's time."""
    if fix.kind == ev.INCIDENT_AWARE_CORRECTED:
        return {"occurred_at": fix.payload.get("aware_at")}
    return fix.payload


_CORRECTING = frozenset({ev.TIMELINE_AMENDED, ev.INCIDENT_AWARE_CORRECTED})


def corrections_by_target(ordered: Sequence[Event], *, opened: str | None = None) -> dict[str, list[Event]]:
    """The correcting events per corrected event id, in seq order: amendments by their
    `target`, awareness corrections under the incident's (first) opening: `opened` when
    given (`ordered` are then newer events of a log that holds it), else the first
    `incident.opened` among `ordered`."""
    found: dict[str, list[Event]] = {}
    aware: list[Event] = []
    correcting = _CORRECTING
    for event in ordered:
        if event.kind in correcting:  # one test for the many events that correct nothing
            if event.kind == ev.INCIDENT_AWARE_CORRECTED:
                aware.append(event)
                continue
            target = event.payload.get("target")
            if isinstance(target, str):
                found.setdefault(target, []).append(event)
    if aware and opened is None:
        opened = next((e.id for e in ordered if e.kind == ev.INCIDENT_OPENED), None)
    if aware and opened is not None:
        fixes = found.setdefault(opened, [])
        fixes.extend(aware)
        fixes.sort(key=lambda e: e.seq)
    return found


def fold_awareness(base: str | None, fixes: Iterable[Event]) -> tuple[str | None, tuple[AwareCorrection, ...]]:
    """The awareness time after the opening's `fixes` (its corrections, in seq order), and
    the history of the changes. An amendment that moved the opening's time (the only way
    before awareness corrections existed) counts as a correction too, so older logs do not
    show an opening at one time and awareness at another. Values that are not times are
    skipped."""
    current, history = base, []
    for fix in fixes:
        new = ev.canonical_ts(changes_of(fix).get("occurred_at"))
        if new is None:
            continue
        history.append(AwareCorrection(aware_at=new, previous=current or "", by=fix.actor, at=fix.recorded_at,
                                       reason=str(fix.payload.get("reason", "")), event_id=fix.id))
        current = new
    return current, tuple(history)
