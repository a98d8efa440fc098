"""`incidentkit incident list` on a year of a busy team, over the same on a database of one small incident.

Each sample is a fresh `incidentkit` process (the real entry point, from bytecode as
an installed app runs), alternating the two databases so machine noise hits both alike;
the parent times from spawning it to its exit. The large one is bench/big_database.py
(200 incidents, 1,000,000 events, 694 MB); the small one holds one new incident. Goal:
at most 1.3x. Before the store kept a summary of every log (event_heads,
incident_heads) and the list read it, the command took 0.67 s on 500,000 events
against 0.22 s (3x), growing with the file: PRAGMA quick_check on every open, and each
incident's deciding events folded one by one.

The first run over each database is not counted: it writes the bytecode and leaves
the parsed playbook and the incident summaries in <data>/cache, as any earlier listing
does. A second line, for information, lists the large database with that cache gone.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.big_database import big_database  # noqa: E402
from bench.common import report  # noqa: E402

RUNS = 11


def _list(data_dir: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "incidentkit", "--data-dir", str(data_dir), "incident", "list"],
                          env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"incident list failed: {proc.stderr}")
    return elapsed


def main() -> None:
    year = big_database()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "INCIDENTKIT_DATA_DIR")}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        small = Path(tmp) / "small"
        made = subprocess.run([sys.executable, "-m", "incidentkit", "--data-dir", str(small), "incident", "new",
                               "--playbook", "vendor-data-breach", "--title", "Mailer vendor breach"],
                              env=env, capture_output=True, text=True)
        if made.returncode != 0:
            raise RuntimeError(made.stderr)
        _list(small, env)
        _list(year, env)
        times: dict[str, list[float]] = {"small": [], "year": []}
        for _ in range(RUNS):
            times["small"].append(_list(small, env))
            times["year"].append(_list(year, env))
        ours, base = statistics.median(times["year"]), statistics.median(times["small"])
        report("incident list (200 incidents, 1,000,000 events) vs one small incident", ours / base, 1.3,
               f"({ours * 1e3:.0f} ms vs {base * 1e3:.0f} ms)")
        cold = year / "cache" / "incident-summaries.json"
        if cold.exists():
            cold.unlink()
        uncached = _list(year, env)
        print(f"incident list (200 incidents, 1,000,000 events), no summary cache yet: {uncached * 1e3:.0f} ms "
              "(information only: the first listing after an upgrade, or of a read-only copy)", flush=True)


if __name__ == "__main__":
    main()
