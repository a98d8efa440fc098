"""The Scope tab: who is affected, where, and which data, for the incident shown.

`set_incident(store, incident_id)` shows an incident's breach profile; `add_events(events)`
reads it again when new events are about scope, and `refresh()` always. People per
jurisdiction are a sortable table and a bar chart; the `unknown` people are named in a
banner; the hand-set parts each write one event through `run`, the window's one write
path (which then announces the new events to every tab); Import... (or a file dropped on
the tab) runs off the GUI thread with a progress bar and Cancel, and changes nothing
until it has finished (the window then finds its event with its poll of the database).
A file whose columns are not worked out opens the column dialog on its first rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core import events as ev
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.scope.fold import scope_profile
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.ui.scope.bar_chart import JurisdictionChart
from incidentkit.ui.scope.import_runner import ImportRunner
from incidentkit.ui.scope.mapping_dialog import MappingDialog
from incidentkit.ui.scope.models import ImportsModel, JurisdictionModel, SortRole, jurisdiction_rows
from incidentkit.ui.scope.profile_box import ProfileBox
from incidentkit.ui.widgets.hint import hint_label
from incidentkit.ui.widgets.message import show_error

FILE_FILTER = ("Vendor files (*.csv *.txt *.tsv *.xlsx *.xlsm *.ods *.jsonl *.ndjson);;"
               "Spreadsheets (*.xlsx *.xlsm *.ods);;Text (*.csv *.txt *.tsv);;JSON Lines (*.jsonl *.ndjson);;All files (*)")


def _table(model: Any, *, sortable: bool) -> QTableView:
    view = QTableView()
    if sortable:
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)
        proxy.setSortRole(SortRole)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    else:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class ScopePanel(QWidget):
    imported = Signal(object)     # ImportSummary of a finished import

    def __init__(self, run: Callable[..., Any], actor: Callable[[], str], settings: Any = None,
                 parent: QWidget | None = None) -> None:
        """`run(operation, **kwargs)` calls `operation(store, actor=..., **kwargs)` and shows a
        refusal (the window's `Commands.run`); `actor()` names who imports."""
        super().__init__(parent)
        self._run, self._actor, self._settings = run, actor, settings
        self._store: Any = None
        self.incident_id: str | None = None
        self.profile = scope_profile([])
        self.setAcceptDrops(True)

        self.people_label = QLabel()
        font = self.people_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.people_label.setFont(font)
        self.unknown_banner = QLabel()
        self.unknown_banner.setWordWrap(True)
        self.unknown_banner.setStyleSheet("QLabel { background: #f8c9c9; color: #5a0000; border: 1px solid #c94a3d;"
                                          " border-radius: 3px; padding: 4px 8px; font-weight: bold; }")
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Count the people in a vendor's file (CSV, XLSX, ODS, JSON Lines); "
                                      "or drop the file on this tab")
        self.import_button.clicked.connect(self.choose_file)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_import)
        self.status = hint_label("")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.jurisdictions = JurisdictionModel(parent=self)
        self.table = _table(self.jurisdictions, sortable=True)
        self.chart = JurisdictionChart()
        self.box = ProfileBox()
        self.imports = ImportsModel(parent=self)
        self.history = _table(self.imports, sortable=False)
        self.runner = ImportRunner(self)
        self.mapping_dialog: MappingDialog | None = None  # open while the columns of a file are chosen

        top = QHBoxLayout()
        top.addWidget(self.people_label)
        top.addWidget(self.unknown_banner, 1)
        top.addWidget(self.progress)
        top.addWidget(self.cancel_button)
        top.addWidget(self.import_button)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(self.chart)
        left.setSizes([300, 220])
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.setChildrenCollapsible(False)
        middle.addWidget(left)
        middle.addWidget(self.box)
        middle.setStretchFactor(0, 3)
        middle.setStretchFactor(1, 2)
        history_box = QGroupBox("Imported files")
        QVBoxLayout(history_box).addWidget(self.history)
        outer = QSplitter(Qt.Orientation.Vertical)
        outer.setChildrenCollapsible(False)
        outer.addWidget(middle)
        outer.addWidget(history_box)
        outer.setStretchFactor(0, 4)
        outer.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(outer, 1)

        self.box.elements_requested.connect(lambda tokens: self._write("set_elements", elements=tokens))
        self.box.encryption_requested.connect(lambda value: self._write("set_encryption", encrypted=value))
        self.box.organisation_requested.connect(
            lambda flags, defaults: self._write("set_organisation", flags=flags, from_settings=defaults))
        self.box.defaults_requested.connect(self._save_defaults)
        self.runner.progress.connect(lambda done, total: self.progress.setValue(done * 1000 // max(total, 1)))
        self.runner.done.connect(self._import_done)
        self.runner.failed.connect(self._import_failed)
        self.runner.unmapped.connect(self._choose_columns)
        self.runner.cancelled.connect(lambda: self.status.setText("Import cancelled: nothing was recorded."))
        self.runner.finished.connect(self._update_controls)
        self._show()

    # showing ---------------------------------------------------------------------------
    def set_incident(self, store: Any, incident_id: str | None) -> None:
        self._store, self.incident_id = store, incident_id or None
        self.status.setText("")
        self.refresh()

    def add_events(self, events: list[Any]) -> None:
        """New events of the incident shown: read the profile again if any is about scope."""
        if any(e.kind in ev.SCOPE_KINDS or e.kind == ev.TIMELINE_AMENDED for e in events
               if e.incident_id == self.incident_id):
            self.refresh()

    def refresh(self) -> None:
        """Read the incident's profile again and show it."""
        if self._store is None or self.incident_id is None:
            self.profile = scope_profile([])
        else:
            from incidentkit.core.scope.edits import read_profile

            try:
                self.profile = read_profile(self._store, self.incident_id)
            except IncidentKitError as exc:
                self.status.setText(str(exc))
                self.profile = scope_profile([])
        self._show()

    def _closed(self) -> bool:
        if self._store is None or self.incident_id is None:
            return True
        return self._store.last_kind(self.incident_id, (ev.INCIDENT_CLOSED, ev.INCIDENT_REOPENED)) == ev.INCIDENT_CLOSED

    def _show(self) -> None:
        p: ScopeProfile = self.profile
        self.people_label.setText(f"{p.people:,} people affected" if p.people != 1 else "1 person affected")
        if p.unknown:
            self.unknown_banner.setText(f"Location unknown: {p.unknown:,} — they may live anywhere, "
                                        "so every jurisdiction's rules may cover them.")
        self.unknown_banner.setVisible(bool(p.unknown))
        self.jurisdictions.set_rows(jurisdiction_rows(p) if p.by_jurisdiction else [])
        self.chart.set_counts(p.by_jurisdiction)
        self.imports.set_rows(p.imports)
        defaults = self._settings.organisation_defaults() if self._settings is not None else []
        self.box.show_profile(p, defaults, editable=not self._closed())
        if p.may_double_count:
            self.status.setText("Some imports were counted in another database (an export carries no hashes): "
                                "a person in two of those files may be counted twice.")
        self._update_controls()

    def _update_controls(self) -> None:
        running = self.runner.running
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.import_button.setEnabled(not running and not self._closed())

    # writing ---------------------------------------------------------------------------
    def _write(self, action: str, **values: Any) -> None:
        if self._store is None or self.incident_id is None:
            return
        from incidentkit.core.scope import edits

        self._run(getattr(edits, action), incident_id=self.incident_id, **values)
        self.refresh()  # a refusal too: the check boxes go back to what is recorded

    def _save_defaults(self, flags: list[str]) -> None:
        if self._settings is not None:
            self._settings.set_organisation_defaults(flags)
            self.status.setText("New incidents start from this organisation profile.")

    # importing -------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Import a vendor's file of affected people", "", FILE_FILTER)
        if name:
            self.start_import(Path(name))

    def start_import(self, path: Path, mapping: dict[str, str | int] | None = None) -> bool:
        """Import `path` off the GUI thread, its columns found by its header or as `mapping`
        says (`scope import --map`); False when no import can start now."""
        if self._store is None or self.incident_id is None or self.runner.running or self._closed():
            return False
        self.progress.setValue(0)
        self.status.setText(f"Importing {path.name}…")
        self.runner.start(Path(self._store.path), self.incident_id, path, self._actor(), mapping=mapping)
        self._update_controls()
        return True

    def cancel_import(self) -> None:
        self.runner.cancel()
        self.status.setText("Cancelling…")

    def _import_done(self, summary: Any) -> None:
        c = summary.count
        text = (f"Imported {summary.path.name}: {summary.people_added:,} people added "
                f"({summary.people_in_file:,} distinct in the file; {c.rows_read:,} rows, {c.rows_rejected:,} "
                f"rejected, {c.rows_unlocated:,} with a location not understood).")
        if summary.location_conflicts:
            n = summary.location_conflicts
            text += (f" {'1 person was' if n == 1 else f'{n:,} people were'} seen at two different locations, "
                     "each counted where first located.")
        self.status.setText(text)
        self.status.setToolTip(self._problems_text(summary.path.name, c))
        self.refresh()
        self.imported.emit(summary)

    def _import_failed(self, message: str, count: Any) -> None:
        self.status.setText(f"Import failed: {message}")
        problems = f"\n\n{self._problems_text('', count)}" if count is not None else ""
        show_error(self, "Import", message + problems)

    def _choose_columns(self, path: Path, reason: str, preview: Any) -> None:
        """The file's columns were not worked out (nothing was recorded): show its first rows
        and let the user say which column holds what, then import with that."""
        self.status.setText(f"Not imported yet: choose the columns of {path.name}.")
        dialog = MappingDialog(path, preview, reason, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mapping_dialog = dialog

        def closed(result: int) -> None:
            self.mapping_dialog = None
            if result == QDialog.DialogCode.Accepted:
                self.start_import(path, dialog.mapping())
            else:
                self.status.setText(f"{path.name} was not imported.")

        dialog.finished.connect(closed)
        dialog.open()

    @staticmethod
    def _problems_text(name: str, count: Any) -> str:
        from incidentkit.core.scope.counting import problem_lines

        return "\n".join(problem_lines(name or "line", count))

    # drag and drop -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile() and not self.runner.running and not self._closed():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile() and self.start_import(Path(urls[0].toLocalFile())):
            event.acceptProposedAction()
