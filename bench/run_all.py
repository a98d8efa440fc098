"""Run every bench/bench_*.py in its own process; each prints `NAME: RATIOx (goal <= GOALx)` lines.

Exit status is 0 even when a goal is missed: benchmarks report, tests decide.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
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
