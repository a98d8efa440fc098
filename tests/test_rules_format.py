"""The rules format: every field read into the model, every mistake a `path:line:col` diagnostic."""

from __future__ import annotations

from datetime import date

import pytest
from rules_helpers import SOURCE, rule_yaml, rules_file

from incidentkit.core.deadlines.model import ANYONE, Duration, Threshold
from incidentkit.core.deadlines.reader import read_rules_bytes, read_rules_file, read_rules_text


def load(text: str):
    return read_rules_text(text, "r.yaml")


def errors(text: str) -> list[tuple[int, int, str]]:
    return [(d.line, d.col, d.message) for d in load(text)[1] if d.severity == "error"]


def only_error(text: str) -> tuple[int, int, str]:
    [found] = errors(text)
    return found


FULL = """rules:
  - id: us-xx-ag
    title: Tell the attorney general
    regime: Test Act § 2
    jurisdiction: US-CA
    recipient: attorney-general
    recipient_detail: Attorney General (online form)
    owed_by: organisation
    status: proposed
    effective_from: 2026-01-01
    effective_until: 2027-12-31
    time_zone: America/Los_Angeles
    conditions:
      people: ">= 1,000"
      people_in: any-subdivision
      data:
        defined_in: Test Act § 1(h)
        any_of:
          - [name, ssn]
          - password
        all_of: [name]
        not_covered:
          - [name, email]
      organisation:
        any_of: [public-company]
        none_of: [hipaa-covered-entity]
      encryption_safe_harbour: true
      risk_of_harm: exempts
      risk_of_harm_text: no notice when harm is unlikely
    clock:
      - start: breach-determined
        within: 4 business days
        wording: within four business days
        holidays: US
      - after_notice: us-xx-individuals
        within: none
        wording: at the same time
        target: 2 calendar days
    content:
      title: Notice of Data Breach
      headings: [What Happened, What You Can Do]
      headings_in_order: true
      fields: [contact-details, breach-date]
      phrases: ["call us"]
      forbidden: [number-affected]
      contacts:
        - kind: regulator
          name: Attorney General
          url: https://example.org/ag
      notes: a note
      sources:
        - citation: Test Act § 3
          type: statute
          as_of: 2026-01
    sources:
      - citation: Test Act § 2
        url: https://example.org/act
        type: regulator
        as_of: 2025-09-01
        note: undated page
    unknown:
      - whether the vendor must tell us
    notes: a note on the rule
""" + rule_yaml("us-xx-individuals")


def test_every_field_is_read():
    rules, found = load(FULL)
    assert found == []
    rule = {r.id: r for r in rules}["us-xx-ag"]
    assert (rule.title, rule.regime, rule.jurisdiction, rule.recipient) == (
        "Tell the attorney general", "Test Act § 2", "US-CA", "attorney-general")
    assert (rule.recipient_detail, rule.owed_by, rule.status) == ("Attorney General (online form)", "organisation",
                                                                  "proposed")
    assert (rule.effective_from, rule.effective_until) == (date(2026, 1, 1), date(2027, 12, 31))
    assert rule.time_zone == "America/Los_Angeles"
    c = rule.conditions
    assert c.people == Threshold(">=", 1000) and c.people_in == "any-subdivision"
    assert c.data.any_of == (frozenset({"name", "ssn"}), frozenset({"password"}))
    assert c.data.all_of == {"name"} and c.data.not_covered == (frozenset({"name", "email"}),)
    assert c.data.defined_in == "Test Act § 1(h)"
    assert c.organisation.any_of == {"public-company"} and c.organisation.none_of == {"hipaa-covered-entity"}
    assert c.encryption_safe_harbour is True and c.risk_of_harm == "exempts"
    first, second = rule.clocks
    assert (first.start, first.within, first.holidays) == ("breach-determined", Duration(4, "business-days"), "US")
    assert (second.after_notice, second.within, second.target) == (("us-xx-individuals",), None,
                                                                   Duration(2, "calendar-days"))
    content = rule.content
    assert content.title == "Notice of Data Breach" and content.headings == ("What Happened", "What You Can Do")
    assert content.headings_in_order and content.fields == ("contact-details", "breach-date")
    assert content.phrases == ("call us",) and content.forbidden == ("number-affected",)
    assert content.contacts[0].name == "Attorney General" and content.sources[0].as_of == "2026-01"
    assert rule.sources[0].url == "https://example.org/act" and rule.sources[0].as_of == "2025-09-01"
    assert rule.unknown == ("whether the vendor must tell us",) and rule.notes == "a note on the rule"
    assert (rule.path, rule.line) == ("r.yaml", 2)
    assert rule.verify() == ("whether the vendor must tell us",)


