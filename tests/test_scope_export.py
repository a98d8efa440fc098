"""The breach profile in exports: Markdown, HTML and PDF show it; JSON carries it to another
database, where the keyed hashes (and the secret) do not follow."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from incident_helpers import open_store
from scope_helpers import new_incident
from scope_helpers import messy_file

from incidentkit.core.export.json_import import import_file
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_file
from incidentkit.core.scope import people
from incidentkit.core.scope.edits import read_profile, set_counts, set_elements
from incidentkit.core.scope.importer import import_people


@pytest.fixture
def scoped(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    store, incident = new_incident(tmp_path / "a")
    summary = import_people(store, incident_id=incident, path=messy_file(tmp_path), actor="ann")
    set_elements(store, incident_id=incident, elements=["email", "password"], actor="ann")
    set_counts(store, incident_id=incident, counts={"US-CA": 1204}, actor="bob")
    yield store, incident, summary
    store.close()


def _export(store, incident: str, fmt: str, dest: Path) -> Path:
    return write_file(EXPORTERS[fmt], load_export_data(store, incident), ExportOptions(), dest)


def test_markdown_and_html_show_counts_elements_and_imports_with_hashes(scoped, tmp_path: Path) -> None:
    store, incident, summary = scoped
    md = _export(store, incident, "md", tmp_path / "x.md").read_text(encoding="utf-8")
    assert "## Scope" in md and "| People affected | 1,215 |" in md
    assert "| Location unknown | 2 (they may live anywhere) |" in md
    assert "| Data exposed | email addresses, passwords or security questions and answers |" in md
    assert "| US-CA | California, United States | 1,204 | 1 | 1,204 | over 1,000 |" in md
    assert f"| affected.csv | 15 | 2 | 12 | ann | {summary.sha256} |" in md
    assert md.index("## Scope") < md.index("## Timeline")
    html = _export(store, incident, "html", tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<h2>Scope</h2>" in html and f'<td class="text">{summary.sha256}</td>' in html
    assert '<td class="text">unknown</td><td class="text">Location unknown</td><td class="text">2</td>' in html


@pytest.mark.needs_tool("pdftotext", package="poppler-utils")
def test_pdf_shows_the_profile(scoped, tmp_path: Path) -> None:
    store, incident, summary = scoped
    pdf = _export(store, incident, "pdf", tmp_path / "x.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "People affected: 1,215" in text and "US-CA" in text and "over 1,000" in text
    assert summary.sha256[:32] in text.replace("\n", "")


def test_an_incident_without_scope_events_exports_no_scope_section(tmp_path: Path) -> None:
    store, incident = new_incident(tmp_path)
    assert "Scope" not in _export(store, incident, "md", tmp_path / "x.md").read_text(encoding="utf-8").split("## Timeline")[0]


def test_json_round_trip_keeps_the_profile_and_leaves_hashes_and_secret_behind(scoped, tmp_path: Path) -> None:
    store, incident, _summary = scoped
    exported = _export(store, incident, "json", tmp_path / "x.json")
    text = exported.read_text(encoding="utf-8")
    (secret,) = store.conn.execute("SELECT secret FROM scope_keys").fetchone()
    assert secret.hex() not in text and "example.com" not in text
    with open_store(tmp_path / "b") as other:
        copy = import_file(other, exported)
        assert read_profile(other, copy.id) == read_profile(store, incident)
        assert other.conn.execute("SELECT count(*) FROM scope_keys").fetchone() == (0,)
        # The same file imported there again: no hashes to compare with, so counted anew,
        # and the profile says a person may now be counted twice.
        again = import_people(other, incident_id=copy.id, path=messy_file(tmp_path), actor="cy")
        assert again.people_added == 12 and read_profile(other, copy.id).may_double_count
        assert people.stored_people(other.conn, copy.id) == 12
    with open_store(tmp_path / "a") as same:  # a copy beside the original: its own, empty, key
        copy = import_file(same, exported, as_new=True)
        assert read_profile(same, copy.id).people == 1215 and people.stored_people(same.conn, copy.id) == 0
