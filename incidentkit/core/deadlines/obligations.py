"""Obligations: every rule evaluated against an incident, as a pure function.

    from incidentkit.core.deadlines.obligations import obligations
    found = obligations(rules, profile, milestones, notifications, now)   # most urgent first

No I/O: the rules, the scope profile, the milestones (by name, `aware` included), the
notifications sent and the time are given; business days read their holidays through
`calendars` (a `HolidayCalendars`, in memory unless it was given a file).

Each rule becomes one `Obligation` with a status:

- `not-applicable`: a condition settles it; `reason` says which, in words.
- `needs-input`: something must be found out or recorded first; `reason` names it
  ("materiality not yet determined", "verify with counsel ..."). The deadline is still
  given when it can be (provisional), or the latest possible one for a notice that
  follows another (`deadline_kind` `latest`).
- `due` / `overdue`: applies, not yet sent; overdue once `now` is past the deadline.
- `met` / `met-late`: a notice was sent under the rule, by or after the deadline.

The rule in force on the clock's start date applies (`effective_from`/`_until`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from incidentkit.core.deadlines.applicability import Finding, PeopleCounts, check
from incidentkit.core.deadlines.clock import HolidayCalendars, deadline_after
from incidentkit.core.deadlines.describe import VERIFY, in_force_words, recipient_words
from incidentkit.core.deadlines.model import Clock, Rule, Source
from incidentkit.core.deadlines.records import Milestone, Notification, iso
from incidentkit.core.deadlines.vocabulary import IF_RECORDED, MILESTONE_BOUND, MILESTONE_FALLBACK
from incidentkit.core.deadlines.zones import zone_for
from incidentkit.core.scope.profile import ScopeProfile

STATUSES = ("overdue", "needs-input", "due", "met-late", "met", "not-applicable")
_MISSING = {
    "aware": "the awareness time is not recorded",
    "discovered": "the discovery of the breach is not recorded",
    "breach-determined": "the breach is not yet determined",
    "materiality-determined": "materiality not yet determined",
    "classified-major": "the incident is not yet classified as major",
    "risk-assessed": "the risk is not yet assessed",
    "incident-handled": "the end of incident handling is not recorded",
    "individuals-notified": "the people affected are not yet notified",
    "incident-closed": "the incident is not closed",
}


@dataclass(frozen=True)
class ClockStart:
    """What started the clock and when; `note` says when a fallback was used."""

    milestone: str
    at: datetime | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"milestone": self.milestone, "at": iso(self.at), "note": self.note}


@dataclass(frozen=True)
class Obligation:
    rule_id: str
    title: str
    jurisdiction: str
    recipient: str
    status: str                            # one of STATUSES
    deadline: datetime | None              # UTC
    clock_start: ClockStart | None
    reason: str
    sources: tuple[Source, ...]
    regime: str = ""
    recipient_detail: str = ""
    owed_by: str = "organisation"
    deadline_kind: str = ""                # law | target | latest | "" (none)
    wording: str = ""                      # the law's words for the clock
    verify: tuple[str, ...] = ()           # facts the rule marks unknown
    people: int = 0
    notification: Notification | None = None

    @property
    def applies(self) -> bool:
        return self.status != "not-applicable"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id, "title": self.title, "regime": self.regime,
            "jurisdiction": self.jurisdiction, "recipient": self.recipient,
            "recipient_detail": self.recipient_detail, "owed_by": self.owed_by, "status": self.status,
            "deadline": iso(self.deadline), "deadline_kind": self.deadline_kind,
            "clock_start": self.clock_start.to_json() if self.clock_start else None,
            "reason": self.reason, "wording": self.wording, "verify": list(self.verify), "people": self.people,
            "notification": self.notification.to_json() if self.notification else None,
            "sources": [s.to_json() for s in self.sources],
        }


@dataclass
class _Timing:
    start: ClockStart | None = None
    deadline: datetime | None = None
    kind: str = ""
    missing: list[str] = field(default_factory=list)
    not_running: str = ""                  # why a clock that may never start has not (IF_RECORDED)


def obligations(rules: Sequence[Rule], profile: ScopeProfile, milestones: Mapping[str, Milestone],
                notifications: Iterable[Notification], now: datetime, *,
                calendars: HolidayCalendars | None = None) -> tuple[Obligation, ...]:
    """Every rule as an obligation of this incident, most urgent first."""
    in_time_order = tuple(sorted(notifications, key=lambda n: n.at))
    evaluation = _Evaluation(rules, profile, milestones, in_time_order, now, calendars or HolidayCalendars())
    return tuple(sorted((evaluation.of(r.id) for r in rules), key=urgency))


def urgency(o: Obligation) -> tuple[int, int, str, str]:
    """Overdue first, then what is due or needs input by deadline (undated last), then met, then the rest."""
    group = {"overdue": 0, "needs-input": 1, "due": 1, "met-late": 2, "met": 2}.get(o.status, 3)
    return group, 0 if o.deadline else 1, iso(o.deadline) or "", o.rule_id


class _Evaluation:
    def __init__(self, rules: Sequence[Rule], profile: ScopeProfile, milestones: Mapping[str, Milestone],
                 notifications: tuple[Notification, ...], now: datetime, calendars: HolidayCalendars) -> None:
        self.rules = {r.id: r for r in rules}
        self.people = PeopleCounts(profile)
        self.milestones, self.now, self.calendars = milestones, now, calendars
        self.sent: dict[str, Notification] = {}
        for n in notifications:  # the first under each rule counts
            self.sent.setdefault(n.rule_id, n)
        self.notifications = notifications
        self.done: dict[str, Obligation] = {}
        self.busy: set[str] = set()
        risk = milestones.get("risk-assessed")
        self.risk_level = risk.level if risk else ""

    def of(self, rule_id: str) -> Obligation:
        found = self.done.get(rule_id)
        if found is None:
            self.busy.add(rule_id)
            found = self.done[rule_id] = self._evaluate(self.rules[rule_id])
            self.busy.discard(rule_id)
        return found

    def _evaluate(self, rule: Rule) -> Obligation:
        people = self.people.count(rule)[0]
        base = dict(rule_id=rule.id, title=rule.title, jurisdiction=rule.jurisdiction, recipient=rule.recipient,
                    sources=rule.sources, regime=rule.regime, recipient_detail=recipient_words(rule),
                    owed_by=rule.owed_by, wording="; ".join(c.wording for c in rule.clocks),
                    verify=rule.verify(), people=people, notification=self.sent.get(rule.id))
        if rule.status == "proposed":
            return Obligation(status="not-applicable", deadline=None, clock_start=None,
                              reason=f"proposed, not yet law ({rule.regime})", **base)
        if rule.owed_by == "vendor":
            return Obligation(status="not-applicable", deadline=None, clock_start=None,
                              reason=f"the vendor's duty to us, not ours: {rule.clocks[0].wording}", **base)
        finding = check(rule, self.people, self.risk_level)
        timing = self._timing(rule)
        if timing.not_running:
            finding.not_applicable.append(timing.not_running)
        if rule.conditions.ongoing_at:
            self._ongoing(rule.conditions.ongoing_at, finding)
        if rule.effective_from is not None or rule.effective_until is not None:
            if timing.start and timing.start.at is not None:
                day = timing.start.at.astimezone(zone_for(rule.jurisdiction, rule.time_zone)).date()
            else:
                day = self.now.date()
            if not rule.in_force_on(day):
                finding.not_applicable.insert(0, f"not in force on {day.isoformat()} ({in_force_words(rule)})")
        status, reason = self._status(rule, finding, timing)
        if status == "not-applicable":  # a deadline there would only mislead
            timing.deadline, timing.kind = None, ""
        return Obligation(status=status, deadline=timing.deadline, clock_start=timing.start, reason=reason,
                          deadline_kind=timing.kind, **base)

    def _status(self, rule: Rule, finding: Finding, timing: _Timing) -> tuple[str, str]:
        if finding.not_applicable:
            return "not-applicable", "; ".join(finding.not_applicable)
        sent = self.sent.get(rule.id)
        why = "; ".join(finding.applies) or "applies"
        if sent is not None:
            if timing.deadline is not None and sent.at > timing.deadline:
                return "met-late", f"sent {iso(sent.at)}, after the deadline; {why}"
            return "met", f"sent {iso(sent.at)}; {why}"
        missing = finding.missing + timing.missing
        if missing:
            return "needs-input", "; ".join(missing)
        if timing.deadline is None or timing.kind == "target":
            return ("overdue" if timing.deadline and self.now > timing.deadline else "due",
                    f"{why}; {_no_deadline(rule, timing)}")
        if self.now > timing.deadline:
            return "overdue", why
        return "due", why

    # clocks ------------------------------------------------------------------------
    def _timing(self, rule: Rule) -> _Timing:
        """The earliest deadline of the rule's clocks; missing inputs of any of them."""
        best = _Timing()
        running = False
        for clock in rule.clocks:
            timing = self._clock(rule, clock)
            running = running or not timing.not_running
            best.not_running = best.not_running or timing.not_running
            best.missing.extend(timing.missing)
            if best.start is None:
                best.start = timing.start
            if timing.deadline is not None and (best.deadline is None or timing.deadline < best.deadline):
                best.deadline, best.kind, best.start = timing.deadline, timing.kind, timing.start
        if running:  # another clock runs: the duty stands
            best.not_running = ""
        return best

    def _clock(self, rule: Rule, clock: Clock) -> _Timing:
        timing = _Timing()
        if clock.after_notice:
            start_at, latest = self._after_notice(rule, clock, timing)
            if start_at is None:
                if latest is not None and clock.within is not None:
                    timing.deadline, timing.kind = self._add(rule, clock, latest), "latest"
                return timing
        else:
            start_at, latest = self._milestone(rule, clock, timing)
            if start_at is None:
                if latest is not None and clock.within is not None:
                    timing.deadline, timing.kind = self._add(rule, clock, latest), "latest"
                return timing
        if clock.within_unknown:
            timing.missing.append(f"{VERIFY}: the reference does not know the deadline ({clock.wording})")
        elif clock.within is not None:
            timing.deadline, timing.kind = self._add(rule, clock, start_at), "law"
        elif clock.target is not None:
            timing.deadline, timing.kind = self._add(rule, clock, start_at, target=True), "target"
        return timing

    def _add(self, rule: Rule, clock: Clock, start: datetime, *, target: bool = False) -> datetime:
        within = clock.target if target else clock.within
        assert within is not None
        return deadline_after(start, within, zone_for(rule.jurisdiction, rule.time_zone),
                              calendar=clock.holidays or rule.jurisdiction, calendars=self.calendars,
                              from_year_end=clock.from_year_end)

    def _milestone(self, rule: Rule, clock: Clock, timing: _Timing) -> tuple[datetime | None, datetime | None]:
        """When the clock's milestone happened; else None and the latest time it can have happened."""
        name = clock.start or ""
        if name == "individuals-notified":
            first = next((n for n in self.notifications if self._individuals_of(n, rule.jurisdiction)), None)
            if first is None:
                timing.missing.append(f"the people affected in {rule.jurisdiction} are not yet notified")
                timing.start = ClockStart(name, None)
                return None, None
            timing.start = ClockStart(name, first.at, f"the notice under {first.rule_id}")
            return first.at, None
        found = self.milestones.get(name)
        note = ""
        if found is None and name in MILESTONE_FALLBACK:
            found = self.milestones.get(MILESTONE_FALLBACK[name])
            note = f"not recorded: the {MILESTONE_FALLBACK[name]} time is used"
        if found is not None:
            timing.start = ClockStart(name, found.at, note)
            return found.at, None
        timing.start = ClockStart(name, None)
        if name in IF_RECORDED:
            timing.not_running = IF_RECORDED[name]
            return None, None
        missing = _MISSING.get(name, f"{name} not yet recorded")
        bound = self.milestones.get(MILESTONE_BOUND.get(name, ""))
        if bound is not None:
            timing.start = ClockStart(name, None, f"not recorded: at the latest {bound.name} {iso(bound.at)}")
            missing += f" (it cannot be later than the {bound.name} time, {iso(bound.at)})"
        timing.missing.append(missing)
        return None, bound.at if bound is not None else None

    def _ongoing(self, ref: str, finding: Finding) -> None:
        """Whether the incident was still being handled when the notice under `ref` was sent or fell due."""
        if ref not in self.rules or ref in self.busy:
            finding.missing.append(f"the rule it depends on ({ref}) is not among the rules")
            return
        other = self.of(ref)
        if not other.applies:
            finding.not_applicable.append(f"applies only after a notice under {ref}, which does not apply")
            return
        sent = self.sent.get(ref)
        moment, what = (sent.at, "was sent") if sent else (other.deadline, "falls due")
        if not sent and moment is not None and self.now > moment:
            what = "fell due"
        handled = self.milestones.get("incident-handled")
        if moment is None:
            finding.missing.append(f"applies only if the incident is still being handled when the notice under "
                                   f"{ref} is sent, which is not yet dated")
        elif handled is not None and handled.at <= moment:
            finding.not_applicable.append(f"the incident's handling ended ({iso(handled.at)}) before the notice "
                                          f"under {ref} {what} ({iso(moment)})")
        elif handled is not None or self.now > moment:
            finding.applies.append(f"the incident was still being handled when the notice under {ref} {what} "
                                   f"({iso(moment)})")
        else:
            finding.missing.append(f"applies only if the incident is still being handled when the notice under "
                                   f"{ref} {what} ({iso(moment)})")

    def _individuals_of(self, notification: Notification, jurisdiction: str) -> bool:
        rule = self.rules.get(notification.rule_id)
        return rule is not None and rule.recipient == "individuals" and rule.jurisdiction == jurisdiction

    def _after_notice(self, rule: Rule, clock: Clock, timing: _Timing) -> tuple[datetime | None, datetime | None]:
        """When the first notice under the named rules was sent; else the latest time it may be sent."""
        refs = [r for r in clock.after_notice if r in self.rules]
        label = "individuals-notified" if refs and all(
            self.rules[r].recipient == "individuals" for r in refs) else "notice-sent"
        sent = [self.sent[r] for r in refs if r in self.sent]
        if sent:
            first = min(sent, key=lambda n: n.at)
            timing.start = ClockStart(label, first.at, f"the notice under {first.rule_id}")
            return first.at, None
        timing.start = ClockStart(label, None)
        names = " or ".join(clock.after_notice)
        if not refs:
            timing.missing.append(f"the rule it follows ({names}) is not among the rules")
            return None, None
        followed = [self.of(r) for r in refs if r not in self.busy]
        applicable = [o for o in followed if o.applies]
        if not applicable:
            timing.missing.append(f"starts when the notice under {names} is sent, which does not apply")
            return None, None
        dated = [o.deadline for o in applicable if o.deadline is not None]
        latest = min(dated) if dated else None
        when = f" (by {iso(latest)} at the latest)" if latest else ""
        timing.missing.append(f"starts when the notice under {names} is sent; not yet sent{when}")
        return None, latest


def _no_deadline(rule: Rule, timing: _Timing) -> str:
    wording = "; ".join(c.wording for c in rule.clocks if c.within is None)
    target = " (the deadline shown is the team's own target)" if timing.kind == "target" else ""
    return f"no fixed deadline: {wording}{target}"

