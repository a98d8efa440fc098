"""Typed reads of a YAML mapping's fields, each problem a `path:line:col` diagnostic.

`Fields` wraps one mapping `Node`: asking for a key checks its type and vocabulary and
reports a problem at the value's own position (or the mapping's, when the key is
missing); `done()` reports the keys nobody asked for, so a typo such as
`efective_from` is an error rather than a silently ignored line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from incidentkit.core.deadlines.vocabulary import UNKNOWN
from incidentkit.core.playbook.model import Diagnostic
from incidentkit.core.yaml_nodes import Node

_AS_OF = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


class Problems:
    """The diagnostics of one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[Diagnostic] = []

    def error(self, at: Node | tuple[int, int], message: str) -> None:
        line, col = (at.line, at.col) if isinstance(at, Node) else at
        self.found.append(Diagnostic(self.path, line, col, "error", message))

    def warning(self, at: Node | tuple[int, int], message: str) -> None:
        line, col = (at.line, at.col) if isinstance(at, Node) else at
        self.found.append(Diagnostic(self.path, line, col, "warning", message))

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.found)


class Fields:
    """The fields of one mapping, read once each. `where` names it in messages ("rule 'x'")."""

    def __init__(self, node: Node, where: str, problems: Problems, known: tuple[str, ...]) -> None:
        self.node, self.where, self.problems, self.known = node, where, problems, known
        self.asked: set[str] = set()

    def has(self, key: str) -> bool:
        return key in self.node.value and self.node.value[key].value is not None

    def get(self, key: str) -> Node | None:
        self.asked.add(key)
        found = self.node.value.get(key)
        return None if found is None or found.value is None else found

    def error(self, key: str, message: str) -> None:
        found = self.node.value.get(key)
        self.problems.error(found if found is not None else self.node, f"{self.where}: {message}")

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        found = self.get(key)
        if found is None:
            if required:
                self.error(key, f"'{key}' is required")
            return default
        if isinstance(found.value, (dict, list)):
            self.error(key, f"'{key}' must be text, not a list or mapping")
            return default
        text = str(found.value).strip()
        if required and not text:
            self.error(key, f"'{key}' must not be empty")
        return text

    def choice(self, key: str, vocabulary: Mapping[str, str], *, required: bool = False,
               default: str = "", allow_unknown: bool = False) -> str:
        value = self.text(key, required=required, default=default)
        if value and value not in vocabulary and not (allow_unknown and value == UNKNOWN):
            self.error(key, f"'{key}' is '{value}'; expected one of: {', '.join(vocabulary)}"
                            + (" or unknown" if allow_unknown else ""))
            return default
        return value

    def flag(self, key: str, *, default: bool | None = False, allow_unknown: bool = False) -> bool | None:
        found = self.get(key)
        if found is None:
            return default
        if allow_unknown and found.value == UNKNOWN:
            return None
        if not isinstance(found.value, bool):
            self.error(key, f"'{key}' must be true or false" + (" or unknown" if allow_unknown else ""))
            return default
        return found.value

    def day(self, key: str) -> date | None:
        found = self.get(key)
        if found is None:
            return None
        value = found.value
        if isinstance(value, datetime) or not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                self.error(key, f"'{key}' must be a date such as 2026-01-01, not '{found.value}'")
                return None
        return value

    def as_of(self, key: str) -> str:
        found = self.get(key)
        if found is None:
            self.error(key, f"'{key}' is required: the date of the source (YYYY-MM-DD, YYYY-MM or YYYY)")
            return ""
        text = found.value.isoformat() if isinstance(found.value, date) else str(found.value).strip()
        if not _AS_OF.match(text):
            self.error(key, f"'{key}' must be a date (YYYY-MM-DD, YYYY-MM or YYYY), not '{text}'")
            return ""
        return text

    def words(self, key: str, vocabulary: Mapping[str, str] | None = None) -> tuple[str, ...]:
        """A list of words (each in `vocabulary` when given); a single word is a list of one."""
        found = self.get(key)
        if found is None:
            return ()
        items = found.value if found.is_list else [found]
        out: list[str] = []
        for item in items:
            if isinstance(item.value, (dict, list)) or item.value is None:
                self.problems.error(item, f"{self.where}: '{key}' must be a list of words")
                continue
            word = str(item.value).strip()
            if vocabulary is not None and word not in vocabulary:
                self.problems.error(item, f"{self.where}: unknown {key} '{word}' (known: {', '.join(vocabulary)})")
                continue
            out.append(word)
        return tuple(out)

    def mapping(self, key: str) -> Node | None:
        found = self.get(key)
        if found is not None and not found.is_map:
            self.error(key, f"'{key}' must be a mapping of `key: value` lines")
            return None
        return found

    def items(self, key: str) -> list[Node]:
        found = self.get(key)
        if found is None:
            return []
        if not found.is_list:
            self.error(key, f"'{key}' must be a list")
            return []
        return found.value

    def done(self) -> None:
        for key, (line, col) in self.node.key_marks.items():
            if key not in self.known:
                self.problems.error((line, col), f"{self.where}: unknown key '{key}' (known: {', '.join(self.known)})")


def child(node: Node, where: str, problems: Problems, known: tuple[str, ...]) -> Fields | None:
    """Fields of `node` when it is a mapping; else an error and None."""
    if not node.is_map:
        problems.error(node, f"{where}: expected a mapping of `key: value` lines")
        return None
    return Fields(node, where, problems, known)


def is_unknown(node: Node | None) -> bool:
    return node is not None and node.value == UNKNOWN


def scalar_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value).strip()
