"""Whether a rule's conditions hold for a scope profile: each check says why, in words.

Every check returns `Finding`s: `applies` phrases (why it applies), `not_applicable`
reasons (any one of them settles it) and `missing` inputs (what must be found out
first, "verify with counsel" for what the rule itself does not know).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from incidentkit.core.deadlines.describe import VERIFY
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.core.scope.vocabulary import DATA_ELEMENTS, ORGANISATION_FLAGS


@dataclass
class Finding:
    applies: list[str] = field(default_factory=list)
    not_applicable: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


class PeopleCounts:
    """The profile's counts, each jurisdiction's worked out once (hundreds of rules share a few
    dozen jurisdictions, and each `people_in` walks every jurisdiction of the profile)."""

    def __init__(self, profile: ScopeProfile) -> None:
        self.profile = profile
        self._by_code = profile.by_jurisdiction
        self._in: dict[str, int] = {}

    def people_in(self, jurisdiction: str) -> int:
        found = self._in.get(jurisdiction)
        if found is None:
            found = self._in[jurisdiction] = self.profile.people_in(jurisdiction)
        return found

    def count(self, rule: Rule) -> tuple[int, str]:
        """The count the rule's threshold is tested on, and where it was counted."""
        where = rule.jurisdiction
        if rule.conditions.people_in == "any-subdivision":
            prefix = f"{rule.jurisdiction}-"
            counts = {code: n for code, n in self._by_code.items() if code.startswith(prefix)}
            if counts:
                where = max(counts, key=lambda code: (counts[code], code))
                return counts[where], where
            return 0, where
        return self.people_in(rule.jurisdiction), where


def elements_words(elements: frozenset[str]) -> str:
    order = list(DATA_ELEMENTS)
    names = [DATA_ELEMENTS.get(e, e) for e in sorted(elements, key=lambda e: (order.index(e) if e in order else 99, e))]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def check(rule: Rule, people: PeopleCounts, risk_level: str) -> Finding:
    found = Finding()
    c = rule.conditions
    profile = people.profile
    _organisation(rule, profile, found)
    count, where = people.count(rule)
    if count == 0 and (c.people is None or (c.people.op in (">", ">=") and not c.people.holds(0))):
        # Whatever an unknown threshold is, no one affected there does not engage the law.
        found.not_applicable.append(f"no one affected in {where}")
        return found  # the rest would only repeat that the law is not engaged
    if c.people is None:
        found.missing.append(f"{VERIFY}: the reference does not know this duty's threshold "
                             f"({count:,} people affected in {where})")
    elif c.people.holds(count):
        if not (c.people.op == ">=" and c.people.value == 0):
            found.applies.append(f"{count:,} people affected in {where} ({c.people.words()})")
    else:
        found.not_applicable.append(f"{count:,} people affected in {where}; the duty applies to "
                                    f"{c.people.words()}")
    _data(rule, profile, found)
    _encryption(rule, profile, found)
    _risk(rule, risk_level, found)
    return found


def _organisation(rule: Rule, profile: ScopeProfile, found: Finding) -> None:
    org, have = rule.conditions.organisation, profile.organisation
    words = ORGANISATION_FLAGS.get
    if org.any_of and not org.any_of & have:
        wanted = " or ".join(words(f, f) for f in sorted(org.any_of))
        found.not_applicable.append(f"applies only to a {wanted}; the organisation profile does not say so")
    for flag in sorted(org.all_of - have):
        found.not_applicable.append(f"applies only to a {words(flag, flag)}; the organisation profile does not say so")
    for flag in sorted(org.none_of & have):
        found.not_applicable.append(f"does not apply to a {words(flag, flag)} (the organisation profile says it is one)")
    if org.any_of & have:
        found.applies.append(" and ".join(words(f, f) for f in sorted(org.any_of & have)))


def _data(rule: Rule, profile: ScopeProfile, found: Finding) -> None:
    data = rule.conditions.data
    if data is None:
        return
    law = data.defined_in or rule.regime
    elements = profile.elements
    if data.unknown and (not elements or data.covers(elements) is None):
        found.missing.append(f"{VERIFY}: the reference does not say which data elements {law} covers")
        return
    if not elements:
        found.missing.append("the exposed data elements are not yet known")
        return
    covered = data.covers(elements)
    if covered:
        found.applies.append(f"{elements_words(elements)} are personal information under {law}")
    elif covered is False:
        found.not_applicable.append(f"{elements_words(elements)} alone are not personal information under {law}")
    else:
        found.missing.append(f"{VERIFY} whether {elements_words(elements)} are personal information under {law} "
                             "(the rule does not say)")


def _encryption(rule: Rule, profile: ScopeProfile, found: Finding) -> None:
    harbour, state = rule.conditions.encryption_safe_harbour, profile.encrypted
    if harbour is False or state in ("no", "key-exposed"):
        return
    if harbour is None:
        if state == "yes":
            found.missing.append(f"{VERIFY} whether encrypted data is exempt (the reference does not say)")
        return
    if state == "yes":
        found.not_applicable.append(f"the data was encrypted and the key was not exposed: exempt under {rule.regime}")
    else:
        found.missing.append("whether the data was encrypted is not yet known (encrypted data is exempt)")


def _risk(rule: Rule, level: str, found: Finding) -> None:
    how, text = rule.conditions.risk_of_harm, rule.conditions.risk_of_harm_text
    why = f" ({text})" if text else ""
    if how == "exempts" and level == "unlikely":
        found.not_applicable.append(f"the risk assessment found harm unlikely{why}")
    elif how == "required-high":
        if not level:
            found.missing.append(f"the risk to the people affected is not yet assessed: the duty arises only for "
                                 f"a high risk{why}")
        elif level != "high":
            found.not_applicable.append(f"the risk assessment did not find a high risk{why}")
    elif how == "unknown" and level == "unlikely":
        found.missing.append(f"{VERIFY} whether the finding that harm is unlikely removes this duty")
