"""The events that decide an incident's state, so that an incident opens without reading its log.

Per step, the latest event of each group of kinds that overwrite one another decides
that step's fields; the incident's own events and every amendment always count. The
store selects them in SQL (`Store.deciding_events`) from the rules named here: it knows
no folding rules itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Protocol

from incidentkit.core import events as ev
from incidentkit.core.corrections import awareness_time
from incidentkit.core.events import Event
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import IncidentState, in_seq_order, project


class DecidingSource(Protocol):
    """What the projections need of a store to fold a state without its whole log."""

    def deciding_events(self, incident_id: str, *, always: Sequence[str],
                        groups: Sequence[Sequence[str]]) -> tuple[list[Event], int]: ...


# Which events can decide an IncidentState (see `deciding_events`): per step, the latest
# event of each of these groups sets that step's fields and hides every earlier one.
STEP_GROUPS = (tuple(ev.STEP_STATUS_OF), (ev.STEP_NOTED,), (ev.STEP_ASSIGNED,))
GROUP_OF = {kind: g for g, kinds in enumerate(STEP_GROUPS) for kind in kinds}  # a step event's kind -> its group
# Events that always count: the incident's own (their order matters), awareness
# corrections (each is part of the awareness time's history) and amendments (they can
# move the time of any event the state shows); an upgrade decides which steps are marked
# as changed, and the playbook version shown.
ALWAYS_DECIDING = (ev.INCIDENT_OPENED, ev.INCIDENT_RENAMED, ev.INCIDENT_CLOSED, ev.INCIDENT_REOPENED,
                   ev.INCIDENT_AWARE_CORRECTED, ev.TIMELINE_AMENDED, ev.INCIDENT_IMPORTED,
                   ev.INCIDENT_PLAYBOOK_UPGRADED)


def deciding_events(events: Iterable[Event]) -> list[Event]:
    """The events `project()` needs to reach the same state as from all of `events`, in seq order.

    They are: per step, the latest event of each `STEP_GROUPS` group; every
    `ALWAYS_DECIDING` event; and the latest event (for `last_seq` and `head_hash`).
    `project()` over them equals `project()` over all the events but for `event_count`,
    which `project_deciding` takes from the caller. The store selects the same events
    in SQL (`Store.deciding_events`) so a large incident opens without reading its log;
    tests hold both to this definition.
    """
    ordered = in_seq_order(events)
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


def current_aware_at(store, incident_id: str) -> str:
    """The incident's awareness time as its state shows it (corrections applied); `store` is a
    `Store` (it also reads the incident's playbook and fixed facts)."""
    return awareness_time(store.incident(incident_id), read_state(store, store.playbook(incident_id), incident_id))


def read_state(store: DecidingSource, playbook: Playbook, incident_id: str) -> IncidentState:
    """The incident's state as of now, without reading its whole log."""
    return project_deciding(playbook, *read_deciding(store, incident_id))
