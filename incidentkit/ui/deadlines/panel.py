"""The Deadlines tab: the incident's obligations, most urgent first, a picture of them, and why.

`set_incident(store, incident_id)` shows an incident (one read); `add_events(events)`
carries the board forward by the incident's newer events as the window's change signal
brings them, without reading again (an upgrade among them, which changes the playbook,
reads once more); each minute the statuses move with the clock (due turns overdue), and
the countdowns every 30 seconds. Mark as sent records a notice through the window's write
path (`run(record_notification, ...)`) and emits `changed`; Export to calendar writes the
iCalendar file. The rules are discovered once, from the built-in set and the data folder's
`rules/`. `next_deadline_changed` carries a line for the incident header, `board_changed` says
the board moved on (the step detail shows a step's obligations from it), and
`select_rule(rule_id)` shows one obligation (a step's link to it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.deadlines.board import Board, board_after, holiday_calendars, read_board
from incidentkit.core.deadlines.describe import DISCLAIMER, STATUS_WORDS, countdown
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.events import INCIDENT_PLAYBOOK_UPGRADED, Event
from incidentkit.core.paths import AppPaths
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.ui.deadlines.detail import ObligationDetail
from incidentkit.ui.deadlines.model import DUTY, OBLIGATION_ROLE, STATUS, ObligationsModel, deadline_text
from incidentkit.ui.deadlines.strip import DeadlineStrip
from incidentkit.ui.widgets.message import show_error

TICK_MS = 30_000
RESTATE_TICKS = 2


def header_line(board: Board | None) -> str:
    """`Next deadline: ... (EU): 43 h left, 2026-03-05 10:00 CET`, or "" when none is open."""
    o = board.next_deadline if board else None
    if o is None:
        return ""
    lead = "Overdue" if o.status == "overdue" else "Next deadline"
    return (f"{lead}: {o.title} ({o.jurisdiction or 'playbook'}): {countdown(o.deadline, board.now)}, "
            f"{deadline_text(o)}" + (" (needs input)" if o.status == "needs-input" else ""))


class DeadlinesPanel(QWidget):
    changed = Signal()
    next_deadline_changed = Signal(str)
    board_changed = Signal()

    def __init__(self, paths: AppPaths | None, run: Callable[..., object], parent: QWidget | None = None, *,
                 rules: tuple[Rule, ...] | None = None,
                 profile_of: Callable[..., ScopeProfile] | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        super().__init__(parent)
        # `run(operation, **kwargs)`: the window's one write path (`ui/commands.py`), which
        # runs an operation as the actor, shows a refusal and has the session read the result.
        self._paths, self._run, self._rules, self._profile_of, self._clock = paths, run, rules, profile_of, clock
        self._store = None
        self.incident_id: str | None = None
        self.board: Board | None = None
        self._calendars = None
        self._ticks = 0

        self.model = ObligationsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DUTY, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAccessibleName("Deadlines, most urgent first")
        self.strip = DeadlineStrip()
        self.detail = ObligationDetail()
        self.show_all = QCheckBox("Show rules that do not apply")
        self.mark_sent_button = QPushButton("Mark as sent…")
        self.export_button = QPushButton("Export to calendar…")
        self.summary = QLabel()
        self.summary.setWordWrap(True)  # a long summary wraps rather than widening the window
        self.disclaimer = QLabel(DISCLAIMER)
        self.disclaimer.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.show_all)
        bar.addWidget(self.mark_sent_button)
        bar.addWidget(self.export_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.strip)
        layout.addWidget(split, 1)
        layout.addWidget(self.disclaimer)

        self.show_all.toggled.connect(lambda _on: self._show())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.table.doubleClicked.connect(lambda _i: self.mark_sent())
        self.mark_sent_button.clicked.connect(self.mark_sent)
        self.export_button.clicked.connect(self.export_calendar)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._update_buttons()

    # reading ------------------------------------------------------------------------
    @property
    def rules(self) -> tuple[Rule, ...]:
        if self._rules is None:
            from incidentkit.core.deadlines.library import RulesLibrary

            self._rules = RulesLibrary.discover(self._paths).rules
        return self._rules

    def set_incident(self, store, incident_id: str | None) -> None:
        self._store, self.incident_id = store, incident_id
        self.refresh()

    def refresh(self) -> None:
        """Read the incident's board from the store."""
        if self._store is None or not self.incident_id:
            self.board = None
        else:
            try:
                profile = self._profile_of(self._store, self.incident_id) if self._profile_of else None
                self._calendars = holiday_calendars(self._store)
                self.board = read_board(self._store, self.incident_id, rules=self.rules, now=self._clock(),
                                        profile=profile, calendars=self._calendars)
            except IncidentKitError as exc:
                self.board = None
                show_error(self, "Deadlines", str(exc))
        self._changed()

    def add_events(self, events: list[Event]) -> None:
        """The incident's newer events (the window's `events_added`): the board follows them."""
        if self.board is None:
            return
        if any(e.kind == INCIDENT_PLAYBOOK_UPGRADED for e in events):
            self.refresh()  # another version of the playbook, which only the store has
            return
        self.board = board_after(self.board, events, now=self._clock(), calendars=self._calendars)
        self._changed()

    def _changed(self) -> None:
        self._show()
        self.next_deadline_changed.emit(header_line(self.board))
        self.board_changed.emit()

    def obligations_for(self, incident_id: str) -> tuple[tuple[Obligation, ...], datetime] | None:
        """The board's obligations (most urgent first) and its time, when it is `incident_id`'s."""
        board = self.board
        return (board.obligations, board.now) if board is not None and board.incident_id == incident_id else None

    def select_rule(self, rule_id: str) -> bool:
        """Select the obligation of `rule_id` (showing the rules that do not apply when it is one of
        them); False when the board has none."""
        o = next((o for o in self.board.obligations if o.rule_id == rule_id), None) if self.board else None
        if o is None:
            return False
        if not o.applies and not self.show_all.isChecked():
            self.show_all.setChecked(True)  # shows the table again
        self._reselect(rule_id)
        self.table.setFocus()
        return True

    def _show(self) -> None:
        keep = self.selected()
        board = self.board
        shown = board.shown(all=self.show_all.isChecked()) if board else ()
        self.model.now = board.now if board else self._clock()
        self.model.set_rows(shown)
        aware = board.milestones["aware"].at if board and "aware" in board.milestones else None
        self.strip.set_obligations(shown, self.model.now, aware)
        self.summary.setText(self._summary(board))
        self._reselect(keep.rule_id if keep else None)
        self._selected()

    @staticmethod
    def _summary(board: Board | None) -> str:
        if board is None:
            return ""
        counts: dict[str, int] = {}
        for o in board.obligations:
            counts[o.status] = counts.get(o.status, 0) + 1
        order = ("overdue", "needs-input", "due", "met-late", "met", "not-applicable")
        text = " · ".join(f"{counts[s]} {STATUS_WORDS[s]}" for s in order if counts.get(s))
        if not any(o.applies for o in board.obligations):
            text += " — nothing applies yet: the scope (who, where, which data) decides; show the rules to see why"
        return text

    def _reselect(self, rule_id: str | None) -> None:
        for row in range(self.model.rowCount()):
            o = self.model.data(self.model.index(row, STATUS), OBLIGATION_ROLE)
            if rule_id is None or o.rule_id == rule_id:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(row, STATUS),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                return

    def selected(self) -> Obligation | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.data(index, OBLIGATION_ROLE) if index.isValid() else None

    def _selected(self) -> None:
        self.detail.show_obligation(self.selected(), self.model.now)
        self._update_buttons()

    def _update_buttons(self) -> None:
        o = self.selected()
        self.mark_sent_button.setEnabled(o is not None and not o.rule_id.startswith("step:")
                                         and o.owed_by == "organisation")
        self.export_button.setEnabled(self.board is not None)

    def _tick(self) -> None:
        self._ticks += 1
        if self._ticks % RESTATE_TICKS == 0 and self.board is not None:
            # Statuses move with the clock (due -> overdue): the board as of now, nothing read.
            self.board = board_after(self.board, now=self._clock(), calendars=self._calendars)
            self._changed()
            return
        now = self._clock()
        self.model.set_now(now)
        self.strip.set_now(now)
        self.next_deadline_changed.emit(header_line(self.board))

    # writing ------------------------------------------------------------------------
    def mark_sent(self) -> None:
        o = self.selected()
        if o is None or self._store is None or not self.mark_sent_button.isEnabled():
            return
        from incidentkit.ui.deadlines.mark_sent import MarkSentDialog

        dialog = MarkSentDialog(o, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.record_sent(o.rule_id, dialog.notice()))
        dialog.open()

    def record_sent(self, rule_id: str, notice) -> Event | None:  # notice: mark_sent.SentNotice
        """Record the notice; its event, or None when refused (and said so). The board shows it
        once the change signal brings the event back (`add_events`)."""
        from incidentkit.core.deadlines.actions import record_notification

        rule = next((r for r in self.rules if r.id == rule_id), None)
        if rule is None or self.incident_id is None:
            return None
        event = self._run(record_notification, incident_id=self.incident_id, rule=rule, at=notice.at,
                          reference=notice.reference, channel=notice.channel, recipient=notice.recipient,
                          file=notice.file)
        if not isinstance(event, Event):
            return None
        self.changed.emit()
        return event

    def export_calendar(self, path: Path | None = None) -> Path | None:
        if self.board is None:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Export deadlines to a calendar", "deadlines.ics",
                                                  "iCalendar (*.ics)")
            if not name:
                return None
            path = Path(name)
        from incidentkit.core.atomic_file import replace_atomically
        from incidentkit.core.deadlines.ics import calendar_bytes

        data = calendar_bytes(self.board)
        try:
            replace_atomically(path, lambda raw: raw.write(data), prefix=".deadlines-")
        except OSError as exc:
            show_error(self, "Export to calendar", f"{path}: cannot write the file: {exc.strerror or exc}")
            return None
        return path
