"""Every incident at once, in brief: what the incident list shows, without folding any log.

An `IncidentSummary` (projections.py) is an `IncidentState` without its steps: title,
status, times (the awareness time's corrections included), progress per phase and the
log's length. Many
at once come from the store's summary of every log (`Store.log_summaries`: per step the latest status kind, the incident's own
events, the log's size), read in one snapshot and folded with the same rules as
`project()` (its own fold of the incident's events, `phase_progress` for the counts); a
few from their deciding events (`read_state`); most from the cache of the last listing
(`summary_cache.py`). A test holds all three to `project()` over the whole log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Protocol

from incidentkit.core import events as ev
from incidentkit.core.deciding import ALWAYS_DECIDING, STEP_GROUPS, DecidingSource, read_state
from incidentkit.core.events import Event
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import IncidentState, IncidentSummary, phase_progress, project


class LogBrief(Protocol):
    """One incident's log in brief, as `SummarySource.log_summaries` gives it."""

    latest: Mapping[str, str]
    events: Sequence[Event]
    count: int
    last_seq: int


class SummarySource(DecidingSource, Protocol):
    """What the summaries need of a store."""

    def log_heads(self) -> Mapping[str, tuple[int, int, str]]: ...

    def log_summaries(self, *, latest_of: Sequence[str], every: Sequence[str]) -> Mapping[str, LogBrief]: ...


class _NoSteps:
    """What `project()` reads of a playbook, with no steps: it then folds the incident's own events alone."""

    phases: tuple[()] = ()

    @staticmethod
    def steps() -> Iterable[Any]:
        return ()


def summarize(playbook: Playbook, brief: LogBrief) -> IncidentSummary:
    """An incident's summary from its log in brief: `brief.events` are its `ALWAYS_DECIDING`
    events and `brief.latest` each step's latest status kind (`read_summaries`)."""
    own = project(_NoSteps(), brief.events)  # type: ignore[arg-type]
    status_of = {sid: ev.STEP_STATUS_OF[kind] for sid, kind in brief.latest.items() if kind in ev.STEP_STATUS_OF}
    return replace(summary_of(own), phases=phase_progress(playbook, status_of), event_count=brief.count,
                   last_seq=brief.last_seq)


def summary_of(state: IncidentState) -> IncidentSummary:
    """The summary of a state folded in full (or from its deciding events): the state without its steps."""
    return IncidentSummary(**{f.name: getattr(state, f.name) for f in fields(IncidentSummary)})


# Up to this many incidents whose summaries are not cached are each read from their
# deciding events; more (a first listing) are read with every incident's log in brief.
FEW = 8


def read_summaries(store: SummarySource, playbooks: Mapping[str, Playbook], *,
                   cache_dir: Path | None = None) -> dict[str, IncidentSummary]:
    """The summary of each incident in `playbooks` (incident id -> its pinned playbook).

    With a `cache_dir`, summaries of logs unchanged since the last listing come from the
    cache (summary_cache.py) and only the others are read: a listing costs a small read
    per incident, whatever the length of the logs.
    """
    from incidentkit.core import summary_cache

    heads = store.log_heads()
    found = summary_cache.load(cache_dir, heads) if cache_dir is not None else {}
    stale = [incident_id for incident_id in playbooks if incident_id not in found and incident_id in heads]
    if len(stale) > FEW:
        briefs = store.log_summaries(latest_of=STEP_GROUPS[0], every=ALWAYS_DECIDING)
        found.update((i, summarize(playbooks[i], briefs[i])) for i in stale if i in briefs)
    else:
        found.update((i, summary_of(read_state(store, playbooks[i], i))) for i in stale)
    if stale and cache_dir is not None:
        summary_cache.save(cache_dir, found, heads)
    return {incident_id: found[incident_id] for incident_id in playbooks if incident_id in found}
