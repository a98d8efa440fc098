"""`incidentkit deadlines ID --json` for an incident with people in all 56 US jurisdictions and 30
countries, over `incidentkit --version`: whole fresh processes, alternating, median of RUNS each.

The data folder holds the built-in rules plus a generated set the size the converted
reference tables will reach (four duties per US jurisdiction, three per country: about
310 rules in 86 files, with hour, calendar-day, business-day, month and after-notice
clocks), an incident on the built-in playbook with its milestones and a few notices.
A first, unmeasured run of each fills the rules and holidays caches (and writes bytecode),
as any use after the first finds them. Until the scope import's events exist, the measured child sets the scope profile
by replacing `board.scope_profile_for` (the one place the board reads it); everything
else is the real entry point (`incidentkit.cli.main`). Goal: at most 1.5x.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 9
GOAL = 1.5
US = ["AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
      "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
      "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI",
      "AS", "MP"]
COUNTRIES = ["FR", "DE", "IT", "ES", "NL", "BE", "IE", "PL", "SE", "AT", "DK", "FI", "PT", "GR", "CZ", "GB", "CH",
             "NO", "CA", "AU", "NZ", "JP", "KR", "SG", "IN", "BR", "ZA", "AE", "SA", "MX"]
SOURCE = """    sources:
      - citation: Generated for the benchmark
        url: https://example.org/rules
        type: secondary
        as_of: 2026-01-01
"""
DATA = """    conditions:
      people: "{threshold}"
      data:
        defined_in: the test law
        any_of: [[name, ssn], [email, password]]
        not_covered: [[name, email]]
      encryption_safe_harbour: true
"""


def _rule(rule_id: str, where: str, recipient: str, clock: str, threshold: str = "> 0") -> str:
    return (f"  - id: {rule_id}\n    title: {recipient} in {where}\n    regime: Test law of {where}\n"
            f"    jurisdiction: {where}\n    recipient: {recipient}\n" + DATA.format(threshold=threshold)
            + f"    clock:\n{clock}" + SOURCE)


def _clock(start: str, within: str) -> str:
    key = "after_notice" if start.startswith("notice:") else "start"
    return f"      {key}: {start.removeprefix('notice:')}\n      within: {within}\n      wording: {within}\n"


def write_rules(folder: Path) -> int:
    (folder / "us").mkdir(parents=True)
    (folder / "regimes").mkdir()
    count = 0
    for i, code in enumerate(US):
        where, base = f"US-{code}", f"bench-us-{code.lower()}"
        rules = [
            _rule(f"{base}-individuals", where, "individuals", _clock("discovered", f"{30 + i % 4 * 15} days")),
            _rule(f"{base}-ag", where, "attorney-general",
                  _clock(f"notice:{base}-individuals", "5 business days" if i % 3 else "15 days"), "> 500"),
            _rule(f"{base}-cra", where, "consumer-reporting-agencies", _clock("discovered", "none"), ">= 1000"),
            _rule(f"{base}-vendor", where, "data-owner", _clock("breach-determined", "10 days")),
        ]
        (folder / "us" / f"{code.lower()}.yaml").write_text("rules:\n" + "".join(rules), encoding="utf-8")
        count += len(rules)
    for code in COUNTRIES:
        base = f"bench-{code.lower()}"
        rules = [_rule(f"{base}-regulator", code, "regulator", _clock("aware", "72 hours")),
                 _rule(f"{base}-individuals", code, "individuals", _clock("aware", "none")),
                 _rule(f"{base}-final", code, "regulator", _clock("aware", "1 month") if code < "M"
                       else _clock("aware", "3 business days"))]
        (folder / "regimes" / f"{code.lower()}.yaml").write_text("rules:\n" + "".join(rules), encoding="utf-8")
        count += len(rules)
    return count


def setup(data_dir: Path) -> str:
    from incidentkit.core import operations as ops
    from incidentkit.core.deadlines.actions import record_milestone, record_notification
    from incidentkit.core.deadlines.library import RulesLibrary
    from incidentkit.core.paths import AppPaths
    from incidentkit.core.playbook.library import PlaybookLibrary
    from incidentkit.core.store import Store

    paths = AppPaths(data_dir)
    paths.ensure()
    write_rules(data_dir / "rules")
    now = datetime.now(timezone.utc)
    with Store.open(paths) as store:
        playbook = PlaybookLibrary.discover(None).get("vendor-data-breach")
        incident = ops.open_incident(store, playbook=playbook, title="bench", actor="bench",
                                     aware_at=now - timedelta(days=3)).id
        for name, days in (("discovered", 4), ("breach-determined", 2), ("materiality-determined", 1)):
            record_milestone(store, incident_id=incident, name=name, at=now - timedelta(days=days), actor="bench")
        rules = RulesLibrary.discover(paths)
        for rule_id in ("bench-us-ca-individuals", "bench-us-ny-individuals", "bench-fr-regulator"):
            record_notification(store, incident_id=incident, rule=rules.get(rule_id), at=now - timedelta(hours=5),
                                reference="bench", actor="bench")
    return incident


def child(kind: str, data_dir: str, incident: str) -> None:
    from incidentkit import cli

    if kind == "version":
        cli.main(["--version"])
    from incidentkit.core.deadlines import board
    from incidentkit.core.scope.profile import ScopeProfile

    people = {f"US-{c}": 2000 + 37 * i for i, c in enumerate(US)} | {c: 900 + 11 * i for i, c in enumerate(COUNTRIES)}
    profile = ScopeProfile(imported=people, elements=frozenset({"name", "email", "password"}), encrypted="no",
                           organisation=frozenset({"public-company"}))
    board.scope_profile_for = lambda _store, _incident: profile
    cli.main(["--data-dir", data_dir, "deadlines", incident, "--json"])


def _env() -> dict[str, str]:
    """The children may write bytecode, as an installed IncidentKit has it: without it every run
    compiles each module it imports, which weighs on the command that imports more."""
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(kind: str, data_dir: Path, incident: str) -> float:
    import subprocess
    import time

    t0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--child", kind, str(data_dir), incident], check=True,
                   stdout=subprocess.DEVNULL, env=_env())
    return time.perf_counter() - t0


def main() -> None:
    # Imported here, not at the top: the measured children run this file too.
    import statistics
    import subprocess
    import tempfile

    from bench.common import report

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        incident = setup(data_dir)
        out = subprocess.run([sys.executable, __file__, "--child", "deadlines", str(data_dir), incident],
                             check=True, capture_output=True, text=True, env=_env()).stdout
        subprocess.run([sys.executable, __file__, "--child", "version", str(data_dir), incident], check=True,
                       stdout=subprocess.DEVNULL, env=_env())
        obligations = out.count('"rule_id"')
        ours, floor = [], []
        for _ in range(RUNS):
            floor.append(_run("version", data_dir, incident))
            ours.append(_run("deadlines", data_dir, incident))
        a, b = statistics.median(floor), statistics.median(ours)
        report("deadlines --json over --version", b / a, GOAL,
               f"({b * 1000:.0f} ms vs {a * 1000:.0f} ms; {obligations} obligations shown)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    else:
        main()
