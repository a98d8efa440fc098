"""Run every bench/bench_*.py in its own process; each prints `NAME: RATIOx (goal <= GOALx)` lines.

The year's database some benches read (bench/big_database.py: 1,000,000 events) is
built first, once per run, or reused from build/bench/ while its generator and the
schema are unchanged. Exit status is 0 even when a goal is missed: benchmarks report,
tests decide.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    started = time.perf_counter()
    built = subprocess.run([sys.executable, str(HERE / "big_database.py")], capture_output=True, text=True)
    if built.returncode != 0:
        sys.stdout.write(f"big_database: FAILED (exit {built.returncode})\n{built.stderr}\n")
        return 1
    print(f"year database: {built.stdout.strip()} ({time.perf_counter() - started:.0f} s to build or find)",
          flush=True)
    for bench in sorted(HERE.glob("bench_*.py")):
        proc = subprocess.run([sys.executable, str(bench)], capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            failed += 1
            sys.stdout.write(f"{bench.stem}: FAILED (exit {proc.returncode})\n{proc.stderr}\n")
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
