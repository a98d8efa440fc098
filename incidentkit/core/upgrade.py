"""Moving a running incident onto a newer version of its playbook, in one event.

Usage:

    from incidentkit.core.upgrade import plan_upgrade, upgrade_incident, available_upgrade
    plan = plan_upgrade(store, incident_id="3f2a", playbook=new)   # what would change; writes nothing
    plan.lines()                                                    # the step diff, for --dry-run
    plan, event = upgrade_incident(store, incident_id="3f2a", playbook=new, actor="ann")
    available_upgrade(store.playbook(incident_id), library)        # the library entry to offer, or None

An upgrade is one `incident.playbook_upgraded` event whose payload holds both snapshots'
sha256 and versions and the step diff; the new markdown is pinned by its sha256 in the
same transaction, as the first was when the incident opened. Step states, notes,
assignees and history follow step ids, so they carry over by themselves; new steps
start open; a removed step that any event of the incident names is kept as retired
(`retired` lists every retired step and the snapshot it reads from, so the store can
rebuild the playbook from this one event); a removed step nobody touched is dropped.
The event is never rewritten: the log still verifies, and the exports say under which
version each event was recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from incidentkit.core import events as ev
from incidentkit.core import writes
from incidentkit.core.errors import IncidentKitError, StateError
from incidentkit.core.events import Event
from incidentkit.core.playbook.diff import PlaybookDiff, diff_playbooks, is_older
from incidentkit.core.playbook.library import PlaybookEntry, PlaybookLibrary
from incidentkit.core.playbook.model import Playbook, Step
from incidentkit.core.store import Store
from incidentkit.core.text import TextRefused, problem


@dataclass(frozen=True)
class UpgradePlan:
    """An upgrade worked out against the incident's own record."""

    incident_id: str
    current: Playbook                        # what the incident follows now (with its retired steps)
    target: Playbook
    diff: PlaybookDiff
    kept: frozenset[str]                     # removed steps with a history: they become retired
    retired_after: tuple[tuple[str, str], ...]  # (step id, sha256 of the snapshot it reads from)

    @property
    def retiring(self) -> tuple[Step, ...]:
        return tuple(s for s in self.diff.removed if s.id in self.kept)

    @property
    def dropping(self) -> tuple[Step, ...]:
        return tuple(s for s in self.diff.removed if s.id not in self.kept)

    def summary(self) -> str:
        return self.diff.summary()

    def headline(self) -> str:
        return (f"{self.target.title}: version {self.current.version} -> {self.target.version} "
                f"({self.summary()})")

    def lines(self) -> list[str]:
        """The step diff, one line per step: `+ new`, `~ changed`, `- removed`, `^ restored`."""
        out = [f"+ new       {s.id}: {s.text}" for s in self.diff.added]
        out += [f"^ restored  {s.id}: {s.text} (back from retired)" for s in self.diff.restored]
        out += [f"~ changed   {c.id}: {c.new.text} ({', '.join(c.fields)})" for c in self.diff.changed]
        out += [f"- removed   {s.id}: {s.text} (kept as retired: it has a history)" for s in self.retiring]
        out += [f"- removed   {s.id}: {s.text} (never touched: dropped)" for s in self.dropping]
        return out

    def payload(self) -> dict[str, Any]:
        d = self.diff
        return {
            "playbook_id": self.target.id,
            "from_version": self.current.version, "to_version": self.target.version,
            "from_sha256": self.current.sha256, "to_sha256": self.target.sha256,
            "added": [{"id": s.id, "text": s.text} for s in d.added],
            "removed": [{"id": s.id, "text": s.text, "retired": s.id in self.kept} for s in d.removed],
            "changed": [{"id": c.id, "fields": list(c.fields), "old_text": c.old.text, "new_text": c.new.text}
                        for c in d.changed],
            "restored": [{"id": s.id, "text": s.text} for s in d.restored],
            "retired": [{"id": step_id, "sha256": sha} for step_id, sha in self.retired_after],
        }

    def to_json(self) -> dict[str, Any]:
        return {"incident_id": self.incident_id, "summary": self.summary(), **self.payload()}


