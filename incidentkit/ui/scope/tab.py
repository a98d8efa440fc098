"""The Scope tab's page: a light placeholder that builds the panel the first time it is shown.

The panel brings pycountry's tables (a tenth of a second) and its widgets; a window that
opens on the Steps tab should pay for neither before its first paint. Until then the
incident shown is only remembered. The tab follows the window's two signals: the
incident shown (`show_session`) and its new events (`add_events`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from incidentkit.core.events import Event
    from incidentkit.ui.incident_session import IncidentSession
    from incidentkit.ui.scope.panel import ScopePanel


class ScopeTab(QWidget):
    def __init__(self, run: Callable[..., Any], actor: Callable[[], str], settings: Any = None,
                 parent: QWidget | None = None) -> None:
        """`run(operation, **kwargs)` is the window's one write path (ui/commands.py)."""
        super().__init__(parent)
        self._run, self._actor, self._settings = run, actor, settings
        self._session: IncidentSession | None = None
        self._panel: ScopePanel | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    @property
    def panel(self) -> ScopePanel:
        """The panel, built on first use."""
        if self._panel is None:
            from incidentkit.ui.scope.panel import ScopePanel

            self._panel = ScopePanel(self._run, self._actor, self._settings)
            self.layout().addWidget(self._panel)
            self._show()
        return self._panel

    def show_session(self, session: IncidentSession | None) -> None:
        """Show this incident's profile (None: no incident)."""
        self._session = session
        if self._panel is not None:
            self._show()

    def _show(self) -> None:
        session = self._session
        self.panel.set_incident(session.store if session else None, session.id if session else None)

    def add_events(self, events: list[Event]) -> None:
        """New events of the incident shown: the profile is read again when one is about scope."""
        if self._panel is not None:
            self._panel.add_events(events)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.panel  # noqa: B018 - builds it on the first show
        super().showEvent(event)
