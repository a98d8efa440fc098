"""What the timeline panel writes: dialog values handed to the core operations, nothing more.

Kept apart from the panel so the widget knows no payloads; the core validates and
refuses (IncidentKitError) what it must.
"""

from __future__ import annotations

from incidentkit.core import events as ev
from incidentkit.core import operations
from incidentkit.core.events import Event, format_ts, parse_ts
from incidentkit.core.projections import TimelineItem
from incidentkit.ui.timeline.entry_dialogs import AmendValues, EntryValues, editable_title


def can_amend(item: TimelineItem) -> bool:
    """Every event can be corrected except a correction itself."""
    return item.event.kind not in (ev.TIMELINE_AMENDED, ev.INCIDENT_AWARE_CORRECTED)


def add_entry(store, incident_id: str, actor: str, values: EntryValues) -> Event:
    return operations.add_timeline_entry(store, incident_id=incident_id, title=values.title, actor=actor,
                                         occurred_at=values.occurred_at, detail=values.detail,
                                         category=values.category)


def _minute(iso: str) -> str:
    return format_ts(parse_ts(iso))[:16]


def amend(store, incident_id: str, actor: str, values: AmendValues, item: TimelineItem) -> Event:
    """Amend `item` with only the fields the responder changed (the dialog edits time to the minute)."""
    def changed(new: str, old: str) -> str | None:
        return new if new != old else None

    moved = _minute(format_ts(values.occurred_at)) != _minute(item.occurred_at)
    return operations.amend_event(
        store,
        incident_id=incident_id,
        event_id=item.event.id,
        actor=actor,
        reason=values.reason,
        title=changed(values.title, editable_title(item)),
        detail=changed(values.detail, item.detail),
        category=changed(values.category, item.category),
        occurred_at=values.occurred_at if moved else None,
    )
