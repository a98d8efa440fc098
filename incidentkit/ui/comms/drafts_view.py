"""The incident's drafts, grouped by audience: template, state, approvals, sendings, the text's sha256."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from incidentkit.core.comms.records import STATES, Draft
from incidentkit.core.comms.vocabulary import AUDIENCES
from incidentkit.ui.deadlines.status_marks import status_icon
from incidentkit.ui.widgets.times import local_time

DRAFT_ROLE = Qt.ItemDataRole.UserRole + 1
_ICON = {"draft": "needs-input", "approved": "due", "sent": "met"}


class DraftsView(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Draft", "State", "Approved by", "Sent", "Text sha256"])
        # The draft's name takes what the others leave; the hash column fits its 16 digits.
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        em = self.fontMetrics().horizontalAdvance("M")
        for column, ems in ((1, 11), (2, 14), (3, 16)):
            self.setColumnWidth(column, ems * em)
        self.setColumnWidth(4, self.fontMetrics().horizontalAdvance("0123456789abcdef") + 2 * em)
        self.setAccessibleName("Drafts by audience")

    def set_drafts(self, drafts: Sequence[Draft], keep: str | None = None) -> None:
        self.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for d in reversed(drafts):                       # newest first in each audience
            group = groups.get(d.audience)
            if group is None:
                group = groups[d.audience] = QTreeWidgetItem(self, [f"For {AUDIENCES.get(d.audience, d.audience)}"])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setExpanded(True)
            where = f" [{', '.join(d.jurisdictions)}]" if d.jurisdictions else ""
            approvals = ", ".join(a.by + (f" ({a.role})" if a.role else "") for a in d.approvals)
            sent = "; ".join(f"{s.count:,} to {s.audience}" + (" (unapproved)" if s.unapproved else "")
                             for s in d.sendings)
            item = QTreeWidgetItem(group, [f"{d.template_title}{where} · {d.id[:8]} · {local_time(d.at)}",
                                           STATES[d.state], approvals, sent, d.sha256[:16]])
            item.setIcon(1, status_icon(_ICON[d.state]))
            item.setData(0, DRAFT_ROLE, d)
            item.setToolTip(4, d.sha256)
            for column in range(4):                    # a narrow pane cuts them short
                item.setToolTip(column, item.text(column))
            if keep and d.id == keep:
                self.setCurrentItem(item)

    def selected_draft(self) -> Draft | None:
        item = self.currentItem()
        return item.data(0, DRAFT_ROLE) if item is not None else None
