"""Start-up of the window: a fresh process to the main window painted, over a bare PySide6 QMainWindow.

Ours runs the real `incidentkit` entry point (`incidentkit.cli.main`: the global options,
the settings file, the store) on a real database holding an incident of 10,000
events on the built-in playbook; only its final `run_window` is swapped for "show, wait
for the first paint, report". The floor is `QApplication` + an empty `QMainWindow`.
Each sample is a fresh interpreter (the parent times from spawning it to the child's
"shown" line), alternating ours and bare so machine noise hits both alike; a child
imports nothing the measured program would not. Peak memory is each child's ru_maxrss
at that moment. Goals: time at most 2x the bare window; memory at most the bare
window's + 60 MiB.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVENTS = 10_000
RUNS = 5
MEMORY_BUDGET_MIB = 60


def _wait_for_paint(app, window) -> None:
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        painted = False

        def eventFilter(self, _obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                Watch.painted = True
            return False

    watch = Watch()
    window.installEventFilter(watch)
    window.show()
    while not Watch.painted:
        app.processEvents()


def _report_shown(app, window) -> None:
    import resource

    _wait_for_paint(app, window)
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"SHOWN {rss_kib}", flush=True)
    os._exit(0)


def child(kind: str, data_dir: str) -> None:
    """Runs in the measured process: build and show a window, report, exit at once."""
    if kind == "bare":
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication(["bench"])
        window = QMainWindow()
        window.resize(1280, 800)
        _report_shown(app, window)
    else:
        # `incidentkit --data-dir D`, as typed; the window is shown by our hook instead
        # of the event loop. The settings file is a fresh one (XDG_CONFIG_HOME, below),
        # so the window opens at its default 1280x800 on the first incident.
        from incidentkit import cli
        from incidentkit.ui import app as ui_app

        ui_app.run_window = lambda window, app: _report_shown(app, window)
        cli.main(["--data-dir", data_dir, "--actor", "bench"])
        raise RuntimeError("incidentkit returned without showing its window")


def make_database(data_dir: Path) -> str:
    from incidentkit.core import events as ev
    from incidentkit.core import operations
    from incidentkit.core.paths import AppPaths
    from incidentkit.core.playbook_library import PlaybookLibrary
    from incidentkit.core.store import Store

    paths = AppPaths(data_dir)
    paths.ensure()
    with Store.open(paths) as store:
        playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
        incident = operations.open_incident(store, playbook=playbook, title="bench", actor="bench").id
        step_ids = [s.id for s in playbook.steps()]
        kinds = (ev.STEP_DONE, ev.STEP_REOPENED, ev.STEP_NOTED, ev.STEP_ASSIGNED, ev.TIMELINE_ENTRY)
        now = ev.format_ts(ev.utc_now())
        # Bulk-loaded in one transaction through the store's own insert (hash chain and
        # all): 10,000 separate durable commits would only measure the disk.
        with store.db.atomic():
            for i in range(EVENTS - 1):
                kind = kinds[i % len(kinds)]
                payload = {ev.STEP_NOTED: {"text": f"note {i}"}, ev.STEP_ASSIGNED: {"assignee": f"person {i % 7}"},
                           ev.TIMELINE_ENTRY: {"title": f"entry {i}"}}.get(kind, {})
                step = None if kind == ev.TIMELINE_ENTRY else step_ids[i % len(step_ids)]
                store._insert(store.conn, incident, kind, "bench", step, payload, now, now)
        assert store.event_count(incident) == EVENTS
    return incident


def sample(kind: str, data_dir: Path, pycache: Path) -> tuple[float, int]:
    import subprocess
    import time

    # Both sides run from bytecode, as an installed app does (pip compiles it); the
    # cache goes to a temporary folder, never into the work tree. The user's own
    # settings are never read: the config folder is a temporary one.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONPYCACHEPREFIX=str(pycache),
               XDG_CONFIG_HOME=str(data_dir.parent / "config"))
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, str(data_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.wait(timeout=60)
    if not line.startswith("SHOWN"):
        raise RuntimeError(f"{kind} child failed: {line}{proc.stderr.read()}")
    return elapsed, int(line.split()[1])


def main() -> None:
    import statistics
    import tempfile

    from bench.common import report

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        make_database(data_dir)
        pycache = Path(tmp) / "pycache"
        sample("bare", data_dir, pycache)
        # Not counted: writes the bytecode and warms the OS file cache for both, and leaves
        # the parsed pinned playbook in <data>/cache, as any earlier open of the incident
        # (the CLI's included) does; only the very first open of a snapshot parses it.
        sample("ours", data_dir, pycache)
        times: dict[str, list[float]] = {"bare": [], "ours": []}
        peaks: dict[str, list[int]] = {"bare": [], "ours": []}
        for _ in range(RUNS):
            for kind in ("bare", "ours"):
                elapsed, rss = sample(kind, data_dir, pycache)
                times[kind].append(elapsed)
                peaks[kind].append(rss)
    ours, bare = statistics.median(times["ours"]), statistics.median(times["bare"])
    report(f"window start ({EVENTS:,}-event incident) vs bare QMainWindow", ours / bare, 2,
           f"({ours * 1e3:.0f} ms vs {bare * 1e3:.0f} ms)")
    ours_mib, bare_mib = max(peaks["ours"]) / 1024, max(peaks["bare"]) / 1024
    extra = ours_mib - bare_mib
    report("window start peak memory vs bare QMainWindow", ours_mib / bare_mib, (bare_mib + MEMORY_BUDGET_MIB) / bare_mib,
           f"({ours_mib:.0f} MiB vs {bare_mib:.0f} MiB: +{extra:.0f} MiB, budget +{MEMORY_BUDGET_MIB} MiB)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
