"""Real-world playbooks (../shared/corpus): each loads or fails with the clear "no steps" error.

The AWS personal-data-breach playbook is checked step by step: 109 task items, each in
the `##` phase and `###` section it sits under in the file.
"""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.loader import load_playbook
from incidentkit.core.playbook.parser import NO_STEPS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")

AWS = CORPUS / "aws-IRP-PersonalDataBreach.md"
CORPUS_FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_corpus_file_loads_or_says_it_has_no_steps(path):
    try:
        playbook = load_playbook(path)
    except PlaybookError as exc:
        errors = [d.message for d in exc.diagnostics if d.severity == "error"]
        assert NO_STEPS in errors, errors
        assert "- [ ]" not in path.read_text(encoding="utf-8").replace("`- [ ]", "")
        return
    assert playbook.step_count > 0


def independent_count(text: str) -> dict[str, int]:
    """Task items per `##` heading by a plain line scan (outside ``` fences): a cross-check, not a parser."""
    counts: dict[str, int] = {}
    phase, fenced = None, False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            phase = line[3:].strip()
            counts[phase] = 0
        elif not fenced and re.match(r"\s*(?:[-*+]|\d+[.)]) \[[ xX]\] ", line):
            counts[phase] += 1
    return {k: v for k, v in counts.items() if v}


@pytest.fixture(scope="module")
def aws():
    return load_playbook(AWS)


def test_aws_has_exactly_109_steps_in_the_right_phases(aws):
    assert aws.step_count == 109
    assert aws.title == "IRP-PersonalDataBreach: Personal Data Breach Response"
    assert aws.id == "aws-irp-personaldatabreach"
    per_phase = {p.title: len(p.steps) for p in aws.phases if p.steps}
    assert per_phase == {
        "Part 1 — Prepare": 19,
        "Part 2 — Detect & Analyze": 12,
        "Part 3 — Contain": 17,
        "Part 4 — Eradicate & Recover": 30,
        "Part 5 — Post-Incident Activity": 31,
    }
    assert per_phase == independent_count(AWS.read_text(encoding="utf-8"))
    assert [p.title for p in aws.phases][:2] == ["Overview", "Part 1 — Prepare"]
    assert len(aws.phases) == 12 and aws.warnings == ()


def test_aws_steps_sit_in_their_sections(aws):
    sections = {s.title: len(s.step_ids) for p in aws.phases for s in p.sections if s.step_ids}
    assert sections == {
        "1.1 Recommended AWS Service Configurations": 12,
        "1.2 IAM & Access Prerequisites": 7,
        "2.1 Initial Triage Questions": 12,
        "3.2 Containment Actions": 8,
        "3.3 Document Containment Actions": 9,
        "4.1 Full Scope Determination": 10,
        "4.4 Individual Notification & Protection": 11,
        "4.5 Recovery Validation": 9,
        "5.2 Regulatory Follow-Up": 7,
        "5.3 Individual Notification Tracking": 6,
        "5.5 Privacy & Data Protection Improvements": 10,
        "5.7 Playbook Update Checklist": 8,
    }


def test_aws_spot_checks(aws):
    steps = list(aws.steps())
    first, last = steps[0], steps[-1]
    assert (first.line, first.phase_id, first.section) == (71, "part-1-prepare", "1.1 Recommended AWS Service Configurations")
    assert first.text.startswith("**Amazon Macie** enabled with automated sensitive data discovery")
    assert first.id == "amazon-macie-enabled-with-automated-sensitive"
    triage = next(s for s in steps if s.line == 163)
    assert triage.text == "Has an unauthorized access, disclosure, or loss of data been confirmed or strongly suspected?"
    assert (triage.phase_id, triage.section) == ("part-2-detect-analyze", "2.1 Initial Triage Questions")
    approved = next(s for s in steps if s.line == 599)
    assert approved.text == "Individual notification content finalized and approved by Legal"
    assert approved.phase_id == "part-4-eradicate-recover"
    assert (last.line, last.phase_id, last.section) == (745, "part-5-post-incident-activity", "5.7 Playbook Update Checklist")
    assert len({s.id for s in steps}) == 109


def test_aws_task_items_in_code_fences_are_not_steps(aws):
    # The file's bash blocks contain `# comment` lines; none may become headings or phases.
    assert not any(p.title.startswith("Apply Object Lock") for p in aws.phases)
