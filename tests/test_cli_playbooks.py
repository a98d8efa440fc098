"""`incidentkit validate` and `incidentkit playbooks` through the real main(), in-process."""

from __future__ import annotations

import json

from conftest import BUILTIN_PLAYBOOKS

GOOD = "---\nid: good\ntitle: Good one\nversion: 3\n---\n## Scope\n- [ ] Ask {#ask}\n## Notify\n- [ ] Tell\n"
WARN = "# Warned\n\n- [ ] Early {#early colour=red}\n"
BAD = "# Bad\n## P\n- [ ] One {#dup}\n- [ ] Two {#dup}\n"


def test_validate_text_output_and_exit_code(run_cli, tmp_path):
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "warn.md").write_text(WARN)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.md").write_text(BAD)
    proc = run_cli("validate", str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [
        f"{tmp_path / 'sub' / 'bad.md'}:4:11: error: duplicate step id 'dup' (first used on line 3)",
        f"{tmp_path / 'warn.md'}:3:3: warning: 1 step(s) before the first `##` phase heading go into an implicit phase",
        f"{tmp_path / 'warn.md'}:3:13: warning: unknown attribute 'colour' (known: due, role, rules, severity)",
        "3 files: 1 error, 2 warnings",
    ]
    assert proc.stderr == ""


def test_validate_clean_file_exits_zero(run_cli, tmp_path):
    (tmp_path / "good.md").write_text(GOOD)
    proc = run_cli("validate", str(tmp_path / "good.md"))
    assert (proc.returncode, proc.stdout) == (0, "1 file: 0 errors, 0 warnings\n")


def test_validate_warnings_alone_exit_zero(run_cli, tmp_path):
    (tmp_path / "warn.md").write_text(WARN)
    proc = run_cli("validate", str(tmp_path / "warn.md"))
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[-1] == "1 file: 0 errors, 2 warnings"


def test_validate_json(run_cli, tmp_path):
    (tmp_path / "bad.md").write_bytes(b"# T\n- [ ] caf\xe9\n")
    proc = run_cli("validate", "--format", "json", str(tmp_path / "bad.md"), str(tmp_path / "missing.md"))
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert (data["errors"], data["warnings"], data["summary"]) == (2, 0, "1 file: 2 errors, 0 warnings")
    [result] = data["files"]
    assert result["ok"] is False and result["diagnostics"][0]["line"] == 2
    assert "invalid UTF-8 at byte offset 13" in result["diagnostics"][0]["message"]
    assert data["problems"][0]["message"] == "no such file or folder"


def test_builtin_playbooks_validate_clean(run_cli):
    proc = run_cli("validate", str(BUILTIN_PLAYBOOKS))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.endswith(": 0 errors, 0 warnings\n")


def test_playbooks_lists_sources_and_failures(run_cli, data_dir, tmp_path):
    user = data_dir / "playbooks"
    user.mkdir()
    (user / "good.md").write_text(GOOD)
    (user / "broken.md").write_text("no title, no steps\n")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "override.md").write_text(GOOD.replace("id: good", "id: vendor-data-breach"))
    proc = run_cli("--playbooks", str(extra), "playbooks", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    listed = {p["id"]: p for p in data["playbooks"]}
    assert listed["good"] == {
        "id": "good", "version": "3", "title": "Good one", "summary": "",
        "phases": ["Scope", "Notify"], "steps": 2, "source": "user",
        "path": str(user / "good.md"), "warnings": [],
    }
    assert (listed["vendor-data-breach"]["source"], listed["vendor-data-breach"]["path"]) == (
        "extra", str(extra / "override.md"))
    assert [o["source"] for o in data["overridden"]] == ["builtin"]
    assert {p["path"] for p in data["problems"]} == {str(user / "broken.md")}

    text = run_cli("--playbooks", str(extra), "playbooks").stdout
    assert "good  v3  Good one\n    2 steps; phases: Scope, Notify\n    source: user " in text
    assert "Failed to load:" in text and "broken.md:1:1: error: no task items" in text
