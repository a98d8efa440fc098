"""The column dialog on real widgets: a file whose columns are not worked out opens it on
the file's first rows (nothing recorded yet); the columns chosen import the file, as
`scope import --map` would; Cancel imports nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from scope_helpers import new_incident

from incidentkit.core.scope.edits import read_profile
from incidentkit.core.scope.preview import preview
from incidentkit.ui.scope.mapping_dialog import MappingDialog
from incidentkit.ui.scope.panel import ScopePanel

VENDOR = "Mail Addr;Land;Region\nann@example.com;US;CA\nbob@example.com;DE;\nann@example.com;US;CA\n"


@pytest.fixture
def setup(tmp_path: Path, qtbot):
    store, incident = new_incident(tmp_path)
    panel = ScopePanel(lambda operation, **kw: operation(store, actor="ann", **kw), lambda: "ann")
    qtbot.addWidget(panel)
    panel.show()
    panel.set_incident(store, incident)
    yield store, incident, panel
    panel.runner.cancel()
    panel.runner.wait(10)
    store.close()


def _dialog_for(qtbot, panel: ScopePanel, folder: Path, text: str, name: str = "vendor.csv") -> MappingDialog:
    """Import a file of `text` in the panel and wait for the column dialog it opens."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    with qtbot.waitSignal(panel.runner.unmapped, timeout=20_000):
        assert panel.start_import(path)
    assert panel.mapping_dialog is not None
    return panel.mapping_dialog


def _ok(dialog: MappingDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_unrecognised_columns_open_the_dialog_and_the_columns_chosen_import_the_file(setup, qtbot,
                                                                                     tmp_path: Path) -> None:
    store, incident, panel = setup
    before = store.event_count(incident)
    dialog = _dialog_for(qtbot, panel, tmp_path, VENDOR)
    assert dialog.isVisible() and store.event_count(incident) == before
    assert dialog.why.text().startswith("No column of this file is named like an email address. Choose which")
    assert dialog.header_box.isChecked() and dialog.table.rowCount() == 3  # the names are the header, not a row
    assert dialog.table.horizontalHeaderItem(0).text() == "1: Mail Addr"
    assert not _ok(dialog).isEnabled() and "Choose the column of the email address" in dialog.equivalent.text()
    dialog.choose("email", 0)
    dialog.choose("country", 1)
    dialog.choose("state", 2)
    assert dialog.mapping() == {"email": "Mail Addr", "country": "Land", "state": "Region"}
    assert dialog.equivalent.text() == ("The same as: incidentkit scope import ID vendor.csv --map email='Mail Addr' "
                                        "--map country='Land' --map state='Region'")
    assert _ok(dialog).isEnabled()
    with qtbot.waitSignal(panel.imported, timeout=20_000) as signal:
        _ok(dialog).click()
    summary = signal.args[0]
    assert summary.columns == {"email": "Mail Addr", "country": "Land", "state": "Region"}
    assert read_profile(store, incident).by_jurisdiction == {"US-CA": 1, "DE": 1}
    assert panel.mapping_dialog is None and panel.status.text().startswith("Imported vendor.csv: 2 people added")


def test_a_file_without_a_header_is_mapped_by_column_number(setup, qtbot, tmp_path: Path) -> None:
    store, incident, panel = setup
    dialog = _dialog_for(qtbot, panel, tmp_path, "7,ann@example.com,DE\n8,bob@example.com,FR\n", "bare.csv")
    assert not dialog.header_box.isChecked() and dialog.table.rowCount() == 2
    dialog.choose("email", 1)
    dialog.choose("country", 2)
    assert dialog.mapping() == {"email": 2, "country": 3}
    dialog.header_box.setChecked(True)  # the first row as names: the choices stay, now by name
    assert dialog.table.rowCount() == 1 and dialog.mapping() == {"email": "ann@example.com", "country": "DE"}
    dialog.header_box.setChecked(False)
    with qtbot.waitSignal(panel.imported, timeout=20_000):
        dialog.accept()
    assert read_profile(store, incident).by_jurisdiction == {"DE": 1, "FR": 1}


def test_cancelling_the_dialog_imports_nothing(setup, qtbot, tmp_path: Path) -> None:
    store, incident, panel = setup
    before = store.event_count(incident)
    _dialog_for(qtbot, panel, tmp_path, VENDOR).reject()
    assert panel.status.text() == "vendor.csv was not imported." and panel.mapping_dialog is None
    assert store.event_count(incident) == before and not panel.runner.running
    qtbot.waitUntil(lambda: panel.import_button.isEnabled())


def test_json_lines_keys_are_mapped_by_name(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    path.write_text('{"who": "ann@example.com", "Country": "DE"}\n', encoding="utf-8")
    dialog = MappingDialog(path, preview(path))
    qtbot.addWidget(dialog)
    assert dialog.header_box.isHidden() and dialog.mapping() == {"country": "Country"}  # recognised: chosen
    dialog.choose("email", 0)
    assert dialog.mapping() == {"email": "who", "country": "Country"}
