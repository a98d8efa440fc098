"""The deadlines table the human-readable exports carry: every obligation that applies (met, met
late, open), its deadline, the notice sent, why, and its sources; guidance, not legal advice.

`load_deadlines` reads it as `incidentkit deadlines` does (the rules from the built-in set
and the data folder's `rules/`); `deadline_lines` puts it in words in the
export's time zone. No obligation applies (an incident with no scope yet): no table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from incidentkit.core.deadlines.describe import DISCLAIMER, STATUS_WORDS  # noqa: F401 (the exporters read it here)
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.core.export.document import human_time
from incidentkit.core.export.options import ExportOptions

HEADING = "Deadlines"
COLUMNS = ("Status", "Deadline", "Duty", "Notice sent", "Why", "Sources")


@dataclass(frozen=True)
class DeadlineLine:
    status: str
    deadline: str
    duty: str
    sent: str
    why: str
    sources: tuple[str, ...]

    def cells(self) -> tuple[str, str, str, str, str, str]:
        return self.status, self.deadline, self.duty, self.sent, self.why, "\n".join(self.sources)


def load_deadlines(store, incident_id: str, now: datetime) -> tuple[Obligation, ...]:  # store: core.store.Store
    """The incident's obligations that apply as of `now` (the export's generation time)."""
    from incidentkit.core.deadlines.board import read_board
    from incidentkit.core.deadlines.library import RulesLibrary
    from incidentkit.core.paths import AppPaths

    rules = RulesLibrary.discover(AppPaths(store.path.parent)).rules
    return read_board(store, incident_id, rules=rules, now=now).shown()


def deadline_lines(obligations: Sequence[Obligation], options: ExportOptions) -> list[DeadlineLine]:
    zone = options.zone
    out = []
    for o in obligations:
        when = human_time(o.deadline, zone) if o.deadline else "no fixed deadline"
        if o.deadline and o.deadline_kind in ("target", "latest"):
            when += " (team target)" if o.deadline_kind == "target" else " (at the latest)"
        n = o.notification
        sent = f"{human_time(n.at, zone)}, reference {n.reference}" if n else ""
        sources = tuple(f"{s.citation} ({s.type}, as of {s.as_of})" + (f" {s.url}" if s.url else "")
                        for s in o.sources) or ("the playbook",)
        duty = f"{o.title} ({o.jurisdiction or 'playbook'}; {o.rule_id})"
        out.append(DeadlineLine(STATUS_WORDS[o.status], when, duty, sent, o.reason, sources))
    return out

