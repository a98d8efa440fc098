"""What the step actions do: ask what is needed, then run one core operation through the window's
write path (`ui/commands.py`), which runs it as the actor, shows a refusal and reads what it wrote.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from incidentkit.core import operations
from incidentkit.ui.commands import Commands
from incidentkit.ui.steps.pane import StepsPane


class StepCommands:
    def __init__(self, *, window: QWidget, commands: Commands, steps: StepsPane) -> None:
        self.window, self.steps, self.commands = window, steps, commands
        self.store, self.run, self.actor = commands.store, commands.run, commands.actor

    def _selected(self) -> tuple[str, str] | None:
        session, step_id = self.steps.session, self.steps.selected_step_id()
        return (session.id, step_id) if session and step_id else None

    def complete_selected(self) -> None:
        """Done: complete the selected step, then move on to the next open step."""
        target = self._selected()
        if target and self.run(operations.complete_step, incident_id=target[0], step_id=target[1]):
            self.steps.select_next_open()

    def reopen_selected(self) -> None:
        if target := self._selected():
            self.run(operations.reopen_step, incident_id=target[0], step_id=target[1])

    def skip_selected(self) -> None:
        from incidentkit.ui.steps.dialogs import skip_prompt  # dialogs load on first use, not at start

        if target := self._selected():
            session = self.steps.session
            # The reason is given for the step as it is now: refused if it changes meanwhile.
            status = session.step_state(target[1]).status
            prompt = skip_prompt(self.window, session.playbook.step(target[1]).text, session.skip_reasons(),
                                 aware_at=session.state.aware_at)
            prompt.answered.connect(lambda reason: self.run(
                operations.skip_step, incident_id=target[0], step_id=target[1], reason=reason,
                occurred_at=prompt.occurred_at(), expected_status=status))
            prompt.open()

    def assign_selected(self) -> None:
        from incidentkit.ui.steps.dialogs import assign_prompt

        if target := self._selected():
            session = self.steps.session
            names = sorted({s.assignee for s in session.state.steps.values() if s.assignee} | {self.actor()})
            current = session.step_state(target[1]).assignee or ""
            prompt = assign_prompt(self.window, session.playbook.step(target[1]).text, current, names)
            prompt.answered.connect(lambda name: self.run(
                operations.assign_step, incident_id=target[0], step_id=target[1], assignee=name,
                expected_assignee=current))
            prompt.open()

    def set_checked(self, step_id: str, done: bool) -> None:
        """A tick (or untick) in the tree."""
        if self.steps.session is not None:
            operation = operations.complete_step if done else operations.reopen_step
            self.run(operation, incident_id=self.steps.session.id, step_id=step_id)

    def save_note(self, incident_id: str, step_id: str, text: str, based_on: str) -> None:
        from incidentkit.ui.steps.note_save import save_note

        save_note(self, incident_id, step_id, text, based_on)
