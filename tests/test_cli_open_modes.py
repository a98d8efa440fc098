"""Which commands make a database, which only read one, and evidence copies opened read-only.

In-process through the real entry point (`incidentkit.cli.main`, as click's CliRunner
isolates it), except where the operating system's permissions are the point: those run
a real process as an unprivileged user (root may write anything, so chmod alone proves
nothing when the tests run as root).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_inprocess import run_main
from tools import need_tool


REPO = Path(__file__).resolve().parent.parent
READING = (("incident", "list"), ("incident", "show", "{id}"), ("timeline", "list", "{id}"), ("verify", "{id}"),
           ("export", "{id}", "-f", "md", "-o", "-"), ("incident", "list", "--json"))
WRITING = (("incident", "new", "--playbook", "vendor-data-breach", "--title", "x"),
           ("step", "done", "{id}", "scope-record-awareness"), ("note", "{id}", "scope-record-awareness", "n"),
           ("timeline", "add", "{id}", "--title", "t"), ("incident", "close", "{id}"))


def run(*args: str) -> tuple[int, str, str]:
    """`incidentkit ARGS` in this process, with no INCIDENTKIT_DATA_DIR: exit code, stdout, stderr."""
    proc = run_main(args, env={"INCIDENTKIT_DATA_DIR": None})
    return proc.returncode, proc.stdout, proc.stderr


def one_line_error(result: tuple[int, str, str], *fragments: str) -> None:
    code, _out, err = result
    assert code == 1 and err.startswith("incidentkit: error: ") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err, err


def filled(data: Path) -> str:
    """A database in `data` with one incident, a done step, a note and an entry; its id."""
    code, out, err = run("--data-dir", str(data), *WRITING[0])
    assert code == 0, err
    incident = out.strip()
    for args in WRITING[1:4]:
        assert run("--data-dir", str(data), *(a.format(id=incident) for a in args))[0] == 0
    return incident


# A mistyped data folder -----------------------------------------------------------------
@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_a_reading_command_on_a_folder_without_a_database_creates_nothing(tmp_path: Path, args) -> None:
    missing = tmp_path / "nonexistent" / "deep" / "dir"
    one_line_error(run("--data-dir", str(missing), *(a.format(id="abc") for a in args)),
                   f"no IncidentKit database in {missing}")
    assert not (tmp_path / "nonexistent").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(run("--data-dir", str(empty), *(a.format(id="abc") for a in args)), "no IncidentKit database")
    assert list(empty.iterdir()) == []


def test_the_first_write_makes_the_database_and_says_so_once(tmp_path: Path) -> None:
    data = tmp_path / "new" / "data"
    code, out, err = run("--data-dir", str(data), *WRITING[0])
    assert code == 0 and len(out.split()) == 1  # stdout: the id alone, for scripts
    assert err == f"incidentkit: created a new IncidentKit database at {data / 'incidentkit.db'}\n"
    assert (data / "playbooks").is_dir() and (data / "backups").is_dir()
    code, _out, err = run("--data-dir", str(data), *WRITING[0])
    assert code == 0 and err == ""


# --read-only ------------------------------------------------------------------------------
def test_read_only_reads_everything_and_changes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    incident = filled(data)
    db = data / "incidentkit.db"
    before = db.read_bytes()
    for args in READING:
        code, out, err = run("--read-only", "--data-dir", str(data), *(a.format(id=incident) for a in args))
        assert code == 0 and out and err == "", (args, err)
    for args in WRITING:
        one_line_error(run("--read-only", "--data-dir", str(data), *(a.format(id=incident) for a in args)),
                       f"{db} is open read-only", "nothing can be changed in it")
    export = tmp_path / "out.md"
    assert run("--read-only", "--data-dir", str(data), "export", incident, "-o", str(export))[0] == 0
    assert "Vendor" in export.read_text() or export.stat().st_size > 0
    assert db.read_bytes() == before


def test_read_only_on_a_missing_database_makes_nothing(tmp_path: Path) -> None:
    one_line_error(run("--read-only", "--data-dir", str(tmp_path / "none"), *WRITING[0]), "no IncidentKit database")
    assert not (tmp_path / "none").exists()


def test_a_read_only_copy_of_an_older_schema_is_read_as_it_is(tmp_path: Path) -> None:
    data = tmp_path / "data"
    incident = filled(data)
    db = data / "incidentkit.db"
    current = run("--data-dir", str(data), "incident", "list", "--json")[1]
    with sqlite3.connect(db) as conn:  # as schema version 2 left it
        for statement in ("DROP TRIGGER events_heads", "DROP TABLE event_heads", "DROP TABLE incident_heads",
                          "DROP TABLE file_checks", "DELETE FROM _sqlite_migrations WHERE name = 'm003_event_heads'",
                          "PRAGMA user_version = 2"):
            conn.execute(statement)
    conn.close()
    shutil.rmtree(data / "cache")
    before = db.read_bytes()
    code, out, err = run("--read-only", "--data-dir", str(data), "incident", "list", "--json")
    assert (code, out, err) == (0, current, "")
    assert run("--read-only", "--data-dir", str(data), "incident", "show", incident)[0] == 0
    assert db.read_bytes() == before and not (data / "backups").exists() or not any((data / "backups").iterdir())


# A write-protected copy, as an unprivileged user -------------------------------------------
def _unprivileged() -> tuple[list[str], dict[str, str]]:
    """How to run Python as a user the file permissions bind: ourselves when not root; as
    root, `setpriv` to nobody with an interpreter nobody may run (skip when there is none)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("INCIDENTKIT_DATA_DIR", None)
    if os.geteuid() != 0:
        return [sys.executable], env
    setpriv = need_tool("setpriv", package="util-linux")  # as root, only setpriv can drop to nobody
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), sysconfig.get_paths()["purelib"]])
    env["HOME"] = "/tmp"
    drop = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, shutil.which(version), f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if python and subprocess.run([*drop, python, "-c", "import incidentkit.cli.group"], env=env, cwd="/",
                                     capture_output=True).returncode == 0:
            return [*drop, python], env
    pytest.skip(f"no {version} that an unprivileged user can run with this checkout's packages")


