"""The deadlines' user actions: record a milestone, record a notification sent. One event each.

Calling convention as `core/operations.py`: the store first, everything else by keyword;
each returns the event it wrote, and refuses (one clear line, nothing written) a closed
incident, an unknown or derived milestone, a time that cannot be right, text with control
characters (the core's checked write, `writes.append`), an empty reference or a file that
cannot be read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

from incidentkit.core import times, writes
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.deadlines.records import MILESTONE_KINDS, NOTIFICATION_SENT, notification_payload
from incidentkit.core.deadlines.vocabulary import MILESTONES, RISK_LEVELS
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import Event
from incidentkit.core.store import Store


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
    payload = {"milestone": name, "reason": reason.strip()}
    if level:
        payload["level"] = level
    return writes.append(store, full, MILESTONE_KINDS[name], actor=actor, payload=payload, occurred_at=at)


def record_notification(store: Store, *, incident_id: str, rule: Rule, at: datetime, reference: str, actor: str,
                        channel: str = "", recipient: str = "", file: str | os.PathLike[str] | None = None) -> Event:
    """Record that the notice under `rule` was sent at `at`; a file given is kept as its sha256 (proof)."""
    full = store.incident(incident_id).id
    reference = reference.strip()
    if not reference:
        raise IncidentKitError("the reference must not be empty (a case number, a receipt, a message id)")
    times.check_possible(at)  # before reading a file that may be large (the write checks it too)
    proof = file_proof(Path(file)) if file is not None else {}
    payload = notification_payload(rule.id, reference=reference, channel=channel,
                                   recipient=recipient.strip() or rule.recipient_detail or rule.recipient, **proof)
    return writes.append(store, full, NOTIFICATION_SENT, actor=actor, payload=payload, occurred_at=at)



def file_proof(path: Path) -> dict[str, Any]:
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

