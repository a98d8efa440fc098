"""Scenarios for deadline tests: the shipped rules, profiles, milestones and notices built directly."""

from __future__ import annotations

from datetime import datetime, timezone

from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.deadlines.obligations import Obligation, obligations
from incidentkit.core.deadlines.records import Milestone, Notification
from incidentkit.core.scope.profile import ScopeProfile

SHIPPED = RulesLibrary.discover(None).rules


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def profile(people: dict[str, int], elements: set[str], *, encrypted: str = "no",
            organisation: set[str] = frozenset()) -> ScopeProfile:
    return ScopeProfile(imported=people, elements=frozenset(elements), encrypted=encrypted,
                        organisation=frozenset(organisation))


def marks(**times: str) -> dict[str, Milestone]:
    """Milestones by name (`breach_determined=` for breach-determined); `aware` among them."""
    return {name.replace("_", "-"): Milestone(name.replace("_", "-"), at(when)) for name, when in times.items()}


def sent(rule_id: str, when: str) -> Notification:
    return Notification(rule_id, at(when), reference=f"ref-{rule_id}")


def board(scope: ScopeProfile, milestones: dict[str, Milestone], now: str, notices=(), rules=SHIPPED,
          **kwargs) -> dict[str, Obligation]:
    return {o.rule_id: o for o in obligations(rules, scope, milestones, notices, at(now), **kwargs)}
