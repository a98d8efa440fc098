"""The clocks from an extortion or ransom payment and from the end of incident handling, worked out by
hand: NYDFS 500.17(c), CIRCIA (proposed), China's CAC summary report and NIS2 Art. 23(4)(e)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from deadline_helpers import at, board, marks, profile, sent

from incidentkit.cli.group import cli

NY_BANK = profile({"US-NY": 40}, {"name", "ssn"}, organisation={"nydfs-regulated", "critical-infrastructure"})


def test_no_ransom_payment_recorded_means_no_payment_duty():
    found = board(NY_BANK, marks(aware="2026-04-01T12:00:00Z"), now="2026-04-02T12:00:00Z")
    for rule_id in ("nydfs-500-17-extortion-notice", "nydfs-500-17-extortion-explanation"):
        o = found[rule_id]
        assert (o.status, o.deadline) == ("not-applicable", None), rule_id
        assert o.reason == "applies only if an extortion or ransom payment is made; none is recorded"
    assert found["circia-ransom-24h"].status == "not-applicable"          # proposed: never binding


def test_a_ransom_payment_starts_the_nydfs_clocks():
    paid = marks(aware="2026-04-01T12:00:00Z", ransom_paid="2026-04-03T22:30:00Z")
    found = board(NY_BANK, paid, now="2026-04-04T12:00:00Z")
    notice = found["nydfs-500-17-extortion-notice"]
    # 24 hours are elapsed time: 22:30 UTC the next day.
    assert (notice.status, notice.deadline, notice.deadline_kind) == ("due", at("2026-04-04T22:30:00Z"), "law")
    assert (notice.clock_start.milestone, notice.clock_start.at) == ("ransom-paid", at("2026-04-03T22:30:00Z"))
    # 30 calendar days: the payment's day in New York is 3 April (18:30 EDT), day 30 is 3 May,
    # ending 23:59:59 EDT.
    explanation = found["nydfs-500-17-extortion-explanation"]
    assert (explanation.status, explanation.deadline) == ("due", at("2026-05-04T03:59:59Z"))
    late = board(NY_BANK, paid, now="2026-04-05T00:00:00Z", notices=[sent("nydfs-500-17-extortion-notice",
                                                                          "2026-04-04T23:00:00Z")])
    assert late["nydfs-500-17-extortion-notice"].status == "met-late"
    circia = found["circia-ransom-24h"]
    assert circia.status == "not-applicable" and circia.reason.startswith("proposed, not yet law")


CN = profile({"CN": 300}, {"name", "phone"})


def test_chinas_summary_report_waits_for_the_end_of_handling():
    o = board(CN, marks(aware="2026-03-02T01:00:00Z"), now="2026-03-10T00:00:00Z")["cn-cac-incident-final"]
    assert (o.status, o.deadline) == ("needs-input", None)
    assert "the end of incident handling is not recorded" in o.reason
    assert o.clock_start.milestone == "incident-handled" and o.clock_start.at is None
    assert "the exact start of the 30 days (not read in the translation)" in o.verify


def test_a_closed_incident_gives_the_latest_possible_summary_deadline():
    closed = marks(aware="2026-03-02T01:00:00Z", incident_closed="2026-04-20T08:00:00Z")
    o = board(CN, closed, now="2026-04-21T00:00:00Z")["cn-cac-incident-final"]
    # Closed 20 April 16:00 in Shanghai: day 30 is 20 May, ending 23:59:59 CST (UTC+8).
    assert (o.status, o.deadline, o.deadline_kind) == ("needs-input", at("2026-05-20T15:59:59Z"), "latest")
    assert "cannot be later than the incident-closed time, 2026-04-20T08:00:00Z" in o.reason
    handled = marks(aware="2026-03-02T01:00:00Z", incident_handled="2026-04-01T02:00:00Z",
                    incident_closed="2026-04-20T08:00:00Z")
    o = board(CN, handled, now="2026-04-21T00:00:00Z")["cn-cac-incident-final"]
    # Handling completed 1 April 10:00 in Shanghai: day 30 is 1 May.
    assert (o.status, o.deadline, o.deadline_kind) == ("due", at("2026-05-01T15:59:59Z"), "law")


NIS2 = profile({"FR": 80}, {"name", "email"}, organisation={"nis2-essential"})
AFTER = "nis2-23-final-report-after-handling"
NOTIFIED = [sent("nis2-23-notification", "2026-03-04T10:00:00Z")]
# The final report is due one calendar month after the notification (4 March): 4 April, ending
# 23:59:59 CEST in Brussels.
FINAL_DUE = "2026-04-04T21:59:59Z"


def nis2(now: str, **times: str):
    return board(NIS2, marks(aware="2026-03-02T09:00:00Z", **times), now=now, notices=NOTIFIED)


def test_nis2_late_final_report_is_a_question_until_the_final_report_falls_due():
    found = nis2("2026-03-20T00:00:00Z")
    assert found["nis2-23-final-report"].deadline == at(FINAL_DUE)
    o = found[AFTER]
    assert o.status == "needs-input" and o.deadline is None
    assert (f"applies only if the incident is still being handled when the notice under nis2-23-final-report "
            f"falls due ({FINAL_DUE})") in o.reason


def test_nis2_handling_over_before_the_final_report_means_no_late_report():
    o = nis2("2026-03-30T00:00:00Z", incident_handled="2026-03-25T12:00:00Z")[AFTER]
    assert o.status == "not-applicable"
    assert o.reason == ("the incident's handling ended (2026-03-25T12:00:00Z) before the notice under "
                        f"nis2-23-final-report falls due ({FINAL_DUE})")


def test_nis2_still_ongoing_when_the_final_report_fell_due():
    waiting = nis2("2026-04-10T00:00:00Z")[AFTER]
    assert waiting.status == "needs-input" and "the end of incident handling is not recorded" in waiting.reason
    o = nis2("2026-04-30T00:00:00Z", incident_handled="2026-04-28T16:00:00Z")[AFTER]
    # One calendar month after 28 April (Brussels): 28 May, ending 23:59:59 CEST.
    assert (o.status, o.deadline, o.clock_start.milestone) == ("due", at("2026-05-28T21:59:59Z"), "incident-handled")
    assert o.reason.endswith("; the incident was still being handled when the notice under nis2-23-final-report "
                             f"fell due ({FINAL_DUE})")


def test_nis2_a_final_report_sent_while_handling_goes_on_was_a_progress_report():
    notices = [*NOTIFIED, sent("nis2-23-final-report", "2026-03-30T10:00:00Z")]
    found = board(NIS2, marks(aware="2026-03-02T09:00:00Z", incident_handled="2026-04-02T10:00:00Z"),
                  now="2026-04-03T00:00:00Z", notices=notices)
    o = found[AFTER]
    assert o.status == "due" and o.deadline == at("2026-05-02T21:59:59Z")
    assert "when the notice under nis2-23-final-report was sent (2026-03-30T10:00:00Z)" in o.reason


def test_the_new_milestones_on_the_command_line(tmp_path: Path):
    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "--actor", "ann", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    incident = run("incident", "new", "--playbook", "vendor-data-breach", "--title", "Ransom",
                   "--at", "2026-01-05T08:00:00Z").strip()
    run("milestone", incident, "ransom-paid", "--at", "2026-01-06T08:00:00Z", "--reason", "CFO approved")
    run("milestone", incident, "incident-handled", "--at", "2026-01-20T08:00:00Z")
    assert "Milestone: an extortion or ransom payment was made" in run("timeline", "list", incident)
    run("incident", "close", incident)
    names = {m["name"]: m["at"] for m in json.loads(run("deadlines", incident, "--json"))["milestones"]}
    assert names["ransom-paid"] == "2026-01-06T08:00:00Z"
    assert names["incident-handled"] == "2026-01-20T08:00:00Z"
    assert "incident-closed" in names
    refused = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "milestone", incident, "incident-closed",
                                       "--at", "2026-01-21T08:00:00Z"])
    assert refused.exit_code == 1


def test_ongoing_at_must_name_a_known_rule():
    from rules_helpers import rule_yaml, rules_file

    from incidentkit.core.deadlines.library import check_references
    from incidentkit.core.deadlines.reader import read_rules_text

    extra = "    conditions:\n      ongoing_at: no-such-rule\n"
    rules, problems = read_rules_text(rules_file(rule_yaml("r", extra=extra)), "t.yaml")
    assert problems == [] and rules[0].conditions.ongoing_at == "no-such-rule"
    assert [d.format() for d in check_references(rules)] == [
        "t.yaml:2:1: error: rule 'r': 'ongoing_at' names 'no-such-rule', which is not a known rule"]
