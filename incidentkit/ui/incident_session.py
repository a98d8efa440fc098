"""What the window knows about one open incident: its pinned playbook, its events, its state.

A session never reads a whole log: it opens from the events that decide the state
(`Store.deciding_events`, a few per step however long the log) and then reads only the
events it has not seen (`after_seq`), folding them with the core's `project_deciding`,
so opening an incident of 10,000 events and refreshing after a click are each one small
query. A step's history is read when the step is shown. Sessions hold no Qt objects.
"""

from __future__ import annotations

from incidentkit.core.events import Event
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import IncidentState, IncidentSummary, StepState, project_deciding, read_deciding
from incidentkit.core.store import Incident, Store
from incidentkit.ui.incidents.list_model import IncidentRow


def incident_row(incident: Incident, state: IncidentSummary) -> IncidentRow:
    """The incident list's row, from a session's state or from the incident's summary alike."""
    return IncidentRow(
        id=incident.id,
        title=state.title or incident.title,
        status=state.status,
        finished=state.finished,
        total=state.total,
        aware_at=state.aware_at or incident.aware_at,
        playbook_title=incident.playbook_title,
    )


class IncidentSession:
    def __init__(self, store: Store, incident: Incident) -> None:
        self.store = store
        self.incident = incident
        self.playbook: Playbook = store.playbook(incident.id)
        # What the state is folded from: the events that decided it when the session
        # opened, then every newer one.
        self.events: list[Event]
        self.events, count = read_deciding(store, incident.id)
        self.state: IncidentState = project_deciding(self.playbook, self.events, count)

    @property
    def id(self) -> str:
        return self.incident.id

    def reload(self) -> bool:
        """Read new events; True when there were any (the state was re-projected)."""
        new = self.store.events(self.incident.id, after_seq=self.state.last_seq)
        if not new:
            return False
        self.events.extend(new)
        self.state = project_deciding(self.playbook, self.events, self.state.event_count + len(new))
        return True

    def step_state(self, step_id: str) -> StepState:
        return self.state.step(step_id)

    def skip_reasons(self) -> list[str]:
        """The reasons of the steps skipped now, most recent first, each once."""
        skipped = sorted((s for s in self.state.steps.values() if s.status == "skipped" and s.reason),
                         key=lambda s: s.at or "", reverse=True)
        return list(dict.fromkeys(s.reason for s in skipped))

    def step_history(self, step_id: str, *, last: int | None = None) -> list[Event]:
        """The step's events up to the state shown (the `last` few when given), oldest first."""
        return self.store.step_events(self.incident.id, step_id, through_seq=self.state.last_seq, last=last)

    def next_open_step(self, after: str | None, visible: set[str] | None = None) -> str | None:
        """The first open step after `after` in document order, wrapping around; None when all are finished."""
        ids = [s.id for s in self.playbook.steps() if visible is None or s.id in visible]
        start = ids.index(after) + 1 if after in ids else 0
        for step_id in ids[start:] + ids[:start]:
            if self.step_state(step_id).status == "open" and step_id != after:
                return step_id
        return None

    def row(self) -> IncidentRow:
        return incident_row(self.incident, self.state)
