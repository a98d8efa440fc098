"""Golden scenarios on the shipped rules, with every deadline worked out by hand in the test.

Guidance, not legal advice: these check that the product computes what the rules say.
"""

from __future__ import annotations

import pytest
from deadline_helpers import at, board, marks, profile, sent

from incidentkit.core.deadlines.obligations import urgency

EPSILON_PEOPLE = {"US-CA": 1000, "US-NY": 800, "US-TX": 300, "US-DE": 600, "FR": 2000, "GB": 1500}
AWARE = "2026-03-02T09:00:00Z"          # a Monday


def test_epsilon_names_and_emails():
    found = board(profile(EPSILON_PEOPLE, {"name", "email"}), marks(aware=AWARE), now="2026-03-03T09:00:00Z")
    # GDPR Art. 33 and the ICO: awareness + 72 hours = Thursday 5 March, 09:00 UTC.
    for rule_id in ("gdpr-33-regulator", "ukgdpr-33-regulator"):
        assert (found[rule_id].status, found[rule_id].deadline) == ("due", at("2026-03-05T09:00:00Z"))
        assert found[rule_id].clock_start.milestone == "aware"
    assert found["gdpr-33-regulator"].people == 2000 and found["ukgdpr-33-regulator"].people == 1500
    # The US states: a name and an email address are not personal information.
    for rule_id, law in [("us-ca-individuals", "Cal. Civ. Code § 1798.82(h)"),
                         ("us-ny-individuals", "N.Y. Gen. Bus. Law § 899-aa(1)(b)"),
                         ("us-tx-individuals", "Tex. Bus. & Com. Code § 521.002"),
                         ("us-de-individuals", "6 Del. C. § 12B-101")]:
        o = found[rule_id]
        assert o.status == "not-applicable" and o.deadline is None
        assert o.reason.startswith(f"names and email addresses alone are not personal information under {law}")
    assert found["us-ca-attorney-general"].status == "not-applicable"
    # GDPR Art. 34 waits for the risk assessment.
    assert found["gdpr-34-individuals"].status == "needs-input"
    assert "not yet assessed" in found["gdpr-34-individuals"].reason
    # Most urgent first: the two 72-hour clocks lead the board.
    ordered = sorted(found.values(), key=urgency)
    assert {o.rule_id for o in ordered[:2]} == {"gdpr-33-regulator", "ukgdpr-33-regulator"}


def test_epsilon_after_72_hours_is_overdue_and_a_late_notice_is_met_late():
    scope, milestones = profile(EPSILON_PEOPLE, {"name", "email"}), marks(aware=AWARE)
    found = board(scope, milestones, now="2026-03-05T15:00:00Z")
    assert found["gdpr-33-regulator"].status == "overdue"
    found = board(scope, milestones, now="2026-03-06T09:00:00Z",
                  notices=[sent("gdpr-33-regulator", "2026-03-05T08:59:00Z"),
                           sent("ukgdpr-33-regulator", "2026-03-05T09:01:00Z")])
    assert found["gdpr-33-regulator"].status == "met"
    assert found["ukgdpr-33-regulator"].status == "met-late"
    assert found["ukgdpr-33-regulator"].notification.reference == "ref-ukgdpr-33-regulator"


def test_epsilon_with_passwords():
    scope = profile(EPSILON_PEOPLE, {"name", "email", "password"})
    found = board(scope, marks(aware=AWARE), now="2026-03-03T09:00:00Z")
    # California: 30 calendar days from discovery (= awareness, not recorded apart), in Los Angeles:
    # 2 March (01:00 PST) + 30 days = 1 April, ending 23:59:59 PDT.
    ca = found["us-ca-individuals"]
    assert (ca.status, ca.deadline) == ("due", at("2026-04-02T06:59:59Z"))
    assert (ca.clock_start.milestone, ca.clock_start.at) == ("discovered", at(AWARE))
    assert "not recorded" in ca.clock_start.note
    # The Attorney General (more than 500 residents): 15 days after the individuals' notice, which
    # has not gone yet: at the latest 1 April + 15 days = 16 April, 23:59:59 PDT.
    ag = found["us-ca-attorney-general"]
    assert (ag.status, ag.deadline, ag.deadline_kind) == ("needs-input", at("2026-04-17T06:59:59Z"), "latest")
    assert "starts when the notice under us-ca-individuals" in ag.reason
    # New York: 30 days after discovery: 1 April 23:59:59 EDT.
    assert (found["us-ny-individuals"].status, found["us-ny-individuals"].deadline) == (
        "due", at("2026-04-02T03:59:59Z"))
    assert found["us-ny-attorney-general"].status == "due" and found["us-ny-attorney-general"].deadline is None
    assert "no fixed deadline" in found["us-ny-attorney-general"].reason
    # Texas: an email address with a password is not sensitive personal information there.
    tx = found["us-tx-individuals"]
    assert tx.status == "not-applicable"
    assert tx.reason.startswith("names, email addresses and passwords or security questions and answers alone "
                                "are not personal information under Tex. Bus. & Com. Code § 521.002")
    # Delaware: covered, but its 60 days run from the determination of the breach.
    assert found["us-de-individuals"].status == "needs-input"
    assert found["us-de-individuals"].reason == "the breach is not yet determined"


