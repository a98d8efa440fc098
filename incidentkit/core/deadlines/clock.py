"""Deadline arithmetic: a start plus hours, calendar days, business days or calendar months.

- Hours are elapsed time, whatever the clocks on the wall do (72 hours across the start
  of summer time end at 11:00 local where they began at 10:00).
- Days and months end at the end (23:59:59) of their last day in the rule's time zone;
  the start's own day is day 0. Leap days count.
- Business days skip Saturdays, Sundays and the calendar's public holidays
  (`HolidayCalendars`): the Nth business day after the start's day, so a start on a
  weekend or holiday counts from the next business day.
- Calendar months land on the same day of the month, or the last day of a shorter
  month (31 January + 1 month = 28 or 29 February), never "30 days".
"""

from __future__ import annotations

import calendar as _calendar
import hashlib
import json
from datetime import date, datetime, time, timedelta, timezone
from importlib.util import find_spec
from pathlib import Path
from zoneinfo import ZoneInfo

from incidentkit.core.deadlines.model import Duration

END_OF_DAY = time(23, 59, 59)
_MAX_SCAN = 3660  # business days are sought at most ten years ahead


class HolidayCalendars:
    """Public holidays per calendar and year, from the `holidays` package, kept in memory and,
    given a file, as JSON across runs (the package costs about 0.1 s to import; a run that
    finds its years in the file never imports it). The file is keyed by the package's version."""

    def __init__(self, cache_file: Path | None = None) -> None:
        self.cache_file = cache_file
        self._known: dict[str, dict[str, list[str]]] = {}
        self._dirty = False
        self._version = ""
        if cache_file is not None:
            self._version = _holidays_version()
            try:
                doc = json.loads(cache_file.read_text(encoding="utf-8"))
                if isinstance(doc, dict) and doc.get("holidays") == self._version and self._version:
                    known = doc.get("calendars")
                    self._known = known if isinstance(known, dict) else {}
            except (OSError, ValueError):
                pass
        self._sets: dict[tuple[str, int], frozenset[date]] = {}

    def holidays(self, calendar: str, year: int) -> frozenset[date]:
        key = (calendar, year)
        found = self._sets.get(key)
        if found is None:
            listed = self._known.get(calendar, {}).get(str(year))
            try:
                found = frozenset(date.fromisoformat(d) for d in listed) if isinstance(listed, list) else None
            except (TypeError, ValueError):
                found = None
            if found is None:
                from incidentkit.core.deadlines.zones import public_holidays

                found = public_holidays(calendar, year)
                self._known.setdefault(calendar, {})[str(year)] = sorted(d.isoformat() for d in found)
                self._dirty = True
            self._sets[key] = found
        return found

    def is_business_day(self, calendar: str, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays(calendar, day.year)

    def save(self) -> None:
        """Write the years looked up, when new ones were; a failure to write is ignored."""
        if self.cache_file is None or not self._dirty or not self._version:
            return
        from incidentkit.core.atomic_file import replace_atomically

        data = json.dumps({"holidays": self._version, "calendars": self._known}, separators=(",", ":")).encode()
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            replace_atomically(self.cache_file, lambda raw: raw.write(data), prefix=".holidays-")
        except OSError:
            pass
        self._dirty = False


def _holidays_version() -> str:
    """sha256 of the `holidays` package's version file: a new release may move a holiday."""
    spec = find_spec("holidays")
    if spec is None or not spec.origin:
        return ""
    try:
        return hashlib.sha256((Path(spec.origin).parent / "version.py").read_bytes()).hexdigest()
    except OSError:
        return ""


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """23:59:59 of `day` in `zone`, in UTC."""
    return datetime.combine(day, END_OF_DAY, tzinfo=zone).astimezone(timezone.utc)


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _calendar.monthrange(year, month)[1]))


def deadline_after(start: datetime, within: Duration, zone: ZoneInfo, *, calendar: str = "",
                   calendars: HolidayCalendars | None = None, from_year_end: bool = False) -> datetime:
    """When a duty `within` after `start` falls due, in UTC. `from_year_end` counts from the end
    of the calendar year (in `zone`) in which `start` falls."""
    local = start.astimezone(zone)
    if from_year_end:
        local = datetime.combine(date(local.year, 12, 31), END_OF_DAY, tzinfo=zone)
    n = within.amount
    if within.unit == "hours":
        return local.astimezone(timezone.utc) + timedelta(hours=n)
    day = local.date()
    if within.unit == "calendar-days":
        return end_of_day(day + timedelta(days=n), zone)
    if within.unit == "calendar-months":
        return end_of_day(add_months(day, n), zone)
    calendars = calendars or HolidayCalendars()
    left, scanned = n, 0
    while left > 0:
        day += timedelta(days=1)
        scanned += 1
        if calendars.is_business_day(calendar, day):
            left -= 1
        elif scanned > _MAX_SCAN:
            raise ValueError(f"no {n} business days within ten years of {day}")
    return end_of_day(day, zone)
