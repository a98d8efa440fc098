"""The "Steps" tab: overall progress, the filterable phase/step tree, and the step detail.

It shows one `IncidentSession` at a time (`show_session`), follows its new events
(`add_events`, from the session's `events_added`) and remembers, per incident, which step
was selected, so switching incidents and back lands where the responder left off. It
writes nothing: ticks, note edits and selection changes go out as signals.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.events import Event
from incidentkit.core.versions import previous_text
from incidentkit.ui.incident_session import IncidentSession
from incidentkit.ui.steps.detail import HISTORY_SHOWN, StepDetail
from incidentkit.ui.steps.tree_model import (
    COL_ASSIGNEE,
    COL_OWNER,
    COL_SEVERITY,
    COL_STATUS,
    COL_STEP,
    COLUMNS,
    IS_PHASE_ROLE,
    SEVERITY_TEXT,
    STEP_ID_ROLE,
    StepFilterProxy,
    StepTreeModel,
    status_text,
)

# The widest the side columns grow to fit their text, in "M" widths; the Step column gets the rest.
MAX_EMS = {COL_OWNER: 15, COL_ASSIGNEE: 12, COL_SEVERITY: 6, COL_STATUS: 10}
SIDE_COLUMNS = (COL_OWNER, COL_ASSIGNEE, COL_STATUS, COL_SEVERITY)
HIDDEN_WHEN_EMPTY = (COL_ASSIGNEE, COL_SEVERITY)  # no step assigned / no severity in the playbook
NAMES_SHARE = 0.4  # of the tree's width, at most, for Owner and Assignee together
# A cell's focus frame margin (PM_FocusFrameHMargin: 2 px in Fusion and the common style),
# a constant rather than asked of the style: the first use of QStyle from Python creates
# all its enums, which a start on a light palette need not pay for (see dark_checks).
FOCUS_MARGIN = 2


class StepsPane(QWidget):
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session: IncidentSession | None = None
        self._remembered: dict[str, str] = {}

        self.model = StepTreeModel(self)
        self.proxy = StepFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setIndentation(self.fontMetrics().horizontalAdvance("M") * 3 // 2)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_STEP, QHeaderView.ResizeMode.Stretch)
        for column in SIDE_COLUMNS:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self._fitted: tuple[int, ...] = ()
        self._natural = dict.fromkeys(SIDE_COLUMNS, 0)

        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m steps finished (%p%)")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter steps (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.role_box = QComboBox()
        self.role_box.setToolTip("Show only the steps of one owner role")
        self.detail = StepDetail()

        self.filter_edit.textChanged.connect(self._on_filter_changed)
        self.role_box.currentIndexChanged.connect(lambda _i: self._on_filter_changed())
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)

        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.role_box)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.progress)
        column.addLayout(filters)
        column.addWidget(self.tree, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([730, 350])
        self.splitter.setObjectName("steps")
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._fit_columns())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # showing --------------------------------------------------------------------
    @property
    def session(self) -> IncidentSession | None:
        return self._session

    def show_session(self, session: IncidentSession | None) -> None:
        """Show another incident (or none), restoring the step last selected in it."""
        self.detail.flush()
        if self._session is not None and self.selected_step_id():
            self._remembered[self._session.id] = self.selected_step_id()
        self._session = session
        self._fill_roles()
        self.model.set_incident(session.playbook if session else None, session.state if session else None,
                                checkable=session is not None and not session.store.read_only)
        self._paint_rich_titles(self.model.has_rich_titles())
        self.tree.expandAll()
        self._measure_columns()
        self._update_progress()
        if session is None:
            self.detail.show_nothing("No incident selected.")
            return
        target = self._remembered.get(session.id) or session.next_open_step(None)
        if not (target and self.select_step(target)):
            self.detail.show_nothing("Select a step to see its guidance.")

    def _paint_rich_titles(self, rich: bool) -> None:
        """A delegate on the Step column only while the playbook has titles with markup: without
        one, painting the tree never calls Python."""
        installed = self.tree.itemDelegateForColumn(COL_STEP) is not None
        if rich and not installed:
            from incidentkit.ui.steps.rich_titles import RichTitleDelegate

            self.tree.setItemDelegateForColumn(COL_STEP, RichTitleDelegate(self.tree))
        elif installed and not rich:
            delegate = self.tree.itemDelegateForColumn(COL_STEP)
            self.tree.setItemDelegateForColumn(COL_STEP, None)
            delegate.deleteLater()

    def add_events(self, events: list[Event]) -> None:
        """New events of the incident shown, already in its session's state: update the rows
        they changed in place, the progress and the detail."""
        if self._session is None or not events or events[0].incident_id != self._session.id:
            return
        if self.model.playbook is not self._session.playbook:  # upgraded: other steps, rebuild the tree
            current = self.selected_step_id()
            self._fill_roles()
            self.model.set_incident(self._session.playbook, self._session.state)
            self.tree.expandAll()
            if not (current and self.select_step(current)):
                self.detail.show_nothing("Select a step to see its guidance.")
        self.model.set_state(self._session.state)
        self._measure_columns()
        self._update_progress()
        self._show_current()

    def _measure_columns(self) -> None:
        """How wide Owner, Assignee and Status want to be: their widest text (capped), 0 if empty."""
        session = self._session
        playbook = session.playbook if session else None
        states = session.state.steps.values() if session else ()
        steps = list(playbook.steps()) if playbook else []
        texts = {
            COL_OWNER: {playbook.role_name(s.role) for s in steps if s.role} if playbook else set(),
            COL_ASSIGNEE: {s.assignee for s in states if s.assignee},
            COL_SEVERITY: {SEVERITY_TEXT[s.severity] for s in steps if s.severity},
            COL_STATUS: {status_text(s, session.state.step(s.id)) for s in steps} - {""} if session else set(),
        }
        metrics = self.tree.fontMetrics()
        em = metrics.horizontalAdvance("M")
        for column, found in texts.items():
            widest = max(map(metrics.horizontalAdvance, found), default=0)
            if widest:
                widest = min(max(widest, metrics.horizontalAdvance(COLUMNS[column])) + self._pad(), MAX_EMS[column] * em)
            self._natural[column] = widest
        self._fit_columns()

    def _pad(self) -> int:
        metrics = self.tree.fontMetrics()
        return 2 * (FOCUS_MARGIN + 1) + metrics.horizontalAdvance("M")

    def _fit_columns(self) -> None:
        """Owner, Assignee and Status at their measured widths, the Step column the rest.

        Assignee is hidden while no step is assigned. On a narrow tree the names give way
        before the step text does. Widths are set again only when what they need (or the
        room there is) changes, so a column the responder dragged stays put between actions."""
        wanted = dict(self._natural)
        room = int(NAMES_SHARE * self.tree.width())
        names = wanted[COL_OWNER] + wanted[COL_ASSIGNEE]
        if names > room > 0:
            least = 6 * self.tree.fontMetrics().horizontalAdvance("M")
            for column in (COL_OWNER, COL_ASSIGNEE):
                wanted[column] = max(least, wanted[column] * room // names) if wanted[column] else 0
        fitted = tuple(wanted.values())
        if fitted == self._fitted:
            return
        self._fitted = fitted
        header = self.tree.header()
        for column, width in wanted.items():  # each change lays the tree out again: only the changes
            hide = width == 0 and column in HIDDEN_WHEN_EMPTY
            if self.tree.isColumnHidden(column) != hide:
                self.tree.setColumnHidden(column, hide)
            width = width or self.tree.fontMetrics().horizontalAdvance(COLUMNS[column]) + self._pad()
            if not hide and header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()

    def _fill_roles(self) -> None:
        with QSignalBlocker(self.role_box):
            self.role_box.clear()
            self.role_box.addItem("All roles", "")
            playbook = self._session.playbook if self._session else None
            roles = sorted({s.role for s in playbook.steps() if s.role}) if playbook else []
            for role in roles:
                self.role_box.addItem(playbook.role_name(role), role)
        self.proxy.set_role("")

    def _update_progress(self) -> None:
        if self._session is None:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            return
        state = self._session.state
        self.progress.setRange(0, max(1, state.total))
        self.progress.setValue(state.finished)
        self.progress.setFormat(f"%v of %m steps finished ({state.percent}%)")

    # selection -------------------------------------------------------------------
    def selected_step_id(self) -> str | None:
        index = self.tree.currentIndex().siblingAtColumn(0)  # the row's roles are on its first column
        return index.data(STEP_ID_ROLE) if index.isValid() and not index.data(IS_PHASE_ROLE) else None

    def select_step(self, step_id: str) -> bool:
        """Select and show `step_id`; False when it does not exist or is filtered out."""
        index = self.proxy.mapFromSource(self.model.index_for_step(step_id))
        if not index.isValid():
            return False
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.tree.selectionModel().setCurrentIndex(index, flags)
        self.tree.scrollTo(index)
        return True

    def visible_step_ids(self) -> set[str]:
        return {sid for sid in self.model.step_ids() if self.proxy.mapFromSource(self.model.index_for_step(sid)).isValid()}

    def select_next_open(self) -> bool:
        """Jump to the next open step (among those the filter shows) after the selected one."""
        if self._session is None:
            return False
        target = self._session.next_open_step(self.selected_step_id(), self.visible_step_ids())
        return bool(target) and self.select_step(target)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def _on_filter_changed(self) -> None:
        current = self.selected_step_id()
        self.proxy.set_text(self.filter_edit.text())
        self.proxy.set_role(self.role_box.currentData() or "")
        self.tree.expandAll()
        if current and not self.select_step(current):
            self.tree.setCurrentIndex(QModelIndex())

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()
        self.selection_changed.emit()

    def _show_current(self) -> None:
        session, index = self._session, self.tree.currentIndex()
        if session is None or not index.isValid():
            self.detail.show_nothing("Select a step to see its guidance.")
            return
        step_id = self.selected_step_id()
        if step_id is None:
            source = self.proxy.mapToSource(index)
            phase = session.playbook.phases[source.row()]
            progress = next(p for p in session.state.phases if p.phase_id == phase.id)
            self.detail.show_phase(phase, progress.finished, progress.total)
            return
        step, state = session.playbook.step(step_id), session.step_state(step_id)
        self.detail.show_step(session.id, step, state, session.playbook.role_name(step.role),
                              session.step_history(step_id, last=HISTORY_SHOWN + 1),
                              editable=session.state.status == "open" and not session.store.read_only,
                              aware_at=session.state.aware_at,
                              previous_text=previous_text(session.upgrades, step_id) if state.revised else None)
