"""`incidentkit scope import|show|set`, run in-process through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

from scope_helpers import MESSY_COUNTS, messy_file

# `cli` (conftest.py): the real main() in-process, unpacking as (exit code, stdout, stderr).


def test_import_prints_a_summary_and_the_problem_rows_without_personal_data(cli, incident: str, tmp_path: Path) -> None:
    code, out, err = cli("scope", "import", incident[:8], str(messy_file(tmp_path)))
    assert code == 0, err
    assert out.splitlines()[0].startswith("imported affected.csv (UTF-8 with BOM, semicolon-separated; 597 bytes; sha256 ")
    assert "rows: 15 read, 13 counted, 2 rejected, 1 with a location not understood, 2 blank" in out
    assert "people: 12 distinct in the file, 12 new to the incident" in out
    assert err.splitlines() == [
        "affected.csv:9: counted without its location: country not recognised ('Atlantis')",
        "affected.csv:10: rejected: no identifier",
        "affected.csv:14: rejected: not an email address",
    ]
    assert "@" not in out + err and "HYPERLINK" not in out + err
    code, out, _err = cli("scope", "import", incident, str(messy_file(tmp_path)))
    assert code == 0 and "12 distinct in the file, 0 new to the incident" in out


def test_show_json_has_the_fields_others_read(cli, incident: str, tmp_path: Path) -> None:
    cli("scope", "import", incident, str(messy_file(tmp_path)))
    code, out, err = cli("scope", "set", incident, "--elements", "name,email", "--count", "US-CA=1,204",
                         "--count", "unknown=3", "--encrypted", "no", "--org", "public-company,vendor-is-processor",
                         "--reason", "vendor letter")
    assert code == 0 and len(out.split()) == 4, err
    code, out, _err = cli("scope", "show", incident, "--json")
    shown = json.loads(out)
    assert shown["people"] == 1216 and shown["by_jurisdiction"] == {**MESSY_COUNTS, "US-CA": 1204, "unknown": 3}
    assert shown["imported"] == MESSY_COUNTS and shown["stated"] == {"US-CA": 1204, "unknown": 3}
    assert shown["elements"] == ["email", "name"] and shown["encrypted"] == "no"
    assert shown["organisation"] == ["public-company", "vendor-is-processor"]
    (record,) = shown["imports"]
    assert {k: record[k] for k in ("file_name", "rows_read", "rows_rejected", "people_added")} == {
        "file_name": "affected.csv", "rows_read": 15, "rows_rejected": 2, "people_added": 12}
    assert len(record["sha256"]) == 64
    code, out, _err = cli("scope", "show", incident)
    assert "LOCATION UNKNOWN: 3 (they may live anywhere)" in out
    assert "US-CA             1      1,204      1,204  over 1,000" in out
    code, _out, err = cli("scope", "set", incident, "--encrypted", "no")
    assert code == 0 and "nothing changed" in err


def test_usage_and_domain_errors(cli, incident: str, tmp_path: Path) -> None:
    bare = tmp_path / "bare.csv"
    bare.write_text("ann@example.com,DE\n", encoding="utf-8")
    code, _out, err = cli("scope", "import", incident, str(bare))
    assert code == 1 and err.startswith("incidentkit: error: no header row, so say which column")
    code, out, _err = cli("scope", "import", incident, str(bare), "--map", "email=1", "--map", "country=2")
    assert code == 0 and "DE 1" in out
    code, _out, err = cli("scope", "import", incident, str(bare), "--map", "mail=1")
    assert code == 2 and "unknown field 'mail'" in err
    code, _out, err = cli("scope", "import", incident, str(tmp_path / "missing.csv"))
    assert code == 1 and "missing.csv: cannot read" in err
    code, _out, err = cli("scope", "import", incident, str(tmp_path))
    assert code == 1 and "is a folder" in err
    nothing = tmp_path / "nothing.csv"
    nothing.write_text("email\nnobody\n,\n", encoding="utf-8")
    code, out, err = cli("scope", "import", incident, str(nothing))
    assert code == 1 and out == ""
    assert err.splitlines() == ["nothing.csv:2: rejected: not an email address",
                                f"incidentkit: error: {nothing}: none of its 1 rows could be counted (1 not an email address)"]
    code, _out, err = cli("scope", "set", incident, "--count", "California=3")
    assert code == 1 and "unknown jurisdiction 'California'" in err
    code, _out, err = cli("scope", "set", incident, "--count", "US-CA")
    assert code == 2 and "expected JURISDICTION=N" in err
    code, _out, err = cli("scope", "set", incident)
    assert code == 2 and "nothing to set" in err


def test_a_dry_run_shows_what_would_be_added(cli, incident: str, tmp_path: Path) -> None:
    code, out, _err = cli("scope", "import", incident, str(messy_file(tmp_path)), "--dry-run")
    assert code == 0 and out.startswith("would import affected.csv") and "event" not in out
    code, out, _err = cli("scope", "show", incident, "--json")
    assert json.loads(out)["people"] == 0
