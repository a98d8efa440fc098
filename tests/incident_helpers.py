"""A small playbook, a store opened on a tmp folder and random logs, for the store and projection tests."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from incidentkit.core import events as ev
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.playbook.parser import parse_playbook
from incidentkit.core.store import Store, database

def small_playbook_md(playbook_id: str = "tiny", title: str = "Tiny playbook", version: str = "1.0",
                      summary: str = "Two phases, three steps.") -> str:
    """The small playbook every test shares: two phases, three steps, one with a role."""
    return f"""\
---
id: {playbook_id}
title: {title}
version: "{version}"
summary: {summary}
---

# {title}

## Scope

- [ ] Confirm the breach in writing {{#confirm}}
- [ ] Count affected people {{#count}}

## Notify

- [ ] Notify the regulator {{#notify role=legal}}
"""


MARKDOWN = small_playbook_md()


# The small playbook's next versions, for the upgrade tests.
V2 = """\
---
id: tiny
title: Tiny playbook
version: "1.1"
---

# Tiny playbook

## Scope

- [ ] Confirm the breach in writing with the vendor {#confirm severity=high}
- [ ] Ask the vendor for the file {#file due="24 hours"}

## Notify

- [ ] Notify the regulator {#notify role=legal due="72 hours"}
- [ ] Notify the attorney general {#ag}
"""

# v3 brings `count` back and drops `file` (never touched) and `ag` (assigned in the test).
V3 = V2.replace('version: "1.1"', 'version: "1.2"').replace(
    '- [ ] Ask the vendor for the file {#file due="24 hours"}', "- [ ] Count affected people again {#count}").replace(
    "- [ ] Notify the attorney general {#ag}\n", "")


def tiny_playbook(markdown: str = MARKDOWN) -> Playbook:
    return parse_playbook(markdown, "tiny.md")


def open_store(folder: Path) -> Store:
    """A store in `folder` (made if missing), its backups beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    return Store(folder / "incidentkit.db", backups_dir=folder / "backups")


# Random logs, for the property tests -------------------------------------------------
STEPS = ["confirm", "count", "notify", "not-in-playbook", "", None]
TIMES = ["2026-11-29T08:00:00.000000+00:00", "2026-11-30T01:02:03+02:00", "2026-11-28T23:59:59Z", "not a time", ""]
KINDS = [*ev.KINDS, "custom.kind"]

random_change = st.tuples(
    st.sampled_from(KINDS),
    st.sampled_from(STEPS),
    st.sampled_from(["ann", "bob"]),
    st.sampled_from(["", "reason", "Sam", "text"]),
    st.integers(min_value=0, max_value=10_000),  # which earlier event an amendment targets
    st.sampled_from(TIMES),
)


def payload(kind: str, text: str, when: str, target: str) -> dict[str, object]:
    return {
        ev.INCIDENT_OPENED: {"title": text or "t", "aware_at": when},
        ev.INCIDENT_RENAMED: {"title": text},
        ev.INCIDENT_AWARE_CORRECTED: {"aware_at": when, "previous": "", "reason": text},
        ev.STEP_SKIPPED: {"reason": text},
        ev.STEP_NOTED: {"text": text},
        ev.STEP_ASSIGNED: {"assignee": text},
        ev.TIMELINE_ENTRY: {"title": text},
        ev.TIMELINE_AMENDED: {"target": target, "occurred_at": when, "title": text},
        # An upgrade marks steps to re-read (text changed) or not (only an attribute did);
        # later status and note events clear the mark.
        ev.INCIDENT_PLAYBOOK_UPGRADED: {"to_version": text or "2", "changed": [
            {"id": step, "fields": ["text"] if len(text) % 2 else ["due"]} for step in STEPS[:len(text) % 4]]},
    }.get(kind, {"x": text})


def write_random_log(store: Store, changes: list[tuple]) -> str:
    """A new incident on the tiny playbook with `changes` (drawn from `random_change`) appended
    after its opening, in one transaction: every kind, unknown kinds and steps, a step id of "",
    amendments moving any event's time, renames, closing and reopening."""
    incident = store.create_incident(tiny_playbook(), "random", actor="ann")
    ids = [store.events(incident.id)[0].id]
    now = ev.format_ts(ev.utc_now())

    def work(conn) -> None:
        for kind, step, actor, text, pick, when in changes:
            body = payload(kind, text, when, ids[pick % len(ids)])
            ids.append(store._insert(conn, incident.id, kind, actor, step, body, now, now).id)

    database.write_retrying(store.conn, work)
    return incident.id
