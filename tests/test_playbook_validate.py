"""Every validator rule reports the right severity, line and column; bad files never raise anything else."""

from __future__ import annotations

import os
import sys

import pytest

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.loader import load_playbook
from incidentkit.core.playbook.parser import NESTED_TOO_DEEP, NO_STEPS, parse_playbook
from incidentkit.core.playbook.validate import validate_paths

GOOD = "# Title\n\n## Phase\n\n- [ ] Do it\n"


def problems(text: str) -> list[tuple[str, int, int, str]]:
    """(severity, line, col, message) of every diagnostic, whether the playbook loaded or not."""
    try:
        found = parse_playbook(text, "p.md").warnings
    except PlaybookError as exc:
        found = tuple(exc.diagnostics)
    return [(d.severity, d.line, d.col, d.message) for d in found]


def only(text: str) -> tuple[str, int, int, str]:
    [found] = problems(text)
    return found


# --- errors ---------------------------------------------------------------

def test_no_task_items():
    assert only("# Title\n\n## Phase\n\n- a plain bullet\n") == ("error", 1, 1, NO_STEPS)


def test_missing_title():
    severity, line, _, message = only("## Phase\n\n- [ ] Do it\n")
    assert (severity, line) == ("error", 1) and message.startswith("missing title")


def test_front_matter_title_is_enough():
    assert problems("---\ntitle: From YAML\n---\n## Phase\n- [ ] Do it\n") == []


def test_malformed_front_matter_points_at_the_yaml_line():
    found = only("---\nid: ok\ntitle: a: b\n---\n" + GOOD)
    assert found == ("error", 3, 9, "malformed front matter: mapping values are not allowed here")
    severity, line, _, message = only("---\nid: ok\ntitle: [oops\nversion: 1\n---\n" + GOOD)
    assert (severity, line) == ("error", 4) and message.startswith("malformed front matter: expected ',' or ']'")


def test_unclosed_front_matter():
    found = problems("---\ntitle: x\n\n- [ ] step\n")
    assert ("error", 1, 1, "malformed front matter: the `---` on line 1 is never closed by another `---` line") in found


def test_front_matter_must_be_a_mapping_and_typed():
    assert only("---\n- a\n- b\n---\n" + GOOD)[0] == "error"
    severity, line, _, message = only("---\ntitle: T\ntags: breach\n---\n" + GOOD)
    assert (severity, line) == ("error", 3) and "tags" in message
    severity, line, _, message = only("---\ntitle: T\nroles: [legal]\n---\n" + GOOD)
    assert (severity, line) == ("error", 3) and "roles" in message
    severity, line, _, message = only("---\nid: Not Valid\n---\n" + GOOD)
    assert (severity, line) == ("error", 2) and "invalid id 'Not Valid'" in message


def test_duplicate_explicit_ids():
    found = only("# T\n## P\n- [ ] One {#same}\n- [ ] Two {#same}\n")
    assert found == ("error", 4, 11, "duplicate step id 'same' (first used on line 3)")


def test_duplicate_phase_ids():
    assert only("# T\n## A {#p}\n- [ ] x\n## B {#p}\n- [ ] y\n") == (
        "error", 4, 1, "duplicate phase id 'p' (first used on line 2)")


def test_invalid_id_characters():
    severity, line, col, message = only("# T\n## P\n- [ ] One {#Has_Caps}\n")
    assert (severity, line, col) == ("error", 3, 11) and message.startswith("invalid id 'Has_Caps'")


def test_empty_step_text():
    assert only("# T\n## P\n- [ ] {#only-an-id}\n") == ("error", 3, 3, "step has no text")
    assert only("# T\n## P\n- [ ]\n") == ("error", 3, 3, "step has no text")


def test_unreadable_attribute_block():
    severity, line, _, message = only("# T\n## P\n- [ ] One {#a ===}\n")
    assert (severity, line) == ("error", 3) and message.startswith("cannot read attribute block")


# --- warnings -------------------------------------------------------------

def test_unknown_front_matter_key_is_a_warning_on_its_line():
    severity, line, _, message = only("---\ntitle: T\nowner: me\n---\n" + GOOD)
    assert (severity, line) == ("warning", 3) and "unknown front matter key 'owner'" in message


def test_unknown_attribute():
    severity, line, col, message = only("# T\n## P\n- [ ] One {#one colour=red}\n")
    assert (severity, line, col) == ("warning", 3, 11) and message.startswith("unknown attribute 'colour'")


def test_steps_before_first_phase():
    severity, line, col, message = only("# T\n\n- [ ] Early\n\n## P\n\n- [ ] Late\n")
    assert (severity, line, col) == ("warning", 3, 3)
    assert "1 step(s) before the first `##` phase heading" in message


def test_undeclared_role_warns_only_when_roles_are_declared():
    declared = "---\ntitle: T\nroles:\n  legal: Legal\n---\n## P\n- [ ] A {role=legal}\n- [ ] B {role=comms}\n"
    assert only(declared) == ("warning", 8, 9, "role 'comms' is not declared in the front matter `roles`")
    assert problems("# T\n## P\n- [ ] B {role=comms}\n") == []


