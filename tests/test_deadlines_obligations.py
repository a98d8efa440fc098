"""The obligations function on small rules: every status, every condition, every clock form."""

from __future__ import annotations

from deadline_helpers import at, board, marks, profile, sent
from rules_helpers import rule_yaml, rules_file

from incidentkit.core.deadlines.reader import read_rules_text
from incidentkit.core.deadlines.records import Milestone

NOW = "2026-03-03T12:00:00Z"
AWARE = "2026-03-02T09:00:00Z"


def rules(*items: str):
    found, problems = read_rules_text(rules_file(*items), "t.yaml")
    assert [d for d in problems if d.severity == "error"] == []
    return found


def one(extra: str = "", clock: str | None = None, scope=None, milestones=None, now: str = NOW, notices=(),
        jurisdiction: str = "US-CA", more=()):
    kwargs = {"clock": clock} if clock else {}
    listed = rules(rule_yaml("r", jurisdiction=jurisdiction, extra=extra, **kwargs), *more)
    scope = scope or profile({"US-CA": 10, "FR": 5}, {"name", "ssn"})
    return board(scope, milestones or marks(aware=AWARE), now, notices, rules=listed)


def test_due_overdue_met_met_late():
    assert one()["r"].status == "due" and one()["r"].deadline == at("2026-03-05T09:00:00Z")
    assert one(now="2026-03-05T09:00:01Z")["r"].status == "overdue"
    assert one(notices=[sent("r", "2026-03-05T09:00:00Z")])["r"].status == "met"
    assert one(notices=[sent("r", "2026-03-05T09:00:01Z")])["r"].status == "met-late"


def test_the_first_notice_counts():
    found = one(notices=[sent("r", "2026-03-06T00:00:00Z"), sent("r", "2026-03-04T00:00:00Z")])["r"]
    assert found.status == "met" and found.notification.at == at("2026-03-04T00:00:00Z")


def test_proposed_rules_and_the_vendors_duties_never_bind():
    assert one("    status: proposed\n")["r"].reason == "proposed, not yet law (Test Act)"
    vendor = one("    owed_by: vendor\n")["r"]
    assert vendor.status == "not-applicable" and vendor.reason.startswith("the vendor's duty to us, not ours")


def test_no_one_affected():
    found = one(scope=profile({"US-NY": 10}, {"name", "ssn"}))["r"]
    assert (found.status, found.reason) == ("not-applicable", "no one affected in US-CA")


def test_people_at_least_zero_applies_to_anyone():
    found = one('    conditions:\n      people: ">= 0"\n', scope=profile({}, {"name"}))["r"]
    assert found.status == "due"


def test_counted_in_any_one_subdivision():
    extra = '    conditions:\n      people: "> 500"\n      people_in: any-subdivision\n'
    big = profile({"US-CA": 400, "US-NY": 501}, {"name"})
    assert one(extra, scope=big, jurisdiction="US")["r"].people == 501
    assert one(extra, scope=big, jurisdiction="US")["r"].status == "due"
    small = profile({"US-CA": 400, "US-NY": 400}, {"name"})
    assert one(extra, scope=small, jurisdiction="US")["r"].status == "not-applicable"


def test_organisation_flags():
    extra = "    conditions:\n      organisation:\n        any_of: [public-company]\n        none_of: [us-bank]\n"
    assert one(extra)["r"].status == "not-applicable"
    scope = profile({"US-CA": 1}, {"name"}, organisation={"public-company", "us-bank"})
    assert one(extra, scope=scope)["r"].reason == ("does not apply to a US banking organisation (federal banking "
                                                   "agencies' 36-hour rule) (the organisation profile says it is one)")


def test_data_covered_not_covered_and_unsaid():
    extra = ("    conditions:\n      data:\n        defined_in: Test Act § 1\n        any_of: [[name, ssn]]\n"
             "        not_covered: [[name, email, phone]]\n")
    assert one(extra)["r"].status == "due"
    assert one(extra, scope=profile({"US-CA": 1}, {"name", "phone"}))["r"].reason == (
        "names and phone numbers alone are not personal information under Test Act § 1")
    unsaid = one(extra, scope=profile({"US-CA": 1}, {"name", "health"}))["r"]
    assert unsaid.status == "needs-input"
    assert unsaid.reason.startswith("verify with counsel whether names and health or medical information are")
    assert one(extra, scope=profile({"US-CA": 1}, set()))["r"].reason == "the exposed data elements are not yet known"


def test_encryption_safe_harbour():
    extra = "    conditions:\n      encryption_safe_harbour: true\n"
    encrypted = one(extra, scope=profile({"US-CA": 1}, {"name"}, encrypted="yes"))["r"]
    assert encrypted.status == "not-applicable" and encrypted.reason.startswith("the data was encrypted")
    assert one(extra, scope=profile({"US-CA": 1}, {"name"}, encrypted="key-exposed"))["r"].status == "due"
    unknown = one(extra, scope=profile({"US-CA": 1}, {"name"}, encrypted="unknown"))["r"]
    assert unknown.status == "needs-input" and unknown.deadline == at("2026-03-05T09:00:00Z")  # still shown
    extra = "    conditions:\n      encryption_safe_harbour: unknown\n"
    assert one(extra, scope=profile({"US-CA": 1}, {"name"}, encrypted="yes"))["r"].reason.startswith(
        "verify with counsel whether encrypted data is exempt")


