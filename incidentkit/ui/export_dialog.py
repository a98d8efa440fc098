"""The Export dialog (Ctrl+E): format, options, destination; the export runs off the GUI thread.

`ExportDialog(db_path, incident_id, parent)` needs nothing else. The export runs on a
thread of the global QThreadPool that opens its own `Store` on the database file (a Store belongs to
the thread that opened it) and calls the core's `export_incident`, which writes to a
temporary file and renames it into place. A progress dialog follows it and can cancel;
a cancelled or failed export leaves no file behind.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QThreadPool, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.export.options import PAPER_CHOICES, ExportOptions, resolve_tz
from incidentkit.core.export.progress import ExportCancelled
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.writer import ExportResult, export_incident
from incidentkit.core.store import Store
from incidentkit.ui.widgets.datetime_edit import UtcDateTimeEdit

INCLUDE_LABELS = {
    "all": "Everything",
    "state": "State changes only",
    "manual": "Manual entries and amendments only",
}
_SUFFIXES = {e.extension for e in EXPORTERS.values()}


@dataclass(frozen=True)
class ExportJob:
    db_path: Path
    incident_id: str
    format: str
    dest: Path
    options: ExportOptions


def default_folder() -> Path:
    """The Documents folder when it exists (many systems have none), else the home folder."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    for candidate in (documents, str(Path.home())):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.home()


class _Relay(QObject):
    """Lives on the GUI thread; what the worker emits on it arrives there, queued."""

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


