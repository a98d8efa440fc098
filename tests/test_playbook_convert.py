"""`playbooks convert`: every public runbook in ../shared/corpus becomes a valid playbook with the
steps a reader counts in it, and hostile input gets a clear error or a valid playbook, never a crash.

The step counts below were checked by reading each file: its top-level list items
(numbered or bulleted) under each heading, lists of links and lists before the first
phase left as text, or the task items when the file has them already.
"""

from __future__ import annotations

import re
import time

import pytest
from conftest import CORPUS

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.convert import convert_file, convert_runbook
from incidentkit.core.playbook.loader import load_playbook
from incidentkit.core.playbook.parser import parse_playbook
from incidentkit.core.playbook.validate import validate_paths

corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")

# file -> (steps, {phase title: steps} for the phases that have steps)
EXPECTED = {
    "SOURCES.md": (4, {"Steps": 4}),
    "aws-IRP-PersonalDataBreach.md": (109, {"Part 1 — Prepare": 19, "Part 2 — Detect & Analyze": 12,
                                            "Part 3 — Contain": 17, "Part 4 — Eradicate & Recover": 30,
                                            "Part 5 — Post-Incident Activity": 31}),
    "aws-PLAYBOOK_TEMPLATE.md": (46, {"Part 1 — Prepare": 12, "Part 2 — Detect & Analyze": 7, "Part 3 — Contain": 5,
                                      "Part 4 — Eradicate & Recover": 16, "Part 5 — Post-Incident Activity": 6}),
    "aws-REGULATORY_CONTEXT.md": (8, {"Key Principles": 4, "AWS-Specific Considerations": 4}),
    "counteractive-during.md": (219, {"Assess": 8, "Initiate Response": 55, "Investigate": 72, "Remediate": 46,
                                      "Communicate": 36, "Recover": 2}),
    "counteractive-playbook-supply-chain.md": (8, {"Investigate": 1, "Remediate": 4, "Communicate": 1,
                                                   "Recover": 1, "Resources": 1}),
    "pagerduty-external_communication_guidelines.md": (20, {"When to communicate publicly": 5,
                                                            "How to communicate": 15}),
    "pagerduty-security_incident_response.md": (68, {
        "Checklist": 14, "Attack Mitigation": 2, "Cut Off Attack Vector": 2, "Assemble Response Team": 7,
        "Isolate Affected Instances": 3, "Identify Timeline of Attack": 6, "Compromised Data": 2, "Assess Risk": 3,
        "Apply Additional Mitigations": 4, "Forensic Analysis": 4, "Internal Communication": 4,
        "Liaise With Law Enforcement / External Actors": 5, "External Communication": 8,
        "Communicating During an Incident": 4}),
}


@corpus
def test_the_corpus_is_what_the_counts_were_read_from() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.md")) == sorted(EXPECTED)


@corpus
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_file_converts_to_a_valid_playbook(name: str, tmp_path) -> None:
    result = convert_file(str(CORPUS / name))
    steps, per_phase = EXPECTED[name]
    assert result.playbook.step_count == result.report.steps == steps
    assert {p.title: len(p.steps) for p in result.playbook.phases if p.steps} == per_phase
    assert all(s.explicit_id for s in result.playbook.steps())  # every id is written down now
    assert result.playbook.warnings == ()
    out = tmp_path / "out.md"
    out.write_text(result.markdown, encoding="utf-8")
    report = validate_paths([out])
    assert (report.errors, report.warnings) == (0, 0)
    # Converting the result again changes nothing: it is a playbook with ids already.
    assert convert_runbook(result.markdown, str(out)).markdown == result.markdown


@corpus
def test_the_six_runbooks_without_task_items_needed_converting() -> None:
    failing = []
    for path in sorted(CORPUS.glob("*.md")):
        try:
            load_playbook(path)
        except PlaybookError:
            failing.append(path.name)
    assert len(failing) == 6 and "aws-IRP-PersonalDataBreach.md" not in failing


@corpus
def test_a_playbook_keeps_its_step_ids_and_texts() -> None:
    path = CORPUS / "aws-IRP-PersonalDataBreach.md"
    before = load_playbook(path)
    after = convert_file(str(path)).playbook
    assert [(s.id, s.text, s.phase_id, s.section) for s in after.steps()] == \
        [(s.id, s.text, s.phase_id, s.section) for s in before.steps()]
    assert (after.id, after.title) == (before.id, before.title)


@corpus
def test_counteractive_during_per_top_level_section_by_a_line_scan() -> None:
    """Cross-check: in this file every top-level item starts at column 0 with `1. `, `* ` or `- `."""
    text = (CORPUS / "counteractive-during.md").read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    section = None
    for line in text.splitlines()[1:]:
        if line.startswith("# "):
            section = line[2:].strip()
            counts[section] = 0
        elif re.match(r"(1\.|\*|-) ", line):
            counts[section] += 1
    assert {k: v for k, v in counts.items() if v} == EXPECTED["counteractive-during.md"][1]


@corpus
def test_the_report_says_what_it_did_and_could_not_place() -> None:
    report = convert_file(str(CORPUS / "counteractive-during.md")).report
    lines = report.lines()
    assert lines[0] == "counteractive-during.md: 6 phases, 46 sections, 219 steps"
    assert "  headings: `#` headings are the phases; every deeper heading one level deeper" in lines
    assert "  steps: 51 from numbered lists, 168 from bullet lists; what is nested under an item is its guidance" in lines
    assert any(line.startswith("    counteractive-during.md:251: text after a step under "
                               "\"Update Investigative Plan and Incident File\" belongs to no step") for line in lines)
    pagerduty = convert_file(str(CORPUS / "pagerduty-security_incident_response.md")).report
    assert pagerduty.title_from == "the file name" and pagerduty.summary_from == "front matter description"
    assert pagerduty.dropped_keys == ["cover"]
    assert pagerduty.kept_as_text == [(166, "a list of links (5 items)")]


