"""Rules files for tests: a minimal valid rule as YAML text, with fields to replace or add."""

from __future__ import annotations

SOURCE = """    sources:
      - citation: Test Act § 1
        url: https://example.org/act
        type: statute
        as_of: 2026-01-01
"""


def rule_yaml(rule_id: str = "test-rule", *, jurisdiction: str = "US-CA", recipient: str = "individuals",
              clock: str = "      start: aware\n      within: 72 hours\n      wording: within 72 hours\n",
              extra: str = "", sources: str = SOURCE) -> str:
    """One rule as an item of a `rules:` list (indented for it)."""
    return (f"  - id: {rule_id}\n    title: Test rule\n    regime: Test Act\n    jurisdiction: {jurisdiction}\n"
            f"    recipient: {recipient}\n{extra}    clock:\n{clock}{sources}")


def rules_file(*items: str) -> str:
    return "rules:\n" + "".join(items or (rule_yaml(),))
