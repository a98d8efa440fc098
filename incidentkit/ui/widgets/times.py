"""Times as people read them: local wall-clock time with its zone named, UTC beside it, ages."""

from __future__ import annotations

from datetime import datetime, timezone

from incidentkit.core.events import parse_ts


def format_age(aware_at: str, now: datetime | None = None) -> str:
    """A compact age: "45 min", "5 h", "3 d", "7 wk"."""
    try:
        seconds = ((now or datetime.now(timezone.utc)) - parse_ts(aware_at)).total_seconds()
    except ValueError:
        return ""
    minutes = max(0, int(seconds // 60))
    hour, day = 60, 24 * 60
    if minutes >= 14 * day:
        return f"{minutes // (7 * day)} wk"
    if minutes >= day:
        return f"{minutes // day} d"
    if minutes >= hour:
        return f"{minutes // hour} h"
    return f"{minutes} min"


def zone_name(local: datetime) -> str:
    """`CET`, `IST`, `UTC`; `UTC+04:00` where the zone has no letters for a name (e.g. `+04`)."""
    name = local.tzname() or ""
    if name.isalpha() and len(name) <= 5:  # a long Windows name would crowd every row
        return name
    offset = local.strftime("%z") or "+0000"
    return f"UTC{offset[:3]}:{offset[3:5]}"


def local_time(iso: str) -> str:
    """`2026-11-29 05:05 CET`: the machine's time zone, named, so no time on screen is ambiguous."""
    try:
        local = parse_ts(iso).astimezone()
    except ValueError:
        return iso
    return f"{local.strftime('%Y-%m-%d %H:%M')} {zone_name(local)}"


def utc_time(iso: str) -> str:
    """`2026-11-29 04:05 UTC`, whatever the machine's time zone."""
    try:
        return parse_ts(iso).astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso


def local_and_utc(iso: str) -> str:
    """`2026-11-29 05:05 CET (04:05 UTC)`; just the UTC time when the machine's zone is UTC."""
    try:
        moment = parse_ts(iso)
    except ValueError:
        return iso
    local = moment.astimezone()
    if local.utcoffset() == moment.utcoffset():
        return local_time(iso)
    utc = moment.astimezone(timezone.utc)
    same_day = utc.date() == local.date()
    return f"{local_time(iso)} ({utc.strftime('%H:%M' if same_day else '%Y-%m-%d %H:%M')} UTC)"
