"""Markdown, HTML and PDF exports carry the deadlines table (met, late, open) with sources."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from incidentkit.core import operations
from incidentkit.core.deadlines.actions import record_notification
from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_file
from incidentkit.core.playbook.parser import parse_playbook
from incidentkit.core.store import Store

PLAYBOOK = """---
id: due-export
title: Due export
---
# Due export

## Notify

- [ ] Tell the <b>insurer</b> | now {#insurer due="48 hours"}
- [ ] Brief the board {#brief due="1 hour"}
"""


@pytest.fixture
def data(tmp_path: Path):
    (tmp_path / "rules").mkdir()
    with Store(tmp_path / "incidentkit.db") as store:
        aware = datetime.now(timezone.utc) - timedelta(hours=3)
        playbook = parse_playbook(PLAYBOOK, "due.md")
        incident = operations.open_incident(store, playbook=playbook, title="Breach", actor="ann", aware_at=aware)
        operations.complete_step(store, incident_id=incident.id, step_id="brief", actor="ann")
        yield load_export_data(store, incident.id)


def test_the_data_holds_what_applies(data):
    assert [o.rule_id for o in data.deadlines] == ["step:insurer", "step:brief"]
    assert [o.status for o in data.deadlines] == ["due", "met-late"]


def test_markdown(data, tmp_path):
    path = tmp_path / "x.md"
    write_file(EXPORTERS["md"], data, ExportOptions(), path)
    text = path.read_text()
    assert "## Deadlines" in text and "*Guidance, not legal advice" in text
    assert "| Status | Deadline | Duty | Notice sent | Why | Sources |" in text
    assert "| due |" in text and "| met late |" in text
    assert "Tell the \\<b\\>insurer\\</b\\> \\| now" in text                # escaped, one cell
    assert text.index("## Deadlines") < text.index("## Timeline")


def test_html(data, tmp_path):
    path = tmp_path / "x.html"
    write_file(EXPORTERS["html"], data, ExportOptions(), path)
    text = path.read_text()
    assert "<h2>Deadlines</h2>" in text and "<b>insurer</b>" not in text and "&lt;b&gt;insurer" in text
    assert "met late" in text and "Guidance, not legal advice" in text


@pytest.mark.needs_tool("pdftotext", package="poppler-utils")
def test_pdf(data, tmp_path):
    path = tmp_path / "x.pdf"
    write_file(EXPORTERS["pdf"], data, ExportOptions(), path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Deadlines" in text and "met late" in text and "Guidance, not legal advice" in text


def test_rules_with_sources_in_the_export(tmp_path):
    """A notice sent under a shipped rule shows with its sources (the rule applies: `>= 0` people)."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "insurer.yaml").write_text("""rules:
  - id: insurer-48h
    title: Tell the cyber insurer within 48 hours
    regime: Policy clause 7.2
    jurisdiction: global
    recipient: insurer
    conditions:
      people: ">= 0"
    clock:
      start: aware
      within: 48 hours
      wording: within 48 hours of discovery (clause 7.2)
    sources:
      - citation: Cyber policy 2026, clause 7.2
        type: statute
        as_of: 2026-01-01
""", encoding="utf-8")
    with Store(tmp_path / "incidentkit.db") as store:
        incident = operations.open_incident(store, playbook=parse_playbook(PLAYBOOK, "due.md"), title="Breach",
                                            actor="ann")
        rule = RulesLibrary.discover(None, [folder], include_builtin=False).get("insurer-48h")
        record_notification(store, incident_id=incident.id, rule=rule, at=datetime.now(timezone.utc),
                            reference="CLAIM-9", actor="ann")
        exported = load_export_data(store, incident.id)
    path = tmp_path / "x.md"
    write_file(EXPORTERS["md"], exported, ExportOptions(), path)
    text = path.read_text()
    assert "| met |" in text and "reference CLAIM-9" in text
    assert "Cyber policy 2026, clause 7.2 (statute, as of 2026-01-01)" in text
