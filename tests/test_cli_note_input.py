"""`incidentkit note`: the note from a file or standard input, and `--if-unchanged` for scripts.

Before: a 1 MB note could not be passed at all ("Argument list too long"), `-` was stored
as the note "-", and a script had no way to avoid replacing a note a colleague had just
changed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_inprocess import run


@pytest.fixture
def cli(data_dir: Path, playbooks_dir: Path):
    """cli_inprocess.run: its answers carry code, out and err."""

    def call(*args: str, **kw):
        return run(data_dir, *args, playbooks=playbooks_dir, **kw)

    return call


def note_of(cli, incident: str, step: str) -> dict:
    shown = json.loads(cli("incident", "show", incident, "--json").out)
    return next(s for phase in shown["phases"] for s in phase["steps"] if s["id"] == step)


def test_show_json_gives_each_note_s_event_id(cli, incident: str) -> None:
    assert note_of(cli, incident, "count")["note_id"] == ""
    saved = cli("note", incident, "count", "first").out.strip()
    step = note_of(cli, incident, "count")
    assert (step["note"], step["note_id"]) == ("first", saved)


def test_if_unchanged_saves_only_over_the_note_it_names(cli, incident: str) -> None:
    first = cli("note", incident, "count", "first", "--if-unchanged", "").out.strip()
    theirs = cli("note", incident, "count", "their text", actor="bob").out.strip()
    refused = cli("note", incident, "count", "my text", "--if-unchanged", first)
    assert refused.code == 1 and refused.out == ""
    assert refused.err.startswith(f"incidentkit: error: the note on step 'count' has changed since event {first[:12]}: "
                                  f"event {theirs[:12]} by bob at ")
    assert refused.err.endswith("holds a newer note; nothing was saved\n")
    assert note_of(cli, incident, "count")["note"] == "their text"
    ok = cli("note", incident, "count", "my text", "--if-unchanged", theirs[:8])
    assert ok.code == 0 and note_of(cli, incident, "count")["note_id"] == ok.out.strip()
    empty = cli("note", incident, "notify", "x", "--if-unchanged", theirs)
    assert empty.code == 1 and "is not a note on step 'notify'" in empty.err


def test_note_from_a_file(cli, incident: str, tmp_path: Path) -> None:
    path = tmp_path / "minutes.md"
    path.write_bytes("\ufeffCall with the vendor\r\n- 2,000 records\r\n- **encrypted**: no\r\n".encode())
    assert cli("note", incident, "count", "--file", str(path)).code == 0
    assert note_of(cli, incident, "count")["note"] == "Call with the vendor\n- 2,000 records\n- **encrypted**: no\n"


@pytest.mark.parametrize("args", [("-",), ("--file", "-")])
def test_dash_reads_standard_input(cli, incident: str, args: tuple[str, ...]) -> None:
    assert cli("note", incident, "notify", *args, input="from a pipe\n").code == 0
    assert note_of(cli, incident, "notify")["note"] == "from a pipe\n"


def test_bad_note_sources_are_one_line(cli, incident: str, tmp_path: Path) -> None:
    missing = cli("note", incident, "count", "--file", str(tmp_path / "nope.txt"))
    assert missing.code == 1 and missing.err == f"incidentkit: error: {tmp_path / 'nope.txt'}: cannot read: No such file or directory\n"
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("café".encode("latin-1"))
    bad = cli("note", incident, "count", "--file", str(latin))
    assert bad.code == 1 and bad.err == f"incidentkit: error: {latin}: not UTF-8 text (byte 3)\n"
    device = cli("note", incident, "count", "--file", "/dev/zero")
    assert device.code == 1 and "not a file (a device)" in device.err
    both = cli("note", incident, "count", "text", "--file", str(latin))
    assert both.code == 2 and "not both" in both.err
    neither = cli("note", incident, "count")
    assert neither.code == 2 and "give the note as TEXT" in neither.err
    assert note_of(cli, incident, "count")["note"] == ""


def test_a_one_megabyte_note_through_standard_input(cli, run_process, playbooks_dir: Path) -> None:
    """A real process reading a real pipe: the size that no argument list takes."""
    incident = cli("incident", "new", "--playbook", "tiny", "--title", "Big").out.strip()
    text = "".join(f"line {n}: the vendor's export, row by row\n" for n in range(26_000))
    assert len(text.encode()) > 1_000_000
    run_process("--playbooks", str(playbooks_dir), "note", incident, "count", "--file", "-", input=text, check=True)
    assert note_of(cli, incident, "count")["note"] == text
