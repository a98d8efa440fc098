"""The rules library: shipped rules with sources, team overrides by id, the parse cache, the CLI."""

from __future__ import annotations

import json

import pycountry
from click.testing import CliRunner
from conftest import REPO
from rules_helpers import rule_yaml, rules_file

from incidentkit.cli.group import cli
from incidentkit.core.deadlines import cache as rules_cache
from incidentkit.core.deadlines.library import RulesLibrary, builtin_rules_dir
from incidentkit.core.deadlines.vocabulary import RECIPIENTS
from incidentkit.core.paths import AppPaths

SHIPPED = REPO / "resources" / "rules"


def test_every_shipped_rule_loads_and_names_its_sources_with_as_of_dates():
    library = RulesLibrary.discover(None)
    assert library.problems == []
    assert len(library) >= 5
    for rule in library.rules:
        assert rule.sources, f"{rule.id} has no source"
        for source in rule.sources + (rule.content.sources if rule.content else ()):
            assert source.citation and source.type in ("statute", "regulator", "secondary"), rule.id
            assert source.as_of[:4].isdigit(), f"{rule.id}: source {source.citation!r} has no as-of date"
            assert not source.url or source.url.startswith(("http://", "https://")), rule.id
        assert rule.recipient in RECIPIENTS and rule.clocks


def test_a_rule_without_a_source_or_as_of_date_cannot_ship(tmp_path):
    """The check above cannot pass vacuously: such a rule does not load at all."""
    (tmp_path / "r.yaml").write_text(rules_file(rule_yaml(sources="")), encoding="utf-8")
    library = RulesLibrary.discover(None, [tmp_path], include_builtin=False)
    assert library.rules == () and library.problems


def test_shipped_jurisdictions_are_iso_3166():
    for rule in RulesLibrary.discover(None).rules:
        code = rule.jurisdiction
        if code in ("EU", "global"):
            continue
        found = pycountry.subdivisions.get(code=code) if "-" in code else pycountry.countries.get(alpha_2=code)
        assert found is not None, f"{rule.id}: {code} is not an ISO 3166 code"


def test_builtin_rules_are_package_data_laid_out_by_family():
    names = {p.name for p in builtin_rules_dir().iterdir()}
    assert {"us", "regimes"} <= names
    assert sorted(p.relative_to(SHIPPED).as_posix() for p in SHIPPED.rglob("*.yaml"))


def test_a_team_rule_overrides_a_shipped_one_by_id(tmp_path):
    paths = AppPaths(tmp_path / "data")
    folder = paths.data_dir / "rules" / "contracts"
    folder.mkdir(parents=True)
    (folder / "ca.yaml").write_text(rules_file(rule_yaml("us-ca-individuals"), rule_yaml("insurer-48h",
                                    jurisdiction="global", recipient="insurer")), encoding="utf-8")
    library = RulesLibrary.discover(paths)
    entry = library.entry("us-ca-individuals")
    assert entry.source == "user" and entry.rule.title == "Test rule"
    assert [e.rule.id for e in library.shadowed] == ["us-ca-individuals"]
    assert library.entry("insurer-48h").source == "user"
    assert library.problems == []


def test_duplicates_in_one_source_and_dangling_references_are_problems(tmp_path):
    (tmp_path / "a.yaml").write_text(rules_file(rule_yaml("twin")), encoding="utf-8")
    clock = "      after_notice: nowhere\n      within: 15 days\n      wording: w\n"
    (tmp_path / "b.yaml").write_text(rules_file(rule_yaml("twin"), rule_yaml("follower", clock=clock)),
                                     encoding="utf-8")
    library = RulesLibrary.discover(None, [tmp_path], include_builtin=False)
    messages = [d.message for d in library.problems]
    assert any(m.startswith("duplicate rule id 'twin'") for m in messages)
    assert "rule 'follower': 'after_notice' names 'nowhere', which is not a known rule" in messages
    assert library.get("twin").path.endswith("a.yaml")


