"""The Scope tab's page: a light placeholder that builds the panel the first time it is shown.

The panel brings pycountry's tables (a tenth of a second) and its widgets; a window that
opens on the Steps tab should pay for neither before its first paint. Until then
`set_incident` is only remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from incidentkit.ui.scope.panel import ScopePanel


class ScopeTab(QWidget):
    """`set_incident(store, incident_id)`, `refresh()`; `changed` when the tab wrote events."""

    changed = Signal()

    def __init__(self, actor: Callable[[], str], settings: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor, self._settings = actor, settings
        self._incident: tuple[Any, str | None] = (None, None)
        self._panel: ScopePanel | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    @property
    def panel(self) -> ScopePanel:
        """The panel, built on first use."""
        if self._panel is None:
            from incidentkit.ui.scope.panel import ScopePanel

            self._panel = ScopePanel(self._actor, self._settings)
            self._panel.changed.connect(self.changed)
            self.layout().addWidget(self._panel)
            self._panel.set_incident(*self._incident)
        return self._panel

    def set_incident(self, store: Any, incident_id: str | None) -> None:
        self._incident = (store, incident_id or None)
        if self._panel is not None:
            self._panel.set_incident(store, incident_id or None)

    def refresh(self) -> None:
        if self._panel is not None:
            self._panel.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # Built or brought up to date when shown: another process may have imported meanwhile.
        if self._panel is None:
            self.panel  # noqa: B018 - builds it
        else:
            self._panel.refresh()
        super().showEvent(event)
