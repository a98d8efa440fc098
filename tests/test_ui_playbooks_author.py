"""The playbook author's loop: open the folder, copy the built-in playbook to customise, save a
broken file and see the problems, fix it and see the preview, with real files and the real watcher."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.customise import copy_to_customise, custom_version, customised_markdown
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.playbook.loader import load_playbook
from incidentkit.ui.playbooks.copy_dialog import CopyDialog
from incidentkit.ui.playbooks.dialog import PlaybooksDialog
from incidentkit.ui.playbooks.problems_panel import COL_PROBLEM
from incidentkit.ui.playbooks.watcher import LibraryWatcher
from incidentkit.ui.steps.tree_model import IS_PHASE_ROLE

RUNBOOK = """\
---
id: team-runbook
title: Team runbook
version: "1"
---
# Team runbook

## Contain

- [ ] Call the vendor {#call severity=high}
- [ ] Count the rows {#count due=soon}
"""
BROKEN = RUNBOOK.replace("{#count due=soon}", "{#call}")


@pytest.fixture
def dialog(qtbot, paths: AppPaths) -> Iterator[PlaybooksDialog]:
    watcher = LibraryWatcher(paths, debounce_ms=50)
    d = PlaybooksDialog(watcher, paths)
    qtbot.addWidget(d)
    d.show()
    yield d
    watcher.deleteLater()


def builtin():
    return PlaybookLibrary.discover(None).get("vendor-data-breach")


def test_custom_versions_sort_after_the_original() -> None:
    assert custom_version("1.0.0") == "1.0.0-custom.1"
    assert custom_version("1.0.0-custom.1") == "1.0.0-custom.2"


def test_the_copy_changes_only_the_front_matter_it_must() -> None:
    original = builtin()
    kept = customised_markdown(original)
    assert kept.replace('version: "1.0.0-custom.1"', 'version: "1.0.0"') == original.markdown
    other = customised_markdown(original, new_id="vendor-breach-acme")
    assert 'id: "vendor-breach-acme"' in other and 'title: "Vendor data breach (customised)"' in other
    with pytest.raises(IncidentKitError, match="invalid id 'Bad Id'"):
        customised_markdown(original, new_id="Bad Id")


def test_copy_to_customise_writes_a_loading_file_and_never_replaces_one(tmp_path: Path) -> None:
    folder = tmp_path / "playbooks"
    path = copy_to_customise(builtin(), folder)
    copy = load_playbook(path)
    assert (path.name, copy.id, copy.version) == ("vendor-data-breach.md", "vendor-data-breach", "1.0.0-custom.1")
    assert [s.id for s in copy.steps()] == [s.id for s in builtin().steps()]
    with pytest.raises(IncidentKitError, match="already exists"):
        copy_to_customise(builtin(), folder)


def test_the_dialog_previews_the_selected_playbook_read_only(qtbot, dialog: PlaybooksDialog) -> None:
    preview = dialog.preview
    assert preview.playbook is not None and preview.playbook.id == "vendor-data-breach"
    model = preview.model
    phases = [model.index(row, 0) for row in range(model.rowCount())]
    assert [i.data(IS_PHASE_ROLE) for i in phases] == [True] * 4
    assert phases[0].data().startswith("Scope  0/")
    assert not model.setData(model.index(0, 0, phases[0]), True, 10)  # a tick writes nothing
    assert "4 phases, 62 steps" in preview.caption.text()


def test_copy_the_builtin_playbook_to_customise(qtbot, dialog: PlaybooksDialog, paths: AppPaths) -> None:
    assert dialog.copy_button.isEnabled()
    dialog.copy_button.click()
    copy = dialog.findChild(CopyDialog)
    assert copy is not None and copy.keep.isChecked() and copy.new_id() is None
    copy.both.setChecked(True)
    copy.id_edit.setText("Bad Id")
    assert not copy.copy_button.isEnabled() and "invalid id" in copy.problem.text()
    copy.keep.setChecked(True)
    assert copy.copy_button.isEnabled()
    copy.copy_button.click()
    target = paths.playbooks_dir / "vendor-data-breach.md"
    assert target.is_file()
    entry = dialog.library.entry("vendor-data-breach")
    assert (entry.source, entry.playbook.version) == ("user", "1.0.0-custom.1")
    assert dialog.preview.path == str(target)  # the copy is what the preview shows now
    # A second copy with the same id would shadow the first: refused, with the reason.
    dialog._copy(builtin(), None)
    box = dialog.findChild(QMessageBox)
    assert box is not None and "already exists" in box.text()


def test_problems_follow_each_save_and_the_preview_the_edited_file(qtbot, dialog: PlaybooksDialog,
                                                                 paths: AppPaths) -> None:
    target = paths.playbooks_dir / "team.md"
    with qtbot.waitSignal(dialog.watcher.library_changed, timeout=5000):
        target.write_text(RUNBOOK, encoding="utf-8")
    assert dialog.show_path(str(target))
    assert dialog.preview.playbook.id == "team-runbook"
    rows = [dialog.problems.model.index(r, COL_PROBLEM).data() for r in range(dialog.problems.model.rowCount())]
    assert rows == [f"{target}:11: due 'soon' is not a duration: write a whole number and a unit, "
                    "e.g. `72 hours`, `30 days` or `4 business days`"]

    with qtbot.waitSignal(dialog.watcher.library_changed, timeout=5000):
        target.write_text(BROKEN, encoding="utf-8")
    rows = [dialog.problems.model.index(r, COL_PROBLEM).data() for r in range(dialog.problems.model.rowCount())]
    assert rows == [f"{target}:11: duplicate step id 'call' (first used on line 10)"]
    assert not dialog.preview.tree.isEnabled()
    assert "does not load now (1 error" in dialog.preview.caption.text()
    assert "Showing the last version that loaded" in dialog.preview.caption.text()

    with qtbot.waitSignal(dialog.watcher.library_changed, timeout=5000):
        target.write_text(RUNBOOK.replace("due=soon", 'due="2 hours"'), encoding="utf-8")
    assert dialog.problems.model.rowCount() == 0
    assert dialog.preview.tree.isEnabled() and dialog.preview.playbook.step("count").due.amount == 2


def test_open_folder_creates_and_opens_the_playbooks_folder(qtbot, dialog: PlaybooksDialog, paths: AppPaths,
                                                            file_urls: list) -> None:
    paths.playbooks_dir.rmdir()
    dialog.folder.open_button.click()
    assert paths.playbooks_dir.is_dir()
    assert [u.toLocalFile() for u in file_urls] == [str(paths.playbooks_dir)]
