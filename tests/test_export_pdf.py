"""PDF export: headless layout, extractable text, page size, page numbers, inert user text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from export_helpers import CORRECTED, HOSTILE, TITLE, empty_incident, hostile_incident
from incident_helpers import open_store

from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_file

pytestmark = pytest.mark.needs_tool("pdftotext", package="poppler-utils")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def data(tmp_path):
    with open_store(tmp_path / "data") as store:
        incident, _ = hostile_incident(store)
        yield load_export_data(store, incident.id)


def test_pdf_text_holds_title_events_and_chain_head(data, tmp_path):
    path = write_file(EXPORTERS["pdf"], data, ExportOptions(), tmp_path / "t.pdf")
    assert path.read_bytes().startswith(b"%PDF-")
    text = pdf_text(path)
    assert TITLE in text
    assert "Completed: Confirm the breach in writing" in text
    assert f"Timeline: {CORRECTED}" in text
    assert "<script>alert(1)</script></td>" in text  # shown as text, never interpreted
    assert 'HYPERLINK("http://x","y")' in text
    assert data.head_hash in text.replace(" ", "").replace("\n", "")
    assert "page 1 of" in text


def test_pdf_title_on_first_page_and_paper_sizes(data, tmp_path):
    a4 = write_file(EXPORTERS["pdf"], data, ExportOptions(), tmp_path / "a4.pdf")
    letter = write_file(EXPORTERS["pdf"], data, ExportOptions(paper="Letter"), tmp_path / "letter.pdf")
    assert "595.2" in pdf_info(a4) or "595 x 842" in pdf_info(a4)
    assert "612 x 792" in pdf_info(letter)
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(a4), "-"],
                                capture_output=True, text=True, check=True).stdout
    assert first_page.lstrip().startswith(TITLE)


def test_pdf_of_an_empty_incident(tmp_path):
    with open_store(tmp_path / "data") as store:
        incident = empty_incident(store, "Nothing happened yet")
        data = load_export_data(store, incident.id)
    path = write_file(EXPORTERS["pdf"], data, ExportOptions(include="manual"), tmp_path / "e.pdf")
    text = pdf_text(path)
    assert "Nothing happened yet" in text and "No events match this export." in text
    assert HOSTILE not in text


@pytest.mark.needs_tool("pdffonts", package="poppler-utils")
def test_pdf_fonts_are_embedded_with_their_text(data, tmp_path):
    path = write_file(EXPORTERS["pdf"], data, ExportOptions(), tmp_path / "fonts.pdf")
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    # Columns: name, type..., encoding, emb, sub, uni, object id, generation.
    assert rows and all((row.split()[-5], row.split()[-3]) == ("yes", "yes") for row in rows)  # embedded, extractable
