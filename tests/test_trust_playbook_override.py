"""A user playbook that overrides a built-in one but does not load is never silently replaced
by the built-in version: the library, `incident new` (and its --builtin) and the new-incident dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_inprocess import InProcessCli
from PySide6.QtCore import Qt

from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import OverrideFailed, PlaybookLibrary
from incidentkit.ui.incidents.new_dialog import NewIncidentDialog
from incidentkit.ui.playbooks.list_model import COL_ID, COL_SOURCE, COL_TITLE

# Broken in its YAML (an unclosed quote), so even its id has to be read from the line.
BROKEN_YAML = '---\nid: vendor-data-breach\ntitle: "Our vendor breach\nversion: 2\n---\n## Scope\n- [ ] Ask\n'
# Front matter fine, body broken (a duplicate step id on line 7).
BROKEN_BODY = ("---\nid: vendor-data-breach\ntitle: Ours\n---\n## Scope\n- [ ] One {#dup}\n"
               "- [ ] Two {#dup}\n")


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    p = AppPaths(tmp_path / "data")
    p.ensure()
    return p


@pytest.mark.parametrize("markdown, line", [(BROKEN_YAML, 1), (BROKEN_BODY, 7)])
def test_a_broken_override_is_refused_with_its_diagnostic(paths, markdown, line):
    path = paths.playbooks_dir / "ours.md"
    path.write_text(markdown, encoding="utf-8")
    library = PlaybookLibrary.discover(paths)
    assert "vendor-data-breach" not in library.ids()
    assert [e.source for e in library.shadowed] == ["builtin"]
    with pytest.raises(OverrideFailed) as info:
        library.get("vendor-data-breach")
    message = str(info.value)
    assert message.startswith(f"playbook 'vendor-data-breach' in {path} overrides the built-in one but does not "
                              f"load: {path}:{line}:")
    assert ": error: " in message and message.endswith("; fix it, or pass --builtin to use the built-in playbook")
    assert "\n" not in message
    assert library.builtin("vendor-data-breach").source == "builtin"


def test_a_broken_file_named_after_a_builtin_overrides_it_too(paths):
    (paths.playbooks_dir / "vendor-data-breach.md").write_text("# No steps at all\n", encoding="utf-8")
    with pytest.raises(OverrideFailed, match="no task items"):
        PlaybookLibrary.discover(paths).get("vendor-data-breach")


def test_a_good_file_of_the_same_or_a_higher_source_still_wins(paths, tmp_path):
    (paths.playbooks_dir / "a-broken.md").write_text(BROKEN_BODY, encoding="utf-8")
    (paths.playbooks_dir / "b-good.md").write_text(BROKEN_BODY.replace("{#dup}\n-", "{#one}\n-"), encoding="utf-8")
    assert PlaybookLibrary.discover(paths).get("vendor-data-breach").title == "Ours"
    (paths.playbooks_dir / "b-good.md").unlink()
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "fixed.md").write_text(BROKEN_BODY.replace("{#dup}\n-", "{#one}\n-"), encoding="utf-8")
    library = PlaybookLibrary.discover(paths, [extra])
    assert library.entry("vendor-data-breach").source == "extra" and not library.failed


def test_cli_refuses_and_builtin_is_the_way_back(paths, capsys):
    path = paths.playbooks_dir / "ours.md"
    path.write_text(BROKEN_BODY, encoding="utf-8")
    cli = InProcessCli(paths.data_dir)
    result = cli("incident", "new", "--playbook", "vendor-data-breach", "--title", "Mailer breach")
    assert result.code == 1 and result.out == ""
    assert result.err == (
        f"incidentkit: error: playbook 'vendor-data-breach' in {path} overrides the built-in one but does not load: "
        f"{path}:7:11: error: duplicate step id 'dup' (first used on line 6); "
        "fix it, or pass --builtin to use the built-in playbook\n")
    assert cli.ok("incident", "list").startswith("No incidents yet")
    created = cli.ok("incident", "new", "--playbook", "vendor-data-breach", "--title", "Mailer breach",
                     "--builtin").strip()
    assert "Vendor data breach" in cli.ok("incident", "show", created)
    assert f"overridden: vendor-data-breach (builtin" in cli.ok("playbooks")
    assert f"by {path}, which does not load" in cli.ok("playbooks")


def test_new_incident_dialog_shows_the_broken_override_and_its_error(qtbot, paths):
    path = paths.playbooks_dir / "ours.md"
    path.write_text(BROKEN_BODY, encoding="utf-8")
    dialog = NewIncidentDialog(PlaybookLibrary.discover(paths), playbook_id="vendor-data-breach")
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.model
    rows = [r for r in range(model.rowCount()) if model.index(r, COL_ID).data() == "vendor-data-breach"]
    assert len(rows) == 1  # the broken file, not the built-in one beside it
    row = rows[0]
    assert model.index(row, COL_TITLE).data() == "Does not load: fix the file"
    assert model.index(row, COL_SOURCE).data() == "user, overrides built-in"
    assert "duplicate step id 'dup'" in model.index(row, COL_TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert dialog.selected_failure() is not None and dialog.selected_entry() is None
    assert f"{path}:7:11: error: duplicate step id 'dup'" in dialog.details.text()
    dialog.title_edit.setText("Mailer breach")
    assert not dialog.ok_button.isEnabled()
    assert dialog.use_builtin.isVisible()
    dialog.use_builtin.setChecked(True)
    assert dialog.ok_button.isEnabled()
    assert dialog.choice().playbook.title == "Vendor data breach"


def test_playbook_list_model_with_a_failed_row_passes_model_tester(qtmodeltester, paths):
    from incidentkit.ui.playbooks.list_model import PlaybookListModel

    (paths.playbooks_dir / "ours.md").write_text(BROKEN_BODY, encoding="utf-8")
    library = PlaybookLibrary.discover(paths)
    qtmodeltester.check(PlaybookListModel(library.playbooks, failed=list(library.failed.values())), force_py=True)
