"""Preview of an upgrade, step by step, and the button that does it.

The plan is worked out against the incident's own record (`core/upgrade.plan_upgrade`):
which new steps start open, which changed (and in what), which removed steps stay as
retired because someone worked on them and which nobody touched. Upgrade runs the one
core operation through the window's commands, so a refusal (the incident was closed or
upgraded meanwhile) is a message box and the views refresh either way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.playbook.library import PlaybookEntry
from incidentkit.core.upgrade import UpgradePlan, plan_upgrade, upgrade_incident
from incidentkit.ui.commands import Commands
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.widgets.message import show_error
from incidentkit.ui.widgets.plain_tip import plain_tip

EXPLAIN = (
    "Step states, notes, assignees and history carry over by step id. New steps start open. "
    "A removed step that anyone worked on stays visible as retired, with its history; one nobody "
    "touched is dropped. Changed steps are marked so you read them again. The upgrade is one event "
    "in the timeline, and the exports say which version each part of the record was made under."
)


class UpgradeDialog(QDialog):
    def __init__(self, plan: UpgradePlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Upgrade the playbook")
        head = QLabel(f"{plan.target.title}: {plan.current.version} → {plan.target.version}")
        head.setTextFormat(Qt.TextFormat.PlainText)
        font = head.font()
        font.setBold(True)
        head.setFont(font)
        summary = QLabel(f"{plan.summary()[:1].upper()}{plan.summary()[1:]}. {EXPLAIN}")
        summary.setWordWrap(True)
        summary.setTextFormat(Qt.TextFormat.PlainText)
        self.changes = QTreeWidget()
        self.changes.setHeaderLabels(["Step", "What changes"])
        self.changes.setRootIsDecorated(True)
        self._group("New steps (start open)", plan.diff.added, lambda s: "new")
        self._group("Back from retired", plan.diff.restored, lambda s: "in the playbook again")
        self._group("Changed: read them again", [c.new for c in plan.diff.changed],
                    lambda s: ", ".join(next(c.fields for c in plan.diff.changed if c.id == s.id)))
        self._group("Removed, kept as retired (they have a history)", plan.retiring, lambda s: "retired")
        self._group("Removed (nobody touched them)", plan.dropping, lambda s: "dropped")
        self.changes.expandAll()
        header = self.changes.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.upgrade_button = self.buttons.addButton("Upgrade", QDialogButtonBox.ButtonRole.AcceptRole)
        self.upgrade_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(summary)
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 480)

    def _group(self, title: str, steps, what) -> None:  # Sequence[Step], Callable[[Step], str]
        if not steps:
            return
        group = QTreeWidgetItem(self.changes, [f"{title}: {len(steps)}"])
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setFirstColumnSpanned(True)
        for step in steps:
            item = QTreeWidgetItem(group, [step.text, what(step)])
            item.setToolTip(0, plain_tip(f"{step.text}\n\nid: {step.id}"))

    def group_titles(self) -> list[str]:
        return [self.changes.topLevelItem(i).text(0) for i in range(self.changes.topLevelItemCount())]

    def steps_in(self, index: int) -> list[str]:
        group = self.changes.topLevelItem(index)
        return [group.child(i).text(0) for i in range(group.childCount())]


def open_upgrade_dialog(window: QWidget, session: IncidentSession | None, entry: PlaybookEntry | None,
                        commands: Commands) -> UpgradeDialog | None:
    """Work out the plan and show it; Upgrade moves the incident. None (with a message) when it cannot."""
    if session is None or entry is None:
        return None
    try:
        plan = plan_upgrade(session.store, incident_id=session.id, playbook=entry.playbook)
    except IncidentKitError as exc:
        show_error(window, "IncidentKit", str(exc))
        return None
    dialog = UpgradeDialog(plan, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: commands.run(upgrade_incident, incident_id=plan.incident_id,
                                                 playbook=plan.target))
    dialog.open()
    return dialog
