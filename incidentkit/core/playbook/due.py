"""A step's `due` attribute as a typed duration, and the time it falls due.

Usage:

    from incidentkit.core.playbook.due import parse_due, due_after, DueError
    due = parse_due("4 business days")      # Due(amount=4, unit="business_days", text="4 business days")
    due_after(aware_at, due)                 # the deadline: awareness plus the duration
    deadline(step.due, state.aware_at)       # the same from the stored ISO text; None when not known
    step.due                                 # the same Due, or None (no `due`, or one that does not read)

The grammar is a whole number and a unit, case-insensitive, with an optional space:
`90 minutes`, `1 hour`, `72h`, `30 days`, `30 calendar days`, `4 business days` (also
`working days`), `2 weeks`, `1 month`. Weeks are read as seven calendar days; a month
is a calendar month (1 March + 1 month = 1 April), not 30 days. Anything else raises
`DueError`, whose message the parser reports as a warning at the value's column.

`due_after` keeps the time of day: hours and minutes are added as they are, calendar
days and months move the date, business days skip the days `is_business_day` refuses
(by default Saturdays and Sundays; public holidays depend on a jurisdiction the step
does not have, so the deadlines board passes its own test).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

DueUnit = Literal["minutes", "hours", "calendar_days", "business_days", "months"]
UNITS: tuple[str, ...] = ("minutes", "hours", "calendar_days", "business_days", "months")

# The longest clock a playbook step can carry: ten years, in each unit.
_LIMITS = {"minutes": 10 * 366 * 24 * 60, "hours": 10 * 366 * 24, "calendar_days": 10 * 366,
           "business_days": 10 * 261, "months": 120}
_SYNTAX = re.compile(r"\s*(\d{1,9})\s*([a-z][a-z ]*?)\s*\Z", re.IGNORECASE)
_WORDS: dict[str, tuple[str, int]] = {}
for _unit, _names in (
    ("minutes", ("minute", "minutes", "min", "mins")),
    ("hours", ("hour", "hours", "hr", "hrs", "h")),
    ("calendar_days", ("day", "days", "calendar day", "calendar days", "d")),
    ("business_days", ("business day", "business days", "working day", "working days")),
    ("months", ("month", "months", "calendar month", "calendar months")),
):
    for _name in _names:
        _WORDS[_name] = (_unit, 1)
for _name in ("week", "weeks", "w"):
    _WORDS[_name] = ("calendar_days", 7)
EXAMPLES = "`72 hours`, `30 days` or `4 business days`"


class DueError(ValueError):
    """A `due` value that is not a duration; the message says what to write instead."""


@dataclass(frozen=True)
class Due:
    """A duration from awareness. `text` is the value as the playbook wrote it."""

    amount: int
    unit: DueUnit
    text: str

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "amount": self.amount, "unit": self.unit}

    def describe(self) -> str:
        """`72 hours`, `4 business days`, `1 month`: the duration in the product's own words."""
        word = {"minutes": "minute", "hours": "hour", "calendar_days": "day", "business_days": "business day",
                "months": "month"}[self.unit]
        return f"{self.amount} {word}" + ("" if self.amount == 1 else "s")


def parse_due(text: str) -> Due:
    """The duration `text` names; DueError when it names none."""
    match = _SYNTAX.match(text)
    if match is None:
        raise DueError(f"due '{text}' is not a duration: write a whole number and a unit, e.g. {EXAMPLES}")
    amount, word = int(match.group(1)), " ".join(match.group(2).lower().split())
    if word not in _WORDS:
        raise DueError(f"due '{text}': unknown unit '{word}' (use minutes, hours, days, business days, weeks "
                       "or months)")
    unit, factor = _WORDS[word]
    amount *= factor
    if amount == 0:
        raise DueError(f"due '{text}' is zero: give the time the step may take, e.g. {EXAMPLES}")
    if amount > _LIMITS[unit]:
        raise DueError(f"due '{text}' is longer than ten years")
    return Due(amount, unit, text.strip())  # type: ignore[arg-type]


def weekday(day: date) -> bool:
    """Monday to Friday: the default business day."""
    return day.weekday() < 5


def _add_months(start: datetime, months: int) -> datetime:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def due_after(start: datetime, due: Due, *, is_business_day: Callable[[date], bool] = weekday) -> datetime:
    """When a step due `due` after `start` falls due (same zone as `start`). OverflowError past year 9999."""
    if due.unit == "minutes":
        return start + timedelta(minutes=due.amount)
    if due.unit == "hours":
        return start + timedelta(hours=due.amount)
    if due.unit == "calendar_days":
        return start + timedelta(days=due.amount)
    if due.unit == "months":
        return _add_months(start, due.amount)
    at, left, looked = start, due.amount, 0
    while left:
        at += timedelta(days=1)
        looked += 1
        if is_business_day(at.date()):
            left -= 1
        elif looked > due.amount * 7 + 366:  # a predicate that refuses (nearly) every day
            raise ValueError(f"no {due.amount} business days within a year of {start.isoformat()}")
    return at


def deadline(due: Due | None, aware_at: str | None, *,
             is_business_day: Callable[[date], bool] = weekday) -> datetime | None:
    """`due_after` from an ISO 8601 awareness time (as the events hold it, UTC); None when either
    is missing, the time does not read or the result is past year 9999."""
    if due is None or not aware_at:
        return None
    try:
        start = datetime.fromisoformat(aware_at.strip().replace("Z", "+00:00"))
        if start.tzinfo is None:
            return None
        return due_after(start, due, is_business_day=is_business_day)
    except (ValueError, OverflowError):
        return None
