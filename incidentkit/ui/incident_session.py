"""What the window knows about one open incident: its pinned playbook, its events, its state.

A session reads only the events it has not seen (`after_seq`) and folds the whole log
again with the core's `project()`, so a refresh after a click or after another
process wrote is one small query. Sessions hold no Qt objects.
"""

from __future__ import annotations

from incidentkit.core.events import Event
from incidentkit.core.playbook_model import Playbook
from incidentkit.core.projections import IncidentState, StepState, project
from incidentkit.core.store import Incident, Store
from incidentkit.ui.incident_list_model import IncidentRow


class IncidentSession:
    def __init__(self, store: Store, incident: Incident) -> None:
        self.store = store
        self.incident = incident
        self.playbook: Playbook = store.playbook(incident.id)
        self.events: list[Event] = []
        self.state: IncidentState = project(self.playbook, ())
        self.reload()

    @property
    def id(self) -> str:
        return self.incident.id

    def reload(self) -> bool:
        """Read new events; True when there were any (the state was re-projected)."""
        after = self.events[-1].seq if self.events else 0
        new = self.store.events(self.incident.id, after_seq=after)
        if not new:
            return False
        self.events.extend(new)
        self.state = project(self.playbook, self.events)
        return True

    def step_state(self, step_id: str) -> StepState:
        return self.state.steps.get(step_id) or StepState(step_id=step_id)

    def step_history(self, step_id: str) -> list[Event]:
        """The step's events, oldest first."""
        return [e for e in self.events if e.step_id == step_id]

    def next_open_step(self, after: str | None, visible: set[str] | None = None) -> str | None:
        """The first open step after `after` in document order, wrapping around; None when all are finished."""
        ids = [s.id for s in self.playbook.steps() if visible is None or s.id in visible]
        start = ids.index(after) + 1 if after in ids else 0
        for step_id in ids[start:] + ids[:start]:
            if self.step_state(step_id).status == "open" and step_id != after:
                return step_id
        return None

    def row(self) -> IncidentRow:
        state = self.state
        finished = sum(p.finished for p in state.phases)
        total = sum(p.total for p in state.phases)
        return IncidentRow(
            id=self.incident.id,
            title=state.title or self.incident.title,
            status=state.status,
            finished=finished,
            total=total,
            aware_at=state.aware_at or self.incident.aware_at,
            playbook_title=self.incident.playbook_title,
        )
