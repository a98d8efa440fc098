"""Discovery: built-in, user and extra playbooks by id, overrides, and files that fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import BUILTIN_PLAYBOOKS, REPO

from incidentkit.core.errors import NotFoundError
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary, builtin_playbook_dir


def write(folder, name: str, playbook_id: str, title: str = "A playbook") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"---\nid: {playbook_id}\ntitle: {title}\n---\n## Do\n- [ ] Step one\n", encoding="utf-8")


def builtin_ids() -> set[str]:
    return {e.playbook.id for e in PlaybookLibrary.discover(None).playbooks}


def test_builtin_dir_is_the_packaged_playbooks_folder():
    names = sorted(t.name for t in builtin_playbook_dir().iterdir() if t.name.endswith(".md"))
    assert names == sorted(p.name for p in BUILTIN_PLAYBOOKS.glob("*.md"))
    assert names, "the built-in playbook is missing"


def test_builtins_load_without_problems():
    library = PlaybookLibrary.discover(None)
    assert library.problems == []
    assert all(e.source == "builtin" for e in library.playbooks)
    assert "vendor-data-breach" in library.ids()


def test_user_and_extra_playbooks_are_found(tmp_path):
    paths = AppPaths(tmp_path / "data")
    write(paths.playbooks_dir, "mine.md", "mine")
    write(paths.playbooks_dir / "team", "nested.md", "nested")
    write(tmp_path / "extra", "more.md", "more")
    library = PlaybookLibrary.discover(paths, [tmp_path / "extra"])
    sources = {e.playbook.id: (e.source, e.path) for e in library.playbooks}
    assert sources["mine"] == ("user", str(paths.playbooks_dir / "mine.md"))
    assert sources["nested"][0] == "user"
    assert sources["more"] == ("extra", str(tmp_path / "extra" / "more.md"))
    assert library.ids() == sorted(library.ids())
    assert library.get("mine").title == "A playbook"


def test_user_playbook_overrides_builtin_by_id(tmp_path):
    paths = AppPaths(tmp_path / "data")
    write(paths.playbooks_dir, "custom.md", "vendor-data-breach", "Our own vendor breach")
    library = PlaybookLibrary.discover(paths)
    entry = library.entry("vendor-data-breach")
    assert (entry.source, entry.playbook.title) == ("user", "Our own vendor breach")
    assert [e.source for e in library.shadowed] == ["builtin"]
    assert len([e for e in library.playbooks if e.playbook.id == "vendor-data-breach"]) == 1


def test_extra_folder_overrides_user(tmp_path):
    paths = AppPaths(tmp_path / "data")
    write(paths.playbooks_dir, "a.md", "same", "User")
    write(tmp_path / "extra", "b.md", "same", "Extra")
    assert PlaybookLibrary.discover(paths, [tmp_path / "extra"]).get("same").title == "Extra"


def test_failures_become_problems_not_exceptions(tmp_path):
    paths = AppPaths(tmp_path / "data")
    write(paths.playbooks_dir, "good.md", "good")
    (paths.playbooks_dir / "notes.md").write_text("# Just notes\n\nNo tasks here.\n")
    (paths.playbooks_dir / "binary.md").write_bytes(b"\0\1\2")
    write(paths.playbooks_dir, "twin.md", "good")
    library = PlaybookLibrary.discover(paths, [tmp_path / "no-such-folder"])
    assert "good" in library.ids()
    found = {(d.path.rsplit("/", 1)[-1], d.message.split(" (")[0]) for d in library.problems}
    assert found == {
        ("notes.md", "no task items"),
        ("binary.md", "binary file"),
        ("twin.md", "duplicate playbook id 'good'"),
        ("no-such-folder", "playbook folder not found"),
    }
    assert library.get("good").steps().__next__().text == "Step one"


def test_missing_user_folder_is_fine(tmp_path):
    library = PlaybookLibrary.discover(AppPaths(tmp_path / "nothing-here"))
    assert library.problems == [] and set(library.ids()) == builtin_ids()


def test_unknown_id_names_the_known_ones():
    with pytest.raises(NotFoundError, match=r"no playbook with id 'nope' \(known: .*vendor-data-breach"):
        PlaybookLibrary.discover(None).get("nope")


def test_builtins_are_found_when_the_package_is_a_zip(tmp_path):
    """Package data read through importlib.resources, not the file system: as from a wheel or a zip."""
    archive = tmp_path / "incidentkit.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for source in (REPO / "incidentkit").rglob("*.py"):
            zf.write(source, source.relative_to(REPO).as_posix())
        for source in BUILTIN_PLAYBOOKS.iterdir():
            if source.suffix in (".py", ".md"):
                zf.write(source, f"incidentkit/playbooks/{source.name}")
    script = (
        "import json, incidentkit\n"
        "from incidentkit.core.playbook.library import PlaybookLibrary, builtin_playbook_dir\n"
        "lib = PlaybookLibrary.discover(None)\n"
        "print(json.dumps([incidentkit.__file__, str(builtin_playbook_dir()), lib.ids(),"
        " [d.format() for d in lib.problems]]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(archive)}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    module_file, folder, ids, problems = json.loads(proc.stdout)
    assert module_file.startswith(str(archive)) and folder.startswith(str(archive))
    assert "vendor-data-breach" in ids and problems == []
