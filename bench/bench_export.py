"""Exporting 100,000 events to spreadsheet CSV, Timesketch JSONL and PDF.

CSV and Timesketch against a bare floor, measured in the same run on the same file: a
plain sqlite3 SELECT of the same event rows, written with csv.writer (one row per event)
or json.dumps (one object per line). Ours is the whole `export_incident`: open the
incident, read and decode the events, fold the state and the timeline, format, escape,
write atomically with fsync.

PDF against the Markdown export of the same events, each in a fresh process (Qt keeps
caches, and peak memory is only honest per process): the time of `export_incident` in
the child, and the child's peak resident memory (VmHWM, or getrusage's maxrss: tracemalloc
does not see Qt's allocations) over that of a bare interpreter. Goals: time at most 6x the
Markdown export's; memory at most 300 MiB over the baseline, reported as a fraction of
those 300 MiB. Before the PDF was laid out page by page, 20,000 events took 12.7 s and
443 MB (one QTextDocument of everything); 100,000 did not finish on a 2-core machine.
Page by page, on the shared 2-core machine (load about 2): 13.8 s against Markdown's
2.83 s (4.9x; 3.9x to 6.2x as other work came and went), peak 281 MiB, 271 over a bare
interpreter; most of that is the events and timeline items every format loads (the
Markdown export of 50,000 events peaks at 138 MiB).

The 100,000-event database is built in one transaction through the JSON importer (the
store appends one durable transaction per event, which would take minutes here).
INCIDENTKIT_BENCH_EVENTS sets another size, for a quick look.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median_time, report  # noqa: E402
from incidentkit.core import events as ev  # noqa: E402
from incidentkit.core.events import Event, chain_hash, format_ts, new_id  # noqa: E402
from incidentkit.core.export.json_full import FORMAT, SCHEMA_VERSION  # noqa: E402
from incidentkit.core.export.json_import import import_document  # noqa: E402
from incidentkit.core.export.writer import export_incident  # noqa: E402
from incidentkit.core.store import Store  # noqa: E402

N = int(os.environ.get("INCIDENTKIT_BENCH_EVENTS", "100000"))
GOAL = 2.0
PDF_TIME_GOAL = 6.0  # x the Markdown export of the same events
PDF_MEMORY_GOAL = 300.0  # MiB over a bare interpreter's peak
# Peak resident memory of this process: /proc's VmHWM where there is one (getrusage's
# maxrss keeps the forking parent's peak across exec on Linux), else maxrss.
PEAK_KIB = """
def peak_kib():
    try:
        with open("/proc/self/status") as fh:
            return int(next(line for line in fh if line.startswith("VmHWM:")).split()[1])
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
CHILD = PEAK_KIB + """
import sys, time
from pathlib import Path
from incidentkit.core.store import Store
from incidentkit.core.export.writer import export_incident
db, incident, fmt, dest = sys.argv[1:5]
with Store(Path(db)) as store:
    t0 = time.perf_counter()
    export_incident(store, incident, fmt, Path(dest))
    elapsed = time.perf_counter() - t0
print(elapsed, peak_kib())
"""
SELECT = (
    "SELECT seq, occurred_at, kind, step_id, actor, payload, recorded_at, id, hash"
    " FROM events WHERE incident_id = ? ORDER BY seq"
)


def builtin_playbook() -> str:
    return (Path(__file__).resolve().parent.parent / "playbooks" / "vendor-data-breach.md").read_text(encoding="utf-8")


