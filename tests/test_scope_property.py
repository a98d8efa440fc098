"""Distinct people do not depend on how the vendor sent them: import order and splitting a
file in two never change the distinct count, nor who stays without a location."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scope_helpers import new_incident

from incidentkit.core.scope.edits import read_profile
from incidentkit.core.scope.importer import import_people

NAMES = ["ann", "bob", "cy", "dee", "eve", "fay"]
DOMAINS = ["example.com", "Example.COM"]
PLACES = [("US", "CA"), ("USA", "New York"), ("Germany", ""), ("", ""), ("Atlantis", ""), ("", "ON"), ("UK", "")]

rows_strategy = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(DOMAINS), st.sampled_from(["", " ", "  "]),
              st.booleans(), st.sampled_from(PLACES)),
    min_size=1, max_size=25)


def _write(path: Path, rows: list) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Email", "Country", "State"])
        for name, domain, pad, upper, (country, state) in rows:
            email = f"{pad}{name}@{domain}{pad}"
            out.writerow([email.upper() if upper else email, country, state])
    return path


def _profile(parts: list[list]) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        store, incident = new_incident(tmp)
        try:
            for i, part in enumerate(parts):
                if part:
                    import_people(store, incident_id=incident, path=_write(tmp / f"part{i}.csv", part), actor="t")
            profile = read_profile(store, incident)
            return profile.people, profile.unknown
        finally:
            store.close()


def _unknown_people(rows: list) -> int:
    located: dict[str, bool] = {}
    for name, _domain, _pad, _upper, (country, state) in rows:
        ok = bool(country or state) and country != "Atlantis"
        located[name] = located.get(name, False) or ok
    return sum(1 for ok in located.values() if not ok)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy, cut=st.integers(min_value=0, max_value=25))
def test_order_and_splitting_never_change_the_distinct_count(rows: list, cut: int) -> None:
    cut = min(cut, len(rows))
    whole = _profile([rows])
    assert whole == (len({r[0] for r in rows}), _unknown_people(rows))
    assert _profile([rows[:cut], rows[cut:]]) == whole
    assert _profile([rows[cut:], rows[:cut]]) == whole
    assert _profile([rows, rows[:cut]]) == whole  # a file sent again adds no one