def assessed(level: str) -> dict[str, Milestone]:
    found = marks(aware=AWARE)
    found["risk-assessed"] = Milestone("risk-assessed", at("2026-03-02T20:00:00Z"), level=level)
    return found


def test_risk_of_harm():
    exempts = "    conditions:\n      risk_of_harm: exempts\n"
    assert one(exempts, milestones=assessed("unlikely"))["r"].reason == "the risk assessment found harm unlikely"
    assert one(exempts, milestones=assessed("risk"))["r"].status == "due"
    assert one(exempts)["r"].status == "due"
    high = "    conditions:\n      risk_of_harm: required-high\n"
    assert one(high)["r"].status == "needs-input"
    assert one(high, milestones=assessed("risk"))["r"].status == "not-applicable"
    assert one(high, milestones=assessed("high"))["r"].status == "due"
    kept = "    conditions:\n      risk_of_harm: not-allowed\n"
    assert one(kept, milestones=assessed("unlikely"))["r"].status == "due"


def test_unknown_facts_are_never_guessed():
    verify = one('    conditions:\n      people: unknown\n')["r"]
    assert verify.status == "needs-input" and verify.reason.startswith("verify with counsel")
    assert verify.verify == ("the threshold of people affected",)
    clock = "      start: aware\n      within: unknown\n      wording: a number exists\n"
    found = one(clock=clock)["r"]
    assert (found.status, found.deadline) == ("needs-input", None) and "verify with counsel" in found.reason
    data = one("    conditions:\n      data: unknown\n")["r"]
    assert data.status == "needs-input"


def test_missing_milestones_are_named():
    clock = "      start: materiality-determined\n      within: 4 business days\n      wording: w\n"
    assert one(clock=clock)["r"].reason == "materiality not yet determined"
    clock = "      start: classified-major\n      within: 4 hours\n      wording: w\n"
    found = one(clock=clock, milestones=marks(aware=AWARE, classified_major="2026-03-02T10:00:00Z"))["r"]
    assert found.deadline == at("2026-03-02T14:00:00Z")


def test_no_fixed_deadline_and_a_team_target():
    clock = "      start: aware\n      within: none\n      wording: without undue delay\n"
    found = one(clock=clock)["r"]
    assert (found.status, found.deadline) == ("due", None)
    assert found.reason == "10 people affected in US-CA (more than 0); no fixed deadline: without undue delay"
    target = clock + "      target: 2 calendar days\n"
    found = one(clock=target, now="2026-03-05T12:00:00Z")["r"]
    assert (found.status, found.deadline_kind) == ("overdue", "target")
    assert found.deadline == at("2026-03-05T07:59:59Z")                    # 4 March 23:59:59 PST


def test_whichever_clock_ends_first():
    clock = ("      - start: aware\n        within: 30 days\n        wording: a\n"
             "      - start: aware\n        within: 72 hours\n        wording: b\n")
    assert one(clock=clock)["r"].deadline == at("2026-03-05T09:00:00Z")


def test_a_notice_that_follows_another():
    follow = rule_yaml("f", clock="      after_notice: r\n      within: 15 days\n      wording: after\n")
    found = one(more=[follow])
    assert found["f"].status == "needs-input" and found["f"].deadline_kind == "latest"
    found = one(more=[follow], notices=[sent("r", "2026-03-04T17:00:00Z")])
    assert found["f"].status == "due" and found["f"].deadline == at("2026-03-20T06:59:59Z")
    found = one(more=[follow], scope=profile({"US-NY": 3}, {"name"}))
    assert found["f"].status == "not-applicable"                            # no one in California either
    lone = rule_yaml("g", clock="      after_notice: r\n      within: 15 days\n      wording: after\n",
                     jurisdiction="FR")
    found = one(more=[lone], scope=profile({"FR": 3}, {"name"}))
    assert found["g"].reason == "starts when the notice under r is sent, which does not apply"


def test_individuals_notified_milestone_is_the_first_notice_to_individuals_there():
    follow = rule_yaml("m", recipient="media",
                       clock="      start: individuals-notified\n      within: 1 day\n      wording: w\n")
    found = one(more=[follow])
    assert found["m"].reason == "the people affected in US-CA are not yet notified"
    found = one(more=[follow], notices=[sent("r", "2026-03-04T17:00:00Z")])
    assert found["m"].deadline == at("2026-03-06T07:59:59Z")


def test_in_force_dates_use_the_clock_start():
    extra = "    effective_from: 2026-03-03\n"
    found = one(extra)["r"]
    assert found.status == "not-applicable" and found.reason.startswith("not in force on 2026-03-02")
    assert one(extra, milestones=marks(aware="2026-03-03T09:00:00Z"))["r"].status == "due"
