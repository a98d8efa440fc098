"""The right pane: the selected step's guidance, its notes, and who did what when.

Above the guidance: the owner, assignee and status, what the playbook says of the step
(severity, and the time it falls due: awareness plus its `due`), the obligations of the
rules it names (`rules="..."`, from the Deadlines tab's board through
`set_obligations_source`; a click emits `obligation_requested(rule_id)`, "" for the tab),
and a notice when an upgrade of the playbook retired the step or changed its text (with
how it read before).

Notes save as you type: each edit restarts an 800 ms timer, and focus leaving the
editor, switching steps or closing the window (`flush()`) saves at once. Saving is
asked for with `note_edited(incident_id, step_id, text, based_on)`, `based_on` being the
id of the note event the text was edited from ("" for none); the window writes it
through the core, which refuses it when the note has moved on since (someone else saved
it), and then asks the responder to merge (`hold_note` until `settle_note`). A refresh
never overwrites what the responder is typing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFocusEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core import events as ev
from incidentkit.core.events import Event, format_ts
from incidentkit.core.playbook.due import deadline
from incidentkit.core.playbook.model import Phase, Step
from incidentkit.core.projections import StepState
from incidentkit.core.text import shown
from incidentkit.ui.steps.action_bar import ActionBar
from incidentkit.ui.steps.tree_model import changed_note, status_detail, status_word
from incidentkit.ui.widgets.markdown_view import MarkdownView
from incidentkit.ui.widgets.times import local_and_utc, local_time, utc_time

NOTE_DELAY_MS = 800


class NotesEdit(QPlainTextEdit):
    """A plain-text editor that says when it loses focus."""

    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.focus_lost.emit()


def describe(event: Event) -> str:
    """What an event did to its step, in a few words."""
    payload = event.payload
    if event.kind == ev.STEP_DONE:
        return "marked it done"
    if event.kind == ev.STEP_REOPENED:
        return "reopened it"
    if event.kind == ev.STEP_SKIPPED:
        return f"skipped it: {payload.get('reason', '')}"
    if event.kind == ev.STEP_NOTED:
        return "edited the note"
    if event.kind == ev.STEP_ASSIGNED:
        who = payload.get("assignee") or ""
        return f"assigned it to {who}" if who else "removed the assignee"
    return event.kind


def playbook_facts(step: Step, aware_at: str | None, *, open_: bool = True, now: datetime | None = None) -> str:
    """"Severity: critical · Due 2026-11-30 11:00 CET (72 hours after awareness)", with "· overdue"
    for an open step past it; "" when the playbook says neither."""
    parts = [f"Severity: {step.severity}"] if step.severity else []
    due = step.due
    when = deadline(due, aware_at)
    if due is not None and when is not None:
        after = f"{due.describe()} after awareness" + (", weekends skipped" if due.unit == "business_days" else "")
        parts.append(f"Due {local_and_utc(format_ts(when))} ({after})")
        if open_ and when < (now or datetime.now(timezone.utc)):
            parts.append("overdue")
    elif step.attrs.get("due"):
        parts.append(f"Due: {step.attrs['due']}")
    return " · ".join(parts)


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


# The step's latest events shown in its history; a long log has the rest in the Timeline tab.
HISTORY_SHOWN = 200


class StepDetail(QWidget):
    note_edited = Signal(str, str, str, str)  # incident id, step id, text, based on (a note event id, or "")
    obligation_requested = Signal(str)        # a rule id to show in the Deadlines tab ("" for the tab)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._incident_id: str | None = None
        self._step_id: str | None = None
        self._rules: tuple[str, ...] = ()   # the shown step's `rules`
        # (incident id) -> (the board's obligations, its now), or None while none is computed.
        self._obligations_source: Callable[[str], tuple[Sequence, datetime] | None] = lambda _id: None
        self._saved_text = ""
        self._based_on = ""   # the note event `_saved_text` is the text of ("" for none)
        self._held = False    # a merge of the note is being decided: no saving, no reloading

        self.guidance = MarkdownView()
        self.meta = QLabel()
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.obligations = QLabel()  # the obligations of the step's `rules`, as links
        self.obligations.setTextFormat(Qt.TextFormat.RichText)
        self.obligations.setWordWrap(True)
        self.obligations.setOpenExternalLinks(False)
        self.obligations.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                 | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.obligations.linkActivated.connect(self._link)
        self.obligations.setVisible(False)
        self.notice = QLabel()  # retired, or changed by an upgrade: read it again
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setFrameShape(QLabel.Shape.StyledPanel)
        self.notice.setMargin(4)
        self.notice.setVisible(False)
        self.buttons = ActionBar()

        self.notes = NotesEdit()
        self.notes.setPlaceholderText("Notes for this step: what you found, who you spoke to. Saved as you type.")
        self.notes.setTabChangesFocus(True)
        self.note_status = QLabel()
        self.note_status.setTextFormat(Qt.TextFormat.PlainText)
        self.note_status.setWordWrap(True)  # who saved it, when: wraps rather than hold the pane wide
        self.note_status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.history.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(NOTE_DELAY_MS)
        self._timer.timeout.connect(self.flush)
        self.notes.textChanged.connect(self._on_typed)
        self.notes.focus_lost.connect(self.flush)

        self.step_part = QWidget()
        lower = QVBoxLayout(self.step_part)
        lower.setContentsMargins(0, 0, 0, 0)
        notes_head = QHBoxLayout()
        notes_head.addWidget(_caption("Notes"))
        notes_head.addWidget(self.note_status, 1)
        lower.addLayout(notes_head)
        lower.addWidget(self.notes, 1)
        lower.addWidget(_caption("History"))
        lower.addWidget(self.history, 1)

        upper = QWidget()
        top = QVBoxLayout(upper)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.buttons)
        top.addWidget(self.meta)
        top.addWidget(self.obligations)
        top.addWidget(self.notice)
        top.addWidget(self.guidance, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.step_part)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([420, 280])
        self.splitter.setObjectName("step-detail")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.show_nothing("Select a step to see its guidance.")

    def set_actions(self, actions: Iterable[QAction]) -> None:
        """Buttons for the step actions (the window's own QActions, so keys and buttons agree)."""
        self.buttons.set_actions(actions)

    @property
    def step_id(self) -> str | None:
        return self._step_id

    def set_obligations_source(self, source: Callable[[str], tuple[Sequence, datetime] | None]) -> None:
        """Where the obligations of a step's `rules` come from: `source(incident_id)` gives the board's
        obligations (most urgent first) and its time, or None while none is computed."""
        self._obligations_source = source
        self.refresh_obligations()

    def refresh_obligations(self) -> None:
        """Show the shown step's obligations again (the board changed, or time moved on)."""
        if not self._rules or self._incident_id is None:
            self.obligations.setVisible(False)
            return
        from incidentkit.ui.steps.obligations import obligations_html

        found = self._obligations_source(self._incident_id)
        board, now = found if found is not None else (None, datetime.now(timezone.utc))
        self.obligations.setText(obligations_html(self._rules, board, now))
        self.obligations.setVisible(True)

    def _link(self, url: str) -> None:
        from incidentkit.ui.steps.obligations import OBLIGATION_LINK

        self.obligation_requested.emit(url.removeprefix(OBLIGATION_LINK) if url.startswith(OBLIGATION_LINK) else "")

    # showing ---------------------------------------------------------------------
    def show_nothing(self, message: str) -> None:
        self.flush()
        self._incident_id = self._step_id = None
        self._rules = ()
        self.obligations.setVisible(False)
        self.guidance.set_markdown(message)
        self.meta.clear()
        self.notice.setVisible(False)
        self.step_part.setVisible(False)

    def show_phase(self, phase: Phase, finished: int, total: int) -> None:
        self.flush()
        self._incident_id = self._step_id = None
        self._rules = ()
        self.obligations.setVisible(False)
        self.guidance.set_markdown(f"## {phase.title}\n\n{phase.guidance}")
        self.meta.setText("" if phase.retired else f"{finished} of {total} steps done or skipped")
        self.notice.setVisible(False)
        self.step_part.setVisible(False)

    def show_step(self, incident_id: str, step: Step, state: StepState, owner: str,
                  history: Sequence[Event], *, editable: bool = True, aware_at: str | None = None,
                  previous_text: str | None = None) -> None:
        """Show a step; for the step already shown, refresh everything but text being typed.

        `editable` False (a closed incident) makes the notes read-only. `aware_at` dates the
        step's `due`; `previous_text` is how it read before an upgrade changed it."""
        same = (incident_id, step.id) == (self._incident_id, self._step_id)
        if not same:
            self.flush()
            self._incident_id, self._step_id, self._held = incident_id, step.id, False
            self.guidance.set_markdown(f"### {step.text}\n\n{step.guidance}")
            self._set_note(state.note, state.note_id)
        elif self._held:
            pass  # the merge dialog decides what the note becomes
        elif self.notes.toPlainText() == self._saved_text and state.note != self._saved_text:
            self._set_note(state.note, state.note_id)  # someone else (the CLI, another window) changed it
        elif state.note == self._saved_text:
            # The note is still the text this edit started from (or was saved as): later
            # saves build on its newest event. When it is not, the next save is refused
            # and the responder merges.
            self._based_on = state.note_id or ""
        facts = playbook_facts(step, aware_at, open_=state.status == "open" and not step.retired)
        self.meta.setText(shown("\n".join(filter(None, (self._meta_line(state, owner), facts)))))
        self._rules = step.rules
        self.refresh_obligations()
        notice = changed_note(step, state)
        if notice and state.revised and previous_text:
            notice += f' Before, it read: "{previous_text}"'
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.meta.setToolTip(f"{status_word(state.status)} at {utc_time(state.at)}" if state.at else "")
        self.notes.setReadOnly(not editable or self._held)
        self.step_part.setVisible(True)
        self._show_history(history)
        if state.note_at and self.notes.toPlainText() == self._saved_text and not self._held:
            self.note_status.setText(shown(f"Saved · {state.note_by}, {local_time(state.note_at)}"))

    def _show_history(self, history: Sequence[Event]) -> None:
        """The step's events, newest first: the latest `HISTORY_SHOWN`, and a line saying where
        the rest are when there are more (given one more than shown)."""
        self.history.clear()
        for event in reversed(history[-HISTORY_SHOWN:]):
            item = QListWidgetItem(shown(f"{local_time(event.occurred_at)} · {event.actor} {describe(event)}"))
            item.setToolTip(utc_time(event.occurred_at))
            self.history.addItem(item)
        if not history or len(history) > HISTORY_SHOWN:
            item = QListWidgetItem("Earlier events of this step are in the Timeline tab." if history
                                   else "Nothing done to this step yet.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.history.addItem(item)

    @staticmethod
    def _meta_line(state: StepState, owner: str) -> str:
        """"Owner: Legal counsel · Assigned to Sam · Done by Dana, 2026-11-27 15:20 CET", or
        "... · Open (reopened by Dana, ...)"."""
        parts = [f"Owner: {owner}" if owner else "No owner role"]
        if state.assignee:
            parts.append(f"Assigned to {state.assignee}")
        detail = status_detail(state)
        if state.status == "open":
            detail = f"Open ({detail[:1].lower()}{detail[1:]})" if detail else "Open"
        parts.append(detail)
        return " · ".join(parts)

    def _set_note(self, text: str, based_on: str | None) -> None:
        self._timer.stop()
        self._saved_text, self._based_on = text, based_on or ""
        self.notes.blockSignals(True)
        self.notes.setPlainText(text)
        self.notes.blockSignals(False)
        self.note_status.setText("")

    # saving ----------------------------------------------------------------------
    def _on_typed(self) -> None:
        self.note_status.setText("Editing…")
        self._timer.start()

    def has_unsaved_note(self) -> bool:
        return self._step_id is not None and self.notes.toPlainText() != self._saved_text

    def flush(self) -> None:
        """Save the note now if it changed since the last save."""
        self._timer.stop()
        if self._held or not self.has_unsaved_note():
            return
        text = self.notes.toPlainText()
        self._saved_text = text
        self.note_status.setText("Saved")
        self.note_edited.emit(self._incident_id, self._step_id, text, self._based_on)

    # the window's answers to a save -------------------------------------------------
    def _shows(self, incident_id: str, step_id: str) -> bool:
        return (incident_id, step_id) == (self._incident_id, self._step_id)

    def note_saved(self, incident_id: str, step_id: str, event_id: str) -> None:
        """The save went through as event `event_id`: the next one builds on it."""
        if self._shows(incident_id, step_id) and not self._held:
            self._based_on = event_id

    @property
    def note_held(self) -> bool:
        return self._held

    def hold_note(self, incident_id: str, step_id: str) -> None:
        """The save was refused because someone else changed the note: keep the text as it
        is, neither saved nor replaced, until `settle_note`."""
        if self._shows(incident_id, step_id):
            self._timer.stop()
            self._held = True
            self.notes.setReadOnly(True)
            self.note_status.setText("Not saved: someone else changed this note")

    def settle_note(self, incident_id: str, step_id: str, *, text: str, note_text: str, note_id: str,
                    status: str) -> bool:
        """The merge is decided: the editor shows `text`, and the note saved is `note_text`, as
        note event `note_id` (when they differ, `text` is saved next). False when this step
        is no longer shown."""
        if not self._shows(incident_id, step_id):
            return False
        self._held = False
        self.notes.setReadOnly(False)
        self._set_note(note_text, note_id)
        if text != note_text:
            self.notes.blockSignals(True)
            self.notes.setPlainText(text)
            self.notes.blockSignals(False)
        self.notes.moveCursor(QTextCursor.MoveOperation.End)  # typing goes on where it stopped
        self.note_status.setText(status)
        return True
