"""Saving a step's note from the window, and what happens when someone saved it first.

The detail pane asks for a save with the note event its text was edited from; the core
refuses it when the note has moved on since (`MovedOn`: the CLI or another window saved
the note). Then the pane holds the text as it is and `NoteMergeDialog` shows their note
and this one side by side with a merge to start from; the responder saves the merge
(which is checked the same way, against their note) or keeps theirs. A newer note is
never replaced unseen, and what was typed here is never dropped unseen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from incidentkit.core import operations
from incidentkit.core.errors import IncidentKitError, MovedOn
from incidentkit.core.events import Event
from incidentkit.core.note_merge import merge_notes
from incidentkit.ui.widgets.message import show_error

if TYPE_CHECKING:
    from incidentkit.ui.steps.commands import StepCommands


def save_note(commands: StepCommands, incident_id: str, step_id: str, text: str, based_on: str) -> None:
    detail = commands.steps.detail
    try:
        event = operations.note_step(commands.store, incident_id=incident_id, step_id=step_id, text=text,
                                     actor=commands.actor(), based_on=based_on)
    except MovedOn as moved:
        detail.hold_note(incident_id, step_id)
        if moved.current is not None:
            _ask_merge(commands, incident_id, step_id, text, based_on, moved.current)
    except IncidentKitError as exc:
        show_error(commands.window, "IncidentKit", str(exc))
    else:
        if event is not None:
            detail.note_saved(incident_id, step_id, event.id)
    finally:
        commands.commands.read_incident(incident_id)


def _ask_merge(commands: StepCommands, incident_id: str, step_id: str, mine: str, based_on: str,
               theirs: Event) -> None:
    from incidentkit.ui.steps.note_merge_dialog import NoteMergeDialog  # loads on first use

    store, detail = commands.store, commands.steps.detail
    base = str(store.event(incident_id, based_on).payload.get("text", "")) if based_on else ""
    their_text = str(theirs.payload.get("text", ""))
    dialog = NoteMergeDialog(commands.window, step_text=store.playbook(incident_id).step(step_id).text,
                             theirs=their_text, their_by=theirs.actor, their_at=theirs.recorded_at, mine=mine,
                             merge=merge_notes(base, mine, their_text))

    def keep_theirs() -> None:
        detail.settle_note(incident_id, step_id, text=their_text, note_text=their_text, note_id=theirs.id,
                           status=f"Kept {theirs.actor}'s note")

    def save_merged(text: str) -> None:
        # The merge is an edit of their note: saved as such, so a third writer meanwhile
        # brings this dialog back rather than being overwritten.
        if detail.settle_note(incident_id, step_id, text=text, note_text=their_text, note_id=theirs.id, status=""):
            detail.flush()
        else:  # the pane has moved on to another step
            save_note(commands, incident_id, step_id, text, theirs.id)

    dialog.kept_theirs.connect(keep_theirs)
    dialog.merged.connect(save_merged)
    dialog.open()
