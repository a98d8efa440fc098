"""Times that cannot be right: refused before they reach the append-only log.

The log is append-only, so a mistyped year (`--at 2031-...`) would head every export
for good. The operations refuse, with one message shape for all of them:

- a time more than `MAX_AHEAD` after this computer's clock (10 minutes, for clocks that
  disagree a little), and one before `EARLIEST` (no incident the tool records happened
  before 1970; a year such as 0001 is a typo). Years 1 and 9999, which `parse_ts` cannot
  take, get the same message (`year_refusal`);
- closing an incident before the time it was opened (its awareness time).

A time before the awareness time is legitimate (when the breach itself began, when the
vendor first saw it), so it is only warned about (`before_awareness`): the CLI prints a
warning line, the window's dialogs a note.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from incidentkit.core.errors import IncidentKitError, StateError

if TYPE_CHECKING:
    from incidentkit.core.store import Store

MAX_AHEAD = timedelta(minutes=10)
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)


class ImpossibleTime(IncidentKitError):
    """A time in the future or before 1970: it cannot be when something happened."""


def _human(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _future(shown: str, now: datetime) -> str:
    return (f"{shown} is in the future (this computer's clock says {_human(now)}): a time more than "
            f"10 minutes ahead cannot be right; check the date")


def _too_early(shown: str) -> str:
    return f"{shown} is before 1970: it cannot be right; check the year"


def refusal(when: datetime, *, now: datetime | None = None) -> str | None:
    """Why `when` (aware) cannot be when something happened; None when it can."""
    now = now or datetime.now(timezone.utc)
    if when > now + MAX_AHEAD:
        return _future(_human(when), now)
    if when < EARLIEST:
        return _too_early(_human(when))
    return None


def year_refusal(text: str, year: int) -> str:
    """The same message for a time whose year `parse_ts` cannot take (1 or 9999)."""
    shown = text.strip()
    return _future(shown, datetime.now(timezone.utc)) if year > 2000 else _too_early(shown)


def check_possible(when: datetime | None, *, now: datetime | None = None) -> None:
    """ImpossibleTime when `when` is in the future (beyond clock skew) or before 1970."""
    if when is None:
        return
    reason = refusal(when, now=now)
    if reason:
        raise ImpossibleTime(reason)


def before_awareness(when: datetime | None, aware_at: datetime | None) -> str | None:
    """The warning for a time before the incident's awareness time; None when there is none."""
    if when is None or aware_at is None or when >= aware_at:
        return None
    return (f"{_human(when)} is before the awareness time ({_human(aware_at)}): right for when the "
            f"breach itself happened, otherwise check the date")


def check_close(when: datetime, aware_at: datetime | None, incident_id: str) -> None:
    """StateError when an incident would close before it was opened."""
    if aware_at is not None and when < aware_at:
        raise StateError(f"incident {incident_id[:8]} cannot close at {_human(when)}, before it was opened "
                         f"(aware at {_human(aware_at)}); check the date")


def awareness(store: Store, incident_id: str) -> datetime | None:
    """The incident's awareness time as its state shows it (corrections applied)."""
    from incidentkit.core.deciding import current_aware_at
    from incidentkit.core.events import parse_ts

    try:
        return parse_ts(current_aware_at(store, incident_id))
    except ValueError:  # an imported incident may hold anything here
        return None


def awareness_warning(store: Store, incident_id: str, when: datetime | None) -> str | None:
    """`before_awareness` for a time given for an event of the incident (id or prefix)."""
    if when is None:
        return None
    return before_awareness(when, awareness(store, store.incident(incident_id).id))