def build(store: Store, markdown: str, step_ids: list[str]) -> str:
    sha = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    incident_id = new_id()
    incident = {"id": incident_id, "title": "Bench incident", "playbook_id": "vendor-data-breach",
                "playbook_version": "1", "playbook_title": "Vendor data breach", "snapshot_sha256": sha,
                "aware_at": format_ts(start), "created_at": format_ts(start)}
    prev, events = ev.GENESIS_HASH, []
    for seq in range(1, N + 1):
        step = step_ids[seq % len(step_ids)]
        if seq == 1:
            kind, step, payload = ev.INCIDENT_OPENED, None, {"title": "Bench incident"}
        elif seq % 3 == 0:
            kind, payload = ev.STEP_NOTED, {"text": f"Called the vendor, ticket {seq}; =SUM(A1) stays text"}
        elif seq % 3 == 1:
            kind, step, payload = ev.TIMELINE_ENTRY, None, {"title": f"Entry {seq}", "detail": "details\nhere",
                                                            "category": "call"}
        else:
            kind, payload = ev.STEP_DONE if seq % 2 else ev.STEP_REOPENED, {}
        at = format_ts(start + timedelta(seconds=seq))
        event = Event(new_id(), incident_id, seq, kind, step, "alice", at, at, payload, prev)
        prev = chain_hash(prev, event)
        events.append({**event.to_json(), "hash": prev})
    doc = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "incident": incident,
           "playbook": {"sha256": sha, "markdown": markdown}, "events": events}
    return import_document(store, doc, where="bench").id


def floor_csv(db: Path, incident_id: str, dest: Path) -> None:
    conn = sqlite3.connect(db)
    with open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for row in conn.execute(SELECT, (incident_id,)):
            writer.writerow(row)
        fh.flush()
        os.fsync(fh.fileno())
    conn.close()


def floor_jsonl(db: Path, incident_id: str, dest: Path) -> None:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    with open(dest, "w", encoding="utf-8") as fh:
        for row in conn.execute(SELECT, (incident_id,)):
            fh.write(json.dumps(dict(row)))
            fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    conn.close()


def child_export(db: Path, incident_id: str, fmt: str, dest: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one export in a fresh interpreter."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(db), incident_id, fmt, str(dest)], env=env,
                         capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
    seconds, kib = out.stdout.split()
    return float(seconds), int(kib) / 1024


def bare_interpreter_mib() -> float:
    out = subprocess.run([sys.executable, "-c", PEAK_KIB + "print(peak_kib())"], capture_output=True, text=True,
                         check=True)
    return int(out.stdout) / 1024


def bench_pdf(db: Path, incident_id: str, folder: Path) -> None:
    markdown = statistics.median(child_export(db, incident_id, "md", folder / "ours.md")[0] for _ in range(3))
    seconds, peak = child_export(db, incident_id, "pdf", folder / "ours.pdf")
    base = bare_interpreter_mib()
    report(f"export_pdf_{N // 1000}k_time", seconds / markdown, PDF_TIME_GOAL,
           f"(PDF {seconds:.1f}s, Markdown {markdown:.2f}s; {(folder / 'ours.pdf').stat().st_size / 2**20:.0f} MiB)")
    report(f"export_pdf_{N // 1000}k_memory", (peak - base) / PDF_MEMORY_GOAL, 1.0,
           f"(peak {peak:.0f} MiB, {peak - base:.0f} MiB over a bare interpreter's {base:.0f} MiB; "
           f"goal {PDF_MEMORY_GOAL:.0f} MiB over it)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ik-bench-export-") as tmp:
        folder = Path(tmp)
        store = Store(folder / "incidentkit.db", backups_dir=folder / "backups")
        from incidentkit.core.playbook.parser import parse_playbook

        markdown = builtin_playbook()
        steps = [s.id for s in parse_playbook(markdown).steps()]
        t0 = time.perf_counter()
        incident_id = build(store, markdown, steps)
        built = time.perf_counter() - t0
        for fmt, floor in (("csv", floor_csv), ("timesketch-jsonl", floor_jsonl)):
            ext = ".csv" if fmt == "csv" else ".jsonl"
            bare = median_time(lambda: floor(store.path, incident_id, folder / f"floor{ext}"), repeat=3)
            ours = median_time(lambda: export_incident(store, incident_id, fmt, folder / f"ours{ext}"), repeat=3)
            name = "export_csv_100k" if fmt == "csv" else "export_timesketch_jsonl_100k"
            report(name, ours / bare, GOAL, f"(ours {ours:.2f}s, bare SELECT+write {bare:.2f}s; "
                                            f"database of {N} events built in {built:.1f}s)")
        store.close()
        bench_pdf(store.path, incident_id, folder)


if __name__ == "__main__":
    main()
