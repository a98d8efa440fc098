"""The Communications tab's writes after a draft is saved: approve, mark sent, export, the notice
details. Each opens its dialog, then calls one core action; a refusal is a message box, and a
write refreshes the drafts and emits `changed` (`_wrote`). Part of `CommunicationsPanel`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from incidentkit.core.comms.vocabulary import DEFAULT_SUFFIX
from incidentkit.core.errors import IncidentKitError
from incidentkit.ui.widgets.message import show_error


class PanelWrites:
    """Mixed into `CommunicationsPanel`, whose `desk`, `draft`, `incident_id`, `_actor`, `_defaults`,
    `_wrote`, `changed` and `render` these use."""

    desk: Any
    draft: Any
    incident_id: str | None

    def approve(self) -> None:
        from incidentkit.ui.comms.dialogs import ApproveDialog

        if self.draft is None:
            return
        dialog = ApproveDialog(self.draft, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.approve_draft(dialog.role.currentText(), dialog.note.text()))
        dialog.open()

    def approve_draft(self, role: str = "", note: str = "") -> bool:
        from incidentkit.core.comms.actions import approve_draft

        if self.draft is None or self.desk is None:
            return False
        try:
            approve_draft(self.desk.store, incident_id=self.incident_id, draft_id=self.draft.id,
                          actor=self._actor(), role=role, note=note)
        except IncidentKitError as exc:
            show_error(self, "Approve", str(exc))
            return False
        self._wrote(None)
        return True

    def mark_sent(self) -> None:
        from incidentkit.core.comms.context import audience_obligations
        from incidentkit.ui.comms.dialogs import SendDialog

        if self.draft is None or self.desk is None:
            return
        board = self.desk.record(self.incident_id).board
        dialog = SendDialog(self.draft, audience_obligations(board, self.draft.audience, self.draft.jurisdictions),
                            self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.record_sent(dialog.sending()))
        dialog.open()

    def record_sent(self, sending) -> bool:  # a dialogs.Sending
        from incidentkit.core.comms.actions import record_sent

        if self.draft is None or self.desk is None:
            return False
        rules = {r.id: r for r in self.desk.rules}
        try:
            record_sent(self.desk.store, incident_id=self.incident_id, draft_id=self.draft.id,
                        audience=sending.audience, count=sending.count, actor=self._actor(), at=sending.at,
                        channel=sending.channel, rules=[rules[r] for r in sending.rule_ids],
                        unapproved_reason=sending.unapproved_reason)
        except IncidentKitError as exc:
            show_error(self, "Mark as sent", str(exc))
            return False
        self._wrote(None)
        return True

    def export(self, path: Path | None = None) -> Path | None:
        from incidentkit.core.comms.outputs import write_draft

        if self.draft is None or self.desk is None:
            return None
        if path is None:
            template = self.desk.templates.find(self.draft.template_id)
            suffix = DEFAULT_SUFFIX.get(template.format if template else "document", ".md")
            name, _ = QFileDialog.getSaveFileName(
                self, "Export the notice", f"{self.draft.template_id}{suffix}",
                "Email (*.eml);;PDF letter (*.pdf);;Web page (*.html);;Markdown (*.md);;Plain text (*.txt)")
            if not name:
                return None
            path = Path(name)
        try:
            write_draft(self.draft, path)
        except IncidentKitError as exc:
            show_error(self, "Export", str(exc))
            return None
        return path

    def edit_details(self) -> None:
        from incidentkit.core.comms.details import read_details
        from incidentkit.ui.comms.dialogs import DetailsDialog

        if self.desk is None:
            return
        dialog = DetailsDialog(read_details(self.desk.store, self.incident_id), self._defaults(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.record_details(dialog.changed()))
        dialog.open()

    def record_details(self, values: Mapping[str, str]) -> bool:
        from incidentkit.core.comms.details import record_details

        if self.desk is None or not values:
            return False
        try:
            record_details(self.desk.store, incident_id=self.incident_id, values=values, actor=self._actor())
        except IncidentKitError as exc:
            show_error(self, "Notice details", str(exc))
            return False
        self.changed.emit()
        self.render()
        return True
