"""A draft's checks: each content requirement met or missing (a shape and a word, never colour
alone) under the rule it comes from, with the source on hover; plain language; what is still to fill in."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from incidentkit.core.comms.checks import CheckReport
from incidentkit.core.comms.vocabulary import LONG_SENTENCE_WORDS
from incidentkit.core.deadlines.describe import DISCLAIMER
from incidentkit.ui.deadlines.status_marks import status_icon
from incidentkit.ui.widgets.plain_tip import plain_tip


RESULT_SHARE = 0.36  # of the width, for the result column; the requirement takes the rest


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their text wrapped to its column: a tree view measures an item for an
    unbounded width, so a long requirement or result was cut off with "…" (or, in a narrow
    pane, the result column was off to the right) however the view wrapped."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        view = self.parent()
        width = view.columnWidth(index.column())
        if index.column() == 0:
            depth, parent = 1, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= view.indentation() * depth
        sized = QStyleOptionViewItem(option)
        sized.rect = QRect(0, 0, max(width, 1), 1)  # the style wraps for a valid rect's width only
        return super().sizeHint(sized, index)


class ChecksView(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Check", "Result"])
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setItemDelegate(_WrappingDelegate(self))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.scheduleDelayedItemsLayout())
        self.setAccessibleName("Checks of the draft")
        self.report: CheckReport | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.setColumnWidth(1, max(110, int(self.viewport().width() * RESULT_SHARE)))

    def show_report(self, report: CheckReport | None, error: str = "") -> None:
        self.report = report
        self.clear()
        if error:
            item = QTreeWidgetItem(self, ["Cannot render the template", error])
            item.setIcon(0, status_icon("overdue"))
            item.setToolTip(1, plain_tip(error))
            return
        if report is None:
            return
        rules: dict[str, QTreeWidgetItem] = {}
        for r in report.requirements:
            parent = rules.get(r.rule_id)
            if parent is None:
                parent = rules[r.rule_id] = QTreeWidgetItem(self, [f"{r.rule_id} ({r.jurisdiction})", ""])
                parent.setExpanded(True)
            item = QTreeWidgetItem(parent, [r.what, ("met" if r.met else "MISSING") + (f": {r.detail}" if r.detail
                                                                                       else "")])
            item.setIcon(0, status_icon("met" if r.met else "overdue"))
            item.setToolTip(0, plain_tip("\n".join(f"{s.citation} ({s.type}, as of {s.as_of})" for s in r.sources)
                                         + f"\n{DISCLAIMER}"))
            item.setToolTip(1, plain_tip(item.text(1)))
        for parent in rules.values():
            missing = sum(parent.child(i).text(1).startswith("MISSING") for i in range(parent.childCount()))
            parent.setText(1, f"{missing} missing" if missing else "all met")
            parent.setIcon(0, status_icon("overdue" if missing else "met"))
        if not report.serves:
            QTreeWidgetItem(self, ["No obligation that applies is served", "no content rules to check"])
        for rule_id in report.without_content:
            QTreeWidgetItem(self, [rule_id, "the rule says nothing about content"])
        if report.unfilled:
            fill = QTreeWidgetItem(self, ["To fill in", f"{len(report.unfilled)} left"])
            fill.setIcon(0, status_icon("needs-input"))
            fill.setExpanded(True)
            for label in report.unfilled:
                QTreeWidgetItem(fill, [label, "placeholder in the text"]).setIcon(0, status_icon("needs-input"))
        plain = report.readability
        lang = QTreeWidgetItem(self, ["Plain language (Flesch-Kincaid grade)", f"grade {plain.grade:.1f}"])
        lang.setToolTip(1, plain_tip(plain.words_line()))
        lang.setExpanded(True)
        for s in plain.long_sentences:
            item = QTreeWidgetItem(lang, [f"line {s.line}: over {LONG_SENTENCE_WORDS} words", f"{s.words} words: {s.text}"])
            item.setIcon(0, status_icon("needs-input"))
            item.setToolTip(1, plain_tip(s.text))
