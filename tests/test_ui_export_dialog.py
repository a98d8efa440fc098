"""The Export dialog with real widgets: options, destination chooser, worker thread, cancel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_helpers import HOSTILE, bulk_incident, hostile_incident
from incident_helpers import open_store
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from incidentkit.core.export.registry import EXPORTERS
from incidentkit.ui.export_dialog import ExportDialog


@pytest.fixture
def hostile_db(tmp_path) -> tuple[Path, str]:
    with open_store(tmp_path / "data") as store:
        incident, _ = hostile_incident(store)
    return tmp_path / "data" / "incidentkit.db", incident.id


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def make_dialog(qtbot, db: Path, incident_id: str) -> ExportDialog:
    dialog = ExportDialog(db, incident_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose(dialog: ExportDialog, fmt: str) -> None:
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))


def test_formats_options_and_extension_follow_the_choice(qtbot, hostile_db):
    dialog = make_dialog(qtbot, *hostile_db)
    assert [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())] == list(EXPORTERS)
    choose(dialog, "pdf")
    assert dialog.dest_edit.text().endswith("-timeline.pdf") and dialog.paper_box.isEnabled()
    choose(dialog, "json")
    assert dialog.dest_edit.text().endswith("-timeline.json")
    assert not dialog.include_box.isEnabled() and not dialog.paper_box.isEnabled()
    choose(dialog, "timesketch-jsonl")
    assert dialog.dest_edit.text().endswith(".jsonl") and dialog.include_box.isEnabled()


def test_export_runs_in_the_background_and_writes_the_file(qtbot, hostile_db, out):
    dialog = make_dialog(qtbot, *hostile_db)
    choose(dialog, "csv")
    dialog.include_box.setCurrentIndex(dialog.include_box.findData("all"))
    dest = out / "timeline.csv"
    dialog.dest_edit.setText(str(dest))
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert done.args == [dest]
    data = dest.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"'=HYPERLINK" in data
    assert not dialog.isVisible()
    assert [p.name for p in out.iterdir()] == ["timeline.csv"]


def test_no_notes_and_time_zone_reach_the_export(qtbot, hostile_db, out):
    dialog = make_dialog(qtbot, *hostile_db)
    choose(dialog, "timesketch-jsonl")
    dialog.notes_check.setChecked(False)
    dialog.tz_box.setEditText("Asia/Tokyo")
    dialog.dest_edit.setText(str(out / "t.jsonl"))
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        dialog.start_export()
    records = [json.loads(line) for line in (out / "t.jsonl").read_text().splitlines()]
    assert records and all(r["datetime"].endswith("+09:00") for r in records)
    assert not any(HOSTILE in r["message"] for r in records)


def test_bad_choices_are_explained_in_the_dialog(qtbot, hostile_db, out):
    dialog = make_dialog(qtbot, *hostile_db)
    dialog.tz_box.setEditText("Mars/Olympus")
    dialog.dest_edit.setText(str(out / "t.md"))
    dialog.start_export()
    assert "unknown time zone" in dialog.error_label.text() and dialog.error_label.isVisible()
    assert not dialog.running

    dialog.tz_box.setEditText("UTC")
    (out / "a-file").write_text("not a folder")
    dialog.dest_edit.setText(str(out / "a-file" / "t.md"))
    with qtbot.waitSignal(dialog.export_failed, timeout=20_000) as failed:
        dialog.start_export()
    assert "is not a folder" in failed.args[0] and "\n" not in failed.args[0]
    assert dialog.isVisible() and dialog.export_button.isEnabled()
    assert [p.name for p in out.iterdir()] == ["a-file"]


def test_file_chooser_sets_the_destination(qtbot, hostile_db, out):
    dialog = make_dialog(qtbot, *hostile_db)
    choose(dialog, "html")
    chooser = dialog.choose_destination()
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    chooser.setDirectory(str(out))
    chooser.selectFile(str(out / "chosen.html"))
    chooser.accept()
    assert dialog.dest_edit.text() == str(out / "chosen.html")


@pytest.fixture
def big_db(tmp_path) -> tuple[Path, str]:
    with open_store(tmp_path / "big") as store:
        incident = bulk_incident(store, 10_000)
    return tmp_path / "big" / "incidentkit.db", incident.id


def test_cancel_leaves_no_file(qtbot, big_db, out):
    dialog = make_dialog(qtbot, *big_db)
    choose(dialog, "pdf")
    dest = out / "big.pdf"
    dest.write_bytes(b"an older export")
    dialog.dest_edit.setText(str(dest))
    with qtbot.waitSignal(dialog.progress_changed, timeout=20_000):
        dialog.start_export()
    assert dialog.progress is not None and not dialog.export_button.isEnabled()
    cancel = dialog.progress.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    with qtbot.waitSignal(dialog.export_cancelled, timeout=30_000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert "cancelled" in dialog.error_label.text()
    assert dest.read_bytes() == b"an older export"
    assert [p.name for p in out.iterdir()] == ["big.pdf"]
    assert dialog.export_button.isEnabled() and dialog.progress is None


def test_closing_the_dialog_mid_export_discards_it(qtbot, big_db, out):
    dialog = make_dialog(qtbot, *big_db)
    choose(dialog, "pdf")
    dialog.dest_edit.setText(str(out / "gone.pdf"))
    with qtbot.waitSignal(dialog.progress_changed, timeout=20_000):
        dialog.start_export()
    dialog.reject()
    dialog.wait(30)
    qtbot.wait(50)
    assert list(out.iterdir()) == []


def test_deleting_the_window_mid_export_discards_it(qtbot, big_db, out):
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    dialog = ExportDialog(big_db[0], big_db[1], window)
    choose(dialog, "pdf")
    dialog.dest_edit.setText(str(out / "orphan.pdf"))
    with qtbot.waitSignal(dialog.progress_changed, timeout=20_000):
        dialog.start_export()
    finished = dialog._finished
    with qtbot.waitSignal(window.destroyed):
        window.deleteLater()
    assert finished.wait(30)
    assert list(out.iterdir()) == []


def test_the_default_folder_exists(qtbot, hostile_db, tmp_path, monkeypatch):
    home = tmp_path / "home"  # a home without a Documents folder, as on many systems
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    dialog = make_dialog(qtbot, *hostile_db)
    assert Path(dialog.dest_edit.text()).parent == home
    (home / "Documents").mkdir()
    assert Path(make_dialog(qtbot, *hostile_db).dest_edit.text()).parent == home / "Documents"


@pytest.mark.parametrize("answer", ["Yes", "Cancel"])
def test_a_missing_folder_is_created_on_confirmation(qtbot, hostile_db, out, answer):
    from PySide6.QtWidgets import QMessageBox

    dialog = make_dialog(qtbot, *hostile_db)
    choose(dialog, "md")
    dest = out / "new" / "deeper" / "timeline.md"
    dialog.dest_edit.setText(str(dest))
    dialog.start_export()
    box = dialog.create_box
    assert box is not None and str(dest.parent) in box.text() and not dialog.running
    if answer == "Cancel":
        box.button(QMessageBox.StandardButton.Cancel).click()
        assert not dest.parent.exists() and not dialog.running
        return
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        box.button(QMessageBox.StandardButton.Yes).click()
    assert done.args[0] == dest and dest.read_text(encoding="utf-8").startswith("# ")
