"""Exports that show what a reader needs: late records, categories, zones, rendered markdown.

Each test drives the real operations on a real store and reads the files a lead would
hand on: Markdown (and what a permissive renderer makes of it), HTML, and the PDF's text
as pdftotext extracts it.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from export_helpers import empty_incident
from incident_helpers import open_store
from markdown_it import MarkdownIt
from tools import need_tool

from incidentkit.core import operations as ops
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.registry import EXPORTERS
from incidentkit.core.export.source import load_export_data
from incidentkit.core.export.writer import write_file

needs_pdftotext = pytest.mark.needs_tool("pdftotext", package="poppler-utils")
HUMAN = ["md", "html", "pdf"]

NOTE_MD = """# Vendor call

Spoke to **Dana** at the vendor; see [ticket](https://tickets.example/42) and
[this](javascript:alert(1)) and ![tracker](https://evil.example/pixel.png).

| system | records |
|---|---|
| CRM | 12,000 |

<script>alert(1)</script>

```
unclosed fence
"""


def text_of(path: Path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return path.read_text(encoding="utf-8-sig")


def export(store, incident_id: str, fmt: str, tmp_path: Path, **options) -> str:
    data = load_export_data(store, incident_id)
    path = write_file(EXPORTERS[fmt], data, ExportOptions(**options), tmp_path / f"out{EXPORTERS[fmt].extension}")
    return text_of(path)


@pytest.mark.parametrize("fmt", [*HUMAN, "csv"])
def test_backdated_entries_say_when_and_by_whom_they_were_recorded(store, tmp_path, fmt):
    if fmt == "pdf":
        need_tool("pdftotext", package="poppler-utils")
    incident = empty_incident(store)
    two_days_ago = datetime.now(timezone.utc) - timedelta(days=2, hours=1)
    ops.add_timeline_entry(store, incident_id=incident.id, title="Vendor called us", actor="Sam",
                           occurred_at=two_days_ago, category="vendor-comms")
    ops.add_timeline_entry(store, incident_id=incident.id, title="Told counsel", actor="Kim", category="legal-hold")
    text = " ".join(export(store, incident.id, fmt, tmp_path).split())
    if fmt == "csv":  # a column of its own there: the time it was recorded
        assert "legal-hold" in text and "vendor-comms" in text
        return
    assert "recorded 2 days later by Sam" in text  # backdating is visible
    assert "by Kim" not in text  # written as it happened: nothing to say
    assert "vendor-comms" in text and "legal-hold" in text  # the category, in every format


def test_timeline_list_shows_the_category(store, tmp_path):
    from click.testing import CliRunner

    from incidentkit.cli.group import cli

    incident = empty_incident(store)
    ops.add_timeline_entry(store, incident_id=incident.id, title="Told counsel", actor="Kim", category="legal-hold")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "timeline", "list", incident.id])
    assert result.exit_code == 0, result.output
    assert "Kim: Timeline: Told counsel  [legal-hold]" in result.output


def test_local_time_names_the_zone(store, tmp_path, monkeypatch):
    import tzlocal

    monkeypatch.setenv("TZ", "Europe/Berlin")
    tzlocal.reload_localzone()
    try:
        incident = empty_incident(store)  # aware 2026-11-20: winter time in Berlin
        text = export(store, incident.id, "md", tmp_path, tz="local")
    finally:
        monkeypatch.delenv("TZ")
        tzlocal.reload_localzone()
    assert "| Times shown in | Europe/Berlin, UTC+01:00 |" in text
    assert "2026-11-20 09:00:00+01:00" in text


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_amendment_details_are_in_the_export_zone(store, tmp_path, fmt):
    incident = empty_incident(store)
    entry = ops.add_timeline_entry(store, incident_id=incident.id, title="Call", actor="Sam")
    ops.amend_event(store, incident_id=incident.id, event_id=entry.id, actor="Sam", reason="call log",
                    occurred_at=datetime(2026, 11, 20, 7, 30, tzinfo=timezone.utc))
    text = export(store, incident.id, fmt, tmp_path, tz="Europe/Berlin")
    assert "occurred\\_at → 2026-11-20 08:30:00+01:00" in text or "occurred_at → 2026-11-20 08:30:00+01:00" in text
    assert "2026-11-20T07:30:00" not in text


def test_html_renders_notes_and_details_as_safe_markdown(store, tmp_path):
    incident = empty_incident(store)
    ops.note_step(store, incident_id=incident.id, step_id="confirm", text=NOTE_MD, actor="bob")
    ops.add_timeline_entry(store, incident_id=incident.id, title="Call", actor="Sam", detail="**urgent** | see _log_")
    html = export(store, incident.id, "html", tmp_path)
    assert "<strong>Dana</strong>" in html and "<strong>urgent</strong>" in html and "<em>log</em>" in html
    assert "<td>CRM</td>" in html  # the table is a table
    assert "<h4>Vendor call</h4>" in html  # below the export's own headings
    assert "**" not in html and "\\#" not in html
    assert '<a href="https://tickets.example/42" rel="noopener noreferrer">ticket</a>' in html
    assert "javascript:" not in html.split("<body>")[1].replace("javascript:alert(1)</", "")  # never a link
    assert not re.search(r"<a [^>]*href=\"javascript", html)
    assert "<img" not in html and "evil.example" not in html  # an image is its alt text: nothing loads
    assert "tracker" in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markdown_export_keeps_markdown_inside_its_entry(store, tmp_path):
    incident = empty_incident(store)
    ops.note_step(store, incident_id=incident.id, step_id="confirm", text=NOTE_MD, actor="bob")
    ops.add_timeline_entry(store, incident_id=incident.id, title="Call", actor="Sam",
                           detail="# Not a section\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- item\n\n```\nopen")
    text = export(store, incident.id, "md", tmp_path)
    assert "\\#\\#" not in text and "**Dana**" in text  # the user's markdown, kept as markdown
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)  # the most permissive renderer
    assert "<script>" not in html and "<img" not in html and "javascript:alert" not in html.replace(
        "javascript:alert(1)</", "")
    # The export's own outline is intact: one h1, its two h2 sections, the phases as h3.
    assert re.findall(r"<h[1-3]>(.*?)</h[1-3]>", html)[:3] == [
        "Quiet incident", "Timeline", "Steps by phase"]
    assert "<h4>Not a section</h4>" in html and "<h4>Vendor call</h4>" in html
    assert html.count("<table>") == 3  # the title block, the entry's and the note's tables
    assert html.split("<h2>Steps by phase</h2>")[1].count("<h3>") == 2  # both phases survive the open fence
    timeline = html.split("<h2>Timeline</h2>")[1].split("<h2>")[0]
    # Opened, the note, the entry: each stayed one item of the timeline's one list.
    assert timeline.count("<li>\n<p><strong>2026-") == 3 and timeline.count("</ul>") == 2


@needs_pdftotext
def test_pdf_draws_markdown_not_its_markers(store, tmp_path):
    incident = empty_incident(store)
    ops.note_step(store, incident_id=incident.id, step_id="confirm", text=NOTE_MD, actor="bob")
    text = export(store, incident.id, "pdf", tmp_path)
    assert "Dana" in text and "**" not in text and "Vendor call" in text
    assert "CRM" in text and "|---|" not in text
    assert "tracker" in text and "pixel.png" not in text
    assert "<https://tickets.example/42>" in text  # on paper a link shows where it goes
    assert "<script>alert(1)</script>" in text  # shown as text


@pytest.mark.parametrize("fmt", HUMAN)
def test_step_titles_with_inline_markdown_render(tmp_path, fmt):
    if fmt == "pdf":
        need_tool("pdftotext", package="poppler-utils")
    from incidentkit.core.playbook.parser import parse_playbook

    md = "---\nid: macie\ntitle: Macie\nversion: '1'\n---\n\n# Macie\n\n## Scope\n\n" \
         "- [ ] **Amazon Macie** enabled with `s3-bucket-logging` on {#macie}\n"
    with open_store(tmp_path / "data") as store:
        incident = ops.open_incident(store, playbook=parse_playbook(md, "macie.md"), title="T", actor="a")
        ops.complete_step(store, incident_id=incident.id, step_id="macie", actor="a")
        text = export(store, incident.id, fmt, tmp_path)
    if fmt == "html":
        assert "<strong>Amazon Macie</strong> enabled with <code>s3-bucket-logging</code>" in text
    elif fmt == "md":
        assert "**Amazon Macie** enabled with `s3-bucket-logging`" in text
    else:
        assert "Amazon Macie enabled with s3-bucket-logging" in " ".join(text.split())
        assert "**" not in text


def test_json_keeps_every_note_version(store, tmp_path):
    incident = empty_incident(store)
    for text in ("first", "second"):
        ops.note_step(store, incident_id=incident.id, step_id="confirm", text=text, actor="bob")
    doc = json.loads(export(store, incident.id, "json", tmp_path))
    assert [e["payload"]["text"] for e in doc["events"] if e["kind"] == "step.noted"] == ["first", "second"]


def test_a_huge_markdown_note_goes_into_the_markdown_export_verbatim_and_fast(store, tmp_path):
    import time

    incident = empty_incident(store)
    note = "\n".join(f"- item **{i}** ~~~ <b>x</b>" for i in range(2_000))  # mdformat: quadratic in list items
    ops.note_step(store, incident_id=incident.id, step_id="confirm", text=note, actor="bob")
    started = time.perf_counter()
    text = export(store, incident.id, "md", tmp_path)
    assert time.perf_counter() - started < 15  # mdformat alone took 17 s on 2,000 items
    assert "  ~~~~\n  - item **0** ~~~ <b>x</b>\n" in text  # in a fence longer than any inside it
    html = MarkdownIt("commonmark", {"html": True}).render(text)
    assert "<b>" not in html
    assert html.count("&lt;b&gt;x&lt;/b&gt;") == 2_001  # the note's 2,000 lines and its summary's first line
    assert html.split("<h2>Steps by phase</h2>")[1].count("<h3>") == 2
