"""Deadline arithmetic: hours are elapsed time, days end at the end of the local day, business days
skip holidays, months are calendar months; DST and leap days included."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from incidentkit.core.deadlines.clock import HolidayCalendars, add_months, deadline_after
from incidentkit.core.deadlines.duration import parse_duration
from incidentkit.core.deadlines.model import Duration
from incidentkit.core.deadlines.zones import zone_for

UTC = timezone.utc
NY, LA, LON = ZoneInfo("America/New_York"), ZoneInfo("America/Los_Angeles"), ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_hours_are_elapsed_time_across_the_start_of_summer_time():
    start = at("2026-03-07T10:00:00-05:00")                      # Saturday, EST
    due = deadline_after(start, Duration(72, "hours"), NY)
    assert due == at("2026-03-10T15:00:00+00:00")
    assert due.astimezone(NY).hour == 11                          # EDT from 2026-03-08: the wall clock moved


def test_hours_across_the_end_of_summer_time_in_london():
    start = at("2026-10-24T09:00:00+01:00")
    assert deadline_after(start, Duration(24, "hours"), LON).astimezone(LON).hour == 8


def test_calendar_days_end_at_the_end_of_the_last_local_day():
    start = at("2026-03-02T09:00:00+00:00")                      # 01:00 in Los Angeles, 2 March
    assert deadline_after(start, Duration(30, "calendar-days"), LA) == at("2026-04-01T23:59:59-07:00")
    # The same instant is still 1 March in Hawaii's zone: its day 30 is 31 March.
    hawaii = zone_for("US-HI")
    assert deadline_after(start, Duration(30, "calendar-days"), hawaii) == at("2026-03-31T23:59:59-10:00")


def test_calendar_days_across_the_end_of_summer_time():
    start = at("2026-10-20T12:00:00-04:00")
    assert deadline_after(start, Duration(30, "calendar-days"), NY) == at("2026-11-19T23:59:59-05:00")


def test_zero_days_is_the_end_of_the_same_day():
    assert deadline_after(at("2026-05-05T13:00:00-04:00"), Duration(0, "calendar-days"), NY) == \
        at("2026-05-05T23:59:59-04:00")


def test_leap_days_count():
    start = at("2028-02-28T12:00:00+00:00")
    assert deadline_after(start, Duration(24, "hours"), NY) == at("2028-02-29T12:00:00+00:00")
    assert deadline_after(start, Duration(2, "calendar-days"), ZoneInfo("UTC")) == at("2028-03-01T23:59:59+00:00")
    assert deadline_after(at("2027-02-28T12:00:00+00:00"), Duration(2, "calendar-days"), ZoneInfo("UTC")) == \
        at("2027-03-02T23:59:59+00:00")


@pytest.mark.parametrize(("start", "months", "end"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 3, 15), 1, date(2026, 4, 15)),
    (date(2026, 12, 31), 2, date(2027, 2, 28)),
    (date(2026, 8, 31), 1, date(2026, 9, 30)),
])
def test_a_month_is_a_calendar_month(start, months, end):
    assert add_months(start, months) == end


def test_one_month_is_not_thirty_days():
    start = at("2026-01-31T10:00:00+01:00")
    due = deadline_after(start, Duration(1, "calendar-months"), ZoneInfo("Europe/Brussels"))
    assert due == at("2026-02-28T23:59:59+01:00")                # 30 days would be 2 March


def test_business_days_skip_weekends_and_us_federal_holidays():
    calendars = HolidayCalendars()
    # Wednesday before Thanksgiving (Thursday 26 November 2026): Fri 27, Mon 30, Tue 1, Wed 2 December.
    start = at("2026-11-25T15:00:00-05:00")
    assert deadline_after(start, Duration(4, "business-days"), NY, calendar="US", calendars=calendars) == \
        at("2026-12-02T23:59:59-05:00")
    # A Saturday start counts from Monday (Form 8-K General Instruction B.1): Mon, Tue, Wed, Thu.
    start = at("2026-11-28T10:00:00-05:00")
    assert deadline_after(start, Duration(4, "business-days"), NY, calendar="US", calendars=calendars) == \
        at("2026-12-03T23:59:59-05:00")


def test_business_days_use_the_subdivision_calendar():
    calendars = HolidayCalendars()
    # Cesar Chavez Day (31 March 2026) is a California holiday, not a federal one.
    start = at("2026-03-30T09:00:00-07:00")
    assert deadline_after(start, Duration(1, "business-days"), LA, calendar="US-CA", calendars=calendars) == \
        at("2026-04-01T23:59:59-07:00")
    assert deadline_after(start, Duration(1, "business-days"), LA, calendar="US", calendars=calendars) == \
        at("2026-03-31T23:59:59-07:00")


def test_holidays_are_kept_in_a_file_and_read_back_without_the_package(tmp_path):
    cache = tmp_path / "holidays.json"
    first = HolidayCalendars(cache)
    assert date(2026, 11, 26) in first.holidays("US", 2026)
    first.save()
    again = HolidayCalendars(cache)
    assert again._known["US"]["2026"]
    assert again.holidays("US", 2026) == first.holidays("US", 2026)
    cache.write_text("{broken")
    assert date(2026, 12, 25) in HolidayCalendars(cache).holidays("US", 2026)


def test_every_us_jurisdiction_has_a_zone():
    codes = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
             "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
             "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
             "PR", "GU", "VI", "AS", "MP"]
    assert len(codes) == 56
    assert all(str(zone_for(f"US-{c}")) != "UTC" for c in codes)
    assert str(zone_for("JP")) == "Asia/Tokyo" and str(zone_for("global")) == "UTC"
    assert str(zone_for("US-CA", "Europe/Paris")) == "Europe/Paris"


@pytest.mark.parametrize(("text", "expected"), [
    ("72 hours", Duration(72, "hours")), ("72h", Duration(72, "hours")), ("2 Working Days", Duration(2, "business-days")),
    ("1 month", Duration(1, "calendar-months")), ("15 days", Duration(15, "calendar-days")),
])
def test_durations_read(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "72", "hours", "-3 days", "3 fortnights", "1.5 days"])
def test_durations_refused(text):
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)
