"""The window's one write path: run a core operation as the actor, show a refusal, read what it wrote.

Every change made in the window (a step action, a note, a timeline entry or amendment,
a new incident) is one `Commands.run(operation, **kwargs)`. A refusal from the core
(`IncidentKitError`) becomes a message box, never an exception. Then, whatever the
outcome (a refusal may be news from another process, such as the incident having been
closed), the incident's session reads the new events once and its `events_added`
signal carries them to every view.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.store import Store
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.widgets.message import show_error


class Commands:
    def __init__(self, *, parent: QWidget, store: Store, actor: Callable[[], str],
                 session: Callable[[str], IncidentSession | None]) -> None:
        """`session(incident_id)` is the open session of that incident, if any."""
        self.parent, self.store, self.actor, self.session = parent, store, actor, session

    def run(self, operation: Callable[..., object], **kwargs: object) -> object | None:
        """Run `operation(store, actor=..., **kwargs)`; its result, or None when the core refused."""
        try:
            return operation(self.store, actor=self.actor(), **kwargs)
        except IncidentKitError as exc:
            show_error(self.parent, "IncidentKit", str(exc))
            return None
        finally:
            incident_id = kwargs.get("incident_id")
            session = self.session(incident_id) if isinstance(incident_id, str) else None
            if session is not None:
                self.read(session)

    def read_incident(self, incident_id: str) -> None:
        """Have the incident's session, if open, read what is new (after a write made outside `run`)."""
        session = self.session(incident_id)
        if session is not None:
            self.read(session)

    def read(self, session: IncidentSession) -> None:
        """Have `session` read what is new; a failure to read is a message too."""
        try:
            session.read_new()
        except IncidentKitError as exc:
            show_error(self.parent, "IncidentKit", str(exc))