def test_california_attorney_general_after_the_individuals_notice():
    scope = profile(EPSILON_PEOPLE, {"name", "email", "password"})
    notices = [sent("us-ca-individuals", "2026-03-20T17:00:00Z")]       # 10:00 PDT, 20 March
    found = board(scope, marks(aware=AWARE), now="2026-03-21T00:00:00Z", notices=notices)
    assert found["us-ca-individuals"].status == "met"
    ag = found["us-ca-attorney-general"]
    # 20 March + 15 calendar days = 4 April, 23:59:59 PDT.
    assert (ag.status, ag.deadline, ag.deadline_kind) == ("due", at("2026-04-05T06:59:59Z"), "law")
    assert (ag.clock_start.milestone, ag.clock_start.at) == ("individuals-notified", at("2026-03-20T17:00:00Z"))


def test_texas_with_social_security_numbers():
    scope = profile(EPSILON_PEOPLE, {"name", "ssn"})
    found = board(scope, marks(aware=AWARE), now="2026-03-03T09:00:00Z")
    assert found["us-tx-individuals"].reason == "the breach is not yet determined"
    # The AG (250 or more Texans): 30 days from discovery (the earlier of the sources' two starts),
    # 2 March (03:00 CST) + 30 = 1 April, 23:59:59 CDT.
    assert found["us-tx-attorney-general"].deadline == at("2026-04-02T04:59:59Z")
    found = board(scope, marks(aware=AWARE, breach_determined="2026-03-04T15:00:00Z"), now="2026-03-05T00:00:00Z")
    # 60 days after the determination (4 March, 09:00 CST) = 3 May, 23:59:59 CDT.
    assert (found["us-tx-individuals"].status, found["us-tx-individuals"].deadline) == (
        "due", at("2026-05-04T04:59:59Z"))
    # Delaware (more than 500 residents): 60 days from the determination, the AG no later than the residents.
    assert found["us-de-individuals"].deadline == at("2026-05-04T03:59:59Z")
    assert found["us-de-attorney-general"].deadline == at("2026-05-04T03:59:59Z")


@pytest.mark.parametrize(("people", "expected"), [(500, "not-applicable"), (501, "needs-input")])
def test_california_more_than_500(people, expected):
    scope = profile({"US-CA": people}, {"email", "password"})
    found = board(scope, marks(aware=AWARE), now="2026-03-03T09:00:00Z")
    assert found["us-ca-attorney-general"].status == expected
    if expected == "not-applicable":
        assert found["us-ca-attorney-general"].reason == ("500 people affected in US-CA; the duty applies to more "
                                                          "than 500")


@pytest.mark.parametrize(("people", "expected"), [(249, "not-applicable"), (250, "due")])
def test_texas_250_or_more(people, expected):
    found = board(profile({"US-TX": people}, {"name", "ssn"}), marks(aware=AWARE), now="2026-03-03T09:00:00Z")
    assert found["us-tx-attorney-general"].status == expected


@pytest.mark.parametrize(("ny", "media"), [(500, "not-applicable"), (501, "due")])
def test_hipaa(ny, media):
    scope = profile({"US-CA": 300, "US-NY": ny}, {"name", "health"}, organisation={"hipaa-covered-entity"})
    found = board(scope, marks(aware="2026-01-12T09:00:00Z", discovered="2026-01-10T15:00:00Z"),
                  now="2026-01-20T00:00:00Z")
    # 60 calendar days after discovery (10 January, New York) = 11 March, 23:59:59 EDT.
    deadline = at("2026-03-12T03:59:59Z")
    assert (found["hipaa-404-individuals"].status, found["hipaa-404-individuals"].deadline) == ("due", deadline)
    assert found["hipaa-404-individuals"].clock_start.milestone == "discovered"
    assert found["hipaa-408-hhs-500plus"].deadline == deadline           # 800 or more in all: >= 500
    assert found["hipaa-408-hhs-under500"].status == "not-applicable"
    assert found["hipaa-406-media"].status == media                      # more than 500 in one State
    if media == "not-applicable":
        assert found["hipaa-406-media"].reason.startswith("500 people affected in US-NY")
    ba = found["hipaa-410-ba-to-ce"]                                     # the vendor's duty to us
    assert (ba.status, ba.owed_by, ba.deadline) == ("not-applicable", "vendor", None)
    assert ba.reason.startswith("the vendor's duty to us, not ours")
    assert found["us-ca-individuals"].status == "needs-input"            # health data: the CA rule does not say


