"""The deadlines board of one incident: its milestones, notices sent and obligations, read from the store.

    from incidentkit.core.deadlines.board import read_board
    board = read_board(store, incident_id, rules=library.rules)        # now, by default
    board.obligations        # every rule and every step with a `due`, most urgent first
    board.shown(all=False)   # what applies or needs input (all: the not-applicable too)
    board.next_deadline      # the most urgent open dated obligation, or None

The I/O around the pure `obligations()`: one read of the events that decide the incident's
state and of those the deadlines need (`DEADLINE_KINDS`), from the store's index, not the
whole log.
The scope profile comes from `scope_profile_for` unless one is given.
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
from incidentkit.core.events import Event
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import ALWAYS_DECIDING, STEP_GROUPS, IncidentState, project_deciding
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

    def shown(self, *, all: bool = False) -> tuple[Obligation, ...]:
        """What applies or needs input, most urgent first; with `all`, the not-applicable ones after them."""
        return self.obligations if all else tuple(o for o in self.obligations if o.applies)

    @property
    def next_deadline(self) -> Obligation | None:
        return next((o for o in self.obligations if o.status in OPEN and o.deadline is not None), None)


def scope_profile_for(store: Store, incident_id: str) -> ScopeProfile:
    """The incident's scope profile. The scope events and their fold (`scope_profile(events)`)
    arrive with the scope import; until they do, every incident's profile is empty."""
    return ScopeProfile()


def holiday_calendars(store: Store) -> HolidayCalendars:
    """Holiday lists kept as JSON beside the database (with the other derived caches)."""
    return HolidayCalendars(Path(store.cache_dir) / HOLIDAYS_CACHE)


def read_board(store: Store, incident_id: str, *, rules: Sequence[Rule], now: datetime | None = None,
               profile: ScopeProfile | None = None, calendars: HolidayCalendars | None = None) -> Board:
    full = store.incident(incident_id).id
    playbook = store.playbook(full)
    # One read for both: the events that decide the incident's state and those of the deadlines.
    events, count = store.deciding_events(full, always=(*ALWAYS_DECIDING, *DEADLINE_KINDS), groups=STEP_GROUPS)
    state = project_deciding(playbook, events, count)
    profile = profile if profile is not None else scope_profile_for(store, full)
    calendars = calendars or holiday_calendars(store)
    board = make_board(playbook, state, events, rules=rules, profile=profile, now=now, calendars=calendars)
    calendars.save()
    return board


def make_board(playbook: Playbook, state: IncidentState, events: Iterable[Event], *, rules: Sequence[Rule],
               profile: ScopeProfile, now: datetime | None = None,
               calendars: HolidayCalendars | None = None) -> Board:
    """The board from an incident's state and (at least its DEADLINE_KINDS) events; no I/O."""
    now = now or datetime.now(timezone.utc)
    listed = list(events)
    milestones = fold_milestones(listed, state.aware_at)
    notifications = fold_notifications(listed)
    found = obligations(rules, profile, milestones, notifications, now, calendars=calendars)
    found += step_obligations(playbook, state, now, calendars=calendars)
    return Board(state.incident_id, state.title, now, state, profile, milestones, notifications,
                 tuple(sorted(found, key=urgency)))
