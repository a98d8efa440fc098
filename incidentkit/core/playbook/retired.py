"""An upgraded incident's playbook: the new version, plus the steps it removed that have a history.

An upgrade never drops a step someone worked on: a step the new version lacks but the
incident's log mentions is kept, as it read in the version it came from, in one last
phase (`RETIRED_PHASE_ID`, marked `retired`), flat (its sub-step nesting belonged to a
version no longer in force) and with the title of the phase it was in as its section.
The tree, `incident show` and the exports then show it with its state and history like
any other step; progress does not count it (see projections).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from incidentkit.core.playbook.model import RETIRED_PHASE_ID, Phase, Playbook, Step

RETIRED_TITLE = "Retired steps"
RETIRED_GUIDANCE = (
    "Steps that an upgrade of the playbook removed. They are kept here, as they read in the version "
    "they come from, because the incident's record mentions them; they no longer count towards progress."
)


def with_retired(playbook: Playbook, retired: Sequence[tuple[Step, str]]) -> Playbook:
    """`playbook` with a last phase holding `retired`: (step as it was, title of the phase it was in)."""
    if not retired:
        return playbook
    steps = tuple(
        replace(step, phase_id=RETIRED_PHASE_ID, parent_id=None, depth=0, section=phase_title or None)
        for step, phase_title in retired
    )
    phase = Phase(RETIRED_PHASE_ID, RETIRED_TITLE, 0, RETIRED_GUIDANCE, (), steps, retired=True)
    return replace(playbook, phases=(*playbook.phases, phase))


def phase_title_of(playbook: Playbook, step_id: str) -> str:
    """The title of the phase holding `step_id` ("" when none does)."""
    for phase in playbook.phases:
        if any(s.id == step_id for s in phase.steps):
            return phase.title
    return ""
