"""Scope import benchmarks: a vendor's 1,000,000-row file counted into an incident.

- scope_import_csv: `import_people` on a generated CSV of 1,000,000 rows (about 60 MB:
  email, name, country, state, zip; 5% of the rows repeat an earlier person, with mixed
  country spellings and some ZIP-only rows), over the floor of Python's `csv.reader`
  reading the same file and counting rows per (country, state) in a dict.
- scope_import_csv_memory: the import's peak resident memory above the interpreter's
  before it (IncidentKit loaded, store open), over a budget of 250 MiB.
- scope_reimport_csv: importing the same file again (it must add 0 people) over the same floor.
- scope_import_xlsx: the same rows as XLSX over python_calamine iterating the sheet's
  rows and counting them the same way (with the memory of both: calamine reads the whole
  sheet before the first row, so the XLSX floor itself needs some hundreds of MiB).

Each file's imports run in one fresh interpreter (its memory its own), each between two
runs of the floor in the same process, on a fresh database in a temporary folder; the
generated files are cached in build/scope-bench/. Times are CPU seconds of the process
(time.process_time): on a machine shared by other work, wall times of the floor and of
an import taken seconds apart swung by 2x and more; CPU time does not count the waiting.
The ratios are still indicative.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import report  # noqa: E402

ROWS = 1_000_000
DUPLICATES = 0.05
CACHE = ROOT / "build" / "scope-bench"
COUNTRIES = ["US", "US", "US", "United States", "USA", "U.S.", "DE", "Germany", "GB", "UK", "FR", "France",
             "CA", "Canada", "AU", "ES", "IT", "NL", "IE", "JP", ""]
US_STATES = ["CA", "California", "NY", "New York", "TX", "FL", "WA", "IL", "PA", "OH", "GA", "MA", ""]
CA_PROVINCES = ["ON", "Ontario", "QC", "BC", "AB"]
ZIPS = {"CA": "94105", "California": "90012", "NY": "10001", "New York": "11201", "TX": "73301", "FL": "33101",
        "WA": "98101", "IL": "60601", "PA": "19104", "OH": "43215", "GA": "30303", "MA": "02134", "": "60614"}
MEMORY_BUDGET_MIB = 250
FIRST = ["Alexandra", "Ben", "Charlotte", "Dom", "Elisabeth", "Fred", "Gabriela", "Hal"]
LAST = ["Anderson", "Brennan", "Castellanos", "Diaz", "Eriksson", "Fitz", "Gonzalez", "Ho"]


def people_rows(n: int = ROWS, seed: int = 12) -> list[list[str]]:
    """`n` rows, about DUPLICATES of them repeating an earlier person (other case and spaces)."""
    rnd = random.Random(seed)
    rows: list[list[str]] = []
    for i in range(n):
        if i and rnd.random() < DUPLICATES:
            again = list(rows[rnd.randrange(i)])
            again[0] = f"  {again[0].upper()} "
            rows.append(again)
            continue
        country = rnd.choice(COUNTRIES)
        state = zip_code = ""
        if country in ("US", "United States", "USA", "U.S.", ""):
            state = rnd.choice(US_STATES)
            zip_code = ZIPS[state] if rnd.random() < 0.7 else ""
        elif country in ("CA", "Canada"):
            state = rnd.choice(CA_PROVINCES)
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // 7) % len(LAST)]}-{i % 9973}"
        rows.append([f"{name.split()[0].lower()}.{i}@mail{i % 997}.example.com", name, country, state, zip_code])
    return rows


def csv_file() -> Path:
    path = CACHE / f"people-{ROWS}.csv"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["Email", "Name", "Country", "State", "ZIP"])
            writer.writerows(people_rows())
        tmp.replace(path)
    return path


def xlsx_file() -> Path:
    path = CACHE / f"people-{ROWS}.xlsx"
    if not path.exists():
        import xlsxwriter

        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = CACHE / "people.part.xlsx"
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False})
        sheet = book.add_worksheet("Affected")
        sheet.write_row(0, 0, ["Email", "Name", "Country", "State", "ZIP"])
        for r, row in enumerate(people_rows(), start=1):
            sheet.write_row(r, 0, row)
        book.close()
        tmp.replace(path)
    return path


def floor_csv(path: Path) -> float:
    """CPU seconds of the floor (see the module docstring)."""
    t0 = time.process_time()
    counts: dict[tuple[str, str], int] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            key = (row[2], row[3])
            counts[key] = counts.get(key, 0) + 1
    return time.process_time() - t0


def floor_xlsx(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    t0 = time.process_time()
    counts: dict[tuple[str, str], int] = {}
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for row in sheet.iter_rows():
        key = (row[2], row[3])
        counts[key] = counts.get(key, 0) + 1
    return time.process_time() - t0


def _status_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (the peak) of this process, from /proc/self/status. Not
    getrusage's ru_maxrss: Linux carries that across exec, so a child would start with
    its parent's peak (the parent that generated the file)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def child(folder: str, kind: str, path: str) -> None:
    """In a fresh interpreter: the file imported twice into a new incident, each import
    between two runs of the floor; prints CPU and wall times, people added and memory."""
    from incidentkit.core.playbook.library import PlaybookLibrary
    from incidentkit.core.scope.importer import import_people
    from incidentkit.core.scope.locations import Locator
    from incidentkit.core.store import Store

    store = Store(Path(folder) / "incidentkit.db")
    playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
    incident = store.create_incident(playbook, "bench", actor="bench").id
    Locator()  # pycountry's tables, loaded by any first import, belong to the baseline
    baseline = _status_kib("VmRSS")
    floor_fn = floor_csv if kind == "csv" else floor_xlsx
    floors = [floor_fn(Path(path))]
    floor_peak = _status_kib("VmHWM")
    results = []
    for _ in range(2):
        cpu, wall = time.process_time(), time.perf_counter()
        summary = import_people(store, incident_id=incident, path=Path(path), actor="bench")
        results.append({"cpu": time.process_time() - cpu, "seconds": time.perf_counter() - wall,
                        "people_added": summary.people_added})
        floors.append(floor_fn(Path(path)))
    peak = _status_kib("VmHWM")
    print(json.dumps({"floors": floors, "results": results, "over_baseline_mib": (peak - baseline) / 1024,
                      "floor_over_baseline_mib": (floor_peak - baseline) / 1024}))


def run_child(kind: str, path: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run([sys.executable, __file__, "--child", folder, kind, str(path)],
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _ratio(run: dict, i: int) -> tuple[float, float]:
    """Import i's CPU time over the mean of the floors run just before and after it."""
    floor = (run["floors"][i] + run["floors"][i + 1]) / 2
    return run["results"][i]["cpu"] / floor, floor


