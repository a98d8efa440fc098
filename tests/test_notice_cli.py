"""The notice commands in-process, on a real database: details, draft to every format, check,
approve, sent (refused until approved, or overridden with a reason), an edit that needs its own
approval, the deadlines board and the timeline seeing it all."""

from __future__ import annotations

import hashlib
import json
import subprocess
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from tools import has_tool

from incidentkit.cli.group import cli
from incidentkit.core.comms.sample import DETAILS

SETS = [f"--set={k}={v}" for k, v in DETAILS.items()]
# The scope import is not on this branch: the notices say what was exposed through the field.
WHAT = "--set=what_information=The information involved was names and email addresses."


@pytest.fixture
def run(tmp_path: Path):
    data = tmp_path / "data"

    def invoke(*args: str, ok: bool = True):
        result = CliRunner().invoke(cli, ["--data-dir", str(data), "--actor", "ann", *args])
        if ok:
            assert result.exit_code == 0, (result.output, result.exception)
        return result

    return invoke


@pytest.fixture
def incident(run) -> str:
    found = run("incident", "new", "--playbook", "vendor-data-breach", "--title", "Epsilon email breach",
                "--at", "2026-03-02T09:00:00Z").stdout.strip()
    run("notice", "details", found, *SETS, "--reason", "contact sheet")
    return found


def draft(run, incident: str, *args: str) -> str:
    return run("notice", "draft", incident, "customer-notice-email", WHAT, *args).stdout.strip()


def listed(run, incident: str) -> dict[str, dict]:
    return {d["id"]: d for d in json.loads(run("notice", "list", incident, "--json").stdout)["drafts"]}


def test_templates_are_listed_with_their_fields(run):
    doc = json.loads(run("notice", "templates", "--json").stdout)
    email = next(t for t in doc["templates"] if t["id"] == "customer-notice-email")
    assert email["audience"] == "individuals" and email["format"] == "email"
    assert {"greeting", "what_happened", "measures_taken"} <= {f["name"] for f in email["fields"]}
    assert "customer-notice-email  v1.0  Customer notice (email)" in run("notice", "templates").stdout


def test_details_are_recorded_and_shown(run, incident):
    shown = run("notice", "details", incident).stdout
    assert "organisation: Harbor & Pine Outfitters" in shown and "postal_address: 200 Harbor Street / Portland" in shown
    assert run("notice", "details", incident, "--set=vendor=Epsilon Data Management").stderr.strip() == "unchanged"
    bad = run("notice", "details", incident, "--set=colour=red", ok=False)
    assert bad.exit_code == 1 and "unknown notice detail 'colour'" in str(bad.exception)
    bad = run("notice", "details", incident, "--set=email=not an address", ok=False)
    assert "is not an email address" in str(bad.exception)


def test_draft_approve_send_and_an_edit_that_needs_its_own_approval(run, incident, tmp_path):
    first = draft(run, incident, "-o", str(tmp_path / "notice.eml"))
    assert len(first) == 32
    # Sending what nobody approved is refused, and nothing is written.
    refused = run("notice", "sent", incident, first, "--audience", "all customers", "--count", "6200", ok=False)
    assert refused.exit_code == 1 and "was never approved" in str(refused.exception)
    run("notice", "approve", incident, first, "--role", "legal", "--note", "as discussed")
    again = run("notice", "approve", incident, first, ok=False)
    assert "ann has already approved this text" in str(again.exception)
    # A one-character edit is a new draft with a new sha256, and the approval does not carry over.
    edited = draft(run, incident, "--from", first[:8], "--set=greeting=Dear customer;")
    drafts = listed(run, incident)
    assert edited != first and drafts[edited]["based_on"] == first
    assert drafts[edited]["sha256"] != drafts[first]["sha256"]
    assert (drafts[first]["state"], drafts[edited]["state"]) == ("approved", "draft")
    assert drafts[first]["approvals"][0]["role"] == "legal" and drafts[first]["approvals"][0]["by"] == "ann"
    refused = run("notice", "sent", incident, edited, "--audience", "all customers", "--count", "5", ok=False)
    assert "was never approved" in str(refused.exception)
    # An explicit override is recorded with its reason.
    run("notice", "sent", incident, edited, "--audience", "test batch", "--count", "5", "--unapproved",
        "legal approved it on the phone; the record follows")
    run("notice", "sent", incident, first, "--audience", "California residents", "--count", "1000",
        "--channel", "email", "--rule", "us-ca-individuals", "--at", "2026-03-04T15:00:00Z")
    drafts = listed(run, incident)
    assert drafts[edited]["sendings"][0]["unapproved"] is True
    assert drafts[edited]["sendings"][0]["reason"] == "legal approved it on the phone; the record follows"
    sent = drafts[first]["sendings"][0]
    assert (sent["audience"], sent["count"], sent["batch"], sent["rule_ids"]) == (
        "California residents", 1000, "1", ["us-ca-individuals"])
    # The deadlines board has the notification, with the text's sha256 as its proof.
    board = json.loads(run("deadlines", incident, "--json").stdout)
    (notification,) = board["notifications"]
    assert notification["rule_id"] == "us-ca-individuals" and notification["at"] == "2026-03-04T15:00:00Z"
    assert notification["sha256"] == drafts[first]["sha256"] and notification["recipient"] == "California residents"
    # The timeline tells the story.
    timeline = run("timeline", "list", incident).stdout
    assert "Notice drafted: Customer notice (email) (Notice of Data Breach)" in timeline
    assert "Notice approved as legal: draft " + first[:12] in timeline
    assert "Notice sent to California residents: 1,000 by email" in timeline
    assert "sent WITHOUT APPROVAL: legal approved it on the phone" in timeline
    text = run("notice", "list", incident).stdout
    assert "For the people affected:" in text and "approved by ann as legal" in text