def test_defaults():
    [rule], found = load(rules_file())
    assert found == []
    assert rule.conditions.people == ANYONE and rule.conditions.data is None
    assert rule.conditions.encryption_safe_harbour is False and rule.conditions.risk_of_harm == "not-allowed"
    assert (rule.status, rule.owed_by, rule.effective_from, rule.content) == ("in-force", "organisation", None, None)
    assert rule.clock.within == Duration(72, "hours")


@pytest.mark.parametrize(("within", "expected"), [
    ("72 hours", Duration(72, "hours")), ("30 days", Duration(30, "calendar-days")),
    ("30 calendar days", Duration(30, "calendar-days")), ("4 business days", Duration(4, "business-days")),
    ("1 month", Duration(1, "calendar-months")), ("1 calendar month", Duration(1, "calendar-months")),
])
def test_durations(within, expected):
    clock = f"      start: aware\n      within: {within}\n      wording: w\n"
    [rule], _ = load(rules_file(rule_yaml(clock=clock)))
    assert rule.clock.within == expected


def test_unknown_values_are_kept_as_unknown():
    extra = "    conditions:\n      people: unknown\n      data: unknown\n      encryption_safe_harbour: unknown\n" \
            "      risk_of_harm: unknown\n"
    clock = "      start: discovered\n      within: unknown\n      wording: not found\n"
    [rule], found = load(rules_file(rule_yaml(extra=extra, clock=clock)))
    assert found == []
    assert rule.conditions.people is None and rule.conditions.data.unknown
    assert rule.clock.within is None and rule.clock.within_unknown
    assert len(rule.verify()) == 5


# --- mistakes, each at its line and column ------------------------------------------

def test_unknown_key_is_an_error_at_the_key():
    text = rules_file(rule_yaml(extra="    efective_from: 2026-01-01\n"))
    line, col, message = errors(text)[0]
    assert (line, col) == (7, 5) and message.startswith("rule 'test-rule': unknown key 'efective_from'")


def test_a_rule_with_errors_is_left_out_and_the_others_load():
    text = rules_file(rule_yaml("good"), rule_yaml("bad", recipient="press"))
    rules, found = load(text)
    assert [r.id for r in rules] == ["good"]
    assert ("error", 20, "rule 'bad': 'recipient' is 'press'; expected one of: individuals, regulator, "
            "attorney-general, consumer-reporting-agencies, media, investors, card-brands, insurer, data-owner, "
            "other") in [(d.severity, d.line, d.message) for d in found]
    assert any(d.severity == "warning" and "left out" in d.message for d in found)


@pytest.mark.parametrize(("extra", "line", "col", "start"), [
    ('    conditions:\n      people: "about 500"\n', 8, 15, "rule 'test-rule' conditions: 'people' must be a comparison"),
    ("    conditions:\n      data:\n        any_of: [[name, shoe-size]]\n", 9, 25,
     "rule 'test-rule' conditions.data: unknown data element 'shoe-size'"),
    ("    conditions:\n      organisation:\n        any_of: [bank]\n", 9, 18,
     "rule 'test-rule' conditions.organisation: unknown any_of 'bank'"),
    ("    conditions:\n      encryption_safe_harbour: maybe\n", 8, 32,
     "rule 'test-rule' conditions: 'encryption_safe_harbour' must be true or false or unknown"),
    ("    effective_from: 2026-13-01\n", 7, 21, "rule 'test-rule': 'effective_from' must be a date"),
    ("    effective_from: 2026-02-01\n    effective_until: 2026-01-01\n", 8, 22,
     "rule 'test-rule': 'effective_until' is before 'effective_from'"),
    ("    time_zone: Mars/Olympus\n", 7, 16, "rule 'test-rule': unknown time zone 'Mars/Olympus'"),
    ("    status: rumoured\n", 7, 13, "rule 'test-rule': 'status' is 'rumoured'"),
])
def test_field_errors(extra, line, col, start):
    found = only_error(rules_file(rule_yaml(extra=extra)))
    assert found[:2] == (line, col) and found[2].startswith(start), found