def test_hipaa_fewer_than_500_reports_after_the_years_end():
    scope = profile({"US-CA": 499}, {"name", "health"}, organisation={"hipaa-covered-entity"})
    found = board(scope, marks(aware="2027-05-01T12:00:00Z"), now="2027-06-01T00:00:00Z")
    # 60 days after 31 December 2027 = 29 February 2028 (a leap year), 23:59:59 EST.
    assert found["hipaa-408-hhs-under500"].deadline == at("2028-03-01T04:59:59Z")
    found = board(scope, marks(aware="2026-05-01T12:00:00Z"), now="2026-06-01T00:00:00Z")
    assert found["hipaa-408-hhs-under500"].deadline == at("2027-03-02T04:59:59Z")     # 1 March 2027


def test_sec_over_the_thanksgiving_week():
    scope = profile({"US-NY": 10}, {"name", "email"}, organisation={"public-company"})
    found = board(scope, marks(aware="2026-11-20T15:00:00Z"), now="2026-11-21T00:00:00Z")
    assert (found["sec-8k-item-1-05"].status, found["sec-8k-item-1-05"].reason) == (
        "needs-input", "materiality not yet determined")
    # Determined Wednesday 25 November at 22:00 in New York (03:00 UTC on the 26th): Thanksgiving
    # (26th) is a federal holiday, so the four business days are Fri 27, Mon 30, Tue 1, Wed 2 December.
    found = board(scope, marks(aware="2026-11-20T15:00:00Z", materiality_determined="2026-11-26T03:00:00Z"),
                  now="2026-11-27T00:00:00Z")
    sec = found["sec-8k-item-1-05"]
    assert (sec.status, sec.deadline) == ("due", at("2026-12-03T04:59:59Z"))
    assert sec.reason.startswith("public company (SEC reporting)")
    # Not a public company: not applicable, and why.
    found = board(profile({"US-NY": 10}, {"name"}), marks(aware="2026-11-20T15:00:00Z"), now="2026-11-21T00:00:00Z")
    assert found["sec-8k-item-1-05"].reason == ("applies only to a public company (SEC reporting); the organisation "
                                                "profile does not say so")


def test_awareness_corrected_after_the_fact():
    scope = profile(EPSILON_PEOPLE, {"name", "email"})
    before = board(scope, marks(aware=AWARE), now="2026-03-04T20:00:00Z")
    assert before["gdpr-33-regulator"].status == "due"
    # The vendor's first email turns up: we were aware on Sunday evening, so the 72 hours ran out earlier.
    after = board(scope, marks(aware="2026-03-01T18:00:00Z"), now="2026-03-04T20:00:00Z")
    assert (after["gdpr-33-regulator"].status, after["gdpr-33-regulator"].deadline) == (
        "overdue", at("2026-03-04T18:00:00Z"))
    assert after["ukgdpr-33-regulator"].deadline == at("2026-03-04T18:00:00Z")


@pytest.mark.parametrize(("discovered", "applies", "deadline"), [
    # 31 December, noon in Los Angeles: the law before SB 446 (no fixed number of days).
    ("2025-12-31T20:00:00Z", "us-ca-individuals-before-2026", None),
    # 05:00 UTC on 1 January is still 31 December (21:00 PST) in California.
    ("2026-01-01T05:00:00Z", "us-ca-individuals-before-2026", None),
    # 1 January 2026, 01:00 PST: 30 days = 31 January, 23:59:59 PST.
    ("2026-01-01T09:00:00Z", "us-ca-individuals", "2026-02-01T07:59:59Z"),
])
def test_california_either_side_of_2026(discovered, applies, deadline):
    scope = profile({"US-CA": 600}, {"email", "password"})
    found = board(scope, marks(aware=discovered), now="2026-01-02T00:00:00Z")
    other = ({"us-ca-individuals", "us-ca-individuals-before-2026"} - {applies}).pop()
    assert found[applies].status == "due"
    assert found[applies].deadline == (at(deadline) if deadline else None)
    assert found[other].status == "not-applicable" and found[other].reason.startswith("not in force on")
    if deadline is None:
        assert "most expedient time possible" in found[applies].reason


def test_california_attorney_general_follows_a_notice_sent_under_the_old_rule():
    scope = profile({"US-CA": 600}, {"email", "password"})
    notices = [sent("us-ca-individuals-before-2026", "2026-01-20T18:00:00Z")]
    found = board(scope, marks(aware="2025-12-31T20:00:00Z"), now="2026-01-21T00:00:00Z", notices=notices)
    # The AG's clock starts on 20 January 2026, when the 15-day rule is in force: 4 February, 23:59:59 PST.
    assert found["us-ca-attorney-general"].deadline == at("2026-02-05T07:59:59Z")
    assert found["us-ca-attorney-general-before-2026"].status == "not-applicable"


def test_massachusetts_without_a_credential_element():
    found = board(profile({"US-MA": 40}, {"email", "password"}), marks(aware=AWARE), now="2026-03-03T00:00:00Z")
    assert found["us-ma-individuals"].status == "not-applicable"
    found = board(profile({"US-MA": 40}, {"name", "ssn"}), marks(aware=AWARE), now="2026-03-03T00:00:00Z")
    assert found["us-ma-individuals"].status == "due" and found["us-ma-attorney-general"].status == "due"
