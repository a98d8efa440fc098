"""YAML with positions: a document read into `Node`s that know their line and column.

The one YAML reader of the untrusted files: rules files, and the front matter of
playbooks and notice templates. PyYAML's SafeLoader composes the text (aliases refused:
with them a few lines can describe billions of values), and each node keeps the start
mark of its YAML node, so every diagnostic can say `path:line:col`. Scalars are
constructed by the SafeLoader (`2026-01-01` is a date, `72` an int); duplicate keys,
which PyYAML would silently resolve to the last, are errors. Front matter is read with a
blank line before it, so the lines are the file's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from incidentkit.core.playbook.model import Diagnostic

MAX_DEPTH = 20
MAX_CHARS = 1_000_000  # the largest document read: a rules file (front matter is much less)


class _NoAliasLoader(yaml.SafeLoader):
    """safe_load's loader, refusing an alias where the composer would resolve one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (`*name`) are not allowed",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


@dataclass
class Node:
    """A YAML value and where it starts (1-based). A mapping's value is a dict of str to Node,
    a sequence's a list of Node, anything else the constructed Python scalar."""

    value: Any
    line: int
    col: int
    key_marks: dict[str, tuple[int, int]] = field(default_factory=dict)   # mapping keys' positions

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value as PyYAML would load it (dicts, lists, scalars), positions dropped."""
        if isinstance(self.value, dict):
            return {key: node.plain() for key, node in self.value.items()}
        if isinstance(self.value, list):
            return [node.plain() for node in self.value]
        return self.value


def read_yaml(text: str, path: str, *, what: str = "YAML") -> tuple[Node | None, list[Diagnostic]]:
    """The document in `text` as Nodes, or None with the diagnostics saying why (`malformed
    {what}: ...`); None and no diagnostics for an empty document."""
    problems: list[Diagnostic] = []
    if len(text) > MAX_CHARS:
        return None, [Diagnostic(path, 1, 1, "error", f"{what} too large ({len(text) // 1000} KB; the limit is "
                                                       f"{MAX_CHARS // 1000} KB)")]
    loader = _NoAliasLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, []
        return _walk(loader, root, path, problems, 0), problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Diagnostic(path, line, col, "error", f"malformed {what}: {reason}")]
    except RecursionError:
        return None, [Diagnostic(path, 1, 1, "error", f"malformed {what}: nested too deeply")]
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2026-02-30
        return None, [Diagnostic(path, 1, 1, "error", f"malformed {what}: {exc}")]
    finally:
        loader.dispose()


def _walk(loader: _NoAliasLoader, node: yaml.Node, path: str, problems: list[Diagnostic], depth: int) -> Node:
    line, col = node.start_mark.line + 1, node.start_mark.column + 1
    if depth > MAX_DEPTH:
        problems.append(Diagnostic(path, line, col, "error", f"nested more than {MAX_DEPTH} levels deep"))
        return Node(None, line, col)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # `<<` merge keys (without aliases they merge nothing)
        out = Node({}, line, col)
        for key_node, value_node in node.value:
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Diagnostic(path, kline, kcol, "error", "a key must be a plain word"))
                continue
            key = str(loader.construct_object(key_node))
            if key in out.value:
                first = out.key_marks[key][0]
                problems.append(Diagnostic(path, kline, kcol, "error",
                                           f"duplicate key '{key}' (first given on line {first})"))
                continue
            out.key_marks[key] = (kline, kcol)
            out.value[key] = _walk(loader, value_node, path, problems, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return Node([_walk(loader, item, path, problems, depth + 1) for item in node.value], line, col)
    try:
        value = loader.construct_object(node)
    except (ValueError, TypeError, OverflowError):  # `2026-13-01` looks like a date and is not one
        value = node.value
    return Node(value, line, col)