@pytest.mark.parametrize(("clock", "start"), [
    ("      start: aware\n      within: 3 fortnights\n      wording: w\n", "rule 'test-rule' clock: 'within': '3 fortnights' is not a duration"),
    ("      start: aware\n      wording: w\n", "rule 'test-rule' clock: 'within' is required"),
    ("      within: 72 hours\n      wording: w\n", "rule 'test-rule' clock: give either 'start'"),
    ("      start: lunch\n      within: 72 hours\n      wording: w\n", "rule 'test-rule' clock: 'start' is 'lunch'"),
    ("      start: aware\n      within: 72 hours\n", "rule 'test-rule' clock: 'wording' is required"),
    ("      start: aware\n      within: 72 hours\n      wording: w\n      target: 1 day\n",
     "rule 'test-rule' clock: 'target' is for rules with no fixed deadline"),
])
def test_clock_errors(clock, start):
    assert only_error(rules_file(rule_yaml(clock=clock)))[2].startswith(start)


def test_a_rule_without_sources_or_as_of_dates_is_refused():
    assert only_error(rules_file(rule_yaml(sources="")))[2] == (
        "rule 'test-rule': 'sources' is required: at least one source with citation, type and as_of")
    no_date = SOURCE.replace("        as_of: 2026-01-01\n", "")
    assert "'as_of' is required" in only_error(rules_file(rule_yaml(sources=no_date)))[2]
    bad_date = SOURCE.replace("as_of: 2026-01-01", "as_of: last spring")
    assert "'as_of' must be a date" in only_error(rules_file(rule_yaml(sources=bad_date)))[2]
    bad_type = SOURCE.replace("type: statute", "type: blog")
    assert "'type' is 'blog'" in only_error(rules_file(rule_yaml(sources=bad_type)))[2]


def test_only_web_addresses_are_source_links():
    text = rules_file(rule_yaml(sources=SOURCE.replace("https://example.org/act", "javascript:alert(1)")))
    assert "'url' must be an http or https address" in only_error(text)[2]


def test_duplicate_ids_and_keys():
    found = errors(rules_file(rule_yaml("same"), rule_yaml("same")))
    assert found == [(16, 5, "rule 'same': duplicate rule id (first defined on line 2)")]
    found = only_error(rules_file(rule_yaml(extra="    title: Again\n")))
    assert found == (7, 5, "duplicate key 'title' (first given on line 3)")


def test_invalid_ids():
    assert "invalid rule id 'Bad Id'" in only_error(rules_file(rule_yaml("Bad Id")))[2]


@pytest.mark.parametrize(("text", "line", "start"), [
    ("rules: [oops\n", 2, "malformed YAML"),
    ("", 1, "empty rules file"),
    ("- just a list\n", 1, "rules file: expected a mapping"),
    ("title: x\n", 1, "rules file: 'rules' is required"),
    ("base: &a [1, 2]\nrules: *a\n", 2, "malformed YAML: aliases (`*name`) are not allowed"),
    ("rules:\n" + "  " * 1 + "x: " + "[" * 30 + "]" * 30 + "\n", 2, "nested more than 20 levels deep"),
])
def test_file_level_problems(text, line, start):
    found = errors(text)
    assert found and found[0][0] == line and found[0][2].startswith(start), found


def test_bytes_that_are_not_a_rules_file():
    assert read_rules_bytes(b"rules: \0", "b.yaml")[1][0].message.startswith("binary file")
    assert read_rules_bytes(b"rules:\n  - \xff\n", "b.yaml")[1][0].message.startswith("invalid UTF-8")
    assert read_rules_bytes(b"x" * 1_000_001, "b.yaml")[1][0].message.startswith("file too large")
    rules, found = read_rules_bytes(("\ufeff" + rules_file()).encode(), "b.yaml")
    assert found == [] and len(rules) == 1


def test_files_that_cannot_be_read(tmp_path):
    assert read_rules_file(tmp_path / "missing.yaml")[1][0].message == "no such file (or a broken link)"
    assert read_rules_file(tmp_path)[1][0].message == "is a folder, not a rules file"
