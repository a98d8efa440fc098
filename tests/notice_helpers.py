"""Notices in tests: the shipped templates and rules, the Epsilon sample record, a real store with an
incident whose scope is given directly (the scope import's fold is not on this branch yet)."""

from __future__ import annotations

from pathlib import Path

from incidentkit.core import operations
from incidentkit.core.comms.desk import NoticeDesk
from incidentkit.core.comms.details import record_details
from incidentkit.core.comms.library import TemplateLibrary
from incidentkit.core.comms.sample import DETAILS, NOW
from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.playbook.parser import parse_playbook
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.core.store import Store

RULES = RulesLibrary.discover(None).rules
TEMPLATES = TemplateLibrary.discover(None)
EPSILON = {"US-CA": 1000, "US-NY": 800, "US-TX": 300, "US-DE": 600, "FR": 2000, "GB": 1500}
NAMES_EMAILS = ScopeProfile(imported=EPSILON, people_imported=6200, elements=frozenset({"name", "email"}),
                            encrypted="no")
WITH_PASSWORDS = ScopeProfile(imported=EPSILON, people_imported=6200,
                              elements=frozenset({"name", "email", "password"}), encrypted="no")
PLAYBOOK = """---
id: notice-test
title: Notice test
---
# Notice test

## Customer communications

- [ ] Draft the customer notice {#comms-draft-notice}
"""
AWARE = NOW.replace(day=2)


def open_incident(store: Store, *, details: bool = True) -> str:
    incident = operations.open_incident(store, playbook=parse_playbook(PLAYBOOK, "notice.md"),
                                        title="Epsilon email breach", actor="ann", aware_at=AWARE)
    if details:
        record_details(store, incident_id=incident.id, values=DETAILS, actor="ann")
    return incident.id


def desk_for(store: Store, renderer, profile: ScopeProfile = NAMES_EMAILS, *, paths=None, now=NOW) -> NoticeDesk:
    return NoticeDesk(store, paths=paths, renderer=renderer, templates=TEMPLATES if paths is None else None,
                      rules=RULES, profile_of=lambda _store, _id: profile, clock=lambda: now)


def golden(name: str) -> Path:
    return Path(__file__).resolve().parent / "golden" / "notices" / name
