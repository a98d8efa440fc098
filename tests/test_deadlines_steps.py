"""A step's `due` on the deadlines board: the same time the step detail, `incident show` and the
exports give (the playbook's own `due` API), with weekends as the only non-business days."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidentkit.cli.group import cli

PLAYBOOK = """---
id: due-steps
title: Due steps
---
# Due steps

## Notify

- [ ] Call the insurer {#insurer due="90 minutes"}
- [ ] Tell the regulator {#tell role=legal due="72 hours"}
- [ ] Brief the board {#board due="2 business days"}
- [ ] Review the vendor {#vendor due="2 weeks"}
- [ ] Lessons learned {#lessons due="1 month"}
- [ ] Not a duration {#odd due="soonish"}
"""
# Wednesday 24 December 2025, 10:00 UTC: Christmas Day (a US, UK and EU public holiday) is the
# next day and counts as a business day for a step, which names no jurisdiction.
AWARE = "2025-12-24T10:00:00Z"
EXPECTED = {
    "step:insurer": "2025-12-24T11:30:00Z",
    "step:tell": "2025-12-27T10:00:00Z",
    "step:board": "2025-12-26T10:00:00Z",      # Thursday 25 (a holiday, not a weekend), Friday 26
    "step:vendor": "2026-01-07T10:00:00Z",
    "step:lessons": "2026-01-24T10:00:00Z",
}


@pytest.fixture
def run(tmp_path: Path):
    books = tmp_path / "books"
    books.mkdir()
    (books / "due.md").write_text(PLAYBOOK, encoding="utf-8")

    def invoke(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "--playbooks", str(books),
                                          "--actor", "ann", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    return invoke


def test_step_deadlines_are_the_times_the_step_detail_shows(run):
    incident = run("incident", "new", "--playbook", "due-steps", "--title", "Steps", "--at", AWARE).strip()
    board = json.loads(run("deadlines", incident, "--json", "--all"))
    steps = {o["rule_id"]: o for o in board["obligations"] if o["rule_id"].startswith("step:")}
    assert {k: o["deadline"] for k, o in steps.items()} == EXPECTED
    # The unreadable `due` is left out (the validator warns about it), as the step detail does.
    assert "step:odd" not in steps
    shown = json.loads(run("incident", "show", incident, "--json"))
    due_at = {f"step:{s['id']}": datetime.fromisoformat(s["due_at"]) for p in shown["phases"] for s in p["steps"]
              if s["due_at"]}
    assert due_at == {k: datetime.fromisoformat(v) for k, v in EXPECTED.items()}
    assert steps["step:board"]["reason"] == "the playbook gives this step 2 business days from awareness"
    assert steps["step:board"]["wording"] == "due 2 business days after awareness (playbook)"


def test_a_corrected_awareness_time_moves_every_step_deadline(run):
    incident = run("incident", "new", "--playbook", "due-steps", "--title", "Steps", "--at", AWARE).strip()
    run("incident", "aware", incident, "--at", "2025-12-19T10:00:00Z", "--reason", "vendor email found")
    board = json.loads(run("deadlines", incident, "--json", "--all"))
    steps = {o["rule_id"]: o["deadline"] for o in board["obligations"] if o["rule_id"].startswith("step:")}
    assert steps["step:insurer"] == "2025-12-19T11:30:00Z"
    assert steps["step:board"] == "2025-12-23T10:00:00Z"   # from Friday 19: the weekend skipped, Monday, Tuesday
