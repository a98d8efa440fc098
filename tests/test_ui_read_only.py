"""The window over a read-only database (an evidence copy, or --read-only): a banner says so,
every action that writes is disabled, and reading, filtering and exporting still work.
And the window's first start over no database makes one and says so in the status bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from incidentkit.core import operations
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.store import Store
from incidentkit.ui.app import build_window
from incidentkit.ui.main_window import MainWindow
from incidentkit.ui.settings import Settings
from incidentkit.ui.steps.tree_model import STEP_ID_ROLE
from incidentkit.ui.widgets.banner import Banner


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(tmp_path / "data")


def _window(qtbot, store: Store, paths: AppPaths, tmp_path: Path) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = build_window(store=store, paths=paths, settings=settings, persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _fill(paths: AppPaths) -> str:
    with Store.open(paths) as store:
        playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
        incident = operations.open_incident(store, playbook=playbook, title="Mailer breach", actor="ann").id
        first = next(playbook.steps()).id
        operations.complete_step(store, incident_id=incident, step_id=first, actor="ann")
        operations.add_timeline_entry(store, incident_id=incident, title="Vendor called", actor="ann")
    return incident


def test_a_read_only_database_opens_with_a_banner_and_nothing_that_writes(qtbot, paths, tmp_path) -> None:
    _fill(paths)
    before = paths.db_path.read_bytes()
    store = Store.open(paths, read_only=True, create=False)
    window = _window(qtbot, store, paths, tmp_path)
    banners = window.findChildren(Banner)
    assert len(banners) == 1 and banners[0].isVisible()
    assert "Read-only" in banners[0].text() and str(paths.db_path) in banners[0].text()

    a = window.actions_
    first, second = window.steps.model.step_ids()[:2]
    for step_id in (first, second):  # a done step and an open one
        assert window.steps.select_step(step_id)
        assert not any(action.isEnabled() for action in (a.new_incident, a.done, a.skip, a.reopen, a.assign))
        assert window.steps.detail.notes.isReadOnly()
    item = window.steps.model.itemFromIndex(window.steps.model.index_for_step(second))
    assert item.data(STEP_ID_ROLE) == second and not item.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert a.next_open.isEnabled() and a.export.isEnabled() and a.find.isEnabled()

    window.tabs.setCurrentWidget(window.timeline_page)
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() == 3)
    window.timeline.table.selectRow(2)
    QApplication.processEvents()
    assert window.timeline.selected_item() is not None
    assert not a.add_entry.isEnabled() and not window.timeline.amend_action.isEnabled()
    assert window.timeline.export_action.isEnabled()
    window.close()
    store.close()
    assert paths.db_path.read_bytes() == before


def test_a_writable_database_has_no_banner(qtbot, paths, tmp_path) -> None:
    _fill(paths)
    with Store.open(paths) as store:
        window = _window(qtbot, store, paths, tmp_path)
        assert window.findChildren(Banner) == [] and window.actions_.new_incident.isEnabled()
        window.close()


def test_the_first_start_makes_the_database_and_says_where(qtbot, paths, tmp_path) -> None:
    with Store.open(paths) as store:
        window = _window(qtbot, store, paths, tmp_path)
        assert window.statusBar().currentMessage() == f"Created a new IncidentKit database at {paths.db_path}"
        window.close()
    with Store.open(paths) as store:  # once: not when it is there
        window = _window(qtbot, store, paths, tmp_path)
        assert window.statusBar().currentMessage() == ""
        window.close()
