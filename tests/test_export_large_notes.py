"""Large notes and long PDFs: superseded note versions stay out of the human-readable exports,
entries are never split across PDF pages, and no line is extracted twice."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from export_helpers import empty_incident
from incident_helpers import open_store

from incidentkit.core import operations as ops
from incidentkit.core.export import pdf
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_file
from incidentkit.core.projections import timeline

needs_pdftotext = pytest.mark.needs_tool("pdftotext", package="poppler-utils")


def typed(version: int, lines: int) -> str:
    """The note as it stood at one autosave: every earlier line, plus more."""
    return "\n".join(f"line {i} of the vendor's answer" for i in range(lines)) + f"\nsaved as version {version}"


@pytest.fixture
def noted(tmp_path):
    with open_store(tmp_path / "data") as store:
        incident = empty_incident(store)
        for version in range(1, 6):  # five autosaves of a note that grows as it is typed
            ops.note_step(store, incident_id=incident.id, step_id="confirm", text=typed(version, 400 * version),
                          actor="bob")
        yield load_export_data(store, incident.id)


def _export(data, fmt: str, tmp_path: Path) -> Path:
    return write_file(EXPORTERS[fmt], data, ExportOptions(), tmp_path / f"notes{EXPORTERS[fmt].extension}")


def test_the_timeline_summarises_each_note_edit(noted):
    details = [item.detail for item in timeline(noted.playbook, noted.events) if item.event.kind == "step.noted"]
    assert details[0].startswith("Note added: 12,708 characters;") and "first line: “line 0 of the vendor's answer”" in details[0]
    assert [d.split(";")[0] for d in details[1:]] == [
        "Note edited: +12,800 characters", "Note edited: +13,000 characters",
        "Note edited: +13,200 characters", "Note edited: +13,200 characters"]
    assert "first changed line: “line 400 of the vendor's answer”" in details[1]
    assert all(len(d) < 200 for d in details)


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_human_exports_show_the_final_note_once_and_no_superseded_version(noted, tmp_path, fmt):
    text = _export(noted, fmt, tmp_path).read_text(encoding="utf-8-sig")
    assert text.count("saved as version 5") == 1
    for version in range(1, 5):
        assert f"saved as version {version}" not in text
    assert text.count("line 1999 of the vendor") == 1


@pytest.mark.parametrize("fmt", ["json", "timesketch-jsonl"])
def test_machine_exports_keep_every_version(noted, tmp_path, fmt):
    text = _export(noted, fmt, tmp_path).read_text(encoding="utf-8")
    for version in range(1, 6):
        assert f"saved as version {version}" in (text if fmt == "timesketch-jsonl" else json.dumps(json.loads(text)))


@needs_pdftotext
def test_pdf_prints_the_final_note_once(noted, tmp_path):
    path = _export(noted, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("saved as version 5") == 1 and "saved as version 4" not in text
    lines = [line.strip() for line in text.splitlines() if line.startswith("line ")]
    assert len(lines) == len(set(lines)) == 2000  # the final note's lines, each once
    pages = text.count("\f")
    assert pages < 60  # 2,000 lines of the final note, not 6,000 lines of five versions


def _entries(tmp_path: Path) -> object:
    with open_store(tmp_path / "data") as store:
        incident = empty_incident(store, "Paging")
        for n in range(160):  # entries of 1 to 9 lines of detail, so page ends fall everywhere
            detail = "\n".join(f"entry {n} detail line {k}" for k in range(1 + n % 9))
            ops.add_timeline_entry(store, incident_id=incident.id, title=f"Entry {n}", actor="sam", detail=detail)
        return load_export_data(store, incident.id)


def test_an_entry_is_never_split_across_pages(tmp_path):
    data = _entries(tmp_path)
    pdf.ensure_gui_app()
    log: list[str] = []
    import io

    pdf.render(data, ExportOptions(), io.BytesIO(), log=log)
    pages = "\n".join(log).split("\f")
    assert len(pages) > 3
    for n in range(160):
        holding = [i for i, page in enumerate(pages) if f"entry {n} detail line" in page or f"Entry {n}\n" in page]
        assert len(holding) == 1, f"entry {n} is on pages {holding}"


@needs_pdftotext
def test_extracted_pdf_text_has_no_line_twice(tmp_path):
    data = _entries(tmp_path)
    path = write_file(EXPORTERS["pdf"], data, ExportOptions(), tmp_path / "paging.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if "detail line" in line]
    assert len(lines) == sum(1 + n % 9 for n in range(160))
    assert len(set(lines)) == len(lines)