def _previous_retired(payload: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    entries = (payload or {}).get("retired")
    return [(e["id"], e["sha256"]) for e in entries if isinstance(e, dict)
            and isinstance(e.get("id"), str) and isinstance(e.get("sha256"), str)] if isinstance(entries, list) else []


def plan_upgrade(store: Store, *, incident_id: str, playbook: Playbook) -> UpgradePlan:
    """What moving the incident onto `playbook` would do; refuses another playbook or the same version."""
    incident = store.incident(incident_id)
    if playbook.id != incident.playbook_id:
        raise IncidentKitError(f"{playbook.path} is playbook '{playbook.id}', but incident {incident.id[:8]} "
                               f"follows '{incident.playbook_id}'")
    current = store.playbook(incident.id)
    if playbook.sha256 == current.sha256:
        raise StateError(f"incident {incident.id[:8]} already follows this version of '{playbook.id}' "
                         f"({playbook.version}, {playbook.sha256[:12]})")
    diff = diff_playbooks(current, playbook)
    touched = store.step_ids_with_events(incident.id)
    kept = frozenset(s.id for s in diff.removed if s.id in touched)
    previous = _previous_retired(store.last_payload(incident.id, ev.INCIDENT_PLAYBOOK_UPGRADED))
    retired = [(i, sha) for i, sha in previous if not playbook.has_step(i)]
    retired += [(s.id, current.sha256) for s in diff.removed if s.id in kept]
    return UpgradePlan(incident.id, current, playbook, diff, kept, tuple(retired))


def upgrade_incident(store: Store, *, incident_id: str, playbook: Playbook, actor: str) -> tuple[UpgradePlan, Event]:
    """Move the incident onto `playbook` in one event; the plan is checked again inside the write."""
    plan = plan_upgrade(store, incident_id=incident_id, playbook=playbook)
    removed = {s.id for s in plan.diff.removed}

    _check_step_texts(plan)

    def check() -> None:
        if store.playbook(plan.incident_id).sha256 != plan.current.sha256:
            raise StateError(f"incident {plan.incident_id[:8]} was upgraded by someone else meanwhile: look again")
        if store.step_ids_with_events(plan.incident_id) & removed != plan.kept:
            raise StateError("a step this upgrade removes was worked on meanwhile: look at the upgrade again")

    event = writes.append(store, plan.incident_id, ev.INCIDENT_PLAYBOOK_UPGRADED, actor=actor, payload=plan.payload(),
                          check=check, snapshot=playbook.markdown)
    return plan, event


def _check_step_texts(plan: UpgradePlan) -> None:
    """The step texts the event copies hold no control characters (the log refuses them): said
    here with the playbook's file and line, rather than by the write."""
    for step in (*plan.diff.added, *plan.diff.restored, *(c.new for c in plan.diff.changed)):
        reason = problem(step.text, multiline=True)
        if reason:
            raise TextRefused(f"{plan.target.path}:{step.line}: step '{step.id}': its text {reason}")


def available_upgrade(current: Playbook, library: PlaybookLibrary) -> PlaybookEntry | None:
    """The library's version of the incident's playbook when it differs and is not older, else None."""
    try:
        entry = library.entry(current.id)
    except IncidentKitError:
        return None
    candidate = entry.playbook
    if candidate.sha256 == current.sha256 or is_older(candidate.version, current.version):
        return None
    return entry


def resolve_target(library: Callable[[], PlaybookLibrary], incident_playbook_id: str, to: str | None) -> Playbook:
    """`--to`: a playbook file (a path that exists or ends in .md) or a library id; default the
    library's playbook with the incident's id. `library` finds the library when it is needed."""
    from pathlib import Path

    if to is not None and (to.lower().endswith(".md") or Path(to).exists()):
        from incidentkit.core.playbook.loader import load_playbook

        return load_playbook(to)
    return library().get(incident_playbook_id if to is None else to)
