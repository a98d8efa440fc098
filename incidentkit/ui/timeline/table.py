"""The timeline's table view, set up to stay fast at 100,000 rows.

Fixed row heights and no word wrap, so the view never measures rows; column widths
come from font metrics, never from scanning the contents (ResizeToContents would read
every row).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from incidentkit.ui.timeline.model import COL_CATEGORY, COL_STEP, COL_WHAT, COL_WHEN, COL_WHO
from incidentkit.ui.widgets.times import local_time

STEP_SHARE = 5  # the Step column takes at most 1/5 of the table's width

# Winter and summer: the zone's name can differ in length (CET, CEST).
WHEN_SAMPLES = tuple(local_time(f"2026-{month}-28T23:59:00+00:00") for month in ("01", "07"))


class TimelineTable(QTableView):
    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setSortingEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setStretchLastSection(False)
        advance = self.fontMetrics().horizontalAdvance
        widths = {COL_WHEN: max(map(advance, WHEN_SAMPLES)) + 24, COL_WHO: advance("M") * 10,
                  COL_STEP: advance("scope-record-awareness") + 16, COL_CATEGORY: advance("M") * 8}
        for column, width in widths.items():
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            columns.resizeSection(column, width)
        columns.setSectionResizeMode(COL_WHAT, QHeaderView.ResizeMode.Stretch)
        self._step_least = self._step_wanted = widths[COL_STEP]
        self._step_fitted = widths[COL_STEP]

    def fit_step_ids(self, step_ids: Iterable[str]) -> None:
        """Widen the Step column to the playbook's longest id (a playbook's ids, not 100,000
        rows), within a fifth of the table; each cell's tooltip has the step's text."""
        widest = max(map(self.fontMetrics().horizontalAdvance, step_ids), default=0) + 16
        self._step_wanted = max(self._step_least, widest)
        self._fit_step_column()

    def _fit_step_column(self) -> None:
        header = self.horizontalHeader()
        if header.sectionSize(COL_STEP) != self._step_fitted:
            return  # the responder dragged it: theirs
        width = max(self._step_least, min(self._step_wanted, self.viewport().width() // STEP_SHARE))
        if width != self._step_fitted:
            self._step_fitted = width
            header.resizeSection(COL_STEP, width)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_step_column()
