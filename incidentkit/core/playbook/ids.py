"""Ids for steps and phases: the trailing `{#id key=value}` attribute block and slugs.

An attribute block follows Pandoc / MkDocs `attr_list` style: `#id` sets the id and
`key=value`, `key="quoted value"` or `key='quoted value'` set attributes. A trailing
`{...}` counts as an attribute block only when it starts with `#` or contains `=`, so
ordinary text such as `Replace {name}` is left alone.

Elements without an explicit id get a slug of their text: lowercase ASCII (accents
folded), runs of anything else turned into one hyphen, cut at a word boundary near 48
characters. Text with no ASCII letters or digits (all Cyrillic, say) slugs to
`step-` plus 8 hex digits of its sha1, which is just as stable. `IdAllocator` makes the
slugs unique with `-2`, `-3`... and never hands out an id already taken explicitly.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
ID_RULE = "ids use a-z, 0-9, '-', '_' and '.', and start with a letter or digit"

# The attributes a step may carry; anything else is kept but warned about.
KNOWN_STEP_ATTRS = frozenset({"role", "due", "severity", "rules"})
# A word of `rules="..."`: a notification rule's id, or a pattern with `*` for any characters.
RULE_PATTERN = re.compile(r"[a-z0-9*][a-z0-9._*-]*\Z")
SEVERITIES = ("critical", "high", "medium", "low")

SLUG_MAX = 48

_TRAILING_BLOCK = re.compile(r"[ \t]*\{([^{}\n]*)\}[ \t]*\Z")
_ATTR_TOKEN = re.compile(
    r"""[ \t]*(?:
        \#(?P<id>[^\s{}="']+)
      | \.(?P<cls>[^\s{}="']+)
      | (?P<key>[A-Za-z_][\w.-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}]+))
    )""",
    re.VERBOSE,
)
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class AttrBlock:
    """A parsed `{...}` block. `col` is its 0-based offset in the line it was cut from."""

    col: int
    id: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (severity, message)


def split_attr_block(line: str) -> tuple[str, AttrBlock | None]:
    """Cut a trailing attribute block off `line`; returns (text without it, block or None)."""
    if not line.rstrip().endswith("}"):
        return line, None
    match = _TRAILING_BLOCK.search(line)
    if match is None:
        return line, None
    body = match.group(1).strip()
    if not (body.startswith("#") or "=" in body):
        return line, None
    block = AttrBlock(col=line.index("{", match.start()))
    _read_tokens(body, block)
    return line[: match.start()], block


def _read_tokens(body: str, block: AttrBlock) -> None:
    pos = 0
    while pos < len(body):
        token = _ATTR_TOKEN.match(body, pos)
        if token is None or token.end() == pos:
            rest = body[pos:].strip()
            block.problems.append(("error", f"cannot read attribute block {{{body}}} at '{rest}'"))
            return
        pos = token.end()
        if token.group("id") is not None:
            if block.id is not None:
                block.problems.append(("error", f"two ids in one attribute block: #{block.id} and #{token.group('id')}"))
            else:
                block.id = token.group("id")
        elif token.group("cls") is not None:
            block.problems.append(("warning", f"class .{token.group('cls')} is ignored"))
        else:
            key = token.group("key")
            value = next(v for v in (token.group("dq"), token.group("sq"), token.group("bare")) if v is not None)
            if key in block.attrs:
                block.problems.append(("warning", f"attribute '{key}' given twice; the last one counts"))
            block.attrs[key] = value


def check_id(value: str) -> str | None:
    """None when `value` is a valid id, else the reason it is not."""
    if ID_PATTERN.match(value):
        return None
    return f"invalid id '{value}': {ID_RULE}"


def unlink(text: str) -> str:
    """Markdown links and images `[text](url)` replaced by their text.

    The same as `re.sub(r"!?\\[([^\\]]*)\\]\\([^)]*\\)", r"\\1", text)`, in linear time:
    that regex rescans to the next `]` from every `[`, quadratic in a hostile line of
    `[`s. Here each `[` before the same `]` shares one search.
    """
    out: list[str] = []
    done = 0                     # text[:done] is handled
    close = paren = -1           # the last `]` and `)` found, reused while still ahead
    opening = text.find("[")
    while opening != -1:
        if close < opening:
            close = text.find("]", opening)
            if close == -1:
                break            # no `]` after this `[`, so none after any later one
        if not text.startswith("(", close + 1):
            opening = text.find("[", close + 1)  # every `[` before `close` fails the same way
            continue
        if paren < close + 2:
            paren = text.find(")", close + 2)
            if paren == -1:
                break
        start = opening - 1 if opening > done and text[opening - 1] == "!" else opening
        out += (text[done:start], text[opening + 1:close])
        done = paren + 1
        opening = text.find("[", done)
    out.append(text[done:])
    return "".join(out)


def slugify(text: str, max_len: int = SLUG_MAX) -> str:
    """Lowercase ASCII words joined by hyphens; '' when nothing ASCII is left."""
    text = unlink(text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = _NON_SLUG.sub("-", folded).strip("-")
    if len(slug) > max_len:
        cut = slug[:max_len]
        if slug[max_len] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        slug = cut.strip("-")
    return slug


def text_slug(text: str, fallback: str = "step") -> str:
    """`slugify(text)`, or `fallback-<sha1 prefix>` when the text has no ASCII letters or digits."""
    slug = slugify(text)
    if slug:
        return slug
    if not text.strip():
        return fallback
    return f"{fallback}-{hashlib.sha1(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


class IdAllocator:
    """Hands out unique ids: a slug as is when free, else with `-2`, `-3`... appended."""

    def __init__(self, reserved: Iterable[str] = ()):
        self._used = set(reserved)
        # Per base, the suffix to try next: every earlier one is taken, and ids are never
        # given back, so starting there gives the same id as counting from 2 (which made
        # a hostile file of 200,000 equal steps take minutes).
        self._next: dict[str, int] = {}

    def take(self, base: str) -> str:
        candidate, n = base, self._next.get(base, 2)
        if n > 2:
            candidate = f"{base}-{n}"
            n += 1
        while candidate in self._used:
            candidate = f"{base}-{n}"
            n += 1
        self._used.add(candidate)
        self._next[base] = n
        return candidate
