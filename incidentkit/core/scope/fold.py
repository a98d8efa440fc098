"""`scope_profile(events)`: the breach profile as a pure fold over an incident's events.

Payloads (every key always written; the fold still reads an imported log's odd values
defensively, skipping what is not of the right type):

- `scope.imported`: `file_name`, `size`, `sha256`, `format`, `encoding`, `rows_read`,
  `rows_rejected`, `rows_unlocated`, `people_added`, `added` (jurisdiction -> new people),
  `located` (jurisdiction -> people counted as `unknown` before, placed now), `dedup_key`,
  `columns` (field -> the file's column), `reasons` (problem -> rows), `location_conflicts`
  (people the file placed at two known locations, or elsewhere than where an earlier file
  counted them; absent before it was recorded). Imports add up.
- `scope.counts_set`: `counts` (jurisdiction -> the count the vendor stated; 0 removes
  it), `reason`. Each jurisdiction's latest statement stands.
- `scope.elements_set`: `elements` (vocabulary tokens), `reason`. The latest list stands.
- `scope.encryption_set`: `encrypted` (a key of ENCRYPTION_STATES), `reason`. Latest stands.
- `scope.organisation_set`: `flags` (keys of ORGANISATION_FLAGS), `from_settings`, `reason`.

Amending a scope event (`timeline.amended`) corrects the record of it, as for every
event: its time, title or detail; the profile takes an import's amended time. It never
changes a value: a count, a list or a flag is changed by recording it again, and the log
keeps both. Later events win by seq whatever order the events come in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from incidentkit.core import events as ev
from incidentkit.core.events import Event
from incidentkit.core.scope.profile import ImportRecord, ScopeProfile
from incidentkit.core.scope.vocabulary import ENCRYPTION_STATES, UNKNOWN_JURISDICTION


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _counts(value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        return {}
    return {k: _int(n) for k, n in value.items() if isinstance(k, str) and k}


def _tokens(value: Any) -> frozenset[str]:
    if not isinstance(value, (list, tuple)):
        return frozenset()
    return frozenset(t for t in value if isinstance(t, str) and t)


def _amended_times(ordered: list[Event]) -> dict[str, str]:
    times: dict[str, str] = {}
    for event in ordered:
        if event.kind == ev.TIMELINE_AMENDED:
            when = ev.canonical_ts(event.payload.get("occurred_at"))
            target = event.payload.get("target")
            if when and isinstance(target, str):
                times[target] = when
    return times


def _import_record(event: Event, at: str) -> ImportRecord:
    p = event.payload
    return ImportRecord(
        event_id=event.id, file_name=_str(p.get("file_name")), size=_int(p.get("size")),
        sha256=_str(p.get("sha256")), rows_read=_int(p.get("rows_read")),
        rows_rejected=_int(p.get("rows_rejected")), people_added=_int(p.get("people_added")),
        at=at, by=event.actor, rows_unlocated=_int(p.get("rows_unlocated")),
        located=sum(_counts(p.get("located")).values()), file_format=_str(p.get("format")),
        encoding=_str(p.get("encoding")), dedup_key=_str(p.get("dedup_key")),
        location_conflicts=_int(p.get("location_conflicts")),
    )


def scope_profile(events: Iterable[Event]) -> ScopeProfile:
    """The incident's breach profile from its events (any order; other kinds are skipped)."""
    ordered = sorted((e for e in events if e.kind in ev.SCOPE_KINDS or e.kind == ev.TIMELINE_AMENDED),
                     key=lambda e: e.seq)
    times = _amended_times(ordered)
    imported: dict[str, int] = {}
    stated: dict[str, int] = {}
    people = 0
    elements: frozenset[str] = frozenset()
    organisation: frozenset[str] = frozenset()
    encrypted = "unknown"
    imports: list[ImportRecord] = []
    keys: set[str] = set()
    elements_known = organisation_known = False
    for event in ordered:
        kind, p = event.kind, event.payload
        if kind == ev.SCOPE_IMPORTED:
            for code, n in _counts(p.get("added")).items():
                imported[code] = imported.get(code, 0) + n
            for code, n in _counts(p.get("located")).items():
                imported[code] = imported.get(code, 0) + n
                imported[UNKNOWN_JURISDICTION] = imported.get(UNKNOWN_JURISDICTION, 0) - n
            people += _int(p.get("people_added"))
            record = _import_record(event, times.get(event.id, event.occurred_at))
            imports.append(record)
            if record.dedup_key and record.people_added:
                keys.add(record.dedup_key)
        elif kind == ev.SCOPE_COUNTS_SET:
            for code, n in _counts(p.get("counts")).items():
                if n > 0:
                    stated[code] = n
                else:
                    stated.pop(code, None)
        elif kind == ev.SCOPE_ELEMENTS_SET:
            elements, elements_known = _tokens(p.get("elements")), True
        elif kind == ev.SCOPE_ENCRYPTION_SET:
            value = _str(p.get("encrypted"))
            encrypted = value if value in ENCRYPTION_STATES else encrypted
        elif kind == ev.SCOPE_ORGANISATION_SET:
            organisation, organisation_known = _tokens(p.get("flags")), True
    return ScopeProfile(
        imported=MappingProxyType({k: n for k, n in sorted(imported.items()) if n > 0}),
        stated=MappingProxyType(dict(sorted(stated.items()))),
        people_imported=people,
        elements=elements,
        encrypted=encrypted,
        organisation=organisation,
        imports=tuple(imports),
        elements_known=elements_known,
        organisation_known=organisation_known,
        dedup_keys=frozenset(keys),
    )


def profile_json(profile: ScopeProfile) -> dict[str, Any]:
    """The profile as `incidentkit scope show --json` prints it (shape in docs/cli.md)."""
    return {
        "people": profile.people,
        "people_imported": profile.people_imported,
        "by_jurisdiction": profile.by_jurisdiction,
        "imported": dict(profile.imported),
        "stated": dict(profile.stated),
        "unknown": profile.unknown,
        "elements": sorted(profile.elements),
        "encrypted": profile.encrypted,
        "organisation": sorted(profile.organisation),
        "may_double_count": profile.may_double_count,
        "location_conflicts": profile.location_conflicts,
        "imports": [
            {"event_id": r.event_id, "file_name": r.file_name, "size": r.size, "sha256": r.sha256,
             "format": r.file_format, "encoding": r.encoding, "rows_read": r.rows_read,
             "rows_rejected": r.rows_rejected, "rows_unlocated": r.rows_unlocated,
             "people_added": r.people_added, "located": r.located,
             "location_conflicts": r.location_conflicts, "at": r.at, "by": r.by}
            for r in profile.imports
        ],
    }
