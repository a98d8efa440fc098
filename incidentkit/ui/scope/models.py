"""The Scope tab's tables: people per jurisdiction, and the imported files.

Display strings are made on demand; `SortRole` gives the numbers a proxy sorts by.
The jurisdiction rows mark the notice threshold a count reaches, and the `unknown`
row stands out: those people may live anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from incidentkit.core.scope.profile import ImportRecord, ScopeProfile
from incidentkit.core.scope.vocabulary import UNKNOWN_JURISDICTION, threshold_reached, threshold_text
from incidentkit.ui.widgets.list_table_model import Index, ListTableModel

SortRole = Qt.ItemDataRole.UserRole + 1
CodeRole = Qt.ItemDataRole.UserRole + 2

# Background per threshold reached: the higher, the warmer (legible under dark text).
TIER_COLOURS = {50: "#fff8d6", 250: "#ffefc2", 500: "#ffe0a8", 1_000: "#ffd08a", 5_000: "#ffb77a", 10_000: "#ff9f80"}
UNKNOWN_COLOUR = "#f8c9c9"


@dataclass(frozen=True)
class JurisdictionRow:
    code: str
    name: str
    imported: int
    stated: int
    count: int

    @property
    def threshold(self) -> str:
        if self.code == UNKNOWN_JURISDICTION:
            return "may live anywhere"
        return threshold_text(self.count)


def jurisdiction_rows(profile: ScopeProfile) -> list[JurisdictionRow]:
    from incidentkit.core.scope.locations import jurisdiction_name  # pycountry: on first rows, not at start

    return [JurisdictionRow(code, jurisdiction_name(code), profile.imported.get(code, 0),
                            profile.stated.get(code, 0), n)
            for code, n in profile.by_jurisdiction.items()]


class JurisdictionModel(ListTableModel):
    HEADERS = ("Jurisdiction", "Name", "People", "Imported", "Stated", "Threshold")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row: JurisdictionRow | None = self.row_item(index)
        if row is None:
            return None
        col = index.column()
        numbers = (None, None, row.count, row.imported, row.stated, row.count)
        if role == Qt.ItemDataRole.DisplayRole:
            if col in (2, 3, 4):
                return f"{numbers[col]:,}"
            return (row.code, row.name, "", "", "", row.threshold)[col]
        if role == SortRole:
            return numbers[col] if numbers[col] is not None else (row.code, row.name)[col]
        if role == CodeRole:
            return row.code
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.code == UNKNOWN_JURISDICTION:
                return QBrush(QColor(UNKNOWN_COLOUR))
            reached = threshold_reached(row.count)
            if reached is not None and col in (2, 5):
                return QBrush(QColor(TIER_COLOURS[reached]))
        if role == Qt.ItemDataRole.ForegroundRole and (row.code == UNKNOWN_JURISDICTION or
                                                       (threshold_reached(row.count) and col in (2, 5))):
            return QBrush(QColor("#1a1a1a"))  # dark on the light highlight, in a dark palette too
        if role == Qt.ItemDataRole.FontRole and row.code == UNKNOWN_JURISDICTION:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.code == UNKNOWN_JURISDICTION:
                return "People with no usable location: they may live anywhere, so every rule may cover them."
            if row.stated and row.imported:
                return ("The vendor's stated count and the imported people may be the same people: "
                        "the larger counts, they are never added.")
        return None


class ImportsModel(ListTableModel):
    HEADERS = ("When", "File", "Rows", "Rejected", "People added", "By", "sha256")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        record: ImportRecord | None = self.row_item(index)
        if record is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            from incidentkit.ui.widgets.times import local_time

            return (local_time(record.at), record.file_name, f"{record.rows_read:,}", f"{record.rows_rejected:,}",
                    f"{record.people_added:,}", record.by, record.sha256)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == 6:
            return QFont("monospace")
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{record.file_name}: {record.size:,} bytes, {record.file_format or '?'} "
                    f"{record.encoding}\nsha256 {record.sha256}\n{record.rows_unlocated:,} rows with a location "
                    f"not understood; {record.located:,} people located who were unknown; "
                    f"{record.location_conflicts:,} seen at another location than where counted")
        return None
