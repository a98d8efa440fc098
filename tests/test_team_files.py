"""A team's playbooks, rules and notice templates are read, found and overridden by one set of rules
(`core/team_files.py`): the same file problems say the same thing, whichever library meets them."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from incidentkit.core.comms.library import TemplateLibrary
from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary
from incidentkit.core.playbook.model import Diagnostic
from incidentkit.core.team_files import merge_by_id

# (library, its folder in the data folder, its file suffix, what a file of it is)
LIBRARIES = [
    (PlaybookLibrary, "playbooks", ".md", "playbook file"),
    (RulesLibrary, "rules", ".yaml", "rules file"),
    (TemplateLibrary, "templates", ".md.j2", "notice template"),
]


def problems_of(library, tmp_path: Path) -> list[str]:
    found = library.discover(AppPaths(tmp_path), include_builtin=False).problems
    return [f"{Path(d.path).name}: {d.message}" for d in found]


@pytest.mark.parametrize("library, folder, suffix, what", LIBRARIES)
def test_bad_files_are_the_same_problems_in_every_library(tmp_path, library, folder, suffix, what):
    where = tmp_path / folder
    where.mkdir()
    (where / f"binary{suffix}").write_bytes(b"id: x\n\0\0")
    (where / f"wide{suffix}").write_bytes("id: x\n".encode("utf-16"))
    (where / f"latin{suffix}").write_bytes(b"title: caf\xe9\n")
    (where / f"huge{suffix}").write_bytes(b"#" * 11_000_000)
    (where / f".hidden{suffix}").write_bytes(b"\0")           # hidden: not read at all
    problems = problems_of(library, tmp_path)
    assert f"binary{suffix}: binary file (NUL byte at offset 6), not a {what}" in problems
    assert f"wide{suffix}: file is UTF-16 or UTF-32 encoded; save it as UTF-8" in problems
    assert f"latin{suffix}: invalid UTF-8 at byte offset 10 (byte 0xe9); save the file as UTF-8" in problems
    assert any(p.startswith(f"huge{suffix}: file too large (11.0 MB; the limit is ") for p in problems)
    assert not any(p.startswith(".hidden") for p in problems)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
@pytest.mark.parametrize("library, folder, suffix, what", LIBRARIES)
def test_a_fifo_or_a_broken_link_is_a_problem_not_a_hang(tmp_path, library, folder, suffix, what):
    where = tmp_path / folder
    where.mkdir()
    os.mkfifo(where / f"pipe{suffix}")
    (where / f"dangling{suffix}").symlink_to(where / "gone")
    assert sorted(problems_of(library, tmp_path)) == [f"dangling{suffix}: no such file (or a broken link)",
                                                      f"pipe{suffix}: not a regular file"]


@pytest.mark.parametrize("library", [lib for lib, *_ in LIBRARIES])
def test_an_extra_folder_that_is_not_there_is_a_problem(tmp_path, library):
    found = library.discover(None, [tmp_path / "nowhere"], include_builtin=False).problems
    assert [(d.path, d.message.endswith("folder not found")) for d in found] == [(str(tmp_path / "nowhere"), True)]


def test_a_later_source_overrides_and_a_twin_in_one_source_is_a_problem():
    def twin(item, first):
        return Diagnostic(item[1], 1, 1, "error", f"duplicate id '{item[0]}' (already in {first[1]})")

    problems: list[Diagnostic] = []
    chosen, shadowed = merge_by_id([[("a", "builtin/a"), ("b", "builtin/b")],
                                    [("a", "user/a"), ("a", "user/a-again")],
                                    [("b", "extra/b")]], key=lambda i: i[0], duplicate=twin, problems=problems)
    assert chosen == {"a": ("a", "user/a"), "b": ("b", "extra/b")}
    assert shadowed == [("a", "builtin/a"), ("b", "builtin/b")]
    assert [d.message for d in problems] == ["duplicate id 'a' (already in user/a)"]
