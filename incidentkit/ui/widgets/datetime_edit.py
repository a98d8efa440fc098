"""A date-time editor that shows local time and reads and writes timezone-aware UTC datetimes.

Responders think in their wall clock; the store keeps UTC. The conversion goes through
milliseconds since the epoch, so it never depends on naive-datetime conventions.
"""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit, QWidget

DISPLAY_FORMAT = "yyyy-MM-dd HH:mm"


def local_zone_label(when: datetime | None = None) -> str:
    """e.g. `local time (CET, UTC+01:00)`."""
    local = (when or datetime.now(timezone.utc)).astimezone()
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else "+00:00"
    name = local.tzname() or ""
    if name == "UTC" and offset == "+00:00":
        return "local time (UTC)"
    if name and not name.startswith(("+", "-")):
        return f"local time ({name}, UTC{offset})"
    return f"local time (UTC{offset})"


class UtcDateTimeEdit(QDateTimeEdit):
    """Shows local time with a calendar popup; `utc()` / `set_utc()` speak aware UTC datetimes."""

    def __init__(self, value: datetime | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.setTimeZone(QTimeZone.systemTimeZone())
        self.set_utc(value or datetime.now(timezone.utc))

    def set_utc(self, value: datetime) -> None:
        if value.tzinfo is None:
            raise ValueError("set_utc needs a timezone-aware datetime")
        msecs = int(value.timestamp() * 1000)
        self.setDateTime(QDateTime.fromMSecsSinceEpoch(msecs, QTimeZone.systemTimeZone()))

    def utc(self) -> datetime:
        msecs = self.dateTime().toMSecsSinceEpoch()
        return datetime.fromtimestamp(msecs / 1000, timezone.utc)
