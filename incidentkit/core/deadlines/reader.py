"""A rules file (YAML) to `Rule`s and `path:line:col` diagnostics; never an exception.

Usage:

    from incidentkit.core.deadlines.reader import read_rules_text, read_rules_file
    rules, diagnostics = read_rules_file("resources/rules/us/ca.yaml")

A file is a mapping with a `rules:` list (docs/rules-format.md). Each rule is checked on
its own: one with an error is left out and the others load, so a team's broken rule
never hides the rest of its file; the diagnostics say what was left out and why. Files
are untrusted: over `MAX_BYTES`, binary, non-UTF-8, aliased or deeply nested YAML is
refused with one diagnostic.
"""

from __future__ import annotations

import os
import re

from incidentkit.core.deadlines.fields import Fields, Problems, child
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.deadlines.reader_parts import read_clocks, read_conditions, read_content, read_sources
from incidentkit.core.deadlines.vocabulary import MAX_FILE_BYTES as MAX_BYTES
from incidentkit.core.deadlines.vocabulary import OWED_BY, RECIPIENTS, STATUSES, UNKNOWN
from incidentkit.core.playbook.ids import ID_PATTERN, ID_RULE
from incidentkit.core.playbook.model import Diagnostic
from incidentkit.core.team_files import FileProblem, decode, read_file
from incidentkit.core.yaml_nodes import Node, read_yaml

FILE_KEYS = ("rules", "notes")
RULE_KEYS = ("id", "title", "regime", "jurisdiction", "recipient", "recipient_detail", "owed_by", "status",
             "effective_from", "effective_until", "time_zone", "conditions", "clock", "content", "sources",
             "unknown", "notes")
# ISO 3166-1 alpha-2, or a subdivision (US-CA, CA-QC, AU-NSW), or EU-wide law, or global (card brands).
_JURISDICTION = re.compile(r"(EU|global|[A-Z]{2}(-[A-Z0-9]{1,3})?)\Z")
_MAX_ID = 100


def read_rules_text(text: str, path: str = "<string>") -> tuple[list[Rule], list[Diagnostic]]:
    """The rules in `text` (a rules file's contents) and every problem found."""
    root, found = read_yaml(text, path)
    problems = Problems(path)
    problems.found.extend(found)
    if root is None:
        if not found:
            problems.error((1, 1), "empty rules file: expected `rules:` and a list of rules")
        return [], problems.found
    f = child(root, "rules file", problems, FILE_KEYS)
    if f is None:
        return [], problems.found
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    items = f.items("rules")
    if not f.has("rules"):
        problems.error(root, "rules file: 'rules' is required: a list of rules")
    f.text("notes")
    f.done()
    for node in items:
        rule = _read_rule(node, path, problems)
        if rule is None:
            continue
        if rule.id in seen:
            problems.error(node, f"rule '{rule.id}': duplicate rule id (first defined on line {seen[rule.id]})")
            continue
        seen[rule.id] = rule.line
        rules.append(rule)
    return rules, problems.found


def _read_rule(node: Node, path: str, problems: Problems) -> Rule | None:
    before = problems.errors
    f = child(node, "rule", problems, RULE_KEYS)
    if f is None:
        return None
    rule_id = f.text("id", required=True)
    if rule_id and (len(rule_id) > _MAX_ID or not ID_PATTERN.match(rule_id)):
        f.error("id", f"invalid rule id '{rule_id[:_MAX_ID]}': {ID_RULE} (at most {_MAX_ID} characters)")
    f.where = f"rule '{rule_id or '?'}'"
    jurisdiction = f.text("jurisdiction", required=True)
    if jurisdiction and not _JURISDICTION.match(jurisdiction):
        f.error("jurisdiction", f"'jurisdiction' must be an ISO 3166 code (US, US-CA, GB), EU or global, "
                                f"not '{jurisdiction}'")
    effective_from, effective_until = f.day("effective_from"), f.day("effective_until")
    if effective_from and effective_until and effective_until < effective_from:
        f.error("effective_until", "'effective_until' is before 'effective_from'")
    time_zone = f.text("time_zone")
    if time_zone and not _zone_exists(time_zone):
        f.error("time_zone", f"unknown time zone '{time_zone}' (an IANA name such as America/Los_Angeles)")
    sources = read_sources(f.items("sources"), f.where, problems)
    if not sources and problems.errors == before:
        f.error("sources", "'sources' is required: at least one source with citation, type and as_of")
    rule = Rule(
        id=rule_id,
        title=f.text("title", required=True),
        regime=f.text("regime", required=True),
        jurisdiction=jurisdiction,
        recipient=f.choice("recipient", RECIPIENTS, required=True),
        recipient_detail=f.text("recipient_detail"),
        owed_by=f.choice("owed_by", OWED_BY, default="organisation"),
        status=f.choice("status", STATUSES, default="in-force"),
        effective_from=effective_from,
        effective_until=effective_until,
        time_zone=time_zone,
        conditions=read_conditions(f.mapping("conditions"), f.where, problems),
        clocks=read_clocks(f.get("clock"), f.where, problems, node),
        content=read_content(f.get("content"), f.where, problems),
        sources=sources,
        unknown=_unknowns(f),
        notes=f.text("notes"),
        path=path,
        line=node.line,
    )
    f.done()
    if problems.errors > before:
        problems.found.append(Diagnostic(path, node.line, node.col, "warning",
                                         f"rule '{rule_id or '?'}' left out: it has errors"))
        return None
    return rule


def _unknowns(f: Fields) -> tuple[str, ...]:
    words = f.words("unknown")
    if UNKNOWN in words:
        f.error("unknown", "'unknown' lists the facts the reference marks unknown, in words "
                           "(e.g. `- whether the vendor must notify us`)")
    return words


def _zone_exists(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_WHAT = "rules file"


def decode_rules(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text (UTF-8, BOM dropped), or None with the diagnostic saying why not."""
    try:
        return decode(data, path, limit=MAX_BYTES, what=_WHAT), []
    except FileProblem as exc:
        return None, [exc.diagnostic]


def read_rules_bytes(data: bytes, path: str) -> tuple[list[Rule], list[Diagnostic]]:
    text, problems = decode_rules(data, path)
    return ([], problems) if text is None else read_rules_text(text, path)


def read_rules_file(path: str | os.PathLike[str]) -> tuple[list[Rule], list[Diagnostic]]:
    """The rules of one file; a file that cannot be read is one diagnostic, never an OSError."""
    name = os.fspath(path)
    try:
        data = read_file(name, limit=MAX_BYTES, what=_WHAT)
    except FileProblem as exc:
        return [], [exc.diagnostic]
    return read_rules_bytes(data, name)
