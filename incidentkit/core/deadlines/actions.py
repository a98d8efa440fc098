"""The deadlines' user actions: record a milestone, record a notification sent. One event each.

Calling convention as `core/operations.py`: the store first, everything else by keyword;
each returns the event it wrote, and refuses (one clear line, nothing written) a closed
incident, an unknown or derived milestone, a time that cannot be right, an empty
reference or a file that cannot be read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

from incidentkit.core import events as ev
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.deadlines.records import MILESTONE_KINDS, NOTIFICATION_SENT
from incidentkit.core.deadlines.vocabulary import MILESTONES, RISK_LEVELS
from incidentkit.core.errors import IncidentKitError, StateError
from incidentkit.core.events import Event
from incidentkit.core.store import Store

_AHEAD = timedelta(minutes=10)       # clocks that disagree a little
_EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)


def record_milestone(store: Store, *, incident_id: str, name: str, at: datetime, actor: str, reason: str = "",
                     level: str = "") -> Event:
    """Record that milestone `name` happened at `at` (backdated as needed); recording it again corrects it."""
    full = store.incident(incident_id).id
    if name == "aware":
        raise IncidentKitError("the awareness time is the incident's own: correct it with `incidentkit incident "
                               "aware ID --at ISO8601`")
    if name == "individuals-notified":
        raise IncidentKitError("'individuals-notified' follows from the notices sent: record each one with "
                               "`incidentkit notify ID RULE_ID`")
    if name not in MILESTONE_KINDS:
        known = ", ".join(n for n in MILESTONES if n in MILESTONE_KINDS)
        raise IncidentKitError(f"unknown milestone '{name}' (known: {known})")
    if name == "risk-assessed":
        if level not in RISK_LEVELS:
            raise IncidentKitError(f"the risk assessment needs a level: {', '.join(RISK_LEVELS)}")
    elif level:
        raise IncidentKitError("only the 'risk-assessed' milestone has a level")
    _check_time(at)
    payload = {"milestone": name, "reason": reason.strip()}
    if level:
        payload["level"] = level
    return store.append(full, MILESTONE_KINDS[name], actor=actor, payload=payload, occurred_at=at,
                        check=lambda: _ensure_open(store, full))


def record_notification(store: Store, *, incident_id: str, rule: Rule, at: datetime, reference: str, actor: str,
                        channel: str = "", recipient: str = "", file: str | os.PathLike[str] | None = None) -> Event:
    """Record that the notice under `rule` was sent at `at`; a file given is kept as its sha256 (proof)."""
    full = store.incident(incident_id).id
    reference = reference.strip()
    if not reference:
        raise IncidentKitError("the reference must not be empty (a case number, a receipt, a message id)")
    _check_time(at)
    payload: dict[str, object] = {"rule_id": rule.id, "reference": reference, "channel": channel.strip(),
                                  "recipient": recipient.strip() or rule.recipient_detail or rule.recipient,
                                  "file_name": "", "sha256": "", "size": 0}
    if file is not None:
        payload.update(file_proof(Path(file)))
    return store.append(full, NOTIFICATION_SENT, actor=actor, payload=payload, occurred_at=at,
                        check=lambda: _ensure_open(store, full))


def file_proof(path: Path) -> dict[str, object]:
    """The file's name, size and sha256; IncidentKitError naming the file when it cannot be read."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise IncidentKitError(f"{path}: not a regular file")
        digest, size = hashlib.sha256(), 0
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    except FileNotFoundError:
        raise IncidentKitError(f"{path}: no such file") from None
    except OSError as exc:
        raise IncidentKitError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    return {"file_name": path.name, "sha256": digest.hexdigest(), "size": size}


def _check_time(at: datetime) -> None:
    now = datetime.now(timezone.utc)
    shown = at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if at > now + _AHEAD:
        raise IncidentKitError(f"{shown} is in the future: a time more than 10 minutes ahead cannot be right; "
                               "check the date")
    if at < _EARLIEST:
        raise IncidentKitError(f"{shown} is before 1970: it cannot be right; check the year")


def _ensure_open(store: Store, incident_id: str) -> None:
    if store.last_kind(incident_id, (ev.INCIDENT_CLOSED, ev.INCIDENT_REOPENED)) == ev.INCIDENT_CLOSED:
        raise StateError(f"incident {incident_id[:8]} is closed: reopen it first")
