"""The walk-through as a tree model: phases, their steps, and nested sub-steps.

Columns: the step (check state: done is checked, skipped is partially checked and shown
in italics; inline markdown in its title is painted by `rich_titles`), the owner role's display name, the assignee, a compact status ("Done",
"Skipped"; "Changed" when an upgrade changed the step's text since anyone acted on it;
"Retired" for a step an upgrade removed) whose tooltip says who, when and why, and the
playbook's severity for the step; the step's full text, and the reason for a skip, are
in its tooltip too. A phase row reads "Scope 5/12". Retired steps cannot be ticked.
Ticking a box does not write anything itself: the model emits `check_requested`
and the window runs the core operation, then hands the new state back with
`set_state`. `StepFilterProxy` filters by text and role, keeping a step's ancestors.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette, QStandardItem, QStandardItemModel

from incidentkit.core.playbook.model import Phase, Playbook, Step
from incidentkit.core.projections import IncidentState, StepState
from incidentkit.core.text import shown
from incidentkit.ui.steps.rich_titles import RICH_ROLE, plain_title
from incidentkit.ui.widgets.plain_tip import plain_tip
from incidentkit.ui.widgets.times import local_and_utc, local_time

STEP_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
ROLE_KEY_ROLE = Qt.ItemDataRole.UserRole + 3
IS_PHASE_ROLE = Qt.ItemDataRole.UserRole + 4
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 5  # every word the text filter matches against

COL_STEP, COL_OWNER, COL_ASSIGNEE, COL_STATUS, COL_SEVERITY = range(5)

COLUMNS = ("Step", "Owner", "Assignee", "Status", "Severity")
_ANY_INDEX = QModelIndex | QPersistentModelIndex
DISPLAY, TOOLTIP, FONT, FOREGROUND, CHECK = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                             Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole,
                                             Qt.ItemDataRole.CheckStateRole)
CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
STEP_FLAGS = CELL_FLAGS | Qt.ItemFlag.ItemIsUserCheckable  # a step's first column holds its check box


def _row(first_flags: Qt.ItemFlag = CELL_FLAGS) -> list[QStandardItem]:
    row = [QStandardItem() for _ in COLUMNS]
    for column, item in enumerate(row):
        item.setFlags(first_flags if column == 0 else CELL_FLAGS)
    return row


def _tooltip(step: Step, text: str, state: StepState, column: int, detail: str) -> str:
    if column == COL_STATUS:
        return "\n".join(filter(None, (detail, changed_note(step, state))))
    if column == COL_SEVERITY and step.severity:
        return f"Severity in the playbook: {step.severity}"
    if column == COL_ASSIGNEE and state.assignee:
        return f"Assigned to {state.assignee}"
    return f"{text}\n{detail}" if detail else text


class _Looks:
    """The fonts and colour the rows use, taken from the application's palette once."""

    def __init__(self) -> None:
        self.bold = QFont()
        self.bold.setBold(True)
        self.italic = QFont()
        self.italic.setItalic(True)
        self.struck = QFont(self.italic)
        self.struck.setStrikeOut(True)
        self.faded = QGuiApplication.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)


STATUS_TEXT = {"done": "Done", "skipped": "Skipped"}
SEVERITY_TEXT = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}


def status_text(step: Step, state: StepState) -> str:
    """The Status column: "Done", "Skipped", "Changed" (or "Done, changed"), "Retired"; "" when open."""
    words = [STATUS_TEXT[state.status]] if state.status in STATUS_TEXT else []
    if step.retired:
        words.append("retired")
    elif state.revised:
        words.append("changed")
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def changed_note(step: Step, state: StepState) -> str:
    """Why a step is marked: retired by an upgrade, or its text changed since anyone acted on it."""
    if step.retired:
        return "Retired: an upgrade of the playbook removed this step; it is kept for its history."
    if state.revised:
        return f"The playbook's version {state.revised} changed this step: read it again."
    return ""


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


