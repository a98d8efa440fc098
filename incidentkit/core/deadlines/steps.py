"""Step-level deadlines: a playbook step's `due="72 hours"` as an obligation on the same board.

A step's clock starts at the incident's awareness time and its deadline is the one the
step detail, `incident show` and the exports give (`playbook.due.deadline`): hours and
minutes added as they are, days and months keeping the time of day, business days
skipping Saturdays and Sundays only. A step names no jurisdiction, so no public
holidays can count; a team that needs them writes a rule instead (docs/playbook-format.md).
The obligation is met when the step is done (late when done after the deadline) and
not applicable when the step was skipped. A `due` that does not read is left out (the
playbook validator warns about it).

A step's `rules="gdpr-33-regulator us-*-attorney-general"` names the notification rules it
is about (`*` matches any characters): `obligations_of` picks their obligations from a
board, for the step detail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from fnmatch import translate
from functools import lru_cache

from incidentkit.core.deadlines.obligations import ClockStart, Obligation
from incidentkit.core.events import parse_ts
from incidentkit.core.playbook.due import deadline
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.projections import IncidentState

STEP_PREFIX = "step:"


def step_obligations(playbook: Playbook, state: IncidentState, now: datetime) -> tuple[Obligation, ...]:
    aware = _parse(state.aware_at)
    if aware is None:
        return ()
    found: list[Obligation] = []
    for step in playbook.steps():
        due = step.due
        when = deadline(due, state.aware_at)
        if due is None or when is None:
            continue
        st = state.step(step.id)
        done_at = _parse(st.at)
        if st.status == "done":
            late = done_at is not None and done_at > when
            status, reason = ("met-late" if late else "met"), f"step done {st.at or ''} by {st.by or 'someone'}"
        elif st.status == "skipped":
            status, reason = "not-applicable", f"step skipped: {st.reason or 'no reason given'}"
        else:
            status = "overdue" if now > when else "due"
            reason = f"the playbook gives this step {due.describe()} from awareness"
        found.append(Obligation(
            rule_id=STEP_PREFIX + step.id, title=step.text, jurisdiction="", recipient="other", status=status,
            deadline=None if status == "not-applicable" else when,
            clock_start=ClockStart("aware", aware), reason=reason, sources=(),
            regime=f"playbook {playbook.id}", recipient_detail=playbook.role_name(step.role) or "the team",
            deadline_kind="target", wording=f"due {due.text} after awareness (playbook)"))
    return tuple(found)


def _parse(text: str | None) -> datetime | None:
    try:
        return parse_ts(text) if text else None
    except ValueError:
        return None


@lru_cache(maxsize=64)
def _matcher(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(translate(p) for p in patterns) or r"(?!)")


def obligations_of(patterns: Sequence[str], found: Sequence[Obligation]) -> tuple[Obligation, ...]:
    """The obligations of `found` (in its order: most urgent first) whose rule a word of `patterns`
    names; the steps' own deadlines are never among them."""
    match = _matcher(tuple(patterns)).match
    return tuple(o for o in found if not o.rule_id.startswith(STEP_PREFIX) and match(o.rule_id))


def unmatched(patterns: Sequence[str], rule_ids: Sequence[str]) -> tuple[str, ...]:
    """The words of `patterns` that name no rule of `rule_ids` (a typo, or a rule the team lacks)."""
    return tuple(p for p in patterns if not any(_matcher((p,)).match(r) for r in rule_ids))
