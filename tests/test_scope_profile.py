"""The profile as a fold: setting values, stated counts kept apart, amendments, a log from elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from incident_helpers import tiny_playbook
from scope_helpers import new_incident

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.errors import IncidentKitError, StateError
from incidentkit.core.events import Event
from incidentkit.core.scope import scope_profile
from incidentkit.core.scope.edits import read_profile, set_counts, set_elements, set_encryption, set_organisation
from incidentkit.core.scope.locations import Locator
from incidentkit.core.scope.postcodes import zip_state
from incidentkit.core.scope.vocabulary import threshold_reached
from incidentkit.core.titles import Titles


def test_setting_values_records_events_and_skips_what_is_already_so(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    assert read_profile(store, incident) == scope_profile([])
    first = set_elements(store, incident_id=incident, elements=["Email", "name", " password "], actor="ann",
                         reason="vendor's letter of 3 March")
    assert first is not None and first.payload == {"elements": ["email", "name", "password"],
                                                   "reason": "vendor's letter of 3 March"}
    assert set_elements(store, incident_id=incident, elements=["password", "email", "name"], actor="ann") is None
    assert set_encryption(store, incident_id=incident, encrypted="key-exposed", actor="ann") is not None
    assert set_organisation(store, incident_id=incident, flags=["public-company"], actor="ann",
                            from_settings=True).payload["from_settings"] is True
    assert set_counts(store, incident_id=incident, counts={"us-ca": 1204, "DE": 40}, actor="bob") is not None
    assert set_counts(store, incident_id=incident, counts={"US-CA": 1204}, actor="bob") is None
    set_counts(store, incident_id=incident, counts={"DE": 0}, actor="bob")  # withdrawn
    profile = read_profile(store, incident)
    assert profile.elements == {"email", "name", "password"} and profile.elements_known
    assert profile.encrypted == "key-exposed" and profile.organisation == {"public-company"}
    assert dict(profile.stated) == {"US-CA": 1204} and profile.people == 1204
    assert read_profile(store, incident) == scope_profile(store.events(incident))


def test_bad_values_are_refused_with_the_vocabulary(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    with pytest.raises(IncidentKitError, match="unknown data element 'e-mail' .*email"):
        set_elements(store, incident_id=incident, elements=["e-mail"], actor="ann")
    with pytest.raises(IncidentKitError, match="unknown organisation flag 'bank'"):
        set_organisation(store, incident_id=incident, flags=["bank"], actor="ann")
    with pytest.raises(IncidentKitError, match="unknown jurisdiction 'California'"):
        set_counts(store, incident_id=incident, counts={"California": 3}, actor="ann")
    with pytest.raises(IncidentKitError, match="unknown encryption state"):
        set_encryption(store, incident_id=incident, encrypted="maybe", actor="ann")
    ops.close_incident(store, incident_id=incident, actor="ann")
    with pytest.raises(StateError, match="closed"):
        set_elements(store, incident_id=incident, elements=["ssn"], actor="ann")
    assert store.event_count(incident) == 2


def _event(seq: int, kind: str, payload: dict, *, id_: str | None = None, at: str = "2026-03-01T10:00:00.000000+00:00") -> Event:
    return Event(id_ or f"{seq:032x}", "i" * 32, seq, kind, None, "ann", at, at, payload)


def test_imports_add_up_located_people_leave_unknown_and_stated_counts_stay_apart() -> None:
    events = [
        _event(2, ev.SCOPE_IMPORTED, {"file_name": "a.csv", "people_added": 5, "added": {"US-CA": 3, "unknown": 2},
                                      "located": {}, "dedup_key": "k1", "rows_read": 6, "rows_rejected": 1}),
        _event(3, ev.SCOPE_COUNTS_SET, {"counts": {"US-CA": 2, "GB": 7}}),
        _event(4, ev.SCOPE_IMPORTED, {"file_name": "b.csv", "people_added": 1, "added": {"GB": 1},
                                      "located": {"US-NY": 2}, "dedup_key": "k1"}),
    ]
    profile = scope_profile(reversed(events))  # any order: folded by seq
    assert dict(profile.imported) == {"GB": 1, "US-CA": 3, "US-NY": 2}
    assert profile.by_jurisdiction == {"GB": 7, "US-CA": 3, "US-NY": 2}  # the larger, never the sum
    assert profile.people_imported == 6 and profile.people == 12 and profile.unknown == 0
    assert profile.people_in("US") == 5 and not profile.may_double_count
    assert [r.file_name for r in profile.imports] == ["a.csv", "b.csv"] and profile.imports[1].located == 2


def test_imports_from_two_databases_may_double_count() -> None:
    events = [_event(2, ev.SCOPE_IMPORTED, {"people_added": 5, "added": {"DE": 5}, "dedup_key": "k1"}),
              _event(3, ev.SCOPE_IMPORTED, {"people_added": 4, "added": {"DE": 4}, "dedup_key": "k2"})]
    assert scope_profile(events).may_double_count


def test_an_amendment_corrects_an_imports_time_but_never_a_value() -> None:
    imported = _event(2, ev.SCOPE_IMPORTED, {"file_name": "a.csv", "people_added": 1, "added": {"DE": 1}}, id_="a" * 32)
    fix = _event(3, ev.TIMELINE_AMENDED, {"target": "a" * 32, "occurred_at": "2026-02-27T09:00:00Z",
                                          "title": "Imported the vendor's first list", "people_added": 99})
    profile = scope_profile([imported, fix])
    assert profile.imports[0].at == "2026-02-27T09:00:00.000000+00:00" and profile.people == 1


def test_odd_payloads_from_an_imported_log_are_skipped_not_fatal() -> None:
    events = [_event(2, ev.SCOPE_IMPORTED, {"people_added": "many", "added": {"DE": "x", "": 3, "FR": 2}}),
              _event(3, ev.SCOPE_ELEMENTS_SET, {"elements": "email"}),
              _event(4, ev.SCOPE_ENCRYPTION_SET, {"encrypted": "perhaps"}),
              _event(5, "scope.something_newer", {"x": 1})]
    profile = scope_profile(events)
    assert dict(profile.imported) == {"FR": 2} and profile.elements == frozenset() and profile.encrypted == "unknown"


def test_scope_events_have_human_timeline_lines(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    set_elements(store, incident_id=incident, elements=["email", "password"], actor="ann")
    set_counts(store, incident_id=incident, counts={"US-CA": 1204}, actor="ann", reason="vendor call")
    titles = Titles(tiny_playbook())
    lines = [titles.of(e) for e in store.events(incident)[1:]]
    assert lines == [("Scope: data exposed: email addresses, passwords or security questions and answers", ""),
                     ("Scope: counts stated: US-CA 1,204", "vendor call")]


def test_thresholds_and_places() -> None:
    assert [threshold_reached(n) for n in (49, 50, 499, 500, 1204, 10_001)] == [None, 50, 250, 500, 1_000, 10_000]
    locator = Locator()
    assert locator.place("United States of America", "N.Y.", "").jurisdiction == "US-NY"
    assert locator.place("Korea, Republic of").jurisdiction == "KR"
    assert locator.place("", "WA").jurisdiction == "US-WA"  # the US before Australia
    assert locator.place("Guam").jurisdiction == "US-GU"
    assert locator.place("US", "Ontario").problem == "state not recognised (counted in the country)"
    assert [zip_state(z) for z in ("94105", "94105-1234", "00901", "96799", "06390", "99999", "96960", "1234")] == [
        "CA", "CA", "PR", "AS", "NY", "AK", None, None]
    assert zip_state("2134", pad=True) == "MA"


def test_the_zip_table_covers_every_state_and_has_no_overlap() -> None:
    import csv as csv_module
    from importlib import resources

    text = resources.files("incidentkit.resources").joinpath("scope", "us-zip-prefixes.csv").read_text("utf-8")
    assert "Source: United States Postal Service" in text
    rows = list(csv_module.reader(line for line in text.splitlines() if line and not line.startswith("#")))[1:]
    seen: dict[int, str] = {}
    for first, last, state in rows:
        if len(first) == 3:
            for p in range(int(first), int(last) + 1):
                assert p not in seen, f"prefix {p:03d} listed twice"
                seen[p] = state
    reference = Path(__file__).resolve().parents[2] / "shared" / "reference" / "us-state-breach-rules.csv"
    wanted = {"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
              "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC",
              "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
              "PR", "GU", "VI"}
    if reference.exists():  # every jurisdiction of the US state rules has ZIPs
        wanted = {row["code"] for row in csv_module.DictReader(reference.open(encoding="utf-8"))}
    assert wanted - set(seen.values()) - {s for f, _l, s in rows if len(f) == 5} == set()
