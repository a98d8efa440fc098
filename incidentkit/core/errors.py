"""The exceptions the core raises for a user's mistake or a refused operation.

Everything a user can cause derives from `IncidentKitError`; its message is one clear
line that the CLI prints to stderr (exit 1) and the window shows in a message box.
Anything else escaping the core is a bug.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from incidentkit.core.events import Event
    from incidentkit.core.playbook.model import Diagnostic


class IncidentKitError(Exception):
    """A domain error: bad input or a refused operation, explained in one line."""


class PlaybookError(IncidentKitError):
    """A playbook failed to load. `diagnostics` holds every problem found (errors first)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        first = next((d for d in self.diagnostics if d.severity == "error"), None)
        super().__init__(first.format() if first else "playbook failed to load")


class StoreError(IncidentKitError):
    """The database cannot be used: not an IncidentKit database, corrupt, too new, locked."""


class NotFoundError(IncidentKitError):
    """An incident, event or step id that does not exist (or an ambiguous prefix)."""


class StateError(IncidentKitError):
    """An action that the current state refuses: completing a done step, closing a closed incident."""


class MovedOn(StateError):
    """An edit started from a state that someone else changed meanwhile (a note, an assignee,
    a step's status): nothing was written. `current` is the event that holds the state now
    (None when nothing has set it), so a window can show it beside what the user wrote."""

    def __init__(self, message: str, current: Event | None = None) -> None:
        super().__init__(message)
        self.current = current