def test_a_rule_for_another_audience_is_refused(run, incident):
    first = draft(run, incident)
    run("notice", "approve", incident, first)
    refused = run("notice", "sent", incident, first, "--audience", "AG", "--count", "1", "--rule",
                  "us-ca-attorney-general", ok=False)
    assert "rule us-ca-attorney-general is a notice to the attorney general" in str(refused.exception)


def test_a_draft_with_placeholders_cannot_be_approved(run, tmp_path):
    bare = run("incident", "new", "--playbook", "vendor-data-breach", "--title", "No details").stdout.strip()
    first = run("notice", "draft", bare, "holding-statement").stdout.strip()
    refused = run("notice", "approve", bare, first, ok=False)
    assert "still shows placeholders (the breached vendor's name, the organisation's name" in str(refused.exception)


def test_the_eml_parses_back_with_both_parts_and_names_the_draft(run, incident, tmp_path):
    first = draft(run, incident, "-o", str(tmp_path / "notice.eml"))
    message = message_from_bytes((tmp_path / "notice.eml").read_bytes(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert "What Information Was Involved\r\n-----" in plain.get_content()     # CRLF, as RFC 5322 asks
    assert '<h2 style="' in html.get_content() and "<style" not in html.get_content()
    assert message["Subject"] == "Notice of Data Breach"
    assert str(message["From"]) == "Harbor & Pine Outfitters <notices@harborpine.example>"
    assert message["X-IncidentKit-Draft"] == first
    assert message["X-IncidentKit-SHA256"].strip() == listed(run, incident)[first]["sha256"]  # folded: 86 characters


def test_every_format_is_written_and_the_markdown_is_the_approved_text(run, incident, tmp_path):
    first = draft(run, incident)
    sha = listed(run, incident)[first]["sha256"]
    for suffix in (".md", ".txt", ".html", ".pdf"):
        out = tmp_path / f"notice{suffix}"
        run("notice", "export", incident, first[:10], "-o", str(out))
        assert out.stat().st_size > 500
    assert hashlib.sha256((tmp_path / "notice.md").read_bytes()).hexdigest() == sha
    assert run("notice", "show", incident, first).stdout == (tmp_path / "notice.md").read_text(encoding="utf-8")
    assert (tmp_path / "notice.pdf").read_bytes().startswith(b"%PDF")
    if has_tool("pdftotext", package="poppler-utils"):
        text = subprocess.run(["pdftotext", str(tmp_path / "notice.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Notice of Data Breach" in text and "What You Can Do" in text
    bad = run("notice", "export", incident, first, "-o", str(tmp_path / "notice.docx"), ok=False)
    assert bad.exit_code == 1 and "cannot write a notice as '.docx'" in str(bad.exception)
    assert not (tmp_path / "notice.docx").exists()


def test_check_against_a_rule_and_its_exit_code(run, incident):
    first = draft(run, incident)
    result = run("notice", "check", incident, first, "--rule", "us-ca-individuals", "--json", ok=False)
    doc = json.loads(result.stdout)
    assert result.exit_code == 1                                   # the scope records no data elements yet
    found = {r["what"]: r for r in doc["requirements"]}
    assert found['the heading "What Happened"']["met"] and found['the title "Notice of Data Breach"']["met"]
    assert found["the types of personal information involved"]["detail"] == "the scope records no data elements"
    assert doc["readability"]["grade"] > 0
    text = run("notice", "check", incident, first, "--rule", "us-ca-individuals", ok=False).stdout
    assert "  met      us-ca-individuals: the heading \"What Happened\"" in text
    assert "source: Cal. Civ. Code § 1798.82(d) (statute, as of 2026-01-01)" in text


def test_unknown_fields_templates_and_drafts_are_one_line_errors(run, incident):
    for args, message in [
        (("notice", "draft", incident, "customer-notice-email", "--set=colour=red"),
         "template 'customer-notice-email' has no field 'colour'"),
        (("notice", "draft", incident, "no-such-template"), "no notice template 'no-such-template'"),
        (("notice", "approve", incident, "abcdef"), "no draft 'abcdef'"),
    ]:
        result = run(*args, ok=False)
        assert result.exit_code == 1 and message in str(result.exception)
