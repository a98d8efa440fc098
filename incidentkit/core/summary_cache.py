"""A JSON cache of incident summaries, so listing incidents reads one small file and not every log.

An entry holds an incident's summary and the log it was made from, named by the log's
length and latest hash: since every event's hash chains all the events before it, the
same hash means the same log, and any new event means another one. An entry is used
only when both match the store's `log_heads()`, the code that made it is this code (a
fingerprint over the modules that fold a summary, or the version in a frozen build) and
every field has its type; any doubt means summarising again. Like the playbook cache it
is derived data beside the database: JSON, never pickle; a failure to write it is
ignored; deleting it is safe.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from incidentkit.core.corrections import AwareCorrection
from incidentkit.core.projections import PhaseProgress
from incidentkit.core.summaries import IncidentSummary

FORMAT = 1
FILE_NAME = "incident-summaries.json"
_MODULES = ("summaries.py", "projections.py", "deciding.py", "corrections.py", "events.py", "summary_cache.py")
_fingerprint: str | None = None


def fingerprint() -> str:
    """sha256 over the modules that decide a summary; in a frozen build, which ships no
    sources, over the version, since a released build's code cannot change."""
    global _fingerprint
    if _fingerprint is None:
        here = Path(__file__).resolve().parent
        digest = hashlib.sha256(f"incidentkit-summary-cache-{FORMAT}".encode())
        try:
            for name in _MODULES:
                digest.update((here / name).read_bytes())
        except OSError:
            from incidentkit import __version__

            digest.update(f"frozen {__version__}".encode())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def load(folder: Path, heads: Mapping[str, tuple[int, int, str]]) -> dict[str, IncidentSummary]:
    """The cached summaries whose logs are still those of `heads` (per incident: events, last seq, last hash)."""
    try:
        doc = json.loads((folder / FILE_NAME).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("code") != fingerprint() or \
            not isinstance(doc.get("incidents"), dict):
        return {}
    found = {}
    for incident_id, entry in doc["incidents"].items():
        head = heads.get(incident_id)
        if head is None or not isinstance(entry, dict) or entry.get("log") != [head[0], head[2]]:
            continue
        summary = _decode(entry.get("summary"))
        if summary is not None and summary.incident_id == incident_id and summary.last_seq == head[1]:
            found[incident_id] = summary
    return found


def save(folder: Path, summaries: Mapping[str, IncidentSummary], heads: Mapping[str, tuple[int, int, str]]) -> None:
    """Keep `summaries` with the logs they were made from; a failure to write is ignored."""
    entries = {incident_id: {"log": [heads[incident_id][0], heads[incident_id][2]], "summary": _encode(summary)}
               for incident_id, summary in summaries.items() if incident_id in heads}
    data = json.dumps({"format": FORMAT, "code": fingerprint(), "incidents": entries},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    from incidentkit.core.atomic_file import replace_atomically

    try:
        folder.mkdir(parents=True, exist_ok=True)
        replace_atomically(folder / FILE_NAME, lambda raw: raw.write(data), prefix=".summaries-")
    except OSError:
        pass


_TEXT_OR_NONE = ("aware_at", "opened_at", "closed_at")
_TEXT = ("incident_id", "title", "playbook_version", "snapshot_sha256")
_CORRECTION = tuple(AwareCorrection.__dataclass_fields__)


def _encode(summary: IncidentSummary) -> dict[str, Any]:
    return {"incident_id": summary.incident_id, "title": summary.title, "status": summary.status,
            "aware_at": summary.aware_at, "opened_at": summary.opened_at, "closed_at": summary.closed_at,
            "phases": [[p.phase_id, p.title, p.done, p.skipped, p.total, p.retired] for p in summary.phases],
            "event_count": summary.event_count, "last_seq": summary.last_seq,
            "playbook_version": summary.playbook_version, "snapshot_sha256": summary.snapshot_sha256,
            "aware_corrections": [[getattr(c, f) for f in _CORRECTION] for c in summary.aware_corrections]}


def _decode(value: Any) -> IncidentSummary | None:
    """The summary an entry holds, or None when any field is not what `_encode` writes."""
    try:
        if not (all(isinstance(value[k], str) for k in _TEXT)
                and value["status"] in ("open", "closed")
                and all(value[k] is None or isinstance(value[k], str) for k in _TEXT_OR_NONE)
                and all(type(value[k]) is int for k in ("event_count", "last_seq"))):
            return None
        phases = []
        for phase_id, title, done, skipped, total, retired in value["phases"]:
            if not (isinstance(phase_id, str) and isinstance(title, str) and type(retired) is bool
                    and all(type(n) is int and n >= 0 for n in (done, skipped, total))):
                return None
            phases.append(PhaseProgress(phase_id, title, done, skipped, total, retired))
        corrections = []
        for fields in value["aware_corrections"]:
            if len(fields) != len(_CORRECTION) or not all(isinstance(f, str) for f in fields):
                return None
            corrections.append(AwareCorrection(*fields))
        return IncidentSummary(
            incident_id=value["incident_id"], title=value["title"], status=value["status"],
            aware_at=value["aware_at"], opened_at=value["opened_at"], closed_at=value["closed_at"],
            phases=tuple(phases), event_count=value["event_count"], last_seq=value["last_seq"],
            aware_corrections=tuple(corrections), playbook_version=value["playbook_version"],
            snapshot_sha256=value["snapshot_sha256"])
    except (KeyError, TypeError, ValueError):
        return None
