"""Coverage of the shipped rules against the reference tables they were transcribed from.

The tables (../shared/reference/us-state-breach-rules.csv and regimes-breach-rules.csv) are
read at test time, so a change in the reference shows up here: every US jurisdiction has
its four duties (or the file says why not), every regime duty keeps its id, every fact the
tables mark `unknown` stays unknown in the rules, and a dozen rules match values read by
hand from the tables. Guidance, not legal advice: this checks the transcription, not the law.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO, SHARED

from incidentkit.cli.group import cli
from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.deadlines.model import Rule

REFERENCE = SHARED / "reference"
US_CSV = REFERENCE / "us-state-breach-rules.csv"
REGIMES_CSV = REFERENCE / "regimes-breach-rules.csv"
SHIPPED = REPO / "resources" / "rules"
needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference tables not present")

# What a file's notes say when a jurisdiction has no such duty (the reference's own words follow).
NO_AG = "No attorney-general or agency notice"
NO_CRA = "No consumer-reporting-agency notice"
NO_VENDOR = "No vendor-to-owner duty"


@lru_cache(maxsize=1)
def library() -> RulesLibrary:
    return RulesLibrary.discover(None)


def rules_by_id() -> dict[str, Rule]:
    return {r.id: r for r in library().rules}


def table(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def us_file(code: str) -> tuple[str, dict]:
    text = (SHIPPED / "us" / f"{code.lower()}.yaml").read_text(encoding="utf-8")
    return text, yaml.safe_load(text)


def of_state(code: str) -> list[Rule]:
    return [r for r in library().rules if r.jurisdiction == f"US-{code}" and r.path.endswith(f"us/{code.lower()}.yaml")]


def test_the_shipped_rules_validate_with_no_errors():
    result = CliRunner().invoke(cli, ["validate", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 errors, 0 warnings")
    assert library().problems == []


def test_every_rule_and_every_content_block_has_a_source_with_an_as_of_date():
    for rule in library().rules:
        assert rule.sources, rule.id
        for source in rule.sources + (rule.content.sources if rule.content else ()):
            assert source.as_of[:4].isdigit() and 1990 <= int(source.as_of[:4]) <= 2027, (rule.id, source.citation)


# The undated-source rule (docs/rules-format.md, Shipped rules): a source that shows no date of its
# own carries the date the reference tables were compiled; a law's text in an undated copy or
# translation carries the law's own date.
COMPILED = "2026-12-02"
LAW_TEXT_COPY = ("copies undated", "copy undated", "translation undated")


def test_an_undated_source_carries_the_date_the_reference_was_compiled():
    undated = 0
    for rule in library().rules:
        for source in rule.sources + (rule.content.sources if rule.content else ()):
            note = source.note.lower()
            if "undated" not in note or any(words in note for words in LAW_TEXT_COPY):
                continue
            undated += 1
            assert source.as_of == COMPILED, (rule.id, source.citation, source.as_of)
            assert "facts as of" not in note or f"{COMPILED} is when the reference was compiled" in note, rule.id
    assert undated > 300


@needs_reference
def test_every_us_jurisdiction_has_its_four_duties_or_says_why_not():
    rows = table(US_CSV)
    assert len(rows) == 54
    for row in rows:
        code = row["code"]
        text, parsed = us_file(code)
        rules, notes = of_state(code), " ".join(parsed.get("notes", "").split())
        words = " ".join(line.lstrip("# ") for line in text.splitlines())
        assert "facts as of 2025-09-01" in words and "not legal advice" in words, code
        recipients = {(r.recipient, r.owed_by) for r in rules if r.status == "in-force"}
        assert ("individuals", "organisation") in recipients, code
        has_ag = any(r.recipient in ("attorney-general", "regulator") and r.status == "in-force" for r in rules)
        assert has_ag or NO_AG in notes, code
        assert has_ag == row["ag_notice_required"].startswith(("yes", "conditional")), code
        has_cra = ("consumer-reporting-agencies", "organisation") in recipients
        assert has_cra or NO_CRA in notes, code
        assert has_cra == (not row["cra_threshold"].startswith("none")), code
        has_vendor = ("data-owner", "vendor") in recipients
        assert has_vendor or NO_VENDOR in notes, code
        assert has_vendor == (not row["vendor_must_notify_owner"].startswith("no")), code


@needs_reference
def test_every_regime_duty_keeps_its_id_jurisdiction_status_and_recipient():
    found = rules_by_id()
    rows = table(REGIMES_CSV)
    assert len(rows) == 81
    for row in rows:
        rule = found.get(row["id"])
        assert rule is not None, f"no rule {row['id']}"
        assert rule.jurisdiction == row["jurisdiction"], row["id"]
        assert rule.status == row["status"], row["id"]
        csv_recipient = row["recipient"]
        if csv_recipient in ("controller", "covered-entity"):
            assert rule.recipient == "data-owner", row["id"]
        elif csv_recipient.startswith("other: prominent media"):
            assert rule.recipient == "media", row["id"]
        elif csv_recipient.startswith("other:"):
            assert rule.recipient == "other" and rule.recipient_detail, row["id"]
        else:
            assert rule.recipient == csv_recipient, row["id"]
        # The row's source type is the weakest behind its clock: the rule cites a source of that type.
        assert row["source_type"] in {s.type for s in rule.sources}, row["id"]


# A processor's, service provider's or business associate's duty to its client is the vendor's
# (owed_by vendor): in a vendor breach we are the client, so no such row is written as ours.


@needs_reference
def test_a_processors_duty_to_its_client_is_the_vendors():
    found, checked = rules_by_id(), 0
    for row in table(REGIMES_CSV):
        if row["recipient"] in ("controller", "covered-entity", "data-owner"):
            assert found[row["id"]].owed_by == "vendor", row["id"]
            checked += 1
    assert checked == 7  # the processor rows the companion notes list, HIPAA's business associate among them


@needs_reference
def test_regime_effective_dates_follow_the_table():
    found = rules_by_id()
    for row in table(REGIMES_CSV):
        rule, value = found[row["id"]], row["effective_from"]
        if value.startswith("unknown"):
            assert rule.effective_from is None and rule.verify(), row["id"]
        elif len(value) == 7:  # a month only (Saudi Arabia): its first day, said so in the notes
            assert rule.effective_from == date.fromisoformat(value + "-01"), row["id"]
        else:
            assert rule.effective_from == date.fromisoformat(value), row["id"]


# Organisation conditions for the sector rules: the flags of ORGANISATION_FLAGS each maps to.
SECTOR_FLAGS = {
    "nis2-": {"nis2-essential", "nis2-important"}, "dora-": {"dora-financial-entity"},
    "nydfs-": {"nydfs-regulated"}, "ftc-safeguards-": {"financial-institution"}, "ftc-hbnr-": {"health-app-vendor"},
    "us-bank-": {"us-bank"}, "circia-": {"critical-infrastructure"}, "pci-dss-": {"card-merchant", "card-processor"},
    "visa-": {"card-merchant", "card-processor"}, "mastercard-": {"card-merchant", "card-processor"},
    "uk-pecr-": {"telecoms-provider"}, "hipaa-40": {"hipaa-covered-entity"}, "sec-": {"public-company"},
}


def test_sector_rules_apply_only_to_organisations_in_the_sector():
    checked = 0
    for rule in library().rules:
        prefix = next((p for p in SECTOR_FLAGS if rule.id.startswith(p)), None)
        if prefix is None or rule.owed_by == "vendor":
            continue
        assert rule.conditions.organisation.any_of == SECTOR_FLAGS[prefix], rule.id
        checked += 1
    assert checked >= 30
    cn = rules_by_id()
    assert cn["cn-cac-incident-cii-1h"].conditions.organisation.any_of == {"cn-cii-operator"}
    assert cn["cn-cac-incident-4h"].conditions.organisation.none_of == {"cn-cii-operator"}


# Columns of the US table that can say `unknown`, and how the rules keep each unknown.
def _vendor_duty_unknown(rules: list[Rule]) -> bool:
    vendor = [r for r in rules if r.owed_by == "vendor"]
    return len(vendor) == 1 and vendor[0].clock.within_unknown and bool(vendor[0].unknown)


def _vendor_timing_unknown(rules: list[Rule]) -> bool:
    return any(r.owed_by == "vendor" and r.clock.within_unknown for r in rules)


def _cra_threshold_unknown(rules: list[Rule]) -> bool:
    return any(r.recipient == "consumer-reporting-agencies" and r.conditions.people is None for r in rules)


def _cra_timing_unknown(rules: list[Rule]) -> bool:
    return any(r.recipient == "consumer-reporting-agencies" and r.clock.within_unknown for r in rules)


def _amendments_unknown(rules: list[Rule]) -> bool:
    return bool(rules) and all(any("amendments" in u for u in r.unknown) for r in rules)


US_UNKNOWN = {
    "vendor_must_notify_owner": _vendor_duty_unknown,
    "vendor_deadline_text": _vendor_timing_unknown,
    "cra_threshold": _cra_threshold_unknown,
    "cra_deadline_text": _cra_timing_unknown,
    "amendments_2024_2026": _amendments_unknown,
}


@needs_reference
def test_every_unknown_fact_of_the_us_table_is_unknown_in_the_rules():
    seen = []
    for row in table(US_CSV):
        for column, value in row.items():
            if not value.lower().startswith("unknown"):
                continue
            seen.append((row["code"], column))
            assert column in US_UNKNOWN, f"{row['code']}: no check for an unknown {column}"
            assert US_UNKNOWN[column](of_state(row["code"])), f"{row['code']}: {column} is unknown in the table"
    # The companion notes list six unknown cells (IA, TN, WA twice, GU, VI).
    assert len(seen) == 6, seen


@needs_reference
def test_every_unknown_fact_of_the_regimes_table_is_unknown_in_the_rules():
    found, seen = rules_by_id(), []
    for row in table(REGIMES_CSV):
        rule = found[row["id"]]
        for column in ("deadline_value", "effective_from", "exceptions"):
            if not row[column].lower().startswith("unknown"):
                continue
            seen.append((row["id"], column))
            if column == "deadline_value":
                assert any(c.within_unknown for c in rule.clocks), row["id"]
            elif column == "effective_from":
                assert rule.effective_from is None, row["id"]
                assert any("appl" in u or "effective" in u for u in rule.unknown), row["id"]
            else:
                assert (any("exception" in u for u in rule.unknown) or rule.conditions.encryption_safe_harbour is None
                        or rule.conditions.risk_of_harm == "unknown"), row["id"]
    assert len(seen) >= 15, seen


# Hand-read from the tables: (rule id, table, key, column, what the cell says,
# threshold, clocks as (milestone or after-notice rule ids, amount, unit), effective_from).
SPOT = [
    ("us-al-attorney-general", US_CSV, "AL", "ag_threshold", ">1000", "> 1000",
     [("discovered", 45, "calendar-days")], None),
    ("us-ar-attorney-general", US_CSV, "AR", "ag_deadline_kind", "earliest_of_same_time_as_individuals_or_fixed_days",
     "> 1000", [(("us-ar-individuals",), 0, "calendar-days"), ("risk-assessed", 45, "calendar-days")], None),
    ("us-co-attorney-general", US_CSV, "CO", "ag_threshold", ">=500", ">= 500",
     [("breach-determined", 30, "calendar-days")], None),
    ("us-dc-attorney-general", US_CSV, "DC", "ag_threshold", ">=50", ">= 50",
     [(("us-dc-individuals",), 0, "calendar-days")], None),
    ("us-la-attorney-general", US_CSV, "LA", "ag_deadline_kind", "fixed_days_after_individual_notice", "> 0",
     [(("us-la-individuals",), 10, "calendar-days")], None),
    ("us-vt-attorney-general", US_CSV, "VT", "ag_deadline_days", "14 business days", "> 0",
     [("discovered", 14, "business-days"), (("us-vt-individuals",), 14, "business-days")], date(2012, 7, 1)),
    ("us-wa-attorney-general", US_CSV, "WA", "ag_threshold", ">500", "> 500",
     [("discovered", 30, "calendar-days")], date(2020, 3, 1)),
    ("us-ok-attorney-general", US_CSV, "OK", "ag_threshold", ">=500", ">= 500",
     [(("us-ok-individuals",), 60, "calendar-days")], date(2026, 1, 1)),
    ("us-pr-regulator", US_CSV, "PR", "ag_deadline_days", "10", "> 0", [("discovered", 10, "calendar-days")], None),
    ("us-mn-consumer-reporting-agencies", US_CSV, "MN", "cra_threshold", ">500", "> 500",
     [("discovered", 48, "hours")], None),
    ("us-ga-consumer-reporting-agencies", US_CSV, "GA", "cra_threshold", ">10000", "> 10000",
     [("discovered", None, None)], None),
    ("nis2-23-final-report", REGIMES_CSV, "nis2-23-final-report", "deadline_unit", "calendar_months", "> 0",
     [(("nis2-23-notification",), 1, "calendar-months")], date(2024, 10, 18)),
    ("dora-initial-notification", REGIMES_CSV, "dora-initial-notification", "clock_start", "classified-major", "> 0",
     [("classified-major", 4, "hours")], date(2025, 1, 17)),
    ("sg-pdpa-26d-pdpc", REGIMES_CSV, "sg-pdpa-26d-pdpc", "deadline_value", "3", "> 0",
     [("risk-assessed", 3, "calendar-days")], date(2021, 2, 1)),
    ("ftc-safeguards-314-4j", REGIMES_CSV, "ftc-safeguards-314-4j", "thresholds", ">=500 consumers", ">= 500",
     [("discovered", 30, "calendar-days")], date(2024, 5, 13)),
    ("in-dpdp-r7-board-72h", REGIMES_CSV, "in-dpdp-r7-board-72h", "effective_from", "2027-05-13", "> 0",
     [("aware", 72, "hours")], date(2027, 5, 13)),
]


@needs_reference
@pytest.mark.parametrize("rule_id, path, key, column, cell, people, clocks, effective_from", SPOT,
                         ids=[s[0] for s in SPOT])
def test_spot_checks_against_values_read_by_hand(rule_id, path, key, column, cell, people, clocks, effective_from):
    row = next(r for r in table(path) if r.get("code", r.get("id")) == key)
    assert row[column].startswith(cell), f"the reference changed: {key} {column} = {row[column]!r}"
    rule = rules_by_id()[rule_id]
    threshold = rule.conditions.people
    assert threshold is not None and f"{threshold.op} {threshold.value}" == people
    got = [((c.after_notice if c.after_notice else c.start),
            c.within.amount if c.within else None, c.within.unit if c.within else None) for c in rule.clocks]
    assert got == [(tuple(s) if isinstance(s, tuple) else s, n, u) for s, n, u in clocks]
    assert rule.effective_from == effective_from


@needs_reference
def test_the_amendments_the_brief_names_are_dated():
    found = rules_by_id()
    # California SB 446 from 2026-01-01 with the older rule before it (the deadlines rules).
    assert found["us-ca-individuals"].effective_from == date(2026, 1, 1)
    assert found["us-ca-individuals-before-2026"].effective_until == date(2025, 12, 31)
    # Oklahoma SB 626: the AG notice and the broader definition from 2026-01-01.
    assert found["us-ok-attorney-general"].effective_from == date(2026, 1, 1)
    assert found["us-ok-individuals-before-2026"].effective_until == date(2025, 12, 31)
    # Pennsylvania Act 33 of 2024, effective 2024-09-26: AG notice and the 500 CRA threshold.
    assert found["us-pa-attorney-general"].effective_from == date(2024, 9, 26)
    assert found["us-pa-consumer-reporting-agencies-before-2024-09-26"].effective_until == date(2024, 9, 25)
    # Utah S.B. 127 (2023) created the AG / Cyber Center notice; S.B. 98 (2024) set its content.
    assert found["us-ut-attorney-general"].effective_from == date(2023, 5, 3)
    assert "S.B. 98" in found["us-ut-attorney-general"].content.notes
    # CIRCIA is proposed and never binding; the card brands are contractual and global.
    assert {found[i].status for i in ("circia-incident-72h", "circia-ransom-24h")} == {"proposed"}
    assert {found[i].jurisdiction for i in ("pci-dss-12-10-1", "visa-wtdic-notify", "mastercard-adc-24h")} == {"global"}


def test_the_rules_format_doc_says_what_is_shipped_and_as_of_when():
    doc = (REPO / "docs" / "rules-format.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Shipped rules"):]
    for words in ("2025-09-01", "2026-06-22", "2026-12-02", "not legal advice", "54", "81"):
        assert words in section, words


# The shipped rules at work (the obligations function on scope profiles built directly).
@needs_reference
def test_names_and_emails_alone_make_no_us_residents_notice_due():
    from deadline_helpers import board, marks, profile

    everyone = {f"US-{row['code']}": 100 for row in table(US_CSV)}
    found = board(profile(everyone, {"name", "email"}), marks(aware="2026-03-02T09:00:00Z"),
                  now="2026-03-03T09:00:00Z")
    residents = [o for o in found.values() if o.jurisdiction.startswith("US-") and o.recipient == "individuals"]
    assert len(residents) >= 54
    for o in residents:
        assert o.status in ("not-applicable", "needs-input"), (o.rule_id, o.status)
    not_pi = [o for o in residents if "alone are not personal information" in o.reason]
    assert len(not_pi) >= 45


def test_vermonts_preliminary_notice_counts_vermont_business_days():
    from deadline_helpers import at, board, marks, profile

    found = board(profile({"US-VT": 10}, {"email", "password"}), marks(aware="2026-05-20T14:00:00Z"),
                  now="2026-05-21T09:00:00Z")
    o = found["us-vt-attorney-general"]
    # Day 0 is Wednesday 20 May; Memorial Day (25 May) and the weekends are skipped: the
    # 14th business day is Wednesday 10 June, ending 23:59:59 EDT. The other clock (14 business
    # days after the residents' notice, whichever is sooner) waits for that notice.
    assert (o.deadline, o.deadline_kind, o.clock_start.milestone) == (at("2026-06-11T03:59:59Z"), "law", "discovered")
    assert o.status == "needs-input" and "not yet sent" in o.reason
    assert found["us-vt-individuals"].deadline == at("2026-07-05T03:59:59Z")  # 45 calendar days


def test_oklahomas_attorney_general_notice_applies_from_2026():
    from deadline_helpers import board, marks, profile

    scope = profile({"US-OK": 800}, {"name", "passport"})
    before = board(scope, marks(aware="2025-12-20T15:00:00Z"), now="2025-12-21T09:00:00Z")
    assert before["us-ok-attorney-general"].status == "not-applicable"
    assert before["us-ok-individuals-before-2026"].status == "needs-input"  # its definition is unknown
    after = board(scope, marks(aware="2026-01-05T15:00:00Z"), now="2026-01-06T09:00:00Z")
    assert after["us-ok-individuals"].status == "due"
    assert after["us-ok-attorney-general"].status == "needs-input"
    assert "starts when the notice under us-ok-individuals" in after["us-ok-attorney-general"].reason
