"""The Scope tab on real widgets and a real store: what it shows, what it writes, imports
off the GUI thread (done, cancelled, failed, dropped), and its place in the window."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from scope_helpers import new_incident
from scope_helpers import MESSY_COUNTS, messy_file

from incidentkit.core import events as ev
from incidentkit.core.scope import people
from incidentkit.core.scope.edits import read_profile, set_counts
from incidentkit.core.scope.importer import import_people
from incidentkit.ui.scope.models import CodeRole
from incidentkit.ui.scope.panel import ScopePanel
from incidentkit.ui.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def setup(tmp_path: Path, qtbot, settings):
    store, incident = new_incident(tmp_path)

    def run(operation, **kwargs):  # the window's write path, less its message box
        return operation(store, actor="ann", **kwargs)

    panel = ScopePanel(run, lambda: "ann", settings)
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    yield store, incident, panel
    panel.runner.cancel()
    panel.runner.wait(10)
    store.close()


def _codes_in_view(panel: ScopePanel) -> list[str]:
    model = panel.table.model()
    return [model.index(r, 0).data(CodeRole) for r in range(model.rowCount())]


def _import_and_wait(qtbot, panel: ScopePanel, path: Path):
    with qtbot.waitSignal(panel.imported, timeout=20_000) as signal:
        assert panel.start_import(path)
    return signal.args[0]


def test_it_shows_counts_thresholds_the_unknown_and_the_imports(setup, qtbot, tmp_path: Path) -> None:
    store, incident, panel = setup
    import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann")
    set_counts(store, incident_id=incident, counts={"US-CA": 1204}, actor="ann")
    panel.set_incident(store, incident)
    assert panel.people_label.text() == "1,215 people affected"
    assert panel.unknown_banner.isVisible() and "Location unknown: 2" in panel.unknown_banner.text()
    assert _codes_in_view(panel)[0] == "US-CA"  # sorted by people, largest first
    model = panel.table.model()
    row = _codes_in_view(panel).index("US-CA")
    assert [model.index(row, c).data() for c in range(6)] == [
        "US-CA", "California, United States", "1,204", "1", "1,204", "over 1,000"]
    assert model.index(row, 2).data(Qt.ItemDataRole.BackgroundRole) is not None
    unknown = _codes_in_view(panel).index("unknown")
    assert model.index(unknown, 5).data() == "may live anywhere"
    assert model.index(unknown, 0).data(Qt.ItemDataRole.FontRole).bold()
    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert _codes_in_view(panel)[:3] == ["CA-QC", "DE", "GB"]
    assert dict(panel.chart.bars()) == {**MESSY_COUNTS, "US-CA": 1204}
    assert panel.imports.rowCount() == 1 and panel.imports.index(0, 1).data() == "affected.csv"
    assert not panel.progress.isVisible() and panel.import_button.isEnabled()
    assert panel.chart.grab().width() > 0  # paints


def test_the_checklists_write_one_event_per_change(setup, qtbot, settings) -> None:
    store, incident, panel = setup
    settings.set_organisation_defaults(["public-company", "vendor-is-processor"])
    panel.set_incident(store, incident)
    assert panel.box.organisation.tokens() == ["public-company", "vendor-is-processor"]
    assert panel.box.record_org.isVisible() and "defaults from Settings" in panel.box.org_hint.text()
    panel.box.elements.check("email")
    panel.box.elements.check("password")
    panel.box.encryption.setCurrentIndex(panel.box.encryption.findData("key-exposed"))
    panel.box.encryption.activated.emit(panel.box.encryption.currentIndex())
    panel.box.record_org.click()
    profile = read_profile(store, incident)
    assert profile.elements == {"email", "password"} and profile.encrypted == "key-exposed"
    assert profile.organisation == {"public-company", "vendor-is-processor"}
    last = store.events(incident)[-1]
    assert last.kind == ev.SCOPE_ORGANISATION_SET and last.payload["from_settings"] is True
    assert store.event_count(incident) == 5 and not panel.box.record_org.isVisible()
    panel.box.organisation.check("hipaa-covered-entity")
    assert store.events(incident)[-1].payload["flags"] == ["hipaa-covered-entity", "public-company",
                                                          "vendor-is-processor"]
    panel.box.save_default.click()
    assert settings.organisation_defaults() == ["hipaa-covered-entity", "public-company", "vendor-is-processor"]


def test_an_import_runs_off_the_gui_thread_and_shows_its_result(setup, qtbot, tmp_path: Path) -> None:
    store, incident, panel = setup
    panel.set_incident(store, incident)
    summary = _import_and_wait(qtbot, panel, messy_file(tmp_path))
    assert summary.people_added == 12
    assert panel.status.text().startswith("Imported affected.csv: 12 people added")
    assert "affected.csv:10: rejected: no identifier" in panel.status.toolTip()
    assert panel.people_label.text() == "12 people affected" and panel.imports.rowCount() == 1
    qtbot.waitUntil(lambda: not panel.progress.isVisible())


def test_the_tab_says_how_many_people_were_seen_at_two_locations(setup, qtbot, tmp_path: Path) -> None:
    from test_scope_conflicts import FIRST

    store, incident, panel = setup
    panel.set_incident(store, incident)
    first = tmp_path / "first.csv"
    first.write_text(FIRST, encoding="utf-8")
    assert _import_and_wait(qtbot, panel, first).location_conflicts == 2
    assert panel.status.text().endswith("2 people were seen at two different locations, each counted where "
                                        "first located.")
    assert "2 seen at another location" in panel.imports.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)


def test_a_cancelled_import_changes_nothing(setup, qtbot, tmp_path: Path) -> None:
    store, incident, panel = setup
    panel.set_incident(store, incident)
    big = tmp_path / "big.csv"
    big.write_text("email,country\n" + "".join(f"p{i}@example.com,DE\n" for i in range(100_000)), encoding="utf-8")
    before = store.event_count(incident)
    # Progress reaches the window queued, so Cancel pressed on seeing it raced the worker: on a
    # busy machine the import had finished first and `cancelled` never came. The worker now waits,
    # mid-count, in its own thread (a direct connection), until Cancel has been clicked.
    clicked = threading.Event()
    panel.runner._relay.progress.connect(lambda done, total: clicked.wait(20) if done > 100 else None,
                                         Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(panel.runner.cancelled, timeout=30_000):
        assert panel.start_import(big)
        assert panel.progress.isVisible() and panel.cancel_button.isVisible() and not panel.import_button.isEnabled()
        panel.cancel_button.click()
        assert panel.status.text() == "Cancelling…"
        clicked.set()
    assert panel.status.text() == "Import cancelled: nothing was recorded."
    assert store.event_count(incident) == before and people.stored_people(store.conn, incident) == 0
    qtbot.waitUntil(lambda: panel.import_button.isEnabled())


def test_a_failed_import_says_why(setup, qtbot, tmp_path: Path) -> None:
    store, incident, panel = setup
    panel.set_incident(store, incident)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("ann@example.com\n", encoding="utf-8")
    with qtbot.waitSignal(panel.runner.failed, timeout=20_000):
        panel.start_import(broken)
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    assert "broken.jsonl:1: not JSON Lines" in box.text()
    box.close()
    assert panel.status.text().startswith("Import failed: ") and panel.mapping_dialog is None


def test_a_dropped_file_is_imported(setup, qtbot, tmp_path: Path) -> None:
    store, incident, panel = setup
    panel.set_incident(store, incident)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(messy_file(tmp_path)))])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    panel.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(panel.imported, timeout=20_000):
        panel.dropEvent(drop)
    assert read_profile(store, incident).people == 12


def test_the_window_has_a_scope_tab_built_when_first_shown(tmp_path: Path, qtbot, settings) -> None:
    from incidentkit.core.paths import AppPaths
    from incidentkit.core.store import Store
    from incidentkit.ui.app import build_window

    paths = AppPaths(tmp_path / "data")
    with Store.open(paths) as store:
        incident = store.create_incident(__import__("incident_helpers").tiny_playbook(), "x", actor="ann").id
        import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann")
    window = build_window(store=Store.open(paths), paths=paths, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.scope._panel is None
    window.tabs.setCurrentWidget(window.scope)
    panel = window.scope._panel
    assert panel is not None and panel.profile.people == 12 and panel.incident_id == incident
    panel.box.elements.check("ssn")  # through the window's write path: every tab hears of it
    assert panel.profile.elements == {"ssn"}
    window.load_timeline()
    qtbot.waitUntil(lambda: any("Scope: data exposed: Social Security numbers" in str(item.title)
                                for item in window.timeline.model.items()))
