"""Projections: step states, progress and the timeline, as pure functions over events.

CONTRACT (signatures used by the CLI, window and exporters; implementations may add).
Rule for conflicts: the later event (by seq) wins. Events are folded in seq order
whatever order they are given in; kinds a projection does not know are skipped, and
events about step ids the playbook lacks never break the fold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from operator import attrgetter, gt
from types import MappingProxyType
from typing import Any, Literal, Protocol

from incidentkit.core import events as ev
from incidentkit.core.events import Event
from incidentkit.core.gc_pause import gc_paused
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.titles import AMENDABLE, ENTRY_PREFIX, Titles, entry_line

StepStatus = Literal["open", "done", "skipped"]


class DecidingSource(Protocol):
    """What the projections need of a store to fold a state without its whole log."""

    def deciding_events(self, incident_id: str, *, always: Sequence[str],
                        groups: Sequence[Sequence[str]]) -> tuple[list[Event], int]: ...

# Which events can decide an IncidentState (see `deciding_events`): per step, the latest
# event of each of these groups sets that step's fields and hides every earlier one.
STEP_GROUPS = (tuple(ev.STEP_STATUS_OF), (ev.STEP_NOTED,), (ev.STEP_ASSIGNED,))
GROUP_OF = {kind: g for g, kinds in enumerate(STEP_GROUPS) for kind in kinds}  # a step event's kind -> its group
# Events that always count: the incident's own (their order matters) and amendments
# (they can move the time of any event the state shows).
ALWAYS_DECIDING = (ev.INCIDENT_OPENED, ev.INCIDENT_RENAMED, ev.INCIDENT_CLOSED, ev.INCIDENT_REOPENED,
                   ev.TIMELINE_AMENDED)


def percent_finished(finished: int, total: int) -> int:
    """Whole percent, rounded down as Qt's progress bar does, so 100 means every step is finished;
    every view and export shows progress through this one rule."""
    return 100 * finished // total if total else 0


@dataclass(frozen=True)
class StepState:
    step_id: str
    status: StepStatus = "open"
    by: str | None = None          # actor of the event that set the status
    at: str | None = None          # its occurred_at
    reason: str | None = None      # skip reason
    assignee: str | None = None
    note: str = ""                 # latest note text
    note_by: str | None = None
    note_at: str | None = None


@dataclass(frozen=True)
class PhaseProgress:
    phase_id: str
    title: str
    done: int
    skipped: int
    total: int

    @property
    def finished(self) -> int:
        return self.done + self.skipped


@dataclass(frozen=True)
class IncidentState:
    incident_id: str
    title: str
    status: Literal["open", "closed"]
    aware_at: str | None
    opened_at: str | None
    closed_at: str | None
    steps: Mapping[str, StepState]
    phases: tuple[PhaseProgress, ...]
    event_count: int
    last_seq: int
    head_hash: str

    def step(self, step_id: str) -> StepState:
        """The state of one step: open when no event has touched it."""
        return self.steps.get(step_id) or StepState(step_id=step_id)

    @property
    def done(self) -> int:
        return sum(p.done for p in self.phases)

    @property
    def skipped(self) -> int:
        return sum(p.skipped for p in self.phases)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.phases)

    @property
    def finished(self) -> int:
        return self.done + self.skipped

    @property
    def progress(self) -> float:
        """finished / total, 0.0 for no steps."""
        total = self.total
        return self.finished / total if total else 0.0

    @property
    def percent(self) -> int:
        return percent_finished(self.finished, self.total)


@dataclass(frozen=True)
class TimelineItem:
    """One event as the timeline shows it, with amendments applied and the original kept."""

    event: Event
    occurred_at: str               # effective (amended) time
    title: str                     # one human line: "Step done: Confirm the breach in writing"
    detail: str = ""
    category: str = ""
    amended_by: tuple[str, ...] = ()   # ids of timeline.amended events that correct this one
    original: Mapping[str, object] = field(default_factory=dict)  # original values when amended


_NO_ORIGINAL: Mapping[str, object] = MappingProxyType({})
_BY_TIME = attrgetter("occurred_at")
_BY_SEQ = attrgetter("seq")
# `format_ts` text exactly: for these, and only these, string order is time order.
_CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00\Z").match
# Its fixed characters by position (`2026-11-29T03:44:47.123456+00:00`).
_FIXED_CHARS = tuple((i, c) for i, c in enumerate("    -  -  T  :  :  .      +00:00") if c != " ")


def _all_canonical(times: list[str]) -> bool:
    """Whether every time has `format_ts`'s shape: 32 characters and its fixed characters,
    checked a column at a time over the joined text (a regex per time costs 5x more on
    100,000 events). The digit columns are not checked: a time with a non-digit there does
    not parse, so it sorts by its text on either path."""
    if set(map(len, times)) - {32}:
        return False
    joined, n = "".join(times), len(times)
    return all(joined[i::32] == c * n for i, c in _FIXED_CHARS)


def _in_seq_order(events: Iterable[Event]) -> list[Event]:
    listed = list(events)
    seqs = [e.seq for e in listed]
    if any(map(gt, seqs, islice(seqs, 1, None))):
        listed.sort(key=_BY_SEQ)
    return listed


def _corrections(ordered: list[Event]) -> dict[str, list[Event]]:
    """Amendment events per target event id, in seq order."""
    found: dict[str, list[Event]] = {}
    for event in ordered:
        if event.kind == ev.TIMELINE_AMENDED:
            target = event.payload.get("target")
            if isinstance(target, str):
                found.setdefault(target, []).append(event)
    return found


def _sort_by_time(items: list[TimelineItem]) -> None:
    """Sort `items` (in seq order) by the instant of their occurred_at, then seq, in place.

    Items keep their time as recorded; an imported one in another offset or form (`Z`, no
    fraction, `+05:30`) is compared by its canonical UTC text. When every time is already
    canonical, nearly always, the strings sort directly.
    """
    times = list(map(_BY_TIME, items))
    if _all_canonical(times):
        items.sort(key=_BY_TIME)
        return
    keys = [t if _CANONICAL(t) else (ev.canonical_ts(t) or t) for t in times]
    order = sorted(range(len(items)), key=keys.__getitem__)
    items[:] = [items[i] for i in order]


def _amended_times(ordered: list[Event]) -> dict[str, str]:
    """Effective occurred_at of events whose time was corrected (the latest correction wins)."""
    times: dict[str, str] = {}
    for target, fixes in _corrections(ordered).items():
        for fix in fixes:
            when = ev.canonical_ts(fix.payload.get("occurred_at"))
            if when:
                times[target] = when
    return times


def project(playbook: Playbook, events: Iterable[Event]) -> IncidentState:
    ordered = _in_seq_order(events)
    times = _amended_times(ordered)
    steps: dict[str, dict[str, Any]] = {s.id: {"step_id": s.id} for s in playbook.steps()}
    incident_id, title, status = "", "", "open"
    aware_at = opened_at = closed_at = None
    for event in ordered:
        kind, payload = event.kind, event.payload
        when = times.get(event.id, event.occurred_at)
        incident_id = incident_id or event.incident_id
        if kind in ev.STEP_STATUS_OF:
            step = steps.get(event.step_id or "")
            if step is not None:
                step.update(status=ev.STEP_STATUS_OF[kind], by=event.actor, at=when,
                            reason=payload.get("reason") if kind == ev.STEP_SKIPPED else None)
        elif kind == ev.STEP_NOTED:
            step = steps.get(event.step_id or "")
            if step is not None:
                step.update(note=str(payload.get("text", "")), note_by=event.actor, note_at=when)
        elif kind == ev.STEP_ASSIGNED:
            step = steps.get(event.step_id or "")
            if step is not None:
                step["assignee"] = str(payload.get("assignee", "")) or None
        elif kind == ev.INCIDENT_OPENED:
            title = str(payload.get("title", title))
            aware_at = str(payload.get("aware_at") or when)
            opened_at = event.recorded_at
        elif kind == ev.INCIDENT_RENAMED:
            title = str(payload.get("title", title))
        elif kind == ev.INCIDENT_CLOSED:
            status, closed_at = "closed", when
        elif kind == ev.INCIDENT_REOPENED:
            status, closed_at = "open", None
    states = {sid: StepState(**fields) for sid, fields in steps.items()}
    phases = []
    for phase in playbook.phases:
        counts = [states[s.id].status for s in phase.steps]
        phases.append(PhaseProgress(phase.id, phase.title, counts.count("done"), counts.count("skipped"), len(counts)))
    last = ordered[-1] if ordered else None
    return IncidentState(
        incident_id=incident_id,
        title=title,
        status=status,  # type: ignore[arg-type]
        aware_at=aware_at,
        opened_at=opened_at,
        closed_at=closed_at,
        steps=MappingProxyType(states),
        phases=tuple(phases),
        event_count=len(ordered),
        last_seq=last.seq if last else 0,
        head_hash=last.hash if last else ev.GENESIS_HASH,
    )


def deciding_events(events: Iterable[Event]) -> list[Event]:
    """The events `project()` needs to reach the same state as from all of `events`, in seq order.

    They are: per step, the latest event of each `STEP_GROUPS` group; every
    `ALWAYS_DECIDING` event; and the latest event (for `last_seq` and `head_hash`).
    `project()` over them equals `project()` over all the events but for `event_count`,
    which `project_deciding` takes from the caller. The store selects the same events
    in SQL (`Store.deciding_events`) so a large incident opens without reading its log;
    tests hold both to this definition.
    """
    ordered = _in_seq_order(events)
    latest: dict[tuple[str | None, int], Event] = {}
    kept: dict[int, Event] = {}
    for event in ordered:
        if event.kind in ALWAYS_DECIDING:
            kept[event.seq] = event
        elif event.kind in GROUP_OF:
            latest[(event.step_id, GROUP_OF[event.kind])] = event
    kept.update((e.seq, e) for e in latest.values())
    if ordered:
        kept[ordered[-1].seq] = ordered[-1]
    return [kept[seq] for seq in sorted(kept)]


def project_deciding(playbook: Playbook, deciding: Iterable[Event], event_count: int) -> IncidentState:
    """The state of a log of `event_count` events, from its `deciding_events` (and any later events)."""
    return replace(project(playbook, deciding), event_count=event_count)


def read_deciding(store: DecidingSource, incident_id: str) -> tuple[list[Event], int]:
    """The incident's deciding events and its log's length, selected by the store from these rules."""
    return store.deciding_events(incident_id, always=ALWAYS_DECIDING, groups=STEP_GROUPS)


def read_state(store: DecidingSource, playbook: Playbook, incident_id: str) -> IncidentState:
    """The incident's state as of now, without reading its whole log."""
    return project_deciding(playbook, *read_deciding(store, incident_id))


