"""The deadlines board of one incident: its milestones, notices sent and obligations, read from the store.

    from incidentkit.core.deadlines.board import read_board
    board = read_board(store, incident_id, rules=library.rules)        # now, by default
    board.obligations        # every rule and every step with a `due`, most urgent first
    board.shown(all=False)   # what applies or needs input (all: the not-applicable too)
    board.next_deadline      # the most urgent open dated obligation, or None

The I/O around the pure `obligations()`: one read of the events that decide the incident's
state and of those the deadlines and the scope need, from the store's index, not the whole
log. A board keeps those events, so `board_after` carries it forward by newer events (and
a later now) without reading again: the window's Deadlines tab follows the one change
signal that way. The scope profile is folded from the same events unless one is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from incidentkit.core.deadlines.clock import HolidayCalendars
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.deadlines.obligations import Obligation, obligations, urgency
from incidentkit.core.deadlines.records import (
    DEADLINE_KINDS,
    Milestone,
    Notification,
    fold_milestones,
    fold_notifications,
)
from incidentkit.core.deadlines.steps import step_obligations
from incidentkit.core.deciding import ALWAYS_DECIDING, STEP_GROUPS, project_deciding
from incidentkit.core.events import SCOPE_KINDS, TIMELINE_AMENDED, Event
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import IncidentState, fold
from incidentkit.core.scope.fold import scope_profile
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.core.store import Store

HOLIDAYS_CACHE = "holidays-cache.json"
OPEN = ("overdue", "needs-input", "due")


@dataclass(frozen=True)
class Board:
    incident_id: str
    title: str
    now: datetime
    state: IncidentState
    profile: ScopeProfile
    milestones: dict[str, Milestone]
    notifications: tuple[Notification, ...]
    obligations: tuple[Obligation, ...]
    # What `board_after` needs to carry the board forward without reading the store again.
    playbook: Playbook | None = None
    rules: tuple[Rule, ...] = ()
    events: tuple[Event, ...] = ()    # those of BOARD_KINDS, in seq order
    profile_given: bool = False       # the profile was given, not folded from `events`

    def shown(self, *, all: bool = False) -> tuple[Obligation, ...]:
        """What applies or needs input, most urgent first; with `all`, the not-applicable ones after them."""
        return self.obligations if all else tuple(o for o in self.obligations if o.applies)

    @property
    def next_deadline(self) -> Obligation | None:
        return next((o for o in self.obligations if o.status in OPEN and o.deadline is not None), None)


# The events a board is made from besides the incident's state: milestones and notices, the
# scope, and the amendments that correct their times.
BOARD_KINDS = frozenset({*DEADLINE_KINDS, *SCOPE_KINDS, TIMELINE_AMENDED})


def scope_profile_for(store: Store, incident_id: str) -> ScopeProfile:
    """The incident's scope profile as of now (its scope events alone)."""
    from incidentkit.core.scope.edits import read_profile  # the scope's writes: not for read_board

    return read_profile(store, incident_id)


def holiday_calendars(store: Store) -> HolidayCalendars:
    """Holiday lists kept as JSON beside the database (with the other derived caches)."""
    return HolidayCalendars(Path(store.cache_dir) / HOLIDAYS_CACHE)


def read_board(store: Store, incident_id: str, *, rules: Sequence[Rule], now: datetime | None = None,
               profile: ScopeProfile | None = None, calendars: HolidayCalendars | None = None) -> Board:
    full = store.incident(incident_id).id
    playbook = store.playbook(full)
    # One read for all three: the events that decide the incident's state, its deadlines' and its scope's.
    events, count = store.deciding_events(full, always=tuple(sorted({*ALWAYS_DECIDING, *BOARD_KINDS})),
                                          groups=STEP_GROUPS)
    state = project_deciding(playbook, events, count)
    calendars = calendars or holiday_calendars(store)
    board = make_board(playbook, state, events, rules=rules, profile=profile, now=now, calendars=calendars)
    calendars.save()
    return board


def board_after(board: Board, events: Sequence[Event] = (), *, now: datetime | None = None,
                calendars: HolidayCalendars | None = None) -> Board:
    """`board` with `events` (the incident's newer events, in seq order, as the window's change
    signal carries them) folded in, as of `now`: what `read_board` would give then. An upgrade
    among them changes the playbook, which only the store has: read the board again instead."""
    newer = [e for e in events if e.seq > board.state.last_seq]  # the board may have read some already
    state = fold(board.playbook, board.state, newer) if newer else board.state
    return make_board(board.playbook, state, (*board.events, *newer), rules=board.rules,
                      profile=board.profile if board.profile_given else None, now=now, calendars=calendars)


def make_board(playbook: Playbook, state: IncidentState, events: Iterable[Event], *, rules: Sequence[Rule],
               profile: ScopeProfile | None = None, now: datetime | None = None,
               calendars: HolidayCalendars | None = None) -> Board:
    """The board from an incident's state and (at least its BOARD_KINDS) events; no I/O. The scope
    profile is folded from the events unless one is given."""
    now = now or datetime.now(timezone.utc)
    listed = [e for e in events if e.kind in BOARD_KINDS]
    given = profile is not None
    profile = profile if given else scope_profile(listed)
    milestones = fold_milestones(listed, state.aware_at, state.closed_at if state.status == "closed" else None)
    notifications = fold_notifications(listed)
    found = obligations(rules, profile, milestones, notifications, now, calendars=calendars)
    found += step_obligations(playbook, state, now)
    return Board(state.incident_id, state.title, now, state, profile, milestones, notifications,
                 tuple(sorted(found, key=urgency)), playbook=playbook, rules=tuple(rules), events=tuple(listed),
                 profile_given=given)
