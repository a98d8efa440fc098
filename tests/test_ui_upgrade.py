"""The window with a newer playbook in the library: the banner, the preview, the upgrade, and what
the tree and the step detail show afterwards (severity, due time, changed and retired steps)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from incident_helpers import MARKDOWN, V2
from PySide6.QtCore import QSettings, Qt

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.store import Store
from incidentkit.core.upgrade import upgrade_incident
from incidentkit.ui.app import build_window
from incidentkit.ui.main_window import MainWindow
from incidentkit.ui.playbooks.upgrade_dialog import UpgradeDialog
from incidentkit.ui.settings import Settings
from incidentkit.ui.steps.tree_model import COL_SEVERITY, COL_STATUS

AWARE = datetime.now(timezone.utc) - timedelta(hours=30)  # `file` (24 hours) is overdue, `notify` (72) is not


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    p = AppPaths(tmp_path / "data")
    p.ensure()
    (p.playbooks_dir / "tiny.md").write_text(MARKDOWN, encoding="utf-8")
    return p


@pytest.fixture
def window(qtbot, paths: AppPaths, tmp_path: Path) -> Iterator[MainWindow]:
    store = Store.open(paths)
    playbook = PlaybookLibrary.discover(paths).get("tiny")
    incident = ops.open_incident(store, playbook=playbook, title="Acme", actor="ann", aware_at=AWARE)
    ops.complete_step(store, incident_id=incident.id, step_id="confirm", actor="ann")
    ops.note_step(store, incident_id=incident.id, step_id="count", text="1,200 so far", actor="ann")
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    w = build_window(store=store, paths=paths, settings=settings, actor="dana", persist=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.load_library()
    yield w
    store.close()


def newer_in_library(qtbot, window: MainWindow, paths: AppPaths) -> None:
    with qtbot.waitSignal(window.watcher.library_changed, timeout=5000):
        (paths.playbooks_dir / "tiny.md").write_text(V2, encoding="utf-8")


def test_the_banner_appears_when_a_newer_version_is_saved(qtbot, window: MainWindow, paths: AppPaths) -> None:
    assert not window.upgrade_banner.isVisible() and not window.actions_.upgrade.isEnabled()
    newer_in_library(qtbot, window, paths)
    assert window.upgrade_banner.isVisible()
    assert window.upgrade_banner.label.text() == "Playbook 1.1 is available: 2 new steps, 1 removed, 2 changed"
    assert window.actions_.upgrade.isEnabled()
    window.upgrade_banner.later.click()
    assert not window.upgrade_banner.isVisible()
    assert window.actions_.upgrade.isEnabled()  # still on offer from the menu


def test_preview_then_upgrade(qtbot, window: MainWindow, paths: AppPaths) -> None:
    newer_in_library(qtbot, window, paths)
    session = window.session()
    before = window.store.event_count(session.id)
    window.upgrade_banner.preview.click()
    dialog = window.findChild(UpgradeDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.group_titles() == ["New steps (start open): 2", "Changed: read them again: 2",
                                     "Removed, kept as retired (they have a history): 1"]
    assert dialog.steps_in(2) == ["Count affected people"]
    dialog.upgrade_button.click()

    assert window.store.event_count(session.id) == before + 1
    assert window.store.events(session.id)[-1].kind == ev.INCIDENT_PLAYBOOK_UPGRADED
    assert window.store.verify(session.id).ok
    assert not window.upgrade_banner.isVisible() and not window.actions_.upgrade.isEnabled()
    assert "Tiny playbook 1.1" in window.header.facts.text()
    model = window.steps.model
    assert model.step_ids() == ["confirm", "file", "notify", "ag", "count"]  # rebuilt, retired step last
    assert model.index_for_step("confirm").siblingAtColumn(COL_STATUS).data() == "Done, changed"
    assert model.index_for_step("count").siblingAtColumn(COL_STATUS).data() == "Retired"
    assert not (model.itemFromIndex(model.index_for_step("count")).flags() & Qt.ItemFlag.ItemIsUserCheckable)
    assert model.index_for_step("confirm").siblingAtColumn(COL_SEVERITY).data() == "High"
    assert not window.steps.tree.isColumnHidden(COL_SEVERITY)


def test_the_step_detail_after_an_upgrade(qtbot, window: MainWindow, paths: AppPaths) -> None:
    session = window.session()
    with Store(paths.db_path) as other:  # another process (the CLI) upgrades it
        upgrade_incident(other, incident_id=session.id, playbook=_v2(), actor="cy")
    window.poll()
    steps, detail = window.steps, window.steps.detail

    steps.select_step("confirm")
    assert detail.notice.isVisible()
    assert detail.notice.text() == ('The playbook\'s version 1.1 changed this step: read it again. '
                                    'Before, it read: "Confirm the breach in writing"')
    assert "Severity: high" in detail.meta.text()
    assert detail.guidance.toPlainText().startswith("Confirm the breach in writing with the vendor")

    steps.select_step("file")
    assert not detail.notice.isVisible()
    assert "(24 hours after awareness) · overdue" in detail.meta.text()
    steps.select_step("notify")
    assert "(72 hours after awareness)" in detail.meta.text() and "overdue" not in detail.meta.text()

    steps.select_step("count")
    assert detail.notice.text().startswith("Retired: an upgrade of the playbook removed this step")
    assert detail.notes.toPlainText() == "1,200 so far"
    assert not window.actions_.done.isEnabled() and not window.actions_.skip.isEnabled()


def test_a_step_title_renders_its_inline_markdown(qtbot, window: MainWindow, paths: AppPaths) -> None:
    bold = V2.replace("Ask the vendor for the file", "Ask **Amazon Macie** for the file")
    with Store(paths.db_path) as other:
        upgrade_incident(other, incident_id=window.session().id, playbook=_v2(bold), actor="cy")
    window.poll()
    window.steps.select_step("file")
    text = window.steps.detail.guidance.toPlainText()
    assert text.startswith("Ask Amazon Macie for the file") and "*" not in text


def _v2(text: str = V2):
    from incidentkit.core.playbook.parser import parse_playbook

    return parse_playbook(text, "tiny.md")