def test_severity_values():
    assert only("# T\n## P\n- [ ] A {severity=urgent}\n")[0] == "warning"
    assert problems("# T\n## P\n- [ ] A {severity=high due=72h}\n") == []


# --- robustness: files that are not playbooks -----------------------------

def load_error(path) -> str:
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    return info.value.diagnostics[0].format()


def test_binary_file(tmp_path):
    path = tmp_path / "logo.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    assert "binary file" in load_error(path)


def test_invalid_utf8_says_where(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("# Title\n## P\n- [ ] Caf".encode() + b"\xe9 au lait\n")
    assert load_error(path) == f"{path}:3:10: error: invalid UTF-8 at byte offset 22 (byte 0xe9); save the file as UTF-8"


def test_utf16_file(tmp_path):
    path = tmp_path / "wide.md"
    path.write_bytes(GOOD.encode("utf-16"))
    assert "UTF-16" in load_error(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    with pytest.raises(PlaybookError) as info:
        load_playbook(path)
    assert NO_STEPS in [d.message for d in info.value.diagnostics]


def test_ten_megabyte_file_is_refused_cleanly(tmp_path):
    path = tmp_path / "huge.md"
    path.write_bytes((GOOD + "- [ ] more\n" * 1_000_000)[: 10 * 1024 * 1024].encode())
    assert "file too large (10.5 MB" in load_error(path)
    with pytest.raises(PlaybookError, match="too large"):
        parse_playbook("x" * (10 * 1024 * 1024))


def test_five_hundred_levels_of_nesting():
    lists = "# T\n## P\n" + "".join("  " * i + "- [ ] level %d\n" % i for i in range(500))
    playbook = parse_playbook(lists)
    assert playbook.step_count >= 15
    assert any(w.message == NESTED_TOO_DEEP for w in playbook.warnings)
    for deep in ("> " * 500 + "- [ ] x\n", "- " * 500 + "[ ] x\n", "[" * 500 + "\n", "1. " * 500 + "\n"):
        with pytest.raises(PlaybookError):
            parse_playbook("# T\n## P\n" + deep)


def test_deeply_nested_yaml():
    assert only("---\ntitle: " + "[" * 500 + "]" * 500 + "\n---\n" + GOOD)[0] == "error"


def test_crlf_bom_tabs_emoji_and_non_latin_file(tmp_path):
    path = tmp_path / "intl.md"
    text = "---\ntitle: Утечка у поставщика 🚨\n---\n## Оценка\n\n-\t[ ] Проверить 📧 адреса {#check}\n\n\tСовет.\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    playbook = load_playbook(path)
    step = playbook.step("check")
    assert (playbook.title, step.text, step.guidance, step.line) == ("Утечка у поставщика 🚨", "Проверить 📧 адреса", "Совет.", 6)
    assert playbook.warnings == ()


# --- validate_paths -------------------------------------------------------

def test_validate_paths_recurses_and_reports_every_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "sub" / "bad.md").write_text("# Only a title\n")
    (tmp_path / ".git" / "ignored.md").write_text("nothing")
    (tmp_path / "notes.txt").write_text("not markdown")
    report = validate_paths([tmp_path, tmp_path / "missing.md"])
    assert [os.path.basename(r.path) for r in report.files] == ["good.md", "bad.md"]
    assert report.errors == 2 and report.warnings == 0
    assert report.summary() == "2 files: 2 errors, 0 warnings"
    assert report.diagnostics()[0].format() == f"{tmp_path / 'missing.md'}:1:1: error: no such file or folder"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
def test_broken_link_and_fifo_in_a_directory(tmp_path):
    (tmp_path / "good.md").write_text(GOOD)
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    os.mkfifo(tmp_path / "pipe.md")
    report = validate_paths([tmp_path])
    lines = [d.format() for d in report.diagnostics()]
    assert lines == [
        f"{tmp_path / 'dangling.md'}:1:1: error: no such file (or a broken link)",
        f"{tmp_path / 'pipe.md'}:1:1: error: not a regular file",
    ]
    assert report.summary() == "3 files: 2 errors, 0 warnings"


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions as non-root")
def test_unreadable_file_and_folder_in_a_directory(tmp_path):
    (tmp_path / "good.md").write_text(GOOD)
    secret = tmp_path / "secret.md"
    secret.write_text(GOOD)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.md").write_text(GOOD)
    secret.chmod(0)
    locked.chmod(0)
    try:
        report = validate_paths([tmp_path])
    finally:
        secret.chmod(0o644)
        locked.chmod(0o755)
    lines = [d.format() for d in report.diagnostics()]
    assert f"{secret}:1:1: error: cannot read the file: permission denied" in lines
    assert any(line.startswith(f"{locked}:1:1: error: cannot read the folder") for line in lines)
    assert report.errors == 2