def _amended_item(event: Event, title: str, detail: str, fixes: list[Event]) -> TimelineItem:
    """The item of an event that amendments correct: their values applied, the originals kept."""
    is_entry = event.kind == ev.TIMELINE_ENTRY
    values: dict[str, Any] = {
        "title": str(event.payload.get("title", "")) if is_entry else title,
        "detail": detail,
        "category": str(event.payload.get("category", "")) if is_entry else "",
        "occurred_at": event.occurred_at,
    }
    original: dict[str, Any] = {}
    for fix in fixes:
        for key in AMENDABLE:
            if key in fix.payload:
                value = ev.canonical_ts(fix.payload[key]) if key == "occurred_at" else str(fix.payload[key])
                if value is not None:
                    original.setdefault(key, values[key])
                    values[key] = value
    return TimelineItem(
        event=event,
        occurred_at=values["occurred_at"],
        title=entry_line(values["title"]) if is_entry else values["title"],
        detail=values["detail"],
        category=values["category"],
        amended_by=tuple(f.id for f in fixes),
        original=MappingProxyType(original),
    )


def latest_notes(items: Iterable[TimelineItem]) -> dict[str, str]:
    """Each step's note text after these items' events: the `notes` to pass to `timeline` for
    the events that follow them."""
    latest: dict[str, Event] = {}
    for item in items:
        event = item.event
        if event.kind == ev.STEP_NOTED:
            step = event.step_id or ""
            if step not in latest or latest[step].seq < event.seq:
                latest[step] = event
    return {step: str(e.payload.get("text", "")) for step, e in latest.items()}


