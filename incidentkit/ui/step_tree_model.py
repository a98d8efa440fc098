"""The walk-through as a tree model: phases, their steps, and nested sub-steps.

Columns: the step (check state: done is checked, skipped is partially checked and shown
in italics), the owner role's display name, the assignee, and a compact status ("Done",
"Skipped") whose tooltip says who, when and why; the step's full text, and the reason
for a skip, are in its tooltip too. A phase row reads "Scope 5/12".
Ticking a box does not write anything itself: the model emits `check_requested`
and the window runs the core operation, then hands the new state back with
`set_state`. `StepFilterProxy` filters by text and role, keeping a step's ancestors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from incidentkit.core.playbook_model import Phase, Playbook, Step
from incidentkit.core.projections import IncidentState, StepState
from incidentkit.ui.incident_list_model import local_and_utc, local_time
from incidentkit.ui.plain_tip import plain_tip

STEP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
ROLE_KEY_ROLE = Qt.ItemDataRole.UserRole + 3
IS_PHASE_ROLE = Qt.ItemDataRole.UserRole + 4
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 5  # every word the text filter matches against

COL_STEP, COL_OWNER, COL_ASSIGNEE, COL_STATUS = range(4)

COLUMNS = ("Step", "Owner", "Assignee", "Status")
_ANY_INDEX = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class _Node:
    phase: Phase | None = None
    step: Step | None = None
    parent: _Node | None = None
    row: int = 0
    children: list[_Node] = field(default_factory=list)

    def add(self, child: _Node) -> _Node:
        child.parent, child.row = self, len(self.children)
        self.children.append(child)
        return child


def _build(playbook: Playbook | None) -> tuple[_Node, dict[str, _Node]]:
    root, by_id = _Node(), {}
    for phase in playbook.phases if playbook else ():
        phase_node = root.add(_Node(phase=phase))
        for step in phase.steps:
            parent = by_id.get(step.parent_id, phase_node) if step.parent_id else phase_node
            by_id[step.id] = parent.add(_Node(phase=phase, step=step))
    return root, by_id


STATUS_TEXT = {"done": "Done", "skipped": "Skipped"}


def status_word(status: str) -> str:
    """What the last status event did: "Done", "Skipped", or (back to open) "Reopened"."""
    return STATUS_TEXT.get(status, "Reopened")


def status_detail(state: StepState, *, with_utc: bool = False) -> str:
    """Who finished (or reopened) the step and when, and why it was skipped; empty for a
    step nobody has touched.

    "Skipped by Sam, 2026-11-27 16:10 CET: we hold no card data"; `with_utc` adds the
    UTC time in brackets when the local zone is another one."""
    if state.status not in STATUS_TEXT and not state.by:
        return ""
    text = f"{status_word(state.status)} by {state.by or 'someone'}"
    if state.at:
        text += f", {local_and_utc(state.at) if with_utc else local_time(state.at)}"
    if state.status == "skipped":
        text += f": {state.reason or 'no reason given'}"
    return text


class StepTreeModel(QAbstractItemModel):
    """Phases -> steps -> sub-steps of one incident, with its projected state."""

    check_requested = Signal(str, bool)  # step id, whether it should become done

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._playbook: Playbook | None = None
        self._state: IncidentState | None = None
        self._root, self._by_id = _build(None)

    # feeding ------------------------------------------------------------------
    def set_incident(self, playbook: Playbook | None, state: IncidentState | None) -> None:
        """Show another incident (or none): the tree is rebuilt."""
        self.beginResetModel()
        self._playbook, self._state = playbook, state
        self._root, self._by_id = _build(playbook)
        self.endResetModel()

    def set_state(self, state: IncidentState) -> None:
        """Same incident, newer state: every row's data may have changed, the shape has not."""
        self._state = state
        self._emit_changed(self._root)

    def _emit_changed(self, node: _Node) -> None:
        if not node.children:
            return
        parent = self._index_of(node)
        last = len(node.children) - 1
        self.dataChanged.emit(self.index(0, 0, parent), self.index(last, len(COLUMNS) - 1, parent))
        for child in node.children:
            self._emit_changed(child)

    def step_state(self, step_id: str) -> StepState:
        if self._state is not None and step_id in self._state.steps:
            return self._state.steps[step_id]
        return StepState(step_id=step_id)

    def index_for_step(self, step_id: str) -> QModelIndex:
        node = self._by_id.get(step_id)
        return self._index_of(node) if node else QModelIndex()

    def step_ids(self) -> list[str]:
        """Every step id in document order."""
        return list(self._by_id)

    # structure ----------------------------------------------------------------
    def _node(self, index: _ANY_INDEX) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    def _index_of(self, node: _Node, column: int = 0) -> QModelIndex:
        if node is self._root:
            return QModelIndex()
        return self.createIndex(node.row, column, node)

    def index(self, row: int, column: int, parent: _ANY_INDEX = QModelIndex()) -> QModelIndex:
        # hasIndex() would call back into rowCount() and columnCount(); the view asks for
        # thousands of indexes while it lays the tree out, so check here directly.
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._node(parent).children
        if 0 <= row < len(children) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: _ANY_INDEX = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self._node(index).parent
        return QModelIndex() if parent is None or parent is self._root else self._index_of(parent)

    def rowCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: _ANY_INDEX) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0 and self._node(index).step is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    # data ---------------------------------------------------------------------
    def data(self, index: _ANY_INDEX, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._node(index)
        if node.step is None:
            return self._phase_data(node.phase, index.column(), role)
        return self._step_data(node.step, index.column(), role)

    def _phase_progress(self, phase: Phase) -> tuple[int, int]:
        for progress in self._state.phases if self._state else ():
            if progress.phase_id == phase.id:
                return progress.finished, progress.total
        return 0, len(phase.steps)

    def _phase_data(self, phase: Phase, column: int, role: int):
        if role == IS_PHASE_ROLE:
            return True
        if column != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            finished, total = self._phase_progress(phase)
            return f"{phase.title}  {finished}/{total}"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            finished, total = self._phase_progress(phase)
            return plain_tip(f"{phase.title}: {finished} of {total} steps done or skipped")
        return None

    def _step_data(self, step: Step, column: int, role: int):
        state = self.step_state(step.id)
        if role == STEP_ID_ROLE:
            return step.id
        if role == STATUS_ROLE:
            return state.status
        if role == ROLE_KEY_ROLE:
            return step.role or ""
        if role == IS_PHASE_ROLE:
            return False
        if role == Qt.ItemDataRole.DisplayRole:
            return self._step_text(step, state, column)
        if role == SEARCH_ROLE:
            return " ".join((step.text, self._step_text(step, state, COL_OWNER), state.assignee or "",
                             status_detail(state)))
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return {
                "done": Qt.CheckState.Checked,
                "skipped": Qt.CheckState.PartiallyChecked,
            }.get(state.status, Qt.CheckState.Unchecked)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(self._step_tooltip(step, state, column))
        if state.status == "skipped" and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            font.setStrikeOut(column == 0)
            return font
        if state.status != "open" and role == Qt.ItemDataRole.ForegroundRole:
            return QGuiApplication.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        return None

    def _step_text(self, step: Step, state: StepState, column: int) -> str:
        if column == COL_STEP:
            return step.text
        if column == COL_OWNER:
            return self._playbook.role_name(step.role) if self._playbook else (step.role or "")
        if column == COL_ASSIGNEE:
            return state.assignee or ""
        return STATUS_TEXT.get(state.status, "")

    def _step_tooltip(self, step: Step, state: StepState, column: int) -> str:
        detail = status_detail(state, with_utc=True)
        if column == COL_STATUS:
            return detail
        if column == COL_ASSIGNEE and state.assignee:
            return f"Assigned to {state.assignee}"
        return f"{step.text}\n{detail}" if detail else step.text

    def setData(self, index: _ANY_INDEX, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        node = self._node(index) if index.isValid() else None
        if node is None or node.step is None or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        self.check_requested.emit(node.step.id, checked)
        return True


class StepFilterProxy(QSortFilterProxyModel):
    """Keeps the steps whose text, owner, assignee or status (who, why) contains the filter text
    and whose role matches.

    Recursive filtering keeps the phase (and parent step) of every match.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._text = ""
        self._role = ""

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_role(self, role: str) -> None:
        """A role key ("legal"); the empty string shows every role."""
        self.beginFilterChange()
        self._role = role
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def is_filtering(self) -> bool:
        return bool(self._text or self._role)

    def filterAcceptsRow(self, source_row: int, source_parent: _ANY_INDEX) -> bool:  # noqa: N802
        if not self.is_filtering():
            return True
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if model.data(index, IS_PHASE_ROLE):
            return False
        if self._role and model.data(index, ROLE_KEY_ROLE) != self._role:
            return False
        if not self._text:
            return True
        return self._text in str(model.data(index, SEARCH_ROLE) or "").casefold()
