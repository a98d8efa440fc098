"""Durations as laws write them: `72 hours`, `30 calendar days`, `4 business days`, `1 calendar
month`, for a rule's `within:` and `target:`. Plain `days` are calendar days and `months`
calendar months, never 30 days. Unlike a playbook step's `due` (`playbook/due.py`), a rule's
clock may be zero (`0 calendar days`: at the same time as another notice).
"""

from __future__ import annotations

import re

from incidentkit.core.deadlines.model import Duration

_PATTERN = re.compile(r"\s*(\d{1,6})\s*([a-z ]+?)\s*\Z")
_UNIT_WORDS = {
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "day": "calendar-days", "days": "calendar-days", "calendar day": "calendar-days",
    "calendar days": "calendar-days",
    "business day": "business-days", "business days": "business-days",
    "working day": "business-days", "working days": "business-days",
    "month": "calendar-months", "months": "calendar-months", "calendar month": "calendar-months",
    "calendar months": "calendar-months",
}
EXAMPLES = "e.g. `72 hours`, `30 calendar days`, `4 business days`, `1 calendar month`"


def parse_duration(text: str) -> Duration:
    """The duration `text` names; ValueError (a message for the user) when it names none."""
    match = _PATTERN.match(str(text).lower())
    unit = _UNIT_WORDS.get(" ".join(match.group(2).split())) if match else None
    if match is None or unit is None:
        raise ValueError(f"'{text}' is not a duration ({EXAMPLES})")
    return Duration(int(match.group(1)), unit)
