"""JSON import: round trip, chain verification, refusals, and --as-new copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_helpers import HOSTILE, hostile_incident
from incident_helpers import open_store

from incidentkit.core import events as ev
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.export.json_import import import_file
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import export_incident, write_file
from incidentkit.core.projections import timeline


@pytest.fixture
def exported(tmp_path) -> tuple[Path, str]:
    with open_store(tmp_path / "a") as store:
        incident, _ = hostile_incident(store)
        export_incident(store, incident.id, "json", tmp_path / "a.json")
    return tmp_path / "a.json", incident.id


def events_json(store, incident_id):
    return [e.to_json() for e in store.events(incident_id)]


def test_export_import_export_gives_the_same_events(exported, tmp_path):
    path, incident_id = exported
    with open_store(tmp_path / "a") as a, open_store(tmp_path / "b") as b:
        imported = import_file(b, path)
        assert imported == a.incident(incident_id)
        assert events_json(b, incident_id) == events_json(a, incident_id)
        assert b.verify(incident_id).ok
        export_incident(b, incident_id, "json", tmp_path / "b.json")
        first, second = (json.loads((tmp_path / n).read_text()) for n in ("a.json", "b.json"))
        assert first["events"] == second["events"] and first["incident"] == second["incident"]
        assert first["playbook"] == second["playbook"]
        assert [e["payload"].get("text") for e in second["events"] if e["kind"] == ev.STEP_NOTED] == [HOSTILE]
        # The imported incident is fully usable: its playbook parses, its timeline projects.
        assert len(timeline(b.playbook(incident_id), b.events(incident_id))) == 7


def test_an_existing_incident_is_refused(exported, tmp_path):
    path, incident_id = exported
    with open_store(tmp_path / "a") as a:
        with pytest.raises(IncidentKitError, match="already exists.*--as-new"):
            import_file(a, path)
        assert a.event_count(incident_id) == 7 and len(a.incidents()) == 1


def test_as_new_reids_rechains_and_remaps_amendments(exported, tmp_path):
    path, incident_id = exported
    with open_store(tmp_path / "a") as a:
        copy = import_file(a, path, as_new=True)
        assert copy.id != incident_id and copy.title == a.incident(incident_id).title + " (imported copy)"
        assert a.verify(copy.id).ok and a.verify(incident_id).ok
        old, new = list(a.events(incident_id)), list(a.events(copy.id))
        assert [e.kind for e in old] + [ev.INCIDENT_IMPORTED] == [e.kind for e in new]  # and the copy's mark
        new = new[:-1]
        assert not {e.id for e in old} & {e.id for e in new}
        assert [(e.seq, e.occurred_at, e.recorded_at, e.actor) for e in old] == \
               [(e.seq, e.occurred_at, e.recorded_at, e.actor) for e in new]
        amend = next(e for e in new if e.kind == ev.TIMELINE_AMENDED)
        assert amend.payload["target"] in {e.id for e in new}
        items = timeline(a.playbook(copy.id), new)
        assert any(item.amended_by == (amend.id,) for item in items)


def test_events_already_stored_under_another_incident_id_are_refused(exported, tmp_path):
    path, incident_id = exported
    from incidentkit.core.events import GENESIS_HASH, Event, chain_hash

    doc = json.loads(path.read_text())
    # A new incident id, correctly chained, but every event id is one this database holds.
    doc["incident"]["id"] = "ab" * 16
    prev = GENESIS_HASH
    for e in doc["events"]:
        e.update(incident_id="ab" * 16, prev_hash=prev)
        prev = e["hash"] = chain_hash(prev, Event(**{k: v for k, v in e.items() if k != "hash"}))
    doc.pop("head_hash", None)
    other = tmp_path / "other.json"
    other.write_text(json.dumps(doc))
    with open_store(tmp_path / "a") as a:
        with pytest.raises(IncidentKitError, match="its events already exist.*--as-new"):
            import_file(a, other)
        # Nothing of it was written: no incident, no snapshot row beyond the one already there.
        assert [i.id for i in a.incidents()] == [incident_id]
        assert a.conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1


def _tamper(path: Path, change) -> Path:
    doc = json.loads(path.read_text())
    change(doc)
    out = path.with_name("tampered.json")
    out.write_text(json.dumps(doc))
    return out


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["events"][2]["payload"].update(text="harmless"), "hash chain broken at event 3"),
        (lambda d: d["events"].pop(1), "hash chain broken at event 3"),
        (lambda d: d["events"].insert(1, d["events"].pop(2)), "hash chain broken at event 3"),
        (lambda d: d["events"][-1].update(hash="0" * 64), "hash chain broken at event 7"),
        (lambda d: d.update(playbook={"markdown": d["playbook"]["markdown"] + "\n- [ ] extra"}), "sha256"),
        (lambda d: d.update(schema_version=99), "newer IncidentKit"),
        (lambda d: d.update(format="something else"), "not an IncidentKit incident export"),
        (lambda d: d["events"][0].update(seq="1"), "seq is not an integer"),
        (lambda d: d["events"][0].update(occurred_at="yesterday"), "not an ISO 8601 time"),
        (lambda d: d.update(events=[]), "no events"),
        (lambda d: d["incident"].pop("title"), "incident.title"),
        (lambda d: d["events"][0].update(id="=cmd|' /C calc'!A0"), "not a valid id"),
    ],
)
def test_broken_files_are_refused_with_one_line(exported, tmp_path, change, message):
    path, _ = exported
    bad = _tamper(path, change)
    with open_store(tmp_path / "c") as c:
        with pytest.raises(IncidentKitError) as info:
            import_file(c, bad)
        assert message in str(info.value) and str(bad) in str(info.value) and "\n" not in str(info.value)
        assert c.incidents() == []


def test_not_json_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": "incidentkit.incident",\n  oops\n}')
    with open_store(tmp_path / "c") as c:
        with pytest.raises(IncidentKitError, match=r"bad.json:3:3: not valid JSON"):
            import_file(c, bad)
        with pytest.raises(IncidentKitError, match="cannot read"):
            import_file(c, tmp_path / "missing.json")
        (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
        with pytest.raises(IncidentKitError, match="not UTF-8"):
            import_file(c, tmp_path / "bin.json")


def test_filtered_json_is_still_complete(exported, tmp_path):
    path, incident_id = exported
    with open_store(tmp_path / "a") as a:
        data = load_export_data(a, incident_id)
        write_file(EXPORTERS["json"], data, ExportOptions(include="manual", include_notes=False), tmp_path / "f.json")
    assert len(json.loads((tmp_path / "f.json").read_text())["events"]) == 7


def test_a_crafted_but_chained_file_imports_and_exports_safely(exported, tmp_path):
    """A file whose author re-chained it verifies; its odd values must still export cleanly."""
    from incidentkit.core.events import GENESIS_HASH, Event, chain_hash

    path, incident_id = exported
    doc = json.loads(path.read_text())
    doc["events"][0]["payload"]["aware_at"] = "the day before yesterday"
    doc["events"][1]["kind"] = "=cmd|' /C calc'!A0"
    prev = GENESIS_HASH
    for e in doc["events"]:
        e["prev_hash"] = prev
        e["hash"] = prev = chain_hash(prev, Event(**{**e, "hash": ""}))
    doc["head_hash"] = prev
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(doc))
    with open_store(tmp_path / "c") as c:
        import_file(c, crafted)
        assert c.verify(incident_id).ok
        export_incident(c, incident_id, "md", tmp_path / "c.md")
        export_incident(c, incident_id, "csv", tmp_path / "c.csv")
    assert "| Aware at | the day before yesterday |" in (tmp_path / "c.md").read_text()
    assert "'=cmd|" in (tmp_path / "c.csv").read_text(encoding="utf-8-sig")
