"""Drafts checked against the content rules of the obligations they serve: California's title and
headings, Massachusetts' forbidden content, the facts a notice must state, plain language."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from notice_helpers import EPSILON, NOW, RULES, TEMPLATES, WITH_PASSWORDS, desk_for, open_incident

from incidentkit.core.comms.library import TemplateLibrary
from incidentkit.core.comms.templates import parse_template
from incidentkit.core.comms.worker import Renderer
from incidentkit.core.scope.profile import ScopeProfile

CA_HEADINGS = ["What Happened", "What Information Was Involved", "What We Are Doing", "What You Can Do",
               "For More Information"]
MA_SSN = ScopeProfile(imported={**EPSILON, "US-MA": 450}, people_imported=6650,
                      elements=frozenset({"name", "ssn"}), encrypted="no")


@pytest.fixture(scope="module")
def renderer():
    with Renderer() as r:
        yield r


def with_template(body: str, template_id: str = "plain-notice", audience: str = "individuals") -> TemplateLibrary:
    text = f"---\nid: {template_id}\ntitle: Plain\naudience: {audience}\nformat: email\n---\n{body}"
    template, problems = parse_template(text, f"{template_id}.md.j2", origin="user")
    assert template is not None and problems == []
    return TemplateLibrary([*TEMPLATES.templates, template])


def by_what(report) -> dict[str, object]:
    return {f"{r.rule_id}: {r.what}": r for r in report.requirements}


def test_california_headings_pass_with_them(store, renderer):
    incident = open_incident(store)
    desk = desk_for(store, renderer, WITH_PASSWORDS)
    report = desk.check(incident, desk.draft(incident, "customer-notice-email", actor="ann"))
    found = by_what(report)
    assert "us-ca-individuals" in report.serves
    assert found['us-ca-individuals: the title "Notice of Data Breach"'].met
    for heading in CA_HEADINGS:
        assert found[f'us-ca-individuals: the heading "{heading}"'].met
    assert found['us-ca-individuals: the heading "What Happened"'].sources[0].citation == "Cal. Civ. Code § 1798.82(d)"
    # The facts of § 1798.82(d)(2), found in the text by their values.
    for fact in ("the name of the organisation giving notice", "the types of personal information involved",
                 "the date, estimated date or date range of the breach", "the date of the notice",
                 "whether notice was delayed by a law-enforcement investigation",
                 "a general description of the breach", "how to reach us (toll-free number, address, website)"):
        assert found[f"us-ca-individuals: {fact}"].met, fact
    ca = [r for r in report.requirements if r.rule_id == "us-ca-individuals"]
    assert all(r.met for r in ca)


def test_california_headings_fail_without_them(store, renderer):
    incident = open_incident(store)
    desk = desk_for(store, renderer, WITH_PASSWORDS)
    desk._templates = with_template("# A note from {{ organisation.name }}\n\nSomething happened at "
                                    "{{ vendor.name }}. Call {{ organisation.phone }}.\n")
    report = desk.check(incident, desk.draft(incident, "plain-notice", actor="ann"))
    found = by_what(report)
    title = found['us-ca-individuals: the title "Notice of Data Breach"']
    assert not title.met and title.detail == 'the title is "A note from Harbor & Pine Outfitters"'
    for heading in CA_HEADINGS:
        missing = found[f'us-ca-individuals: the heading "{heading}"']
        assert not missing.met and missing.detail == "no heading with these words"
    assert not found["us-ca-individuals: the types of personal information involved"].met
    assert found["us-ca-individuals: the name of the organisation giving notice"].met
    assert report.missing >= 8


def test_headings_out_of_order_are_reported_where_a_rule_asks_for_the_order(store, renderer):
    incident = open_incident(store)
    ca = next(r for r in RULES if r.id == "us-ca-individuals")
    ordered = replace(ca, content=replace(ca.content, headings_in_order=True))   # as a team's override might say
    desk = desk_for(store, renderer, WITH_PASSWORDS)
    desk._rules = tuple(ordered if r.id == ca.id else r for r in RULES)
    sections = "".join(f"## {h}\n\nText.\n\n" for h in reversed(CA_HEADINGS))
    desk._templates = with_template(f"# Notice of Data Breach\n\n{sections}")
    found = by_what(desk.check(incident, desk.draft(incident, "plain-notice", actor="ann")))
    assert found['us-ca-individuals: the heading "What Happened"'].met
    assert not found["us-ca-individuals: the headings in the order the law gives"].met


def test_massachusetts_forbids_the_nature_of_the_breach_and_the_number_affected(store, renderer):
    incident = open_incident(store)
    desk = desk_for(store, renderer, MA_SSN)
    draft = desk.draft(incident, "customer-notice-email", actor="ann", jurisdictions=["US-MA"])
    report = desk.check(incident, draft)
    assert report.serves == ("us-ma-individuals",)
    nature = by_what(report)["us-ma-individuals: no the nature of the breach or unauthorised acquisition or use"]
    assert not nature.met
    assert nature.detail.startswith('line 9: the heading "What Happened"; the text of the field what_happened')
    assert nature.sources[0].citation == "Words by Wit, Massachusetts (quotes § 3)"
    assert by_what(report)["us-ma-individuals: no the number of residents affected"].met
    # A notice that says how many residents were affected breaks the second rule.
    desk._templates = with_template("# Notice\n\nWe are writing to {{ audience.people_text }} residents of "
                                    "Massachusetts. We are sorry.\n")
    counted = desk.check(incident, desk.draft(incident, "plain-notice", actor="ann", jurisdictions=["US-MA"]))
    number = by_what(counted)["us-ma-individuals: no the number of residents affected"]
    assert not number.met and number.detail == "line 3: the number 450"
    assert by_what(counted)["us-ma-individuals: no the nature of the breach or unauthorised acquisition or use"].met


def test_a_sample_for_the_attorney_general_carries_no_personal_information(store, renderer):
    incident = open_incident(store)
    desk = desk_for(store, renderer, WITH_PASSWORDS)
    report = desk.check(incident, desk.draft(incident, "us-attorney-general-notice", actor="ann",
                                             jurisdictions=["US-CA"]))
    assert by_what(report)["us-ca-attorney-general: no any personal information of the people affected"].met
    desk._templates = with_template("# Sample\n\nDear Jane Roe (jane.roe@gmail.com, 123-45-6789),\n",
                                    audience="attorney-general")
    found = by_what(desk.check(incident, desk.draft(incident, "plain-notice", actor="ann", jurisdictions=["US-CA"])))
    personal = found["us-ca-attorney-general: no any personal information of the people affected"]
    assert not personal.met
    assert personal.detail == ("line 3: the address jane.roe@gmail.com; line 3: a number like a Social Security "
                               "number")


def test_plain_language_grade_and_long_sentences(store, renderer):
    incident = open_incident(store)
    desk = desk_for(store, renderer, WITH_PASSWORDS)
    report = desk.check(incident, desk.draft(incident, "customer-notice-email", actor="ann"))
    assert 4 < report.readability.grade < 10 and report.readability.long_sentences == ()
    rambling = " ".join(["we"] + ["are looking very carefully"] * 8) + " at it."
    report = desk.check(incident, desk.draft(incident, "customer-notice-email", actor="ann",
                                             values={"measures_taken": f"Short one. {rambling.capitalize()}"}))
    (long,) = report.readability.long_sentences
    assert long.words == 35 and long.text.startswith("We are looking very carefully")


def test_a_notice_checked_against_rules_it_does_not_serve(store, renderer):
    incident = open_incident(store)
    desk = desk_for(store, renderer)                              # names and emails: California does not apply
    draft = desk.draft(incident, "phishing-warning", actor="ann")
    assert desk.check(incident, draft).requirements == ()
    found = by_what(desk.check(incident, draft, rule_ids=["us-ca-individuals"]))
    assert not found['us-ca-individuals: the title "Notice of Data Breach"'].met


def test_the_regulator_notification_states_the_contents_of_gdpr_article_33_3(store, renderer):
    incident = open_incident(store)
    desk = desk_for(store, renderer)                              # a day after awareness: within 72 hours
    report = desk.check(incident, desk.draft(incident, "regulator-notification", actor="ann", jurisdictions=["FR"]))
    assert report.serves == ("gdpr-33-regulator",)
    assert (report.missing, report.unfilled, report.readability.long_sentences) == (0, (), ())
    found = by_what(report)
    assert found["gdpr-33-regulator: the approximate number of people affected"].met
    assert found["gdpr-33-regulator: the reasons for a delay beyond the deadline"].detail == "not late: none needed"
    # Three days later the 72 hours have passed: the draft asks for the reasons, and cannot go without them.
    late = desk_for(store, renderer, now=NOW + timedelta(days=3))
    draft = late.draft(incident, "regulator-notification", actor="ann", jurisdictions=["FR"])
    assert "## Reasons for the delay" in draft.text
    assert draft.unfilled == ("the reasons for notifying after 72 hours",)
    assert not by_what(late.check(incident, draft))["gdpr-33-regulator: the reasons for a delay beyond the deadline"].met
    fixed = late.draft(incident, "regulator-notification", actor="ann", jurisdictions=["FR"],
                       values={"reasons_for_delay": "The vendor's first message did not say that personal data was "
                                                    "involved; it confirmed it on 5 March."})
    assert fixed.unfilled == () and late.check(incident, fixed).missing == 0
