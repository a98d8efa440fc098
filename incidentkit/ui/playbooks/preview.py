"""A read-only preview of a playbook's phases and steps: the incident's own tree, with nothing to tick.

The playbook author sees what responders will see (the same `StepTreeModel`: phases with
their step counts, owners, severities, sub-steps) for the file being edited; the guidance
of the selected step or phase shows below it. A file that stops loading keeps its last
good preview, marked as such, until it loads again.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSplitter, QTreeView, QVBoxLayout, QWidget

from incidentkit.core.playbook.convert_report import plural
from incidentkit.core.playbook.model import Playbook
from incidentkit.ui.steps.tree_model import (
    COL_ASSIGNEE,
    COL_STATUS,
    COL_STEP,
    IS_PHASE_ROLE,
    STEP_ID_ROLE,
    StepTreeModel,
)
from incidentkit.ui.widgets.markdown_view import MarkdownView


class PreviewModel(StepTreeModel):
    """The step tree with every step open and ticks refused: a preview writes nothing."""

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        return False


class PlaybookPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.playbook: Playbook | None = None
        self.path = ""
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.model = PreviewModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setSectionResizeMode(COL_STEP, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        for column in (COL_ASSIGNEE, COL_STATUS):  # nobody is assigned and nothing is done in a preview
            self.tree.setColumnHidden(column, True)
        self.guidance = MarkdownView()
        self.tree.selectionModel().currentChanged.connect(self._show_guidance)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.guidance)
        split.setSizes([320, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(split, 1)
        self.show_playbook(None)

    def show_playbook(self, playbook: Playbook | None, path: str = "") -> None:
        self.playbook, self.path = playbook, path
        self.model.set_incident(playbook, None)
        self.tree.expandAll()
        self.tree.setEnabled(playbook is not None)
        for column in range(1, self.model.columnCount()):
            self.tree.resizeColumnToContents(column)
        if playbook is None:
            self.caption.setText("Select a playbook to preview its phases and steps.")
            self.guidance.set_markdown("")
            return
        phases = sum(1 for p in playbook.phases if not p.retired)
        self.caption.setText(f"{playbook.title} · version {playbook.version} · {plural(phases, 'phase')}, "
                             f"{plural(playbook.step_count, 'step')}\n{path}")
        self.guidance.set_markdown(playbook.intro or "Select a phase or a step to see its guidance.")

    def show_broken(self, path: str, errors: int) -> None:
        """`path` does not load: keep its last good tree (if it is the one shown), greyed, and say why."""
        if path != self.path:
            self.show_playbook(None)
            self.path = path
        self.tree.setEnabled(False)
        last = "Showing the last version that loaded; s" if self.playbook is not None else "S"
        self.caption.setText(f"{path} does not load now ({plural(errors, 'error')}: see the problems below). "
                             f"{last}ave a fix and the preview follows.")

    def _show_guidance(self, current: QModelIndex, _previous: QModelIndex) -> None:
        playbook = self.playbook
        first = current.siblingAtColumn(0)
        if playbook is None or not first.isValid():
            return
        if first.data(IS_PHASE_ROLE):
            phase = playbook.phases[first.row()]
            self.guidance.set_markdown(f"## {phase.title}\n\n{phase.guidance}")
        else:
            step = playbook.step(first.data(STEP_ID_ROLE))
            self.guidance.set_markdown(f"### {step.text}\n\n{step.guidance}")
