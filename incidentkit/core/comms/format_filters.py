"""The filters a template may use beyond Jinja's own: numbers, lists and times in words.

    {{ scope.people | thousands }}            3,800
    {{ scope.elements | words }}              names, email addresses and passwords
    {{ entry.occurred_at | datetime }}        2 March 2026, 09:00 UTC
    {{ incident.aware_at | date }}            2 March 2026
    {{ entry.detail | cell }}                 one line, for a table cell

Times are shown in the template's `time_zone` (the incident's notice details; UTC by
default). The filters take plain values and give plain text: the sandbox escapes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from typing import Any

from jinja2 import pass_context


def zone(name: object) -> tzinfo:
    """The IANA zone `name`, or UTC when it is empty or unknown."""
    if not isinstance(name, str) or not name.strip() or name.strip().upper() == "UTC":
        return timezone.utc
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def _when(value: object, where: tzinfo) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(where)


def day_words(value: object, where: tzinfo = timezone.utc) -> str:
    """`2 March 2026`; the value itself when it is not a time."""
    moment = _when(value, where)
    return f"{moment.day} {moment:%B %Y}" if moment else str(value or "")


def time_words(value: object, where: tzinfo = timezone.utc) -> str:
    """`2 March 2026, 09:00 UTC` (the zone's abbreviation: `EST`, `CET`)."""
    moment = _when(value, where)
    return f"{day_words(moment)}, {moment:%H:%M} {moment.tzname() or ''}".rstrip() if moment else str(value or "")


def words(items: Iterable[object], conjunction: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    listed = [str(i) for i in items if str(i)]
    if len(listed) < 2:
        return "".join(listed)
    return f"{', '.join(listed[:-1])} {conjunction} {listed[-1]}"


def thousands(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def cell(value: object) -> str:
    """One line: a table cell cannot hold a line break."""
    return " ".join(str(value or "").split())


@pass_context
def _date(context: Any, value: object) -> str:
    return day_words(value, zone(context.get("time_zone")))


@pass_context
def _datetime(context: Any, value: object) -> str:
    return time_words(value, zone(context.get("time_zone")))


FILTERS = {"date": _date, "datetime": _datetime, "words": words, "thousands": thousands, "cell": cell}
