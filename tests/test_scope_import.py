"""Importing vendors' files as they arrive: messy encodings, delimiters, spellings and rows,
each file with its exact expected counts, on a real database."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from scope_helpers import MESSY_COUNTS, messy_file, new_incident, write_ods, write_xlsx

from incidentkit.core import events as ev
from incidentkit.core import operations as ops
from incidentkit.core.errors import StateError
from incidentkit.core.scope import people
from incidentkit.core.scope.columns import ColumnError
from incidentkit.core.scope.counting import ImportCancelled
from incidentkit.core.scope.edits import read_profile
from incidentkit.core.scope.importer import NothingRead, import_people

def test_a_messy_csv_gives_exact_counts_and_says_what_it_could_not_use(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    summary = import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann")
    assert summary.detail == "UTF-8 with BOM, semicolon-separated"
    assert summary.columns == {"email": "E-mail Address", "country": "Country", "state": "State/Province",
                               "zip": "Zip Code"}
    count = summary.count
    assert (count.rows_read, count.rows_rejected, count.rows_unlocated, count.blank_rows) == (15, 2, 1, 2)
    assert [(line, reason, rejected) for line, reason, _detail, rejected in sorted(count.examples)] == [
        (9, "country not recognised", False), (10, "no identifier", True), (14, "not an email address", True)]
    assert summary.people_in_file == summary.people_added == 12
    assert summary.added == MESSY_COUNTS
    profile = read_profile(store, incident)
    assert profile.by_jurisdiction == MESSY_COUNTS and profile.people == 12 and profile.unknown == 2
    (record,) = profile.imports
    assert (record.file_name, record.rows_read, record.rows_rejected, record.people_added) == ("affected.csv", 15, 2, 12)
    assert record.sha256 == summary.sha256 and len(record.sha256) == 64 and record.by == "ann"


def test_a_corrected_list_on_day_three_adds_only_new_people_and_locates_the_unknown(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann")
    corrected = tmp_path / "corrected.csv"
    corrected.write_text("email,country,state\n"
                         "ann@example.com,US,CA\n"      # known already
                         " GUS@EXAMPLE.COM,US,WA\n"     # was unknown (Atlantis): now located
                         "jon@example.com,,\n"          # still unknown
                         "nia@example.com,FR,\n"        # new
                         "nia@example.com,DE,\n",       # the same again, elsewhere: counted where first seen
                         encoding="utf-8")
    summary = import_people(store, incident_id=incident, path=corrected, actor="bob")
    assert (summary.people_in_file, summary.people_added) == (4, 1)
    assert summary.added == {"FR": 1} and summary.located == {"US-WA": 1}
    profile = read_profile(store, incident)
    assert profile.people == 13 and profile.unknown == 1
    assert profile.by_jurisdiction["US-WA"] == 1 and profile.by_jurisdiction["FR"] == 1
    assert people.stored_people(store.conn, incident) == 13
    again = import_people(store, incident_id=incident, path=corrected, actor="bob")  # the same bytes
    assert (again.people_added, again.located) == (0, {})
    renamed = tmp_path / "corrected-copy.csv"  # the same people in other bytes: compared person by person
    renamed.write_text(corrected.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    third = import_people(store, incident_id=incident, path=renamed, actor="bob")
    assert third.sha256 != again.sha256 and (third.people_added, third.located) == (0, {})
    assert read_profile(store, incident).by_jurisdiction == profile.by_jurisdiction


def test_latin1_and_utf16_files_are_detected_and_reported(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("email,country\njosé@exemple.fr,France\nzoë@example.com,España\nmüller@example.de,Österreich\n"
                      "ann@example.com,US\n".encode("cp1252"))
    summary = import_people(store, incident_id=incident, path=latin, actor="ann")
    assert summary.detail == "Latin-1 (Windows-1252), comma-separated"
    assert summary.added == {"FR": 1, "ES": 1, "AT": 1, "US": 1}
    wide = tmp_path / "unicode.txt"  # what Excel saves as "Unicode text"
    wide.write_bytes(codecs.BOM_UTF16_LE + "Email\tCountry\tState\nJOSÉ@exemple.fr\tFR\t\nleo@example.com\tAU\tNSW\n"
                     .encode("utf-16-le"))
    summary = import_people(store, incident_id=incident, path=wide, actor="ann")
    assert summary.detail == "UTF-16 (little-endian, with BOM), tab-separated"
    assert (summary.people_in_file, summary.people_added, summary.added) == (2, 1, {"AU-NSW": 1})


def test_a_headerless_file_needs_a_map_and_counts_with_one(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    bare = tmp_path / "bare.csv"
    bare.write_text("ann@example.com|US|CA|\nbob@example.com|US||73301\nann@example.com|US|CA|\n|US|NY|\n",
                    encoding="utf-8")
    with pytest.raises(ColumnError, match="no header row"):
        import_people(store, incident_id=incident, path=bare, actor="ann")
    with pytest.raises(ColumnError, match="no header row; give a column number"):
        import_people(store, incident_id=incident, path=bare, actor="ann", mapping={"email": "Email"})
    summary = import_people(store, incident_id=incident, path=bare, actor="ann",
                            mapping={"email": 1, "country": 2, "state": 3, "zip": 4})
    assert not summary.header and summary.columns["email"] == "column 1"
    assert (summary.count.rows_read, summary.count.rows_rejected) == (4, 1)
    assert summary.count.examples[0][:2] == (4, "no identifier")
    assert summary.added == {"US-CA": 1, "US-TX": 1}


def test_a_key_column_identifies_people_as_written(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    path = tmp_path / "ids.csv"
    path.write_text("Customer ID,Email,Country\nC-1,,DE\nc-1,,DE\nC-1 ,x@y.z,DE\n=HYPERLINK(1),,FR\n", encoding="utf-8")
    summary = import_people(store, incident_id=incident, path=path, actor="ann", mapping={"key": "customer id"})
    assert summary.columns["key"] == "Customer ID"
    assert summary.people_in_file == 3 and summary.added == {"DE": 2, "FR": 1}


def test_xlsx_with_numbers_formulas_and_a_header_lower_down(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    rows = [["Affected customers, vendor export"], [], ["Email", "Country", "Zip"],
            ["ann@example.com", "US", 2134], ["bob@example.com", "", 94105.0], [], ["=HYPERLINK(1)", "US", ""],
            [None, None, None], ["cy@example.com", "Deutschland", 10115]]
    path = write_xlsx(tmp_path / "export.xlsx", rows,
                      formulas={(9, 0): ('=LOWER("DEE@EXAMPLE.COM")', "dee@example.com")})
    summary = import_people(store, incident_id=incident, path=path, actor="ann")
    assert summary.file_format == "xlsx" and summary.detail == "XLSX, sheet 'Affected'"
    assert summary.count.examples == [(7, "not an email address", "", True)]
    assert summary.added == {"US-MA": 1, "US-CA": 1, "DE": 1, "unknown": 1}
    # the formula cell counts by the value the file stores; nothing was evaluated


def test_ods_and_a_renamed_spreadsheet(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    path = write_ods(tmp_path / "list.ods", [["email", "country", "province"], ["ann@example.com", "CA", "ON"],
                                             [], ["bob@example.com", "Australia", "Victoria"]])
    summary = import_people(store, incident_id=incident, path=path, actor="ann")
    assert summary.file_format == "ods" and summary.added == {"CA-ON": 1, "AU-VIC": 1}
    renamed = tmp_path / "list.csv"
    renamed.write_bytes(path.read_bytes())
    assert import_people(store, incident_id=incident, path=renamed, actor="ann").file_format == "ods"


def test_json_lines_with_a_malformed_and_a_blank_line(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    path = tmp_path / "people.jsonl"
    path.write_text('{"email": "ann@example.com", "country": "US", "state": "CA"}\n'
                    '{"email": "bob@example.com", "country": "GB", "extra": [1, 2]}\n'
                    "\n"
                    "{not json\n"
                    '{"email": "cy@example.com"}\n'
                    '{"email": "dee@example.com", "country": ["US"], "state": {"x": 1}}\n'
                    '"a string"\n', encoding="utf-8")
    summary = import_people(store, incident_id=incident, path=path, actor="ann")
    assert summary.count.rows_read == 6 and summary.count.blank_rows == 1
    assert [(line, reason) for line, reason, *_ in sorted(summary.count.examples)] == [
        (4, "malformed line"), (6, "country not recognised"), (7, "malformed line")]
    assert summary.added == {"US-CA": 1, "GB": 1, "unknown": 2}


def test_json_lines_whose_first_line_is_not_json_is_a_one_line_error(tmp_path: Path) -> None:
    from incidentkit.core.scope.text_files import SourceError

    store, incident = new_incident(tmp_path)
    path = tmp_path / "people.jsonl"
    path.write_text("ann@example.com\n", encoding="utf-8")  # a line of text, no JSON
    with pytest.raises(SourceError, match=r"people.jsonl:1: not JSON Lines"):
        import_people(store, incident_id=incident, path=path, actor="ann")


def test_a_dry_run_records_nothing(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    before = store.event_count(incident)
    summary = import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann", dry_run=True)
    assert summary.event is None and summary.people_added == 12
    assert store.event_count(incident) == before and people.stored_people(store.conn, incident) == 0
    assert store.conn.execute("SELECT count(*) FROM scope_keys").fetchone() == (0,)


def test_a_cancelled_import_changes_nothing(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann")
    big = tmp_path / "big.csv"
    big.write_text("email,country\n" + "".join(f"p{i}@example.com,DE\n" for i in range(40_000)), encoding="utf-8")
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append(done)
        return done < 500  # stop once counting has begun
    events_before = store.event_count(incident)
    with pytest.raises(ImportCancelled):
        import_people(store, incident_id=incident, path=big, actor="ann", progress=progress)
    assert max(calls) >= 500 and store.event_count(incident) == events_before
    assert people.stored_people(store.conn, incident) == 12
    assert read_profile(store, incident).people == 12


def test_nothing_readable_is_refused_with_the_reasons(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    path = tmp_path / "bad.csv"
    path.write_text("email,country\n,DE\nnot-an-address,FR\n", encoding="utf-8")
    with pytest.raises(NothingRead, match=r"none of its 2 rows could be counted \(1 no identifier, 1 not an email"):
        import_people(store, incident_id=incident, path=path, actor="ann")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(NothingRead, match="the file is empty"):
        import_people(store, incident_id=incident, path=empty, actor="ann")
    assert store.event_count(incident) == 1


def test_a_closed_incident_refuses_an_import(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    ops.close_incident(store, incident_id=incident, actor="ann")
    with pytest.raises(StateError, match="closed"):
        import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann")


def test_the_event_holds_counts_and_evidence_but_no_identifier(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    summary = import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann")
    event = store.events(incident)[-1]
    assert event.kind == ev.SCOPE_IMPORTED and event.id == summary.event.id
    text = json.dumps(event.payload)
    assert "example.com" not in text and "@" not in text
    assert set(event.payload) == {"file_name", "size", "sha256", "format", "encoding", "columns", "rows_read",
                                  "rows_rejected", "rows_unlocated", "people_added", "added", "located",
                                  "location_conflicts", "dedup_key", "reasons"}
    (secret,) = store.conn.execute("SELECT secret FROM scope_keys WHERE incident_id = ?", (incident,)).fetchone()
    assert len(secret) == people.SECRET_BYTES and secret.hex() not in text


def test_an_oversized_field_and_utf16_without_a_bom(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    path = tmp_path / "long.csv"
    path.write_text("email,note\nann@example.com,ok\nbob@example.com," + "x" * 200_000 + "\ncy@example.com,ok\n",
                    encoding="utf-8")
    summary = import_people(store, incident_id=incident, path=path, actor="ann")
    assert [(line, reason) for line, reason, *_ in summary.count.examples] == [(3, "malformed line")]
    assert summary.people_in_file == 2
    wide = tmp_path / "wide.txt"
    wide.write_bytes("email\tcountry\ndee@example.com\tSE\n".encode("utf-16-be"))
    summary = import_people(store, incident_id=incident, path=wide, actor="ann")
    assert summary.detail == "UTF-16 (big-endian, no BOM), tab-separated" and summary.added == {"SE": 1}
