"""Everything an exporter reads, gathered once from the store: `ExportData`.

Exporters never touch the database: `load_export_data` reads the incident, its pinned
playbook and its events, and hands them over; the state and the timeline are folded
from them on first use. That keeps exporters pure (and testable with hand-built data) and lets the
window read in its worker thread with its own store.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from incidentkit.core.events import GENESIS_HASH, INCIDENT_PLAYBOOK_UPGRADED, Event, utc_now
from incidentkit.core.export.progress import ProgressFn, Ticker
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import IncidentState, TimelineItem, project, timeline
from incidentkit.core.store import Incident, Store


@dataclass(frozen=True)
class ExportData:
    """One incident as exported. `events` are in seq order. The state and the timeline are
    folded on first use: the JSON export needs neither, and 100,000 events take a while."""

    incident: Incident
    playbook: Playbook
    snapshot_markdown: str
    events: Sequence[Event]
    generated_at: datetime = field(default_factory=utc_now)
    # The snapshots the incident's upgrades moved it onto (sha256 -> markdown), for the JSON export.
    snapshots: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def state(self) -> IncidentState:
        return project(self.playbook, self.events)

    @cached_property
    def items(self) -> Sequence[TimelineItem]:
        return timeline(self.playbook, self.events)

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
    """Read one incident (id or unambiguous prefix) for export; cancellable before and after."""
    incident = store.incident(incident_id)
    ticker = Ticker(progress, 1)
    ticker.check()
    events = store.events(incident.id)
    upgraded = {str(e.payload.get("to_sha256")) for e in events if e.kind == INCIDENT_PLAYBOOK_UPGRADED}
    data = ExportData(
        incident=incident,
        playbook=store.playbook(incident.id),
        snapshot_markdown=store.snapshot_markdown(incident.snapshot_sha256),
        events=events,
        snapshots={sha: store.snapshot_markdown(sha) for sha in sorted(upgraded)},
    )
    ticker.finish()
    return data
