"""Settings over a real ini file, the Settings dialog, and the About box."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

import incidentkit
from incidentkit.ui.about import AboutDialog
from incidentkit.ui.settings import EXTRA_DIRS_KEY, Settings, os_user
from incidentkit.ui.settings_dialog import SettingsDialog


def ini(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(ini(tmp_path))


def test_display_name_defaults_to_os_user_and_persists(tmp_path, settings):
    assert settings.display_name() == os_user() != ""
    settings.set_display_name("  Dana   Scully ")
    settings.sync()
    again = Settings(ini(tmp_path))
    assert again.display_name() == "Dana Scully"
    again.set_display_name("   ")
    assert again.display_name() == os_user()


def test_extra_folders_round_trip(tmp_path, settings):
    assert settings.extra_playbook_dirs() == []
    settings.set_extra_playbook_dirs([tmp_path / "a", str(tmp_path / "a"), tmp_path / "b c"])
    settings.sync()
    assert Settings(ini(tmp_path)).extra_playbook_dirs() == [tmp_path / "a", tmp_path / "b c"]
    settings.set_extra_playbook_dirs([tmp_path / "only"])
    assert settings.extra_playbook_dirs() == [tmp_path / "only"]
    settings.set_extra_playbook_dirs([])
    assert settings.extra_playbook_dirs() == []


def test_damaged_folder_list_reads_as_empty(settings):
    settings.qsettings.setValue(EXTRA_DIRS_KEY, "[not json")
    assert settings.extra_playbook_dirs() == []
    settings.qsettings.setValue(EXTRA_DIRS_KEY, '{"a": 1}')
    assert settings.extra_playbook_dirs() == []


def test_geometry_bytes_persist(tmp_path, settings):
    assert settings.geometry("main") is None
    blob = bytes(range(256))
    settings.set_geometry("main", blob)
    settings.set_geometry("splitter", QByteArray(b"\x00\x01state"))
    settings.sync()
    again = Settings(ini(tmp_path))
    assert bytes(again.geometry("main").data()) == blob
    assert bytes(again.geometry("splitter").data()) == b"\x00\x01state"


def test_dialog_edits_and_saves_on_ok(qtbot, tmp_path, settings):
    settings.set_extra_playbook_dirs([tmp_path / "team"])
    dialog = SettingsDialog(settings, tmp_path / "data")
    qtbot.addWidget(dialog)
    assert dialog.name_edit.placeholderText() == os_user()
    assert dialog.folders() == [tmp_path / "team"]
    assert not dialog.remove_button.isEnabled()
    dialog.name_edit.setText("Dana")
    assert dialog.add_folder(tmp_path / "vendor")
    assert not dialog.add_folder(tmp_path / "vendor")
    dialog.folder_list.setCurrentRow(0)
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert settings.display_name() == os_user()  # nothing saved before OK
    with qtbot.waitSignal(dialog.applied):
        dialog.accept()
    again = Settings(ini(tmp_path))
    assert again.display_name() == "Dana"
    assert again.extra_playbook_dirs() == [tmp_path / "vendor"]


def test_dialog_cancel_saves_nothing(qtbot, tmp_path, settings):
    dialog = SettingsDialog(settings, tmp_path / "data")
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Mallory")
    dialog.add_folder(tmp_path / "x")
    with qtbot.assertNotEmitted(dialog.applied):
        dialog.reject()
    assert settings.saved_display_name() == ""
    assert settings.extra_playbook_dirs() == []


def test_open_data_folder_opens_our_folder(qtbot, tmp_path, settings, file_urls):
    data = tmp_path / "data"
    dialog = SettingsDialog(settings, data)
    qtbot.addWidget(dialog)
    assert dialog.data_folder.path_edit.text() == str(data)
    dialog.data_folder.open_button.click()
    assert data.is_dir()
    assert [u.toLocalFile() for u in file_urls] == [str(data)]


def test_about_shows_version_and_data_folder(qtbot, tmp_path, file_urls):
    dialog = AboutDialog(tmp_path / "data")
    qtbot.addWidget(dialog)
    assert incidentkit.__version__ in dialog.title_label.text()
    dialog.data_folder.open_button.click()
    assert [u.toLocalFile() for u in file_urls] == [str(tmp_path / "data")]