@pytest.fixture
def evidence() -> Iterator[tuple[Path, str]]:
    """A data folder made read-only (folder 0555, files 0444), in a place any user may reach."""
    root = Path(tempfile.mkdtemp(prefix="incidentkit-evidence-"))
    root.chmod(0o755)
    data = root / "data"
    incident = filled(data)
    shutil.rmtree(data / "cache")  # the copy an auditor gets: the database and its folders
    for path in data.rglob("*"):
        path.chmod(0o555 if path.is_dir() else 0o444)
    data.chmod(0o555)
    yield data, incident
    for path in (data, *data.rglob("*")):
        path.chmod(stat.S_IRWXU)
    shutil.rmtree(root)


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command, env = _unprivileged()
    return subprocess.run([*command, "-m", "incidentkit", "--data-dir", str(data), *args], env=env, cwd="/",
                          capture_output=True, text=True, timeout=120)


def _refused(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 1 and proc.stderr.startswith("incidentkit: error: "), proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_a_write_protected_copy_is_read_and_never_written(evidence, tmp_path: Path) -> None:
    data, incident = evidence
    db = data / "incidentkit.db"
    before = db.read_bytes()
    for args in READING:
        proc = _cli(data, *(a.format(id=incident) for a in args))
        assert proc.returncode == 0 and proc.stdout and proc.stderr == "", (args, proc.stderr)
    assert "ok: 4 events" in _cli(data, "verify", incident).stdout
    for args in WRITING:
        _refused(_cli(data, *(a.format(id=incident) for a in args)), "write-protected", "commands that only read")
    assert db.read_bytes() == before
    assert sorted(p.name for p in data.iterdir()) == ["backups", "incidentkit.db", "playbooks"]


def test_a_write_protected_copy_with_its_write_ahead_log(evidence) -> None:
    data, incident = evidence
    db = data / "incidentkit.db"
    # A copy taken while a window had it open: the log and its index beside the file,
    # holding a committed event the file itself does not have yet.
    for path in (data, db):
        path.chmod(stat.S_IRWXU)
    writer = sqlite3.connect(db, isolation_level=None)  # holds the file open, so the log stays
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("SELECT count(*) FROM events").fetchone()
    run("--data-dir", str(data), "timeline", "add", incident, "--title", "Only in the log")
    names = ("incidentkit.db", "incidentkit.db-wal", "incidentkit.db-shm")
    copied = {name: (data / name).read_bytes() for name in names}
    writer.close()  # the last connection: it completes the log into the file, so put the copy back
    for name in names:
        (data / name).write_bytes(copied[name])
    for path in data.iterdir():
        path.chmod(0o555 if path.is_dir() else 0o444)
    data.chmod(0o555)
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}

    proc = _cli(data, "timeline", "list", incident)
    assert proc.returncode == 0 and "Only in the log" in proc.stdout, proc.stderr
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before

    data.chmod(stat.S_IRWXU)
    db.with_name("incidentkit.db-shm").unlink()
    data.chmod(0o555)
    _refused(_cli(data, "incident", "list"), "write-ahead log", "copy the folder somewhere writable")