def _run(relay: _Relay, job: ExportJob, stop: threading.Event) -> None:
    """The worker: runs off the GUI thread and touches no widget."""

    def progress(done: int, total: int) -> bool:
        relay.progress.emit(done, total)
        return not stop.is_set()

    try:
        with Store(job.db_path, read_only=True, create=False) as store:  # it only reads
            result = export_incident(store, job.incident_id, job.format, job.dest, job.options, progress)
        outcome: tuple = (relay.done, result)
    except ExportCancelled:
        outcome = (relay.cancelled,)
    except IncidentKitError as exc:
        outcome = (relay.failed, str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug, but it must reach the user as a message, not end a thread
        outcome = (relay.failed, f"the export failed: {exc}")
    try:
        outcome[0].emit(*outcome[1:])
    except RuntimeError:
        pass  # the dialog is gone; the file was written or discarded all the same


class ExportDialog(QDialog):
    """Export one incident. Emits `exported(path)` on success, then closes."""

    exported = Signal(Path)
    progress_changed = Signal(int, int)
    export_failed = Signal(str)
    export_cancelled = Signal()

    def __init__(self, db_path: Path, incident_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export timeline")
        self.db_path = Path(db_path)
        self.incident_id = incident_id
        self._stop: threading.Event | None = None
        self._finished = threading.Event()
        self._finished.set()
        self.progress: QProgressDialog | None = None
        self._relay = _Relay()  # parentless: it must outlive the dialog while a worker may emit
        self._relay.progress.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._relay.cancelled.connect(self._on_cancelled)
        self._build()
        self._format_changed()

    # layout ------------------------------------------------------------------------
    def _build(self) -> None:
        self.format_box = QComboBox()
        for exporter in EXPORTERS.values():
            self.format_box.addItem(f"{exporter.label} ({exporter.extension})", exporter.name)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.include_box = QComboBox()
        for key, label in INCLUDE_LABELS.items():
            self.include_box.addItem(label, key)
        now = datetime.now(timezone.utc)
        self.since_check, self.since_edit = QCheckBox("From"), UtcDateTimeEdit(now - timedelta(days=7))
        self.until_check, self.until_edit = QCheckBox("Until"), UtcDateTimeEdit(now)
        for check, edit in ((self.since_check, self.since_edit), (self.until_check, self.until_edit)):
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
        self.tz_box = QComboBox()
        self.tz_box.setEditable(True)
        self.tz_box.addItems(["UTC", "local"])
        self.tz_box.setToolTip("UTC, local, or a zone name such as Europe/Berlin")
        self.notes_check = QCheckBox("Include step notes")
        self.notes_check.setChecked(True)
        self.paper_box = QComboBox()
        self.paper_box.addItems(list(PAPER_CHOICES))
        self.dest_edit = QLineEdit()
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose_destination)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self.error_label.setStyleSheet(f"color: {'#ff7b7b' if dark else '#b00020'};")  # legible on either
        self.error_label.hide()

        dest_row = QHBoxLayout()
        dest_row.addWidget(self.dest_edit, 1)
        dest_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow("&Format:", self.format_box)
        form.addRow("&Include:", self.include_box)
        for check, edit in ((self.since_check, self.since_edit), (self.until_check, self.until_edit)):
            form.addRow(check, edit)
        form.addRow("&Time zone:", self.tz_box)
        form.addRow("", self.notes_check)
        form.addRow("&Paper (PDF):", self.paper_box)
        dest_label = QLabel("&Save to:")
        dest_label.setBuddy(self.dest_edit)  # a row of widgets has no buddy of its own
        form.addRow(dest_label, dest_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        self.setMinimumWidth(40 * self.fontMetrics().horizontalAdvance("M"))  # room for the whole path
        layout.addWidget(self.buttons)
        self.dest_edit.setText(str(default_folder() / f"incident-{self.incident_id[:8]}-timeline.md"))
        self.create_box: QMessageBox | None = None

    def format_name(self) -> str:
        return str(self.format_box.currentData())

    def _format_changed(self) -> None:
        exporter = EXPORTERS[self.format_name()]
        self.paper_box.setEnabled(exporter.name == "pdf")
        filtered = exporter.name != "json"  # the json export always holds every event
        for widget in (self.include_box, self.since_check, self.until_check, self.tz_box, self.notes_check):
            widget.setEnabled(filtered)
        self.since_edit.setEnabled(filtered and self.since_check.isChecked())
        self.until_edit.setEnabled(filtered and self.until_check.isChecked())
        text = self.dest_edit.text().strip()
        if text:
            path = Path(text)
            stem = path.stem if path.suffix in _SUFFIXES else path.name
            self.dest_edit.setText(str(path.with_name(stem + exporter.extension)))

    def choose_destination(self) -> QFileDialog:
        """Open a save-file chooser (non-modal to the app, modal to this dialog)."""
        exporter = EXPORTERS[self.format_name()]
        chooser = QFileDialog(self, "Export to", self.dest_edit.text())
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        chooser.setNameFilters([f"{exporter.label} (*{exporter.extension})", "All files (*)"])
        chooser.setDefaultSuffix(exporter.extension.lstrip("."))
        chooser.selectFile(self.dest_edit.text())
        chooser.fileSelected.connect(self.dest_edit.setText)
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.open()
        return chooser

    # running -----------------------------------------------------------------------
    def options(self) -> ExportOptions:
        """The chosen options; IncidentKitError with one line when they do not make sense."""
        tz = self.tz_box.currentText().strip() or "UTC"
        resolve_tz(tz)
        return ExportOptions(
            include=str(self.include_box.currentData()),  # type: ignore[arg-type]
            since=self.since_edit.utc() if self.since_check.isChecked() else None,
            until=self.until_edit.utc() if self.until_check.isChecked() else None,
            tz=tz,
            include_notes=self.notes_check.isChecked(),
            paper=self.paper_box.currentText(),
        )

    def start_export(self) -> None:
        if self.running:
            return
        text = self.dest_edit.text().strip()
        try:
            if not text:
                raise IncidentKitError("choose where to save the export")
            job = ExportJob(self.db_path, self.incident_id, self.format_name(), Path(text).expanduser(), self.options())
        except IncidentKitError as exc:
            self._show_error(str(exc))
            return
        folder = job.dest.parent
        if not folder.exists() and not any(p.is_file() for p in folder.parents):
            self._ask_to_create(folder)  # a typed folder that is not there yet: ask, then go on
            return
        self._run_job(job)

    def _ask_to_create(self, folder: Path) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Export timeline", f"The folder {folder} does not exist. Create it?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: self._create_answered(folder, button is yes))
        self.create_box = box
        box.open()

    def _create_answered(self, folder: Path, create: bool) -> None:
        if self.create_box is not None:
            self.create_box.deleteLater()
            self.create_box = None
        if not create:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._show_error(f"cannot create {folder}: {exc.strerror or exc}")
            return
        self.start_export()

    def _run_job(self, job: ExportJob) -> None:
        self.error_label.hide()
        self._set_busy(True)
        self.progress = QProgressDialog("Exporting…", "Cancel", 0, 0, self)
        self.progress.setWindowTitle("Export timeline")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(400)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel_export)
        self._stop, self._finished = threading.Event(), threading.Event()
        stop, finished, relay = self._stop, self._finished, self._relay
        # Deleted with its window (no reject() then): an export nobody waits for is dropped.
        self.destroyed.connect(lambda *_: stop.set())

        def work() -> None:
            try:
                _run(relay, job, stop)
            finally:
                finished.set()

        # A pool thread is a QThread with its own event dispatcher, which QTextDocument and
        # QPdfWriter need (a plain Python thread has none and Qt warns on every timer).
        QThreadPool.globalInstance().start(work)

    @property
    def running(self) -> bool:
        return self._stop is not None

    def cancel_export(self) -> None:
        if self._stop is not None:
            self._stop.set()
            if self.progress is not None:
                self.progress.setLabelText("Cancelling…")

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker has finished (its outcome still arrives via the event loop)."""
        return self._finished.wait(timeout)

    def reject(self) -> None:
        self.cancel_export()  # closing the dialog mid-export discards the export
        super().reject()

    # outcomes (on the GUI thread) --------------------------------------------------
    def _on_progress(self, done: int, total: int) -> None:
        if self.progress is not None and not self._stop_requested():
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, total))
        self.progress_changed.emit(done, total)

    def _stop_requested(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    def _on_done(self, result: ExportResult) -> None:
        self._finish()
        self.exported.emit(result.path)
        self.accept()

    def _on_failed(self, message: str) -> None:
        self._finish()
        self._show_error(message)
        self.export_failed.emit(message)

    def _on_cancelled(self) -> None:
        self._finish()
        self._show_error("Export cancelled; nothing was written.")
        self.export_cancelled.emit()

    def _finish(self) -> None:
        self._stop = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel_export)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.export_button, self.format_box, self.dest_edit, self.choose_button):
            widget.setEnabled(not busy)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
