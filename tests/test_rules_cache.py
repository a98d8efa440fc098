"""The rules cache's file: what it holds, and that what it gives back is what parsing gives."""

from __future__ import annotations

import hashlib
import json

from compare_helpers import assert_identical
from rules_helpers import rule_yaml, rules_file

from incidentkit.core.deadlines import cache as rules_cache
from incidentkit.core.deadlines.library import RulesLibrary
from incidentkit.core.paths import AppPaths


def _header_and_payload(paths: AppPaths) -> tuple[dict, dict]:
    head, payload = (paths.data_dir / "cache" / rules_cache.CACHE_NAME).read_text(encoding="utf-8").split("\n", 1)
    return json.loads(head), json.loads(payload)


def test_rules_read_from_the_cache_are_the_parsed_rules_down_to_each_type(tmp_path):
    parsed = RulesLibrary.discover(None).rules
    paths = AppPaths(tmp_path / "data")
    RulesLibrary.discover(paths)
    cached = RulesLibrary.discover(paths).rules
    assert len(cached) == len(parsed) > 200
    for a, b in zip(parsed, cached):
        assert_identical(a, b, a.id)
        hash(b)  # frozen all the way down, as the board's sets of rules need


def test_a_source_cited_by_many_rules_is_stored_once(tmp_path):
    source = ("    sources:\n      - citation: Our contract with the insurer\n        type: statute\n"
              "        as_of: 2026-01-01\n")
    rules = [rule_yaml(f"contract-{n}", sources=source) for n in range(4)]
    (tmp_path / "data" / "rules").mkdir(parents=True)
    (tmp_path / "data" / "rules" / "contracts.yaml").write_text(rules_file(*rules), encoding="utf-8")
    paths = AppPaths(tmp_path / "data")
    first = RulesLibrary.discover(paths)
    assert [r.id for r in first.rules if r.id.startswith("contract-")] == [f"contract-{n}" for n in range(4)]
    head, payload = _header_and_payload(paths)
    assert head["format"] == rules_cache.FORMAT
    assert json.dumps(payload, ensure_ascii=False).count("Our contract with the insurer") == 1
    assert RulesLibrary.discover(paths).rules == first.rules


def test_a_cache_whose_model_fields_differ_is_parsed_again(tmp_path, monkeypatch):
    paths = AppPaths(tmp_path / "data")
    first = RulesLibrary.discover(paths)
    cache_file = paths.data_dir / "cache" / rules_cache.CACHE_NAME
    head, payload = _header_and_payload(paths)
    for entry in payload["schema"]:
        if entry[0] == "Source":
            entry[1] = [field for field in entry[1] if field[0] != "note"]   # written by another model
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head["sha256"] = hashlib.sha256(data).hexdigest()
    cache_file.write_bytes(json.dumps(head).encode() + b"\n" + data)
    import incidentkit.core.deadlines.reader as reader

    calls = []
    real = reader.read_rules_bytes
    monkeypatch.setattr(reader, "read_rules_bytes", lambda *a: calls.append(a) or real(*a))
    assert RulesLibrary.discover(paths).rules == first.rules
    assert calls, "the cache was used although its fields are not the model's"
    _head, rewritten = _header_and_payload(paths)
    assert ["note", "value"] in dict(rewritten["schema"])["Source"]
