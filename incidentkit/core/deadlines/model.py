"""The immutable model of notification rules, as the rules loader produces it.

A `Rule` is one duty: who must be told (`recipient`), under which law (`regime`,
`jurisdiction`), when it applies (`conditions`), by when (`clocks`), what the notice
must and must not say (`content`) and where each fact comes from (`sources`). The
format is documented in docs/rules-format.md; `loader.py` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from incidentkit.core.deadlines.vocabulary import COMPARISONS, UNITS


@dataclass(frozen=True)
class Source:
    """Where a fact comes from. `as_of` is the source's date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""

    citation: str
    type: str                      # a key of SOURCE_TYPES
    as_of: str
    url: str = ""
    note: str = ""

    def to_json(self) -> dict[str, str]:
        return {"citation": self.citation, "type": self.type, "as_of": self.as_of, "url": self.url,
                "note": self.note}


@dataclass(frozen=True)
class Duration:
    """A span of time as the law counts it: `72 hours`, `30 calendar days`, `4 business days`."""

    amount: int
    unit: str                      # a key of UNITS

    def words(self) -> str:
        unit = UNITS[self.unit]
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


@dataclass(frozen=True)
class Threshold:
    """A count with the law's own comparison: `> 500` is not `>= 500`."""

    op: str                        # a key of COMPARISONS
    value: int

    def holds(self, count: int) -> bool:
        v = self.value
        return {">": count > v, ">=": count >= v, "<": count < v, "<=": count <= v}[self.op]

    def words(self) -> str:
        return f"{COMPARISONS[self.op]} {self.value:,}"


ANYONE = Threshold(">", 0)


@dataclass(frozen=True)
class DataCondition:
    """Which exposed data elements bring a breach under the law.

    Covered when every element of `all_of` was exposed and, if `any_of` is not empty,
    every element of at least one of its combinations (`[name, ssn]`) was too. Not
    covered when it is not and the exposed elements all fall within one of the
    `not_covered` combinations (`[name, email]`: what the law affirmatively leaves out).
    Anything else is a question for counsel: the rule does not say, so neither do we.
    `unknown` (`data: unknown`, or `any_of: unknown` beside a `not_covered` list) means the
    reference does not say what is covered: never covered then, but still not covered
    within a `not_covered` combination. `defined_in` cites the law's definition; the
    reasons quote it.
    """

    any_of: tuple[frozenset[str], ...] = ()
    all_of: frozenset[str] = frozenset()
    not_covered: tuple[frozenset[str], ...] = ()
    defined_in: str = ""
    unknown: bool = False          # the reference marks what is covered unknown

    def covers(self, elements: frozenset[str]) -> bool | None:
        """True (covered), False (affirmatively not covered) or None (the rule does not say)."""
        if self.unknown:
            return False if any(elements <= combo for combo in self.not_covered) else None
        if self.all_of <= elements and (not self.any_of or any(combo <= elements for combo in self.any_of)):
            return True
        if not self.not_covered or any(elements <= combo for combo in self.not_covered):
            return False
        return None


@dataclass(frozen=True)
class OrganisationCondition:
    """Organisation profile flags (keys of ORGANISATION_FLAGS) the duty depends on."""

    any_of: frozenset[str] = frozenset()
    all_of: frozenset[str] = frozenset()
    none_of: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Conditions:
    """When the duty applies. `people` None means the reference marks the threshold unknown."""

    people: Threshold | None = ANYONE
    people_in: str = "jurisdiction"                # a key of PEOPLE_IN
    data: DataCondition | None = None              # None: any personal data
    organisation: OrganisationCondition = field(default_factory=OrganisationCondition)
    encryption_safe_harbour: bool | None = False   # None: unknown
    risk_of_harm: str = "not-allowed"              # a key of RISK_OF_HARM
    risk_of_harm_text: str = ""
    # A rule id: the duty arises only if the incident is still being handled (no `incident-handled`
    # milestone yet) when the notice under that rule is sent or, until it is, when it falls due.
    ongoing_at: str = ""


@dataclass(frozen=True)
class Clock:
    """When the notice is due: `within` after the `start` milestone, or after another rule's
    notice was sent (`after_notice`). `within` None is no fixed deadline (the law's `wording`
    says what it asks), or an unknown one when `within_unknown`; `target` is then a team's
    own target."""

    start: str | None = None                       # a key of MILESTONES; None with after_notice
    after_notice: tuple[str, ...] = ()             # rule ids: the first notice sent under any of them
    within: Duration | None = None
    within_unknown: bool = False
    wording: str = ""
    target: Duration | None = None
    from_year_end: bool = False                    # count from the end of the start's calendar year
    holidays: str = ""                             # business-day calendar; default the jurisdiction


@dataclass(frozen=True)
class Contact:
    """A regulator, agency or other body whose contact details a notice must give."""

    kind: str                                      # a key of CONTACT_KINDS
    name: str
    phone: str = ""
    address: str = ""
    url: str = ""


@dataclass(frozen=True)
class Content:
    """What a notice to this recipient must and must not contain (checked by the notices)."""

    title: str = ""                                # the exact title the notice must carry
    headings: tuple[str, ...] = ()                 # headings the notice must use
    headings_in_order: bool = False
    fields: tuple[str, ...] = ()                   # keys of CONTENT_FIELDS
    phrases: tuple[str, ...] = ()                  # exact phrases the notice must contain
    forbidden: tuple[str, ...] = ()                # keys of FORBIDDEN_CONTENT
    contacts: tuple[Contact, ...] = ()
    notes: str = ""
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One notification duty. `line` is where it starts in `path`."""

    id: str
    title: str
    regime: str
    jurisdiction: str
    recipient: str                                 # a key of RECIPIENTS
    clocks: tuple[Clock, ...]                      # whichever ends first binds
    sources: tuple[Source, ...]
    recipient_detail: str = ""
    owed_by: str = "organisation"                  # a key of OWED_BY
    status: str = "in-force"                       # a key of STATUSES
    effective_from: date | None = None
    effective_until: date | None = None            # the last day in force
    conditions: Conditions = field(default_factory=Conditions)
    time_zone: str = ""                            # IANA zone; default per jurisdiction
    content: Content | None = None
    unknown: tuple[str, ...] = ()                  # facts the reference marks unknown
    notes: str = ""
    path: str = "<string>"
    line: int = 1

    @property
    def clock(self) -> Clock:
        return self.clocks[0]

    def in_force_on(self, day: date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until

    @property
    def as_of(self) -> str:
        """The latest as-of date among the rule's sources."""
        return max(s.as_of for s in self.sources)

    def verify(self) -> tuple[str, ...]:
        """Every fact of this rule the reference marks unknown, in words ("verify with counsel")."""
        found = list(self.unknown)
        c = self.conditions
        if c.people is None:
            found.append("the threshold of people affected")
        if c.data is not None and c.data.unknown:
            found.append("which data elements the law covers")
        if c.encryption_safe_harbour is None:
            found.append("whether encrypted data is exempt")
        if c.risk_of_harm == "unknown":
            found.append("whether a risk-of-harm assessment can remove the duty")
        if any(clock.within_unknown for clock in self.clocks):
            found.append("the deadline")
        return tuple(found)
