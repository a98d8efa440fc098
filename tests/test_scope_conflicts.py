"""People seen at two different known locations: counted where first located, and reported
(how many, never who) in the import's summary, its event, `scope show` and its JSON."""

from __future__ import annotations

import json
from pathlib import Path

from scope_helpers import new_incident

from incidentkit.core.scope import people
from incidentkit.core.scope.counting import KeyedHasher
from incidentkit.core.scope.edits import read_profile
from incidentkit.core.scope.importer import import_people

FIRST = (
    "email,country,state\n"
    "ann@example.com,US,CA\n"
    "ann@example.com,US,NY\n"       # ann: CA then NY in one file
    "ann@example.com,US,TX\n"       # and TX: still one person
    "bob@example.com,DE,\n"
    "bob@example.com,Germany,\n"    # bob: DE twice, the same place
    "cy@example.com,,\n"
    "cy@example.com,FR,\n"          # cy: located by a later row, no conflict
    "dee@example.com,GB,\n"
    "dee@example.com,Atlantis,\n"   # dee: a location not understood is no second location
    "eve@example.com,US,\n"
    "eve@example.com,US,WA\n"       # eve: the US, then Washington: a second location too
)
SECOND = (
    "email,country,state\n"
    "ann@example.com,US,CA\n"       # where ann was counted: no conflict
    "bob@example.com,AT,\n"         # counted in DE before
    "cy@example.com,,\n"            # unknown now: no conflict
    "dee@example.com,IE,\n"         # counted in GB before
    "dee@example.com,IE,\n"
    "fay@example.com,ES,\n"         # new
    "fay@example.com,PT,\n"         # and at two places in this file
    "gus@example.com,,\n"           # new, unknown
)


def test_a_person_at_two_places_counts_where_first_located_and_the_imports_say_how_many(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    first = tmp_path / "first.csv"
    first.write_text(FIRST, encoding="utf-8")
    summary = import_people(store, incident_id=incident, path=first, actor="ann")
    assert summary.location_conflicts == 2  # ann and eve
    assert summary.added == {"US-CA": 1, "DE": 1, "FR": 1, "GB": 1, "US": 1}
    assert store.events(incident)[-1].payload["location_conflicts"] == 2
    second = tmp_path / "second.csv"
    second.write_text(SECOND, encoding="utf-8")
    summary = import_people(store, incident_id=incident, path=second, actor="ann")
    assert summary.location_conflicts == 3  # bob and dee against the first file, fay within this one
    assert summary.added == {"ES": 1, "unknown": 1} and summary.people_added == 2
    profile = read_profile(store, incident)
    assert profile.by_jurisdiction == {"US-CA": 1, "DE": 1, "FR": 1, "GB": 1, "US": 1, "ES": 1, "unknown": 1}
    assert [r.location_conflicts for r in profile.imports] == [2, 3] and profile.location_conflicts == 5
    assert "@" not in json.dumps([e.payload for e in store.events(incident)])
    again = import_people(store, incident_id=incident, path=second, actor="ann", dry_run=True)  # the same bytes
    assert (again.people_added, again.location_conflicts) == (0, 1)  # fay's two rows are still two places


def test_comparing_twice_as_a_retried_transaction_does_gives_the_same_people_elsewhere(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    first = tmp_path / "first.csv"
    first.write_text(FIRST, encoding="utf-8")
    import_people(store, incident_id=incident, path=first, actor="ann")
    key = people.key_for(store.conn, incident)
    hasher = KeyedHasher(key.secret)
    found = {hasher.digest(b"bob@example.com"): "AT", hasher.digest(b"ann@example.com"): "US-CA",
             hasher.digest(b"new@example.com"): "IT"}
    once = people.compare(store.conn, key, found, "not-a-file-seen")
    twice = people.compare(store.conn, key, found, "not-a-file-seen")
    assert once.elsewhere == twice.elsewhere == {hasher.digest(b"bob@example.com")}
    assert once.added == twice.added == {"IT": 1}


def test_the_cli_reports_the_conflicts_in_the_summary_and_in_scope_show(cli, incident: str, tmp_path: Path) -> None:
    (tmp_path / "first.csv").write_text(FIRST, encoding="utf-8")
    (tmp_path / "second.csv").write_text(SECOND, encoding="utf-8")
    code, out, _err = cli("scope", "import", incident, str(tmp_path / "first.csv"))
    assert code == 0 and ("location differs: 2 people were seen at two different locations (in one file's rows, "
                          "or against an earlier file); each is counted where first located") in out
    code, out, _err = cli("scope", "import", incident, str(tmp_path / "second.csv"))
    assert code == 0 and "location differs: 3 people were seen" in out
    code, out, _err = cli("scope", "show", incident)
    assert "  Location differs: 5 people were seen at two different locations" in out
    assert "5 people added, 2 at another location; sha256" in out and "2 people added, 3 at another location" in out
    code, out, _err = cli("scope", "show", incident, "--json")
    shown = json.loads(out)
    assert shown["location_conflicts"] == 5 and [r["location_conflicts"] for r in shown["imports"]] == [2, 3]