class StepTreeModel(QStandardItemModel):
    """Phases -> steps -> sub-steps of one incident, with its projected state.

    The rows are Qt's own items (C++), so painting and scrolling the tree never call
    into Python, which a view asks about every cell and role of every paint. Python runs only when the state changes (`set_state`
    rewrites the rows that changed) and when a box is ticked (`setData`). The step's
    roles (STEP_ID_ROLE and the others) are on its first column.
    """

    check_requested = Signal(str, bool)  # step id, whether it should become done

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self._playbook: Playbook | None = None
        self._state: IncidentState | None = None
        self._steps: dict[str, tuple[Step, list[QStandardItem]]] = {}
        self._phases: list[tuple[Phase, list[QStandardItem]]] = []
        self._shown: dict[str, StepState] = {}  # what each step's row shows now
        self._plain: dict[str, str] = {}  # step id -> its title without markdown markers
        self._looks = _Looks()

    # feeding ------------------------------------------------------------------
    def set_incident(self, playbook: Playbook | None, state: IncidentState | None, *, checkable: bool = True) -> None:
        """Show another incident (or none): the tree is rebuilt. `checkable` False (a read-only
        database) shows the check boxes without letting them be ticked."""
        self.setRowCount(0)
        self._playbook, self._state = playbook, state
        self._steps, self._phases, self._shown, self._plain = {}, [], {}, {}
        self._looks = _Looks()
        rows = []
        for phase in playbook.phases if playbook else ():
            phase_row = _row()
            phase_row[0].setData(True, IS_PHASE_ROLE)
            phase_row[0].setFont(self._looks.bold)
            self._phases.append((phase, phase_row))
            for step in phase.steps:
                row = _row(STEP_FLAGS if checkable and not step.retired else CELL_FLAGS)
                plain = self._plain[step.id] = plain_title(step.text)
                row[0].setData(shown(plain), DISPLAY)
                if plain != step.text:  # inline markdown: painted by RichTitleDelegate
                    row[0].setData(shown(step.text), RICH_ROLE)
                row[0].setData(step.id, STEP_ID_ROLE)
                row[0].setData(step.role or "", ROLE_KEY_ROLE)
                row[0].setData(False, IS_PHASE_ROLE)
                row[COL_OWNER].setData(self._owner(step), DISPLAY)
                row[COL_SEVERITY].setData(SEVERITY_TEXT.get(step.severity or "", ""), DISPLAY)
                if step.severity == "critical":
                    row[COL_SEVERITY].setFont(self._looks.bold)
                parent = self._steps[step.parent_id][1][0] if step.parent_id in self._steps else phase_row[0]
                parent.appendRow(row)
                self._steps[step.id] = (step, row)
            rows.append(phase_row)
        self._fill()  # before the rows join the model: no change signals to send
        for phase_row in rows:
            self.appendRow(phase_row)

    @property
    def playbook(self) -> Playbook | None:
        """The playbook the rows were built from (an upgrade hands the model a new one)."""
        return self._playbook

    def set_state(self, state: IncidentState) -> None:
        """Same incident, newer state: the rows whose state changed are rewritten in place."""
        self._state = state
        self._fill()

    def restyle(self) -> None:
        """The palette changed: rows take its colours again."""
        self._looks, self._shown = _Looks(), {}
        self._fill()

    def _fill(self) -> None:
        for step_id, (step, row) in self._steps.items():
            state = self._state.step(step_id) if self._state is not None else StepState(step_id=step_id)
            if self._shown.get(step_id) != state:
                self._fill_step(step, row, state)
                self._shown[step_id] = state
        for phase, phase_row in self._phases:
            finished, total = self._phase_progress(phase)
            if phase.retired:
                phase_row[0].setData(phase.title, DISPLAY)
                phase_row[0].setData(plain_tip(phase.guidance), TOOLTIP)
                continue
            phase_row[0].setData(f"{phase.title}  {finished}/{total}", DISPLAY)
            phase_row[0].setData(plain_tip(f"{phase.title}: {finished} of {total} steps done or skipped"), TOOLTIP)

    def _fill_step(self, step: Step, row: list[QStandardItem], state: StepState) -> None:
        first = row[0]
        first.setData(state.status, STATUS_ROLE)
        if not step.retired:
            first.setData({"done": Qt.CheckState.Checked, "skipped": Qt.CheckState.PartiallyChecked}.get(
                state.status, Qt.CheckState.Unchecked), CHECK)
        status = status_text(step, state)
        text = self._plain.get(step.id, step.text)
        first.setData(" ".join((text, self._owner(step), state.assignee or "", step.severity or "",
                                status, status_detail(state))), SEARCH_ROLE)
        row[COL_ASSIGNEE].setData(shown(state.assignee or ""), DISPLAY)
        row[COL_STATUS].setData(status, DISPLAY)
        detail = status_detail(state, with_utc=True)
        looks = self._looks
        for column, item in enumerate(row):
            item.setData(plain_tip(shown(_tooltip(step, text, state, column, detail))), TOOLTIP)
            item.setData((looks.struck if column == COL_STEP else looks.italic) if state.status == "skipped" else None,
                         FONT)
            item.setData(looks.faded if state.status != "open" or step.retired else None, FOREGROUND)

    def _owner(self, step: Step) -> str:
        return self._playbook.role_name(step.role) if self._playbook else (step.role or "")

    def _phase_progress(self, phase: Phase) -> tuple[int, int]:
        for progress in self._state.phases if self._state else ():
            if progress.phase_id == phase.id:
                return progress.finished, progress.total
        return 0, len(phase.steps)

    # reading ------------------------------------------------------------------
    def has_rich_titles(self) -> bool:
        """Whether any step's title has inline markdown (the view then paints it, see rich_titles)."""
        return any(self._plain.get(step_id) != step.text for step_id, (step, _) in self._steps.items())

    def index_for_step(self, step_id: str) -> QModelIndex:
        entry = self._steps.get(step_id)
        return self.indexFromItem(entry[1][0]) if entry else QModelIndex()

    def step_ids(self) -> list[str]:
        """Every step id in document order."""
        return list(self._steps)

    def setData(self, index: _ANY_INDEX, value, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        # The view ticking a box: asked for, not written (the window runs the operation
        # and hands back the new state). The model's own writes go to the items directly.
        step_id = index.data(STEP_ID_ROLE) if index.isValid() and index.column() == 0 else None
        if not step_id or role != CHECK:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        self.check_requested.emit(step_id, checked)
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