def timeline(playbook: Playbook, events: Iterable[Event], *,
             notes: dict[str, str] | None = None) -> list[TimelineItem]:
    """Chronological by the instant of the effective occurred_at (whatever its offset), then seq.

    A note event's detail summarises its change from the step's note before it (see
    `titles.note_summary`); for events that continue a log already shown, `notes` gives
    each step's note text before them (`latest_notes` of the items shown).

    Built for 100,000-event logs (the window's timeline and every export): an event no
    amendment corrects, nearly all of them, becomes its item without any intermediate
    values, the item's fields filled in directly (the object equals one built by
    TimelineItem(...); `original` is a shared empty mapping), with the cycle collector
    paused (see gc_pause). Amended events go through `_amended_item`.
    """
    ordered = _in_seq_order(events)
    fixes = _corrections(ordered)
    title_of = Titles(playbook, events=ordered, notes=dict(notes) if notes else None).of
    entry = ev.TIMELINE_ENTRY
    new = object.__new__
    items: list[TimelineItem] = []
    append = items.append
    with gc_paused():
        for event in ordered:
            if fixes and event.id in fixes:
                append(_amended_item(event, *title_of(event), fixes[event.id]))
                continue
            if event.kind == entry:
                payload = event.payload
                title = ENTRY_PREFIX + str(payload.get("title", ""))
                detail = str(payload.get("detail", ""))
                category = str(payload.get("category", ""))
            else:
                title, detail = title_of(event)
                category = ""
            item = new(TimelineItem)
            item.__dict__.update(event=event, occurred_at=event.occurred_at, title=title, detail=detail,
                                 category=category, amended_by=(), original=_NO_ORIGINAL)
            append(item)
    # A stable sort of items in seq order by time alone orders them by (time, seq).
    _sort_by_time(items)
    return items
