"""What an export contains: which events, which time range, which time zone, notes or not.

`ExportOptions` is a plain value passed to every exporter. Filtering lives here so every
format includes exactly the same rows. The JSON export ignores these options: it is a
full-fidelity copy whose hash chain must verify on import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from incidentkit.core import events as ev
from incidentkit.core.errors import IncidentKitError

Include = Literal["all", "state", "manual"]
INCLUDE_CHOICES: tuple[str, ...] = ("all", "state", "manual")
PAPER_CHOICES: tuple[str, ...] = ("A4", "Letter")

# "state": what changed the incident or its steps. "manual": what people wrote about the
# world (timeline entries and their corrections). Notes are governed by include_notes.
STATE_KINDS = frozenset(
    {
        ev.INCIDENT_OPENED,
        ev.INCIDENT_RENAMED,
        ev.INCIDENT_CLOSED,
        ev.INCIDENT_REOPENED,
        ev.INCIDENT_AWARE_CORRECTED,
        ev.INCIDENT_PLAYBOOK_UPGRADED,
        ev.STEP_DONE,
        ev.STEP_REOPENED,
        ev.STEP_SKIPPED,
        ev.STEP_ASSIGNED,
    }
) | ev.SCOPE_KINDS


_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu",
                        "GMT", "Etc/GMT"})


def local_zone() -> tzinfo:
    """This computer's zone with its rules (daylight saving included), by its IANA name when
    the system says it (tzlocal reads TZ, /etc/localtime, the Windows registry...)."""
    try:
        import tzlocal

        return tzlocal.get_localzone()
    except Exception:  # noqa: BLE001 - an unreadable system setting: fall back to today's offset
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else timezone.utc


def zone_name(zone: tzinfo) -> str:
    """`Europe/Berlin`, `UTC`, or the zone's abbreviation when it has no IANA name."""
    if zone is timezone.utc:
        return "UTC"
    return str(getattr(zone, "key", None) or zone.tzname(datetime.now(timezone.utc)) or "local")


def offset_text(at: datetime, zone: tzinfo) -> str:
    """`UTC+01:00` at the instant `at` (aware)."""
    offset = at.astimezone(zone).utcoffset() or timedelta(0)
    sign, minutes = ("-", -offset // timedelta(minutes=1)) if offset < timedelta(0) else (
        "+", offset // timedelta(minutes=1))
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def resolve_tz(name: str) -> tzinfo:
    """`UTC`, `local` or an IANA zone name such as `Europe/Berlin`; IncidentKitError otherwise."""
    key = name.strip()
    if key.upper() in {"UTC", "Z", ""}:
        return timezone.utc
    if key.lower() == "local":
        return local_zone()
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise IncidentKitError(f"unknown time zone {name!r} (use UTC, local or a name like Europe/Berlin)") from None


@dataclass(frozen=True)
class ExportOptions:
    """`since`/`until` bound the effective occurred_at (inclusive); `tz` is how times are shown;
    `paper` (A4 or Letter) only matters to the PDF."""

    include: Include = "all"
    since: datetime | None = None
    until: datetime | None = None
    tz: str = "UTC"
    include_notes: bool = True
    paper: str = "A4"

    def __post_init__(self) -> None:
        if self.include not in INCLUDE_CHOICES:
            raise IncidentKitError(f"unknown --include {self.include!r} (choose all, state or manual)")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise IncidentKitError(f"--{name} needs a time zone offset")
        if self.since and self.until and self.since > self.until:
            raise IncidentKitError("--since is later than --until")
        resolve_tz(self.tz)
        if self.paper not in PAPER_CHOICES:
            raise IncidentKitError(f"unknown paper size {self.paper!r} (choose A4 or Letter)")

    @property
    def zone(self) -> tzinfo:
        return resolve_tz(self.tz)

    def describe_zone(self, *instants: datetime) -> str:
        """The zone times are shown in, by name and offset: `Europe/Berlin, UTC+01:00` (both
        offsets when daylight saving changes between the `instants`); `UTC` for UTC."""
        zone = self.zone
        if zone is timezone.utc:
            return "UTC"
        offsets = list(dict.fromkeys(offset_text(at, zone) for at in instants)) or [
            offset_text(datetime.now(timezone.utc), zone)]
        name = zone_name(zone)
        if offsets == ["UTC+00:00"] and name in _UTC_NAMES:
            return "UTC"
        return f"{name}, {' and '.join(offsets)}"

    def wants_kind(self, kind: str) -> bool:
        if kind == ev.STEP_NOTED:
            return self.include_notes and self.include == "all"
        if self.include == "state":
            return kind in STATE_KINDS
        if self.include == "manual":
            return kind in ev.MANUAL_KINDS
        return True

    def wants_every_kind(self) -> bool:
        """True when `wants_kind` is true whatever the kind."""
        return self.include == "all" and self.include_notes

    def wants_time(self, at: datetime) -> bool:
        if self.since is not None and at < self.since:
            return False
        return self.until is None or at <= self.until

    def describe(self) -> str:
        """One line for the title block: what this export leaves out, if anything."""
        parts = {"all": "all events", "state": "state changes only", "manual": "manual entries and amendments only"}
        text = [parts[self.include]]
        if self.since:
            text.append(f"from {self.since.astimezone(self.zone).isoformat(timespec='seconds')}")
        if self.until:
            text.append(f"until {self.until.astimezone(self.zone).isoformat(timespec='seconds')}")
        if not self.include_notes:
            text.append("notes left out")
        return ", ".join(text)
