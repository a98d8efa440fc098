"""Projections: step states, progress and the timeline, as pure functions over events.

The later event (by seq) wins. Events are folded in seq order whatever order they are
given in; kinds a projection does not know are skipped, and events about step ids the
playbook lacks never break the fold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter, gt
from types import MappingProxyType
from typing import Any, Literal

from incidentkit.core import events as ev
from incidentkit.core.corrections import Amendment, AwareCorrection, changes_of, corrections_by_target, fold_awareness
from incidentkit.core.events import Event
from incidentkit.core.playbook.model import Playbook

StepStatus = Literal["open", "done", "skipped"]


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
    note_id: str | None = None     # id of the note's event: what an edit of the note is based on
    # The playbook version whose upgrade changed this step's text, until someone completes,
    # reopens, skips or notes the step after it: a sign to read the step again.
    revised: str | None = None


@dataclass(frozen=True)
class PhaseProgress:
    phase_id: str
    title: str
    done: int
    skipped: int
    total: int
    retired: bool = False  # the retired steps' phase: shown, never part of the incident's progress

    @property
    def finished(self) -> int:
        return self.done + self.skipped


@dataclass(frozen=True)
class FoldBasis:
    """What `fold` needs besides the state to fold later events exactly as `project` would: an
    amendment can move the time of any earlier event, so the state remembers the time each
    amended event now has and which event set each of its times."""

    retimed: Mapping[str, str] = field(default_factory=dict)    # event id -> its time by its latest amendment
    status_by: Mapping[str, str] = field(default_factory=dict)  # step id -> the event that set its status (`at`)
    note_by: Mapping[str, str] = field(default_factory=dict)    # step id -> the event of its note (`note_at`)
    opened_by: str | None = None                                # the (first) incident.opened: what corrections of awareness target
    closed_by: str | None = None                                # the incident.closed whose time is `closed_at`


@dataclass(frozen=True)
class IncidentSummary:
    """An incident as the incident list shows it: title, status, times, progress per phase,
    the log's length. An `IncidentState` is one with its steps; `core/summaries.py` reads
    many at once without folding their logs."""

    incident_id: str
    title: str
    status: Literal["open", "closed"]
    aware_at: str | None
    opened_at: str | None
    closed_at: str | None
    phases: tuple[PhaseProgress, ...]
    event_count: int
    last_seq: int
    # Each correction of the awareness time, oldest first; `aware_at` is the latest's.
    aware_corrections: tuple[AwareCorrection, ...] = ()
    playbook_version: str = ""     # the version followed now (the latest upgrade's, else the opening one)
    snapshot_sha256: str = ""

    @property
    def done(self) -> int:
        return sum(p.done for p in self.phases if not p.retired)

    @property
    def skipped(self) -> int:
        return sum(p.skipped for p in self.phases if not p.retired)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.phases if not p.retired)

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


@dataclass(frozen=True, kw_only=True)
class IncidentState(IncidentSummary):
    steps: Mapping[str, StepState]
    head_hash: str
    basis: FoldBasis = field(default_factory=FoldBasis, compare=False, repr=False)

    def step(self, step_id: str) -> StepState:
        """The state of one step: open when no event has touched it."""
        return self.steps.get(step_id) or StepState(step_id=step_id)


@dataclass(frozen=True)
class TimelineItem:
    """One event as the timeline shows it, with amendments applied and the original kept."""

    event: Event
    occurred_at: str               # effective (amended) time
    title: str                     # one human line: "Step done: Confirm the breach in writing"
    detail: str = ""
    category: str = ""
    amended_by: tuple[str, ...] = ()   # ids of the events that correct this one (see corrections)
    original: Mapping[str, object] = field(default_factory=dict)  # original values when amended
    amendments: tuple[Amendment, ...] = ()  # who corrected what, when and why, oldest first


_NO_ORIGINAL: Mapping[str, object] = MappingProxyType({})
_BY_TIME = attrgetter("occurred_at")
_BY_SEQ = attrgetter("seq")
# `format_ts` text exactly: for these, and only these, string order is time order.
_CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}\+00:00\Z").match
# Its fixed characters by position (`2026-11-29T03:44:47.123456+00:00`).
_FIXED_CHARS = tuple((i, c) for i, c in enumerate("    -  -  T  :  :  .      +00:00") if c != " ")


def _all_canonical(times: list[str]) -> bool:
    """Whether every time has `format_ts`'s shape: 32 characters and its fixed characters,
    checked a column at a time over the joined text, which is far cheaper than a regex
    per time. The digit columns are not checked: a time with a non-digit there does
    not parse, so it sorts by its text on either path."""
    if set(map(len, times)) - {32}:
        return False
    joined, n = "".join(times), len(times)
    return all(joined[i::32] == c * n for i, c in _FIXED_CHARS)


def in_seq_order(events: Iterable[Event]) -> list[Event]:
    listed = list(events)
    seqs = [e.seq for e in listed]
    if any(map(gt, seqs, islice(seqs, 1, None))):
        listed.sort(key=_BY_SEQ)
    return listed


def _time_key(time: str) -> str:
    """What a time sorts by: its canonical UTC text (its own text when it is not a time)."""
    return time if _CANONICAL(time) else (ev.canonical_ts(time) or time)


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
    keys = list(map(_time_key, times))
    order = sorted(range(len(items)), key=keys.__getitem__)
    items[:] = [items[i] for i in order]


def phase_progress(playbook: Playbook, status_of: Mapping[str, str]) -> tuple[PhaseProgress, ...]:
    """Each phase's done, skipped and total steps, from each step's status (open when absent)."""
    phases = []
    for phase in playbook.phases:
        counts = [status_of.get(s.id, "open") for s in phase.steps]
        phases.append(PhaseProgress(phase.id, phase.title, counts.count("done"), counts.count("skipped"), len(counts),
                                    phase.retired))
    return tuple(phases)


def _no_events(playbook: Playbook) -> IncidentState:
    steps = {s.id: StepState(step_id=s.id) for s in playbook.steps()}
    return IncidentState(incident_id="", title="", status="open", aware_at=None, opened_at=None, closed_at=None,
                         steps=MappingProxyType(steps), phases=phase_progress(playbook, {}), event_count=0, last_seq=0,
                         head_hash=ev.GENESIS_HASH)


def project(playbook: Playbook, events: Iterable[Event]) -> IncidentState:
    return fold(playbook, _no_events(playbook), events)


def fold(playbook: Playbook, state: IncidentState, events: Iterable[Event]) -> IncidentState:
    """`state` (of `playbook`) with `events` folded onto it: equal to `project()` over the log
    `state` was folded from followed by `events`, at the cost of the new events alone. Events
    at or before `state.last_seq` are in the state already and are skipped."""
    new = [e for e in in_seq_order(events) if e.seq > state.last_seq]
    if not new:
        return state
    basis = state.basis
    retimed = dict(basis.retimed)
    late: set[str] = set()  # events whose time an amendment among `new` moves
    for event in new:
        if event.kind == ev.TIMELINE_AMENDED:
            target, when = event.payload.get("target"), ev.canonical_ts(event.payload.get("occurred_at"))
            if isinstance(target, str) and when:
                retimed[target] = when
                late.add(target)
    status_by, note_by = dict(basis.status_by), dict(basis.note_by)
    opened_by, closed_by = basis.opened_by, basis.closed_by
    incident_id, title, status = state.incident_id, state.title, state.status
    aware_at, opened_at, closed_at = state.aware_at, state.opened_at, state.closed_at
    aware_corrections = state.aware_corrections
    version, sha = state.playbook_version, state.snapshot_sha256
    known = state.steps
    step_ids = [s.id for s in playbook.steps()]
    reshaped = len(step_ids) != len(known) or not all(map(known.__contains__, step_ids))
    if reshaped:  # folded under another version of the playbook (an upgrade): its steps are this one's
        known = {i: known.get(i) or StepState(step_id=i) for i in step_ids}
    changed: dict[str, dict[str, Any]] = {}  # step id -> the fields of its new StepState

    def fields(step_id: str | None) -> dict[str, Any] | None:
        found = changed.get(step_id or "")
        if found is None and step_id in known:
            found = changed[step_id] = dict(known[step_id].__dict__)
        return found

    for event in new:
        kind, payload = event.kind, event.payload
        when = retimed.get(event.id, event.occurred_at)
        incident_id = incident_id or event.incident_id
        if kind in ev.STEP_STATUS_OF:
            step = fields(event.step_id)
            if step is not None:
                step.update(status=ev.STEP_STATUS_OF[kind], by=event.actor, at=when,
                            reason=payload.get("reason") if kind == ev.STEP_SKIPPED else None, revised=None)
                status_by[step["step_id"]] = event.id
        elif kind == ev.STEP_NOTED:
            step = fields(event.step_id)
            if step is not None:
                step.update(note=str(payload.get("text", "")), note_by=event.actor, note_at=when, note_id=event.id,
                            revised=None)
                note_by[step["step_id"]] = event.id
        elif kind == ev.STEP_ASSIGNED:
            step = fields(event.step_id)
            if step is not None:
                step["assignee"] = str(payload.get("assignee", "")) or None
        elif kind == ev.INCIDENT_OPENED:
            title = str(payload.get("title", title))
            if opened_by is None:  # the awareness time is the first opening's, as corrected since
                opened_by, aware_at = event.id, str(payload.get("aware_at") or event.occurred_at)
            opened_at = event.recorded_at
            version, sha = str(payload.get("playbook_version", "")), str(payload.get("snapshot_sha256", ""))
        elif kind == ev.INCIDENT_PLAYBOOK_UPGRADED:
            version, sha = str(payload.get("to_version", "")), str(payload.get("to_sha256", ""))
            for step_id in revised_ids(payload):
                step = fields(step_id)
                if step is not None:
                    step["revised"] = version
        elif opened_by is not None and (kind == ev.INCIDENT_AWARE_CORRECTED or
                                        (kind == ev.TIMELINE_AMENDED and payload.get("target") == opened_by)):
            # An amendment that moved the opening's time (the only way before awareness
            # corrections existed) counts as a correction too.
            aware_at, more = fold_awareness(aware_at, (event,))
            aware_corrections += more
        elif kind in (ev.INCIDENT_RENAMED, ev.INCIDENT_IMPORTED):
            title = str(payload.get("title", title))
        elif kind == ev.INCIDENT_CLOSED:
            status, closed_at, closed_by = "closed", when, event.id
        elif kind == ev.INCIDENT_REOPENED:
            status, closed_at, closed_by = "open", None, None
    if late:  # amendments among `new` moved earlier events: the times those set move with them
        for set_by, key in ((status_by, "at"), (note_by, "note_at")):
            for step_id, event_id in set_by.items():
                if event_id in late:
                    fields(step_id)[key] = retimed[event_id]  # type: ignore[index]
        closed_at = retimed[closed_by] if closed_by in late else closed_at
    steps = dict(known)
    steps.update((step_id, StepState(**values)) for step_id, values in changed.items())
    last = new[-1]
    return IncidentState(
        incident_id=incident_id, title=title, status=status,  # type: ignore[arg-type]
        aware_at=aware_at, opened_at=opened_at, closed_at=closed_at,
        steps=MappingProxyType(steps),
        phases=phase_progress(playbook, {i: s.status for i, s in steps.items()}) if changed or reshaped else state.phases,
        event_count=state.event_count + len(new), last_seq=last.seq, head_hash=last.hash,
        aware_corrections=aware_corrections, playbook_version=version, snapshot_sha256=sha,
        basis=FoldBasis(MappingProxyType(retimed), MappingProxyType(status_by), MappingProxyType(note_by),
                        opened_by, closed_by),
    )


def revised_ids(payload: Mapping[str, Any]) -> list[str]:
    """The steps an upgrade asks the responder to read again: those whose text or guidance
    changed (a new severity or due shows by itself), and retired ones it brought back.
    A malformed (imported) payload names none."""
    found = []
    for key in ("changed", "restored"):
        entries = payload.get(key)
        for entry in entries if isinstance(entries, list) else ():
            step_id = entry.get("id") if isinstance(entry, dict) else None
            fields = entry.get("fields") if isinstance(entry, dict) else None
            if isinstance(fields, list) and not {"text", "guidance"} & set(map(str, fields)):
                continue
            if isinstance(step_id, str):
                found.append(step_id)
    return found


def _amended_item(event: Event, title: str, detail: str, fixes: list[Event]) -> TimelineItem:
    """The item of an event that amendments correct: their values applied, the originals kept."""
    from incidentkit.core.titles import AMENDABLE, entry_line
    is_entry = event.kind == ev.TIMELINE_ENTRY
    values: dict[str, Any] = {
        "title": str(event.payload.get("title", "")) if is_entry else title,
        "detail": detail,
        "category": str(event.payload.get("category", "")) if is_entry else "",
        "occurred_at": event.occurred_at,
    }
    original: dict[str, Any] = {}
    amendments = []
    for fix in fixes:
        changes, was = changes_of(fix), {}
        for key in AMENDABLE:
            if key in changes:
                value = ev.canonical_ts(changes[key]) if key == "occurred_at" else str(changes[key])
                if value is not None:
                    original.setdefault(key, values[key])
                    was[key] = values[key]
                    values[key] = value
        amendments.append(Amendment(event_id=fix.id, by=fix.actor, at=fix.recorded_at,
                                    reason=str(fix.payload.get("reason", "")), was=MappingProxyType(was)))
    return TimelineItem(
        event=event,
        occurred_at=values["occurred_at"],
        title=entry_line(values["title"]) if is_entry else values["title"],
        detail=values["detail"],
        category=values["category"],
        amended_by=tuple(f.id for f in fixes),
        original=MappingProxyType(original),
        amendments=tuple(amendments),
    )


def _items(ordered: list[Event], fixes: Mapping[str, list[Event]], title_of: Callable[[Event], tuple[str, str]]
           ) -> list[TimelineItem]:
    """The items of `ordered` (in seq order), each corrected by its `fixes`.

    Built for 100,000-event logs: an event no amendment corrects, nearly all of them,
    becomes its item without any intermediate values, the item's fields filled in
    directly (the object equals one built by TimelineItem(...); `original` is a shared
    empty mapping). Amended events go through `_amended_item`.
    """
    # titles (and the playbook diffs and note versions it reads) only for a timeline: what
    # folds the state alone, as `incidentkit deadlines` does, never loads them.
    from incidentkit.core.titles import ENTRY_PREFIX

    entry = ev.TIMELINE_ENTRY
    new = object.__new__
    items: list[TimelineItem] = []
    append = items.append
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
                             category=category, amended_by=(), original=_NO_ORIGINAL, amendments=())
        append(item)
    return items


def timeline(playbook: Playbook, events: Iterable[Event]) -> list[TimelineItem]:
    """Chronological by the instant of the effective occurred_at (whatever its offset), then seq."""
    from incidentkit.core.titles import Titles

    ordered = in_seq_order(events)
    items = _items(ordered, corrections_by_target(ordered), Titles(playbook, events=ordered).of)
    # A stable sort of items in seq order by time alone orders them by (time, seq).
    _sort_by_time(items)
    return items


@dataclass(frozen=True)
class TimelineUpdate:
    """What newer events change in a timeline: the items they add (in timeline order), and
    the earlier items their amendments correct, made again (by event id)."""

    added: list[TimelineItem]
    replaced: Mapping[str, TimelineItem]

    def appends_to(self, shown: Sequence[TimelineItem]) -> bool:
        """Whether the new items all go after `shown` and nothing shown changes (nearly always)."""
        if self.replaced:
            return False
        return not (self.added and shown) or _time_key(self.added[0].occurred_at) >= _time_key(shown[-1].occurred_at)

    def applied_to(self, shown: Sequence[TimelineItem]) -> list[TimelineItem]:
        """The whole timeline after the update."""
        replaced = self.replaced
        items = sorted([*(replaced.get(i.event.id, i) for i in shown), *self.added], key=lambda i: i.event.seq)
        _sort_by_time(items)
        return items


def update_timeline(playbook: Playbook, shown: Sequence[TimelineItem], events: Iterable[Event]) -> TimelineUpdate:
    """`timeline()` of the log behind `shown` followed by `events`, as a change to `shown`.

    An amendment follows its target in the log (`operations.amend_event` checks the
    target exists), so only amendments among `events` change items already shown.
    """
    from incidentkit.core.titles import Titles, latest_notes

    ordered = in_seq_order(events)
    opening = next((i.event.id for i in shown if i.event.kind == ev.INCIDENT_OPENED), None) if shown else None
    fixes = corrections_by_target(ordered, opened=opening)
    shown_by_id = {i.event.id: i for i in shown} if fixes else {}
    # A new note's summary compares it with the step's note before it, among those shown.
    notes = latest_notes(i.event for i in shown) if any(e.kind == ev.STEP_NOTED for e in ordered) else None
    titles = Titles(playbook, {**{k: i.event for k, i in shown_by_id.items()}, **{e.id: e for e in ordered}}
                    if fixes else None, notes=notes)
    added = _items(ordered, fixes, titles.of)
    _sort_by_time(added)
    replaced = {}
    for target, batch in fixes.items():
        old = shown_by_id.get(target)
        if old is not None:
            earlier = [shown_by_id[a].event for a in old.amended_by if a in shown_by_id]
            replaced[target] = _amended_item(old.event, *titles.of(old.event), earlier + batch)
    return TimelineUpdate(added, MappingProxyType(replaced))
