"""The library watcher and the problems panel, with real playbook files under tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from incidentkit.core import operations
from incidentkit.core.paths import AppPaths
from incidentkit.core.store import Store
from incidentkit.ui.playbooks.problems_panel import COL_PROBLEM, COL_SEVERITY, ProblemsPanel
from incidentkit.ui.playbooks.watcher import LibraryWatcher

GOOD = """---
id: team-breach
title: Team breach runbook
version: "1"
---
# Team breach runbook

## Scope

- [ ] Call the vendor {#call}
- [ ] Count the customers {#count}
"""

BROKEN = GOOD.replace("{#count}", "{#call}")  # a duplicate id on line 11


@pytest.fixture
def paths(data_dir: Path) -> AppPaths:
    p = AppPaths(data_dir)
    p.ensure()
    return p


@pytest.fixture
def watcher(qtbot, paths):
    w = LibraryWatcher(paths, debounce_ms=50)
    yield w
    w.deleteLater()


def replace_file(path: Path, text: str) -> None:
    """Save the way many editors do: write a new file, rename it over the old one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def ids(library) -> set[str]:
    return {e.playbook.id for e in library.playbooks}


def test_broken_playbook_shows_its_line_and_a_fix_clears_it(qtbot, paths, watcher):
    target = paths.playbooks_dir / "team.md"
    with qtbot.waitSignal(watcher.library_changed, timeout=5000) as changed:
        target.write_text(BROKEN, encoding="utf-8")
    library = changed.args[0]
    problems = [d for d in library.problems if d.path == str(target)]
    assert [(d.line, d.severity) for d in problems] == [(11, "error")]
    assert "duplicate step id 'call'" in problems[0].message

    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_problems(library.problems)
    assert panel.model.index(0, COL_PROBLEM).data().startswith(f"{target}:11: duplicate step id")
    assert panel.model.index(0, COL_SEVERITY).data() == "error"

    with qtbot.waitSignal(watcher.library_changed, timeout=5000) as changed:
        replace_file(target, GOOD)
    assert not changed.args[0].problems
    assert "team-breach" in ids(changed.args[0])
    # The rename dropped the old watch; the watcher watches the new file again.
    assert str(target) in watcher.watcher.files()
    with qtbot.waitSignal(watcher.library_changed, timeout=5000) as changed:
        target.write_text(GOOD.replace("Team breach runbook", "Renamed runbook"), encoding="utf-8")
    assert changed.args[0].get("team-breach").title == "Renamed runbook"


def test_new_file_in_a_new_subfolder_is_found(qtbot, paths, watcher):
    sub = paths.playbooks_dir / "team"
    with qtbot.waitSignal(watcher.library_changed, timeout=5000):
        sub.mkdir()
    with qtbot.waitSignal(watcher.library_changed, timeout=5000) as changed:
        (sub / "team.md").write_text(GOOD, encoding="utf-8")
    assert "team-breach" in ids(changed.args[0])


def test_a_burst_of_changes_is_one_reload(qtbot, paths):
    watcher = LibraryWatcher(paths)  # the real 300 ms debounce: a busy machine still writes 5 files inside it
    target = paths.playbooks_dir / "team.md"
    emitted = []
    watcher.library_changed.connect(emitted.append)
    with qtbot.waitSignal(watcher.library_changed, timeout=5000):
        for n in range(5):
            target.write_text(GOOD + f"\n<!-- edit {n} -->\n", encoding="utf-8")
    qtbot.wait(400)
    assert len(emitted) == 1
    watcher.deleteLater()


def test_extra_folders_and_a_missing_user_folder(qtbot, tmp_path):
    paths = AppPaths(tmp_path / "not-yet")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "team.md").write_text(GOOD, encoding="utf-8")
    watcher = LibraryWatcher(paths, debounce_ms=50)
    assert "team-breach" not in ids(watcher.library)
    with qtbot.waitSignal(watcher.library_changed, timeout=5000) as changed:
        watcher.set_extra_dirs([extra])
    assert changed.args[0].entry("team-breach").source == "extra"
    # The data folder appears later (first run): its playbooks are picked up.
    with qtbot.waitSignal(watcher.library_changed, timeout=5000):
        paths.ensure()
    (paths.playbooks_dir / "mine.md").write_text(GOOD.replace("team-breach", "mine"), encoding="utf-8")
    qtbot.waitUntil(lambda: "mine" in ids(watcher.library), timeout=5000)
    watcher.deleteLater()


def test_problems_panel_empty_state_and_copy(qtbot, paths, watcher):
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.stack.currentWidget() is panel.empty_label
    target = paths.playbooks_dir / "team.md"
    with qtbot.waitSignal(watcher.library_changed, timeout=5000) as changed:
        target.write_text(BROKEN, encoding="utf-8")
    with qtbot.waitSignal(panel.problems_changed) as counted:
        panel.set_problems(changed.args[0].problems)
    assert counted.args == [1]
    assert panel.stack.currentWidget() is panel.table
    assert "1 error, 0 warnings in 1 file" in panel.summary.text()
    with qtbot.waitSignal(panel.location_activated) as activated:
        panel.table.doubleClicked.emit(panel.model.index(0, COL_PROBLEM))
    assert activated.args == [str(target), 11]
    assert QGuiApplication.clipboard().text() == f"{target}:11:{changed.args[0].problems[0].col}"
    panel.set_problems([])
    assert panel.stack.currentWidget() is panel.empty_label


def test_running_incident_keeps_its_pinned_playbook(qtbot, paths, watcher, tmp_path):
    target = paths.playbooks_dir / "team.md"
    with qtbot.waitSignal(watcher.library_changed, timeout=5000) as changed:
        target.write_text(GOOD, encoding="utf-8")
    with Store(tmp_path / "incidentkit.db") as store:
        incident = operations.open_incident(store, playbook=changed.args[0].get("team-breach"), title="Pinned",
                                            actor="alice")
        with qtbot.waitSignal(watcher.library_changed, timeout=5000) as changed:
            replace_file(target, GOOD.replace("Call the vendor", "Email the vendor"))
        assert changed.args[0].get("team-breach").step("call").text == "Email the vendor"
        assert store.playbook(incident.id).step("call").text == "Call the vendor"
