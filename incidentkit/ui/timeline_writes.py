"""What the timeline panel writes: dialog values turned into core calls, nothing more.

Kept apart from the panel so the widget holds no knowledge of payloads; the core
validates and refuses (IncidentKitError) what it must.
"""

from __future__ import annotations

from incidentkit.core import events as ev
from incidentkit.core.events import Event, format_ts
from incidentkit.core.projections import TimelineItem
from incidentkit.ui.entry_dialogs import AmendValues, EntryValues, editable_title


def can_amend(item: TimelineItem) -> bool:
    """Every event can be corrected except a correction itself."""
    return item.event.kind != ev.TIMELINE_AMENDED


def add_entry(store, incident_id: str, actor: str, values: EntryValues) -> Event:
    payload = {"title": values.title, "detail": values.detail, "category": values.category}
    return store.append(incident_id, ev.TIMELINE_ENTRY, actor=actor, payload=payload,
                        occurred_at=values.occurred_at)


def amend(store, incident_id: str, actor: str, values: AmendValues, item: TimelineItem) -> Event:
    """Append a `timeline.amended` event carrying only the fields that changed, and the reason."""
    payload: dict[str, str] = {"target": item.event.id, "reason": values.reason}
    current = {"title": editable_title(item), "detail": item.detail, "category": item.category}
    for key, value in (("title", values.title), ("detail", values.detail), ("category", values.category)):
        if value != current[key]:
            payload[key] = value
    when = format_ts(values.occurred_at)
    if when[:16] != format_ts_minutes(item.occurred_at):
        payload["occurred_at"] = when
    return store.append(incident_id, ev.TIMELINE_AMENDED, actor=actor, payload=payload)


def format_ts_minutes(iso: str) -> str:
    """The first 16 characters of a UTC ISO timestamp (to the minute), which the dialog edits."""
    return format_ts(ev.parse_ts(iso))[:16]
