"""`incidentkit validate` on hostile files and folders, through the real main() in-process.

Each gets one line per problem naming the file (and line), exit 1 when there is an error,
no traceback, and bounded time and memory: front matter is YAML, and YAML can ask for
a lot of work (alias expansion, huge blocks).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PLAYBOOK_BODY = "# T\n\n## Phase\n\n- [ ] A step {#a}\n"


def validate(run_cli, *paths: Path):
    proc = run_cli("validate", *map(str, paths))
    assert "Traceback" not in proc.stderr + proc.stdout, (proc.stderr + proc.stdout)[-2000:]
    return proc


def problem_lines(proc) -> list[str]:
    out = proc.stdout + proc.stderr
    return [line for line in out.splitlines() if ": error: " in line or ": warning: " in line]


def test_a_symlink_loop_in_a_folder(run_cli, tmp_path):
    folder = tmp_path / "loop"
    folder.mkdir()
    (folder / "self").symlink_to(folder)            # a folder that contains itself
    (folder / "a.md").symlink_to(folder / "b.md")   # two links pointing at each other
    (folder / "b.md").symlink_to(folder / "a.md")
    (folder / "good.md").write_text("---\nid: good\ntitle: Good\n---\n" + PLAYBOOK_BODY)
    proc = validate(run_cli, folder)
    assert proc.returncode == 1
    errors = problem_lines(proc)
    assert any(line.startswith(str(folder / "a.md")) for line in errors)
    assert not any("good.md" in line for line in errors)


def test_a_md_name_that_is_a_folder_and_a_missing_file(run_cli, tmp_path):
    (tmp_path / "x.md").mkdir()
    proc = validate(run_cli, tmp_path / "x.md", tmp_path / "missing.md")
    assert proc.returncode == 1
    assert any(line.startswith(str(tmp_path / "missing.md")) for line in problem_lines(proc))


@pytest.mark.skipif(os.name == "nt", reason="POSIX file names are bytes")
def test_a_file_name_that_is_not_utf8(run_cli, tmp_path):
    folder = tmp_path / "names"
    folder.mkdir()
    name = os.fsencode(folder) + b"/bad\xff\xfe.md"
    with open(name, "wb") as fh:
        fh.write(b"---\nid: odd\ntitle: Odd name\n---\n" + PLAYBOOK_BODY.encode())
    proc = validate(run_cli, folder)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 file: 0 errors" in proc.stdout + proc.stderr


def test_a_6_mb_file_is_refused_quickly(run_cli, tmp_path):
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: Big\n---\n# Big\n\n## P\n\n" + "- [ ] a step with words\n" * 260_000)
    proc = validate(run_cli, big)
    assert proc.returncode == 1 and "file too large" in proc.stdout + proc.stderr


@pytest.mark.parametrize("front, message", [
    ("- a\n- b\n", "not a single value or list"),
    ("just a string\n", "not a single value or list"),
    ("x: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    # Billion laughs: nine levels of nine aliases each.
    ("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
     + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
     + "title: *i\n", "aliases"),
    ("title: &t Laughs\nsummary: *t\n", "aliases"),
    # Front matter far beyond any real one (a few hundred bytes): refused before YAML reads it.
    ("title: T\n" + "".join(f"k{i}: [a, b, c, d, e, f]\n" for i in range(180_000)), "front matter too large"),
])
def test_hostile_front_matter(run_cli, tmp_path, front, message):
    path = tmp_path / "fm.md"
    path.write_text("---\n" + front + "---\n" + PLAYBOOK_BODY)
    proc = validate(run_cli, path)
    assert proc.returncode == 1
    errors = [line for line in problem_lines(proc) if ": error: " in line]
    assert len(errors) == 1 and message in errors[0] and errors[0].startswith(f"{path}:"), errors
    assert len(problem_lines(proc)) < 20


def test_thousands_of_unknown_keys_give_a_few_warnings(run_cli, tmp_path):
    path = tmp_path / "keys.md"
    path.write_text("---\ntitle: T\n" + "".join(f"k{i}: 1\n" for i in range(6000)) + "---\n" + PLAYBOOK_BODY)
    proc = validate(run_cli, path)
    warnings = problem_lines(proc)
    assert proc.returncode == 0 and len(warnings) == 21
    assert f"{path}:1:1: warning: 5980 more unknown front matter keys" in warnings
    assert any(w.startswith(f"{path}:3:1: warning: unknown front matter key 'k0'") for w in warnings)


@pytest.mark.parametrize("body", [
    "## P\n\n" + "- [ ] s\n" * 50_000,           # 50,000 steps with the same text
    "## P\n\n- [ ] s\n\n" * 25_000,               # 25,000 phases with the same title
])
def test_a_file_of_identical_steps_or_phases_validates_in_bounded_time(run_cli, tmp_path, body):
    path = tmp_path / "many.md"
    path.write_text("---\nid: many\ntitle: Many\n---\n# Many\n\n" + body)
    proc = validate(run_cli, path)  # hung for minutes when ids were found by counting from 2
    assert proc.returncode == 0 and "1 file: 0 errors" in proc.stdout + proc.stderr
