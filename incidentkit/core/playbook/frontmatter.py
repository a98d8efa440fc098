"""The YAML front matter of a playbook: the `---` block at the very top.

Keys: `id`, `title`, `version`, `summary`, `tags` (a list) and `roles` (a mapping of role
key to display name). Unknown keys are a warning; a value of the wrong type, an id with
invalid characters, a key given twice and YAML that does not parse are errors, reported
on the file line (and column) they are at.

A playbook is untrusted and YAML can ask for unbounded work, so a block over
`MAX_FRONT_MATTER` characters is refused unread; the block is read by the one reader of
untrusted YAML (`core/yaml_nodes.py`, as rules files and notice templates are), which
refuses aliases (`*name`): with them a few lines can describe billions of values
("billion laughs").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from incidentkit.core.playbook.ids import check_id
from incidentkit.core.yaml_nodes import Node, read_yaml

FRONT_MATTER_KEYS = ("id", "title", "version", "summary", "tags", "roles")
MAX_FRONT_MATTER = 64 * 1024  # characters; real front matter is a few hundred
_UNKNOWN_SHOWN = 20
_FENCE = "---"
_CLOSERS = ("---", "...")


@dataclass
class FrontMatter:
    """What the front matter says. `lines` is how many lines of the file it spans (0 when absent)."""

    lines: int = 0
    id: str | None = None
    title: str | None = None
    version: str | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    roles: dict[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys and their values (the converter reads them)
    problems: list[tuple[str, int, int, str]] = field(default_factory=list)  # (severity, line, col, message)

    def problem(self, severity: str, line: int, message: str, col: int = 1) -> None:
        self.problems.append((severity, line, col, message))


def read_front_matter(lines: list[str]) -> FrontMatter:
    """Read the front matter from the top of `lines` (the file split on newlines)."""
    fm = FrontMatter()
    if not lines or lines[0].rstrip() != _FENCE:
        return fm
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _CLOSERS), None)
    if end is None:
        fm.problem("error", 1, "malformed front matter: the `---` on line 1 is never closed by another `---` line")
        fm.lines = len(lines)
        return fm
    fm.lines = end + 1
    block = lines[1:end]
    text = "\n".join(block)
    if len(text) > MAX_FRONT_MATTER:
        fm.problem("error", 1, f"front matter too large ({len(text) // 1024} KB; the limit is "
                               f"{MAX_FRONT_MATTER // 1024} KB)")
        return fm
    # One blank line first, so the reader's line numbers are the file's.
    root, found = read_yaml("\n" + text, "", what="front matter")
    for d in found:  # an error at the end of the block is shown on its last line
        fm.problem(d.severity, min(d.line, end), d.message, d.col)
    if root is None:
        return fm
    if not root.is_map:
        fm.problem("error", 2, "malformed front matter: expected `key: value` lines, not a single value or list")
        return fm
    _read_keys(fm, root)
    return fm


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip()


def _read_keys(fm: FrontMatter, root: Node) -> None:
    data = {key: node.plain() for key, node in root.value.items()}
    unknown = [key for key in data if key not in FRONT_MATTER_KEYS]
    fm.extra = {key: data[key] for key in unknown}
    # Past a few, one line says how many more.
    for key in unknown[:_UNKNOWN_SHOWN]:
        fm.problem("warning", root.key_marks[key][0],
                   f"unknown front matter key '{key}' (known: {', '.join(FRONT_MATTER_KEYS)})")
    if len(unknown) > _UNKNOWN_SHOWN:
        fm.problem("warning", 1, f"{len(unknown) - _UNKNOWN_SHOWN} more unknown front matter keys")
    for key, value in data.items():
        if key not in FRONT_MATTER_KEYS:
            continue
        line = root.key_marks[key][0]
        if key == "tags":
            fm.tags = _read_tags(fm, value, line)
        elif key == "roles":
            fm.roles = _read_roles(fm, value, line)
        elif value is None:
            continue
        elif (text := _scalar(value)) is None:
            fm.problem("error", line, f"front matter '{key}' must be a single value, not a list or mapping")
        elif key == "id":
            reason = check_id(text)
            if reason:
                fm.problem("error", line, f"front matter {reason}")
            else:
                fm.id = text
        else:
            setattr(fm, key, text)


def _read_tags(fm: FrontMatter, value: Any, line: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or any(_scalar(v) is None for v in value):
        fm.problem("error", line, "front matter 'tags' must be a list of words, e.g. `tags: [breach, vendor]`")
        return ()
    return tuple(_scalar(v) or "" for v in value)


def _read_roles(fm: FrontMatter, value: Any, line: int) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or any(_scalar(k) is None for k in value):
        fm.problem("error", line, "front matter 'roles' must map role keys to display names, e.g. `legal: Legal counsel`")
        return None
    roles: dict[str, str] = {}
    for key, name in value.items():
        display = _scalar(name)
        if display is None and name is not None:
            fm.problem("error", line, f"front matter role '{key}' must have a single display name")
            continue
        roles[str(key)] = display or str(key)
    return roles