def convert(text: str):
    return convert_runbook(text, "runbook.md")


def test_no_headings_get_one_steps_phase() -> None:
    result = convert("Call the vendor first.\n\n1. Ask for the file\n2. Count the rows\n   - by country\n")
    assert result.markdown.splitlines()[:6] == ["---", "id: runbook", 'title: "Runbook"', 'version: "1.0.0"', "---",
                                                "Call the vendor first."]
    assert "## Steps\n\n1. [ ] Ask for the file {#ask-for-the-file}\n2. [ ] Count the rows {#count-the-rows}\n" \
           "   - by country\n" in result.markdown
    assert [s.guidance for s in result.playbook.steps()] == ["", "- by country"]
    assert result.report.steps_phase_added


def test_setext_headings_crlf_and_odd_trailing_braces() -> None:
    text = ("Runbook\r\n=======\r\n\r\nSection\r\n-------\r\n\r\n"
            "* Open [the ticket](https://t.example){:target=\"_blank\"}\r\n"
            "* Replace {{VENDOR}} in the notice\r\n* Mark it {role=legal}\r\n")
    result = convert(text)
    steps = list(result.playbook.steps())
    assert [p.title for p in result.playbook.phases] == ["Section"] and result.playbook.title == "Runbook"
    assert [s.text for s in steps] == ['Open [the ticket](https://t.example){:target="_blank"}',
                                      "Replace {{VENDOR}} in the notice", "Mark it"]
    assert steps[2].role == "legal"  # an attribute block it could read is kept, with the id inside it
    assert result.playbook.warnings == ()


def test_hostile_front_matter_and_items_that_are_not_steps() -> None:
    text = "---\ntitle: [unclosed\n---\n# Real title\n\n## Do\n\n-\n- ```\n  code\n  ```\n- Real step\n"
    result = convert(text)
    assert result.report.front_matter_problem.startswith("malformed front matter")
    assert result.playbook.title == "Real title" and [s.text for s in result.playbook.steps()] == ["Real step"]
    assert [what for _line, what in result.report.kept_as_text] == ["a list item that does not start with text"] * 2


@pytest.mark.parametrize(("text", "message"), [
    ("<html><body><ul><li>Call the vendor</li></ul></body></html>\n", "no list items that could become steps"),
    ("# Only a title\n\nAnd prose.\n", "no list items that could become steps"),
    ("", "no list items that could become steps"),
])
def test_nothing_to_convert_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(PlaybookError, match=message):
        convert(text)


def test_binary_and_oversized_files_are_refused(tmp_path) -> None:
    binary = tmp_path / "tool.md"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00" + bytes(range(256)))
    with pytest.raises(PlaybookError, match="binary file"):
        convert_file(str(binary))
    huge = tmp_path / "huge.md"
    huge.write_bytes(b"- a step\n" * 700_000)  # 6.3 MB
    with pytest.raises(PlaybookError, match="file too large"):
        convert_file(str(huge))


def test_deep_nesting_keeps_the_text_and_converts_the_top() -> None:
    text = "# Deep\n\n## Go\n\n" + "".join("  " * n + "- level\n" for n in range(500))
    result = convert(text)
    assert result.playbook.step_count == 1
    assert sum(line.lstrip().startswith("- ") for line in result.markdown.splitlines()) == 500  # nothing dropped
    assert [w.message[:23] for w in result.playbook.warnings] == ["nested deeper than 40 l"]
    parse_playbook(result.markdown, "again.md")


def test_a_large_runbook_converts_in_reasonable_time() -> None:
    text = "# Big\n\n" + "".join(f"## Phase {p}\n\n" + "".join(f"1. Do thing {p}.{n}\n" for n in range(200))
                                 for p in range(100))
    start = time.perf_counter()
    result = convert(text)
    assert result.playbook.step_count == 20_000 and len(result.playbook.phases) == 100
    assert time.perf_counter() - start < 60  # a bound against quadratic work, not a benchmark


def test_the_cli_writes_the_playbook_and_prints_the_report(tmp_path) -> None:
    from click.testing import CliRunner

    from incidentkit.cli.group import cli

    runbook = tmp_path / "runbook.md"
    runbook.write_text("# Runbook\n\n## Contain\n\n1. Disable the key\n2. Rotate it\n\nThen wait.\n", encoding="utf-8")
    out = tmp_path / "playbook.md"
    runner = CliRunner()
    result = runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), "playbooks", "convert", str(runbook),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "runbook.md: 1 phase, 0 sections, 2 steps"
    assert f"    runbook.md:8: text after a step under \"Contain\" belongs to no step in IncidentKit: nest it " \
           "under a step, or move it above the first" in lines
    assert lines[-1] == f"wrote {out}: a valid playbook"
    assert load_playbook(out).step_count == 2
    to_stdout = runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), "playbooks", "convert", str(runbook),
                                    "-o", "-"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout == out.read_text(encoding="utf-8")
    same = runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), "playbooks", "convert", str(out), "-o", str(out)])
    assert same.exit_code == 2 and "the output is the runbook itself" in same.output
    listed = runner.invoke(cli, ["--data-dir", str(tmp_path / "data"), "playbooks", "--json"])
    assert listed.exit_code == 0 and '"playbooks"' in listed.output  # plain `playbooks` still lists
