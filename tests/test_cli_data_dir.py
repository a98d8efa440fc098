"""`--data-dir` and the database file in odd states, through the real CLI: one line, exit 1."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

import pytest

NEW = ("incident", "new", "--playbook", "vendor-data-breach", "--title", "x")  # a command that makes the database


def refused(proc, *fragments: str) -> None:
    assert proc.returncode == 1, (proc.stdout, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr[-2000:]
    assert proc.stderr.startswith("incidentkit: error: ")
    for fragment in fragments:
        assert fragment in proc.stderr


def test_a_data_dir_below_a_file(run_cli, tmp_path):
    (tmp_path / "afile").write_text("x")
    refused(run_cli("--data-dir", str(tmp_path / "afile" / "sub"), *NEW),
            str(tmp_path / "afile" / "sub"), "cannot create this folder")


def test_a_data_dir_that_is_a_file_is_a_usage_error(run_cli, tmp_path):
    (tmp_path / "afile").write_text("x")
    proc = run_cli("--data-dir", str(tmp_path / "afile"), "incident", "list")
    assert proc.returncode == 2 and "is a file" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("blocked", ["backups", "playbooks"])
def test_a_file_where_a_data_subfolder_belongs(run_cli, tmp_path, blocked):
    data = tmp_path / "data2"
    data.mkdir()
    (data / blocked).write_text("x")
    refused(run_cli("--data-dir", str(data), *NEW), str(data / blocked), "a file is in the way")
    assert not (data / "incidentkit.db").exists()


def test_a_data_dir_that_cannot_be_created(run_cli, tmp_path):
    # /proc refuses new folders even to root (chmod would not stop root).
    refused(run_cli("--data-dir", "/proc/incidentkit-test/data", *NEW),
            "/proc/incidentkit-test/data", "cannot create this folder")


def test_a_database_file_that_is_a_folder(run_cli, tmp_path):
    data = tmp_path / "data2"
    (data / "incidentkit.db").mkdir(parents=True)
    refused(run_cli("--data-dir", str(data), "incident", "list"), "incidentkit.db: not a file")


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@pytest.mark.slow
def test_a_write_lock_held_past_the_retries_gives_the_busy_line(run_cli, run_process, data_dir):
    incident_id = run_cli("incident", "new", "--playbook", "vendor-data-breach", "--title", "Locked",
                          check=True).stdout.strip()
    db = data_dir / "incidentkit.db"
    before = sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0]
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db), "60"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        proc = run_process("timeline", "add", incident_id, "--title", "while locked", timeout=50)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    refused(proc, "the database stayed busy")
    # It waits about the busy timeout (10 s), not the timeout again for every retry.
    assert 5 < waited < 30
    assert sqlite3.connect(db).execute("SELECT count(*) FROM events").fetchone()[0] == before
    # Once the lock is gone the same command works.
    assert run_cli("timeline", "add", incident_id, "--title", "after", check=True).returncode == 0


def test_text_arguments_that_are_not_utf8_are_refused_with_one_line(run_cli, data_dir):
    """Python turns argv bytes that are not UTF-8 into lone surrogates, which cannot be hashed or stored."""
    bad = b"bad\xff".decode("utf-8", "surrogateescape")
    incident_id = run_cli("incident", "new", "--playbook", "vendor-data-breach", "--title", "Fine",
                          check=True).stdout.strip()
    refused(run_cli("incident", "new", "--playbook", "vendor-data-breach", "--title", bad), "not valid Unicode")
    refused(run_cli("timeline", "add", incident_id, "--title", bad), "not valid Unicode", r"'\udcff'")
    refused(run_cli("--actor", bad, "timeline", "add", incident_id, "--title", "ok"), "not valid Unicode")
    assert run_cli("verify", incident_id, check=True).stdout.startswith("ok: 1 events")


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "9999-06-01"])
def test_times_at_the_ends_of_the_calendar_are_usage_errors(run_cli, data_dir, at):
    """Converting them to UTC (or to a zone for display) overflows; that was a traceback. They are
    refused like any other time that cannot be right (in the future, before 1970)."""
    for args in (("incident", "new", "--playbook", "vendor-data-breach", "--title", "T", "--at", at),
                 ("export", "abc", "-f", "csv", "-o", "-", "--since", at)):
        proc = run_cli(*args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and "cannot be right" in proc.stderr


@pytest.fixture
def big_incident(data_dir) -> str:
    from export_helpers import bulk_incident
    from incident_helpers import open_store

    with open_store(data_dir) as store:
        return bulk_incident(store, 3000).id


def _cli(data_dir, *args: str) -> list[str]:
    return [sys.executable, "-m", "incidentkit", "--data-dir", str(data_dir), *args]


@pytest.mark.parametrize("args", [("export", "{id}", "-f", "csv", "-o", "-"), ("timeline", "list", "{id}", "--json")])
def test_output_to_a_full_disk_is_one_line(data_dir, big_incident, args):
    argv = _cli(data_dir, *(a.format(id=big_incident) for a in args))
    with open("/dev/full", "w") as full:
        proc = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.stderr == "incidentkit: error: cannot write the output: No space left on device\n"


def test_a_reader_that_leaves_early_is_no_error(data_dir, big_incident):
    proc = subprocess.Popen(_cli(data_dir, "export", big_incident, "-f", "csv", "-o", "-"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100)
    proc.stdout.close()  # like `| head -c 100`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1 and err == ""


@pytest.mark.parametrize("target", ["incidentkit.db", "incidentkit.db-wal"])
def test_an_export_cannot_replace_the_database_or_its_log(run_cli, data_dir, target):
    """`-o` pointed at the database replaced it with the export: every incident was lost."""
    incident_id = run_cli("incident", "new", "--playbook", "vendor-data-breach", "--title", "Keep me",
                          check=True).stdout.strip()
    # While another connection (a window) is open, the write-ahead log stays and holds the
    # latest committed events.
    window = sqlite3.connect(data_dir / "incidentkit.db")
    try:
        window.execute("SELECT count(*) FROM events").fetchone()
        run_cli("timeline", "add", incident_id, "--title", "only in the log", check=True)
        dest = data_dir / target
        magic = dest.read_bytes()[:4]
        refused(run_cli("export", incident_id, "-f", "csv", "-o", str(dest)), "it is an SQLite database")
        assert dest.read_bytes()[:4] == magic  # SQLite itself may checkpoint; the export wrote nothing
    finally:
        window.close()
    listed = run_cli("timeline", "list", incident_id, check=True).stdout
    assert "Keep me" in listed and "only in the log" in listed
