"""The timeline's table view, set up to stay fast at 100,000 rows.

Fixed row heights and no word wrap, so the view never measures rows; column widths
come from font metrics, never from scanning the contents (ResizeToContents would read
every row).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from incidentkit.ui.incident_list_model import local_time
from incidentkit.ui.timeline_model import COL_CATEGORY, COL_STEP, COL_WHAT, COL_WHEN, COL_WHO

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
