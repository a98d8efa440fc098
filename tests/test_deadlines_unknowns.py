"""What the rules do not know stays unknown, but no further than it must: an unknown threshold with
no one affected, and a data condition that knows only what is not covered (`any_of: unknown`)."""

from __future__ import annotations

from deadline_helpers import board, marks, profile
from rules_helpers import rule_yaml, rules_file

from incidentkit.core.deadlines.reader import read_rules_text

NOW = "2026-03-03T12:00:00Z"
AWARE = "2026-03-02T09:00:00Z"
ONLY_NOT_COVERED = ("    conditions:\n      data:\n        defined_in: Test Act § 2\n        any_of: unknown\n"
                    "        not_covered:\n          - [name, email]\n")


def evaluate(extra: str, scope, jurisdiction: str = "US-WA"):
    rules, problems = read_rules_text(rules_file(rule_yaml("r", jurisdiction=jurisdiction, extra=extra)), "t.yaml")
    assert [d.format() for d in problems] == []
    return board(scope, marks(aware=AWARE), NOW, rules=rules)["r"]


def test_an_unknown_threshold_with_no_one_affected_does_not_apply():
    unknown = "    conditions:\n      people: unknown\n"
    nobody = evaluate(unknown, profile({"US-OR": 40}, {"email", "password"}))
    assert (nobody.status, nobody.reason, nobody.deadline) == ("not-applicable", "no one affected in US-WA", None)
    somebody = evaluate(unknown, profile({"US-WA": 1}, {"email", "password"}))
    assert somebody.status == "needs-input"
    assert somebody.reason == "verify with counsel: the reference does not know this duty's threshold (1 people " \
                              "affected in US-WA)"
    assert somebody.verify == ("the threshold of people affected",)


def test_a_zero_threshold_still_applies_with_no_one_affected():
    assert evaluate('    conditions:\n      people: ">= 0"\n', profile({}, {"name"})).status == "due"


def test_any_of_unknown_keeps_what_is_known_not_to_be_covered():
    scope = {"US-WA": 12}
    alone = evaluate(ONLY_NOT_COVERED, profile(scope, {"name", "email"}))
    assert (alone.status, alone.reason) == (
        "not-applicable", "names and email addresses alone are not personal information under Test Act § 2")
    assert evaluate(ONLY_NOT_COVERED, profile(scope, {"email"})).status == "not-applicable"
    more = evaluate(ONLY_NOT_COVERED, profile(scope, {"name", "email", "password"}))
    assert more.status == "needs-input"
    assert more.reason == "verify with counsel: the reference does not say which data elements Test Act § 2 covers"
    assert more.verify == ("which data elements the law covers",)
    nothing = evaluate(ONLY_NOT_COVERED, profile(scope, set()))
    assert nothing.status == "needs-input" and "does not say which data elements" in nothing.reason


def test_any_of_unknown_is_checked_where_it_is_written():
    bad = ("    conditions:\n      data:\n        any_of: unknown\n        all_of: [ssn]\n"
           "        not_covered: [[name, email]]\n")
    _, problems = read_rules_text(rules_file(rule_yaml("r", extra=bad)), "t.yaml")
    assert "t.yaml:10:17: error: rule 'r' conditions.data: 'all_of' has no use with `any_of: unknown`" in \
        "\n".join(d.format() for d in problems)
    alone = "    conditions:\n      data:\n        any_of: unknown\n"
    _, problems = read_rules_text(rules_file(rule_yaml("r", extra=alone)), "t.yaml")
    assert any("`any_of: unknown` goes with a `not_covered` list" in d.message for d in problems)


def test_washington_and_the_four_states_that_list_no_elements():
    # Washington's CRA threshold is unknown (people: unknown): it does not apply with no one there.
    elsewhere = board(profile({"US-OR": 900}, {"email", "password"}), marks(aware=AWARE), NOW)
    assert elsewhere["us-wa-consumer-reporting-agencies"].status == "not-applicable"
    there = board(profile({"US-WA": 900}, {"email", "password"}), marks(aware=AWARE), NOW)
    assert there["us-wa-consumer-reporting-agencies"].status == "needs-input"
    assert "the threshold of people affected" in there["us-wa-consumer-reporting-agencies"].verify
    # MD, MO, NC and UT: a name with an email address alone is not covered; the rest is unknown.
    people = {"US-MD": 2000, "US-MO": 2000, "US-NC": 2000, "US-UT": 2000}
    names = board(profile(people, {"name", "email"}), marks(aware=AWARE), NOW)
    credentials = board(profile(people, {"email", "password"}), marks(aware=AWARE), NOW)
    for code in ("md", "mo", "nc", "ut"):
        for duty in ("individuals", "attorney-general", "consumer-reporting-agencies"):
            rule_id = f"us-{code}-{duty}"
            assert names[rule_id].status == "not-applicable", rule_id
            assert "alone are not personal information" in names[rule_id].reason, rule_id
            assert credentials[rule_id].status == "needs-input", rule_id
            assert "does not say which data elements" in credentials[rule_id].reason, rule_id
