"""Times as the human-readable exports show them: in the export's zone, and how late an event
was recorded.

Exports of 100,000 events spend much of their time here, so the store's own UTC text is
sliced rather than parsed wherever the zone is UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo

from incidentkit.core.events import parse_ts

# An event written down more than this after (or before) the time it gives shows when it
# was recorded and by whom: backdating is visible, not hidden.
RECORDED_LATE = timedelta(minutes=5)


def human_time(at: datetime, zone: tzinfo) -> str:
    """`2026-11-29 03:44:47 UTC`, or with the offset (`+01:00`) in any other zone."""
    local = at.astimezone(zone)
    if zone is timezone.utc:
        return local.strftime("%Y-%m-%d %H:%M:%S UTC")
    return local.isoformat(sep=" ", timespec="seconds")


def is_canonical_utc(text: str) -> bool:
    # The store writes `format_ts` text: `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
    return len(text) == 32 and text[10] == "T" and text.endswith("+00:00")


def human_ts(text: str | None, zone: tzinfo) -> str:
    """`human_time` of stored ISO text; slicing instead of parsing for the store's own UTC text,
    which is what 100,000-event exports spend their time on."""
    if not text:
        return ""
    if zone is timezone.utc and is_canonical_utc(text):
        return f"{text[:10]} {text[11:19]} UTC"
    try:
        return human_time(parse_ts(text), zone)
    except ValueError:
        return text  # an imported payload's time that does not parse is shown as written


def span_text(delta: timedelta) -> str:
    """`7 minutes`, `3 hours`, `2 days`: rounded down, for spans above `RECORDED_LATE`."""
    minutes = int(abs(delta) // timedelta(minutes=1))
    if minutes < 120:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    if minutes < 48 * 60:
        return f"{minutes // 60} hours"
    return f"{minutes // (24 * 60)} days"


def recorded_text(occurred_at: str, recorded_at: str, actor: str, zone: tzinfo) -> str:
    """"recorded 2 days later by Sam (2026-11-22 10:00:00 UTC)" when the event was written
    down more than `RECORDED_LATE` after (or before) the time it gives; else ""."""
    # Nearly every event is recorded as it happens: the same minute needs no parsing.
    if occurred_at[:16] == recorded_at[:16] and is_canonical_utc(occurred_at) and is_canonical_utc(recorded_at):
        return ""
    try:
        delta = parse_ts(recorded_at) - parse_ts(occurred_at)
    except ValueError:
        return ""  # a time that does not parse is shown as written, and nothing is claimed about it
    if abs(delta) <= RECORDED_LATE:
        return ""
    when = human_ts(recorded_at, zone)
    if delta > timedelta(0):
        return f"recorded {span_text(delta)} later by {actor} ({when})"
    return f"recorded by {actor} {span_text(delta)} before the time it gives ({when})"
