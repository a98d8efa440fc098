"""One open incident in the window, and the one place that reads its new events.

A session opens from the events that decide the state (`Store.deciding_events`, a few
per step however long the log). From then on `read_new()` reads only the events after
the last one it holds, in one SELECT, folds them onto the state (`projections.fold`)
and emits `events_added` with them. The views of the incident (the step tree, the
incidents list, the timeline, every tab) follow that signal instead of keeping a cursor
of their own; the window calls `read_new()` after each of its own writes and when
another process has written to the database.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from incidentkit.core.corrections import awareness_time
from incidentkit.core.deciding import project_deciding, read_deciding
from incidentkit.core.events import INCIDENT_PLAYBOOK_UPGRADED, Event
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import IncidentState, StepState, fold
from incidentkit.core.store import Incident, Store
from incidentkit.core.summaries import IncidentSummary
from incidentkit.ui.incidents.list_model import IncidentRow


def incident_row(incident: Incident, state: IncidentState | IncidentSummary) -> IncidentRow:
    """The incident list's row, from a session's state or from the incident's summary alike."""
    return IncidentRow(
        id=incident.id,
        title=state.title or incident.title,
        status=state.status,
        finished=state.finished,
        total=state.total,
        aware_at=awareness_time(incident, state),
        playbook_title=incident.playbook_title,
    )


class IncidentSession(QObject):
    # The events one read found (list[Event], in seq order); `state` already holds them.
    events_added = Signal(list)

    def __init__(self, store: Store, incident: Incident, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.incident = incident
        self.playbook: Playbook = store.playbook(incident.id)
        deciding, count = read_deciding(store, incident.id)
        self.state: IncidentState = project_deciding(self.playbook, deciding, count)
        # The upgrades (deciding events, so all of them are here), for how a step read before one.
        self.upgrades: list[Event] = [e for e in deciding if e.kind == INCIDENT_PLAYBOOK_UPGRADED]
        # The step whose history was read last (the one shown), and how many of its latest
        # events were asked for; kept up to date by read_new.
        self._history: tuple[tuple[str, int | None], list[Event]] | None = None

    @property
    def id(self) -> str:
        return self.incident.id

    def read_new(self) -> list[Event]:
        """Read the events written since the last read, fold them in and announce them; the events."""
        new = self.store.events(self.incident.id, after_seq=self.state.last_seq)
        if new:
            upgrades = [e for e in new if e.kind == INCIDENT_PLAYBOOK_UPGRADED]
            if upgrades:  # another version of the playbook now
                self.upgrades += upgrades
                self.playbook = self.store.playbook(self.incident.id)
            self.state = fold(self.playbook, self.state, new)
            if self._history is not None:
                (step_id, _last), history = self._history
                history.extend(e for e in new if e.step_id == step_id)
            self.events_added.emit(new)
        return new

    def step_state(self, step_id: str) -> StepState:
        return self.state.step(step_id)

    def skip_reasons(self) -> list[str]:
        """The reasons of the steps skipped now, most recent first, each once."""
        skipped = sorted((s for s in self.state.steps.values() if s.status == "skipped" and s.reason),
                         key=lambda s: s.at or "", reverse=True)
        return list(dict.fromkeys(s.reason for s in skipped))

    def step_history(self, step_id: str, *, last: int | None = None) -> list[Event]:
        """The step's events up to the state shown (the `last` few when given, and any read
        since), oldest first."""
        if self._history is None or self._history[0] != (step_id, last):
            self._history = ((step_id, last), self.store.step_events(self.incident.id, step_id,
                                                                     through_seq=self.state.last_seq, last=last))
        return list(self._history[1])

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