def main() -> None:
    csv_path = csv_file()
    run = run_child("csv", csv_path)
    first, again = run["results"]
    ratio, floor = _ratio(run, 0)
    size = f"{csv_path.stat().st_size / 1e6:.0f} MB"
    report("scope_import_csv", ratio, 3,
           f"({first['cpu']:.2f} s CPU, {first['seconds']:.2f} s wall, for {ROWS:,} rows, {size}, "
           f"{first['people_added']:,} people; floor {floor:.2f} s CPU)")
    report("scope_import_csv_memory", run["over_baseline_mib"] / MEMORY_BUDGET_MIB, 1,
           f"({run['over_baseline_mib']:.0f} MiB over the baseline; budget {MEMORY_BUDGET_MIB} MiB)")
    ratio, floor = _ratio(run, 1)
    zero = "ok" if again["people_added"] == 0 else f"WRONG: added {again['people_added']:,}"
    report("scope_reimport_csv", ratio, 3, f"({again['cpu']:.2f} s CPU; floor {floor:.2f} s; adds 0 people: {zero})")
    run_x = run_child("xlsx", xlsx_file())
    ratio, floor = _ratio(run_x, 0)
    report("scope_import_xlsx", ratio, 3,
           f"({run_x['results'][0]['cpu']:.2f} s CPU; floor {floor:.2f} s; {run_x['over_baseline_mib']:.0f} MiB "
           f"over the baseline, the floor's own {run_x['floor_over_baseline_mib']:.0f} MiB: calamine holds the sheet)")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
    else:
        main()
