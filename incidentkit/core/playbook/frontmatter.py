"""The YAML front matter of a playbook: the `---` block at the very top, read with yaml.safe_load.

Keys: `id`, `title`, `version`, `summary`, `tags` (a list) and `roles` (a mapping of role
key to display name). Unknown keys are a warning; a value of the wrong type, an id with
invalid characters and YAML that does not parse are errors, reported on the file line
the YAML error points at.

A playbook is untrusted and YAML can ask for unbounded work, so a block over
`MAX_FRONT_MATTER` characters is refused unread, and so are aliases (`*name`): with
them a few lines can describe billions of values ("billion laughs").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from incidentkit.core.playbook.ids import check_id

FRONT_MATTER_KEYS = ("id", "title", "version", "summary", "tags", "roles")
MAX_FRONT_MATTER = 64 * 1024  # characters; real front matter is a few hundred
_UNKNOWN_SHOWN = 20
_FENCE = "---"
_CLOSERS = ("---", "...")


class NoAliasLoader(yaml.SafeLoader):
    """safe_load's loader, refusing aliases where the composer would resolve one (also the
    rules files' loader, with its own `where`)."""

    where = "front matter"

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, f"aliases (`*name`) are not allowed in {self.where}", self.peek_event().start_mark)
        return super().compose_node(parent, index)


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
    try:
        data = yaml.load(text, Loader=NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 2, mark.column + 1) if mark is not None else (1, 1)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        fm.problem("error", min(line, end), f"malformed front matter: {reason}", col)
        return fm
    except RecursionError:
        fm.problem("error", 1, "malformed front matter: nested too deeply")
        return fm
    except (ValueError, TypeError, OverflowError) as exc:
        fm.problem("error", 1, f"malformed front matter: {exc}")
        return fm
    if data is None:
        return fm
    if not isinstance(data, dict):
        fm.problem("error", 2, "malformed front matter: expected `key: value` lines, not a single value or list")
        return fm
    _read_keys(fm, data, block)
    return fm


def _key_line(block: list[str], key: object) -> int:
    pattern = re.compile(rf"^\s*['\"]?{re.escape(str(key))}['\"]?\s*:")
    for i, text in enumerate(block):
        if pattern.match(text):
            return i + 2
    return 1


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip()


def _read_keys(fm: FrontMatter, data: dict[Any, Any], block: list[str]) -> None:
    unknown = [key for key in data if key not in FRONT_MATTER_KEYS]
    # Each warning searches the block for its line; past a few, one line says how many more.
    for key in unknown[:_UNKNOWN_SHOWN]:
        fm.problem("warning", _key_line(block, key),
                   f"unknown front matter key '{key}' (known: {', '.join(FRONT_MATTER_KEYS)})")
    if len(unknown) > _UNKNOWN_SHOWN:
        fm.problem("warning", 1, f"{len(unknown) - _UNKNOWN_SHOWN} more unknown front matter keys")
    for key, value in data.items():
        if key not in FRONT_MATTER_KEYS:
            continue
        line = _key_line(block, key)
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
