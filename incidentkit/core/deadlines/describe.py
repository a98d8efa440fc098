"""Rules in words and as JSON: what `incidentkit rules`, the board and the exports show."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from incidentkit.core.deadlines.cache import to_jsonable
from incidentkit.core.deadlines.model import Clock, Rule
from incidentkit.core.deadlines.vocabulary import MILESTONES, RECIPIENTS

DISCLAIMER = "Guidance, not legal advice: check each rule's sources and verify with counsel."
VERIFY = "verify with counsel"


def clock_words(clock: Clock) -> str:
    """`30 calendar days after the breach was discovered`, `no fixed deadline ("without undue delay")`."""
    if clock.after_notice:
        start = f"the notice under {' or '.join(clock.after_notice)} was sent"
    else:
        start = MILESTONES.get(clock.start or "", clock.start or "")
        if clock.from_year_end:
            start = f"the end of the calendar year in which {start}"
    if clock.within is not None:
        return f"{clock.within.words()} after {start}"
    if clock.within_unknown:
        return f"deadline unknown ({VERIFY}); counted from when {start}"
    target = f"; team target {clock.target.words()} after {start}" if clock.target else ""
    return f"no fixed deadline: {clock.wording}{target}"


def rule_clock_words(rule: Rule) -> str:
    words = [clock_words(c) for c in rule.clocks]
    return words[0] if len(words) == 1 else "whichever is earliest of: " + "; ".join(words)


def recipient_words(rule: Rule) -> str:
    return rule.recipient_detail or RECIPIENTS.get(rule.recipient, rule.recipient)


def rule_json(rule: Rule, source: str = "") -> dict[str, Any]:
    """Every field of the rule (the model's own names), plus its clock in words and where it came from."""
    doc = to_jsonable(rule)
    doc["clock_words"] = rule_clock_words(rule)
    doc["verify"] = list(rule.verify())
    doc["as_of"] = rule.as_of
    if source:
        doc["source"] = source
    return doc


def in_force_words(rule: Rule) -> str:
    """`in force from 2026-01-01`, `in force until 2025-12-31`, or "" when always."""
    start, end = rule.effective_from, rule.effective_until
    if start and end:
        return f"in force from {start} to {end}"
    if start:
        return f"in force from {start}"
    return f"in force until {end}" if end else ""


def duty_words(rule: Rule) -> str:
    """`tell the attorney general: 15 calendar days after ...`; the vendor's duties say so."""
    who = "the vendor tells" if rule.owed_by == "vendor" else "tell"
    return f"{who} {recipient_words(rule)}: {rule_clock_words(rule)}"


# Obligations in words, for the CLI, the window and the exports ----------------------
STATUS_WORDS: dict[str, str] = {
    "overdue": "overdue",
    "needs-input": "needs input",
    "due": "due",
    "met-late": "met late",
    "met": "met",
    "not-applicable": "not applicable",
}
# Text marks so that status never depends on colour alone.
STATUS_MARKS: dict[str, str] = {
    "overdue": "!!",
    "needs-input": "??",
    "due": "..",
    "met-late": "+!",
    "met": "ok",
    "not-applicable": "--",
}


def countdown(deadline: datetime | None, now: datetime) -> str:
    """`43 h left`, `6 h overdue`, `3 d left`, `25 min left`; "" without a deadline."""
    if deadline is None:
        return ""
    seconds = (deadline - now).total_seconds()
    span, word = abs(seconds), "left" if seconds >= 0 else "overdue"
    if span < 3600:
        return f"{int(span // 60)} min {word}"
    if span < 72 * 3600:
        return f"{int(span // 3600)} h {word}"
    return f"{int(span // 86400)} d {word}"


def local_time(when: datetime | None, zone: tzinfo | None) -> str:
    """`2026-03-05 10:00 CET` in `zone` (the computer's own when None); "" for None."""
    if when is None:
        return ""
    shown = when.astimezone(zone) if zone is not None else when.astimezone()
    return shown.strftime("%Y-%m-%d %H:%M %Z").strip()