def test_parsed_files_are_cached_and_a_damaged_cache_is_ignored(tmp_path):
    paths = AppPaths(tmp_path / "data")
    first = RulesLibrary.discover(paths)
    cache_file = paths.data_dir / "cache" / rules_cache.CACHE_NAME
    assert cache_file.exists()
    again = RulesLibrary.discover(paths)
    assert again.rules == first.rules
    head, payload = cache_file.read_text(encoding="utf-8").split("\n", 1)
    title = json.dumps(first.rules[0].title, ensure_ascii=False)
    assert title in payload
    # Still valid JSON of the right types, but not what the header's checksum says: parsed again.
    cache_file.write_text(head + "\n" + payload.replace(title, '"Edited by hand"'), encoding="utf-8")
    assert RulesLibrary.discover(paths).rules == first.rules
    cache_file.write_text("not json")
    assert RulesLibrary.discover(paths).rules == first.rules


def test_a_cached_entry_is_used_without_parsing(tmp_path, monkeypatch):
    paths = AppPaths(tmp_path / "data")
    RulesLibrary.discover(paths)
    import incidentkit.core.deadlines.reader as reader

    def refuse(*_args):
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(reader, "read_rules_bytes", refuse)
    assert len(RulesLibrary.discover(paths)) > 0


def run(*args: str, data_dir=None):
    base = ["--data-dir", str(data_dir)] if data_dir else []
    return CliRunner().invoke(cli, [*base, *args], catch_exceptions=False)


def test_validate_checks_rules_files_and_folders(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "team" / "bad.yml"
    bad.parent.mkdir()
    good.write_text(rules_file(), encoding="utf-8")
    bad.write_text(rules_file(rule_yaml(extra="    colour: red\n")), encoding="utf-8")
    result = run("validate", str(good), str(bad.parent))
    assert result.exit_code == 1
    assert f"{bad}:7:5: error: rule 'test-rule': unknown key 'colour'" in result.output
    assert result.output.strip().endswith("2 files: 1 error, 1 warning")
    doc = json.loads(run("validate", "--format", "json", str(good)).output)
    assert doc["files"][0]["kind"] == "rules" and doc["files"][0]["rules"] == ["test-rule"]
    assert run("validate", str(SHIPPED)).exit_code == 0


def test_validate_checks_references_against_the_validated_and_shipped_rules(tmp_path):
    clock = "      after_notice: us-ca-individuals\n      within: 15 days\n      wording: w\n"
    (tmp_path / "ok.yaml").write_text(rules_file(rule_yaml("follow", clock=clock)), encoding="utf-8")
    assert run("validate", str(tmp_path)).exit_code == 0
    clock = clock.replace("us-ca-individuals", "us-zz-nothing")
    (tmp_path / "ok.yaml").write_text(rules_file(rule_yaml("follow", clock=clock)), encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1 and "'after_notice' names 'us-zz-nothing'" in result.output


def test_rules_lists_each_rule_with_its_sources(tmp_path):
    result = run("rules", data_dir=tmp_path)
    assert result.exit_code == 0
    assert "us-ca-individuals  US-CA  individuals" in result.output
    assert "source: Cal. Civ. Code § 1798.82(a)(2)(A)-(B), as amended by SB 446 (statute, as of 2026-12-02)" \
        in result.output
    assert "unknown (verify with counsel):" in result.output
    assert result.output.strip().endswith("Guidance, not legal advice: check each rule's sources and verify with "
                                          "counsel.")
    doc = json.loads(run("rules", "--json", data_dir=tmp_path).output)
    ca = {r["id"]: r for r in doc["rules"]}["us-ca-attorney-general"]
    assert ca["conditions"]["people"] == {"op": ">", "value": 500}
    assert ca["clocks"][0]["after_notice"] == ["us-ca-individuals", "us-ca-individuals-before-2026"]
    assert ca["source"] == "builtin" and ca["sources"][0]["as_of"]
