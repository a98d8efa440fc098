"""The dialogs that add a timeline entry and amend an existing one.

They only collect values (`EntryValues`, `AmendValues`) and say what they ask of the core
(`arguments()`: the keyword arguments of `add_timeline_entry` or `amend_event`); the
timeline panel runs that through the window's write path. The time field shows local
time and yields UTC; a time the core would refuse keeps the dialog open with the reason
(`WhenNote`), and one before the incident's awareness time gets a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core import events as ev
from incidentkit.core.events import format_ts, parse_ts
from incidentkit.core.projections import TimelineItem
from incidentkit.core.titles import entry_line
from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit, local_zone_label
from incidentkit.ui.widgets.hint import hint_label
from incidentkit.ui.widgets.when_note import WhenNote

CATEGORIES = ("", "vendor", "detection", "containment", "decision", "notification", "communication", "evidence", "other")


def editable_title(item: TimelineItem) -> str:
    """The title as the responder typed it: without the `Timeline:` prefix entries are shown with."""
    prefix = entry_line("")
    if item.event.kind == ev.TIMELINE_ENTRY and item.title.startswith(prefix):
        return item.title[len(prefix):]
    return item.title


@dataclass(frozen=True)
class EntryValues:
    """What a responder typed for a timeline entry; `occurred_at` is aware UTC."""

    title: str
    detail: str
    category: str
    occurred_at: datetime


@dataclass(frozen=True)
class AmendValues(EntryValues):
    reason: str = ""


class EntryDialog(QDialog):
    """Add a timeline entry: title (required), detail, category, and when it happened (backdatable)."""

    def __init__(self, parent: QWidget | None = None, *, window_title: str = "Add timeline entry",
                 aware_at: datetime | str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title)
        self.setMinimumWidth(460)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("What happened, in one line")
        self.detail_edit = QPlainTextEdit()
        self.detail_edit.setPlaceholderText("Details, sources, who said what (optional)")
        self.detail_edit.setTabChangesFocus(True)
        self.detail_edit.setMaximumHeight(self.detail_edit.fontMetrics().lineSpacing() * 8)
        self.category_box = QComboBox()
        self.category_box.setEditable(True)
        self.category_box.addItems(CATEGORIES)
        self.when_edit = UtcDateTimeEdit()
        self.when_hint = hint_label(local_zone_label())
        self.when_note = WhenNote(self.when_edit, aware_at=aware_at)

        self.form = QFormLayout()
        self.form.addRow("&Title:", self.title_edit)
        self.form.addRow("&Detail:", self.detail_edit)
        self.form.addRow("&Category:", self.category_box)
        self.form.addRow("&When:", self.when_edit)
        self.form.addRow("", self.when_hint)
        self.form.addRow("", self.when_note)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.title_edit.textChanged.connect(self._update_ok)
        self.when_note.changed.connect(self._update_ok)
        self._update_ok()

    def _required_filled(self) -> bool:
        return bool(self.title_edit.text().strip()) and self.when_note.refusal() is None

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._required_filled())

    def accept(self) -> None:
        if self._required_filled():
            super().accept()

    def values(self) -> EntryValues:
        return EntryValues(
            title=self.title_edit.text().strip(),
            detail=self.detail_edit.toPlainText().strip(),
            category=self.category_box.currentText().strip(),
            occurred_at=self.when_edit.utc(),
        )

    def arguments(self) -> dict[str, object]:
        """`operations.add_timeline_entry`'s keyword arguments (but the incident and the actor)."""
        values = self.values()
        return {"title": values.title, "detail": values.detail, "category": values.category,
                "occurred_at": values.occurred_at}


class AmendDialog(EntryDialog):
    """Correct an entry: prefilled with its current values, plus a required reason. The original stays.

    An event IncidentKit wrote (a step done, an incident opened) keeps its title, which says
    what happened, and has no category: only its time and detail can be corrected. The
    opening's time is the awareness time, corrected from the incident header instead."""

    def __init__(self, item: TimelineItem, parent: QWidget | None = None, *,
                 aware_at: datetime | str | None = None) -> None:
        manual = item.event.kind == ev.TIMELINE_ENTRY
        super().__init__(parent, window_title="Amend timeline entry" if manual else "Amend event", aware_at=aware_at)
        self.item = item
        self.title_edit.setText(editable_title(item))
        self.detail_edit.setPlainText(item.detail)
        self.category_box.setCurrentText(item.category)
        self.when_edit.set_utc(parse_ts(item.occurred_at))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Why this correction (required)")
        self.form.addRow("&Reason:", self.reason_edit)
        hints = []
        if not manual:
            self.title_edit.setReadOnly(True)
            self.title_edit.setEnabled(False)  # greyed, like the other fields that stay as they are
            self.category_box.setEnabled(False)
            hints.append("IncidentKit wrote this event: its title stays; its time and detail can be corrected.")
        if item.event.kind == ev.INCIDENT_OPENED:
            self.when_edit.setEnabled(False)
            hints[-1:] = ["The opening is at the awareness time: correct that with “Correct awareness time…” "
                          "above the tabs. Its detail can be amended here."]
        hints.append("The original is kept in the timeline and shown next to the correction.")
        self.form.addRow("", hint_label(" ".join(hints)))
        self.reason_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _required_filled(self) -> bool:
        reason = getattr(self, "reason_edit", None)
        return super()._required_filled() and reason is not None and bool(reason.text().strip())

    def values(self) -> AmendValues:
        base = super().values()
        return AmendValues(
            title=base.title,
            detail=base.detail,
            category=base.category,
            occurred_at=base.occurred_at,
            reason=self.reason_edit.text().strip(),
        )

    def arguments(self) -> dict[str, object]:
        """`operations.amend_event`'s keyword arguments (but the incident and the actor): only the
        fields the responder changed. The time is edited to the minute, so it counts as changed
        only when its minute did."""
        values, item = self.values(), self.item

        def changed(new: str, old: str) -> str | None:
            return new if new != old else None

        moved = _minute(format_ts(values.occurred_at)) != _minute(item.occurred_at)
        return {"event_id": item.event.id, "reason": values.reason,
                "title": changed(values.title, editable_title(item)), "detail": changed(values.detail, item.detail),
                "category": changed(values.category, item.category),
                "occurred_at": values.occurred_at if moved else None}


def _minute(iso: str) -> str:
    return format_ts(parse_ts(iso))[:16]
