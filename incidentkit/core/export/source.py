"""Everything an exporter reads, gathered once from the store: `ExportData`.

Exporters never touch the database: `load_export_data` reads the incident, its pinned
playbook and its events, folds them into the state and the timeline, and hands the
result over. That keeps exporters pure (and testable with hand-built data) and lets the
window read in its worker thread with its own store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from incidentkit.core.events import GENESIS_HASH, Event, utc_now
from incidentkit.core.export.progress import ProgressFn, Ticker
from incidentkit.core.playbook_model import Playbook
from incidentkit.core.projections import IncidentState, TimelineItem, project, timeline
from incidentkit.core.store import Incident, Store


@dataclass(frozen=True)
class ExportData:
    """One incident as exported. `events` are in seq order; `items` is the timeline."""

    incident: Incident
    playbook: Playbook
    snapshot_markdown: str
    state: IncidentState
    items: Sequence[TimelineItem]
    events: Sequence[Event]
    generated_at: datetime = field(default_factory=utc_now)

    @property
    def title(self) -> str:
        """The incident's current title (renames applied)."""
        return self.state.title or self.incident.title

    @property
    def event_count(self) -> int:
        return len(self.events)

    @property
    def head_hash(self) -> str:
        return self.events[-1].hash if self.events else GENESIS_HASH


def load_export_data(store: Store, incident_id: str, progress: ProgressFn | None = None) -> ExportData:
    """Read one incident (id or unambiguous prefix) for export; cancellable while reading."""
    incident = store.incident(incident_id)
    ticker = Ticker(progress, store.event_count(incident.id), every=2000)
    events: list[Event] = []
    for event in store.iter_events(incident.id):
        events.append(event)
        ticker.tick()
    playbook = store.playbook(incident.id)
    return ExportData(
        incident=incident,
        playbook=playbook,
        snapshot_markdown=store.snapshot_markdown(incident.snapshot_sha256),
        state=project(playbook, events),
        items=timeline(playbook, events),
        events=events,
    )
