"""The parsed-snapshot cache: exact round trips, and any doubt about an entry means parsing again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from compare_helpers import assert_identical
from conftest import BUILTIN_PLAYBOOKS, CORPUS
from incident_helpers import MARKDOWN, open_store, tiny_playbook

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook import cache as playbook_cache
from incidentkit.core.playbook.parser import parse_playbook

SOURCES = sorted(BUILTIN_PLAYBOOKS.glob("*.md")) + (sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else [])


def test_a_cached_parse_is_identical_to_parsing(tmp_path: Path) -> None:
    checked = 0
    for path in SOURCES:  # the built-in playbooks and every corpus file that is a valid playbook
        text = path.read_text(encoding="utf-8")
        try:
            parsed = parse_playbook(text, f"{path.stem}@x")
        except PlaybookError:
            continue
        playbook_cache.save(tmp_path, parsed)
        loaded = playbook_cache.load(tmp_path, text, parsed.sha256, f"{path.stem}@x")
        assert loaded is not None, path.name
        assert_identical(loaded, parsed, path.name)
        checked += 1
    assert checked >= len(list(BUILTIN_PLAYBOOKS.glob("*.md")))


def test_warnings_sections_and_nested_steps_survive_the_round_trip(tmp_path: Path) -> None:
    text = MARKDOWN.replace("summary: Two phases, three steps.",
                                                      "summary: Two phases.\nflavour: odd") + (
        "\n### Later\n\nSome guidance.\n\n- [x] Parent {#parent owner=me}\n  - [ ] Child {#child .cls}\n")
    parsed = parse_playbook(text, "w.md")
    assert parsed.warnings and any(p.sections for p in parsed.phases)
    assert any(s.parent_id for s in parsed.steps()) and any(s.attrs for s in parsed.steps())
    playbook_cache.save(tmp_path, parsed)
    assert_identical(playbook_cache.load(tmp_path, text, parsed.sha256, "w.md"), parsed)


def test_an_entry_is_used_only_for_its_own_text_label_and_parser(tmp_path: Path) -> None:
    parsed = tiny_playbook()
    playbook_cache.save(tmp_path, parsed)
    assert playbook_cache.load(tmp_path, MARKDOWN, parsed.sha256, "tiny.md") is not None
    assert playbook_cache.load(tmp_path, MARKDOWN, parsed.sha256, "other.md") is None
    # Filed under the right name but holding some other text's parse: not used.
    assert playbook_cache.load(tmp_path, MARKDOWN + "\n", parsed.sha256, "tiny.md") is None
    entry = playbook_cache.entry_path(tmp_path, parsed.sha256)
    doc = json.loads(entry.read_text(encoding="utf-8"))
    doc["parser"] = "0" * 64
    entry.write_text(json.dumps(doc), encoding="utf-8")
    assert playbook_cache.load(tmp_path, MARKDOWN, parsed.sha256, "tiny.md") is None


@pytest.mark.parametrize("damage", [
    lambda doc: "not json {",
    lambda doc: json.dumps([1, 2, 3]),
    lambda doc: json.dumps({**doc, "playbook": {**doc["playbook"], "title": 7}}),
    lambda doc: json.dumps({**doc, "playbook": {**doc["playbook"], "phases": [{"id": "x"}]}}),
    lambda doc: json.dumps({**doc, "playbook": {**doc["playbook"], "warnings": [["p", 1, 1, "fatal", "m"]]}}),
    lambda doc: json.dumps({**doc, "format": 99}),
], ids=["not-json", "not-an-object", "wrong-type", "missing-fields", "bad-severity", "other-format"])
def test_a_damaged_entry_is_a_miss_and_the_store_parses_again(tmp_path: Path, damage) -> None:
    with open_store(tmp_path) as store:
        inc = store.create_incident(tiny_playbook(), "x", actor="ann")
    with open_store(tmp_path) as store:
        first = store.playbook(inc.id)
    entry = playbook_cache.entry_path(tmp_path / "cache", inc.snapshot_sha256)
    assert entry.is_file()
    entry.write_text(damage(json.loads(entry.read_text(encoding="utf-8"))), encoding="utf-8")
    assert playbook_cache.load(tmp_path / "cache", MARKDOWN, inc.snapshot_sha256, first.path) is None
    with open_store(tmp_path) as store:
        assert_identical(store.playbook(inc.id), first)
    # ...and the parse replaced the damaged entry.
    assert playbook_cache.load(tmp_path / "cache", MARKDOWN, inc.snapshot_sha256, first.path) is not None


def test_an_entry_name_is_only_ever_a_sha256(tmp_path: Path) -> None:
    (tmp_path / "playbook-x.json").write_text("{}", encoding="utf-8")
    for bad in ("../../etc/passwd", "x", "A" * 64, "0" * 63):
        assert playbook_cache.load(tmp_path / "cache", MARKDOWN, bad, "tiny.md") is None


def test_an_unwritable_cache_folder_only_costs_a_parse(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    with open_store(tmp_path) as store:
        inc = store.create_incident(tiny_playbook(), "x", actor="ann")
    with open_store(tmp_path) as store:
        assert_identical(store.playbook(inc.id), parse_playbook(MARKDOWN, f"tiny@{inc.snapshot_sha256[:12]}"))
