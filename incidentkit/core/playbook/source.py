"""Source slicing for the parser: guidance is the exact markdown lines, dedented.

A step's guidance is every line of its list item after the step's first paragraph,
minus the line ranges of its sub-steps (they carry their own guidance), with the item's
content indentation and any blockquote markers it sits in removed, so the text renders
the same on its own as it did nested. Phase and section guidance is the run of lines
between a heading and the first step (or the next heading). Line numbers are 0-based
indexes into the normalised source lines, end-exclusive, as in markdown-it token maps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType

from incidentkit.core.playbook.model import Step

_MARKER = re.compile(r"([ \t]*)([-+*]|\d{1,9}[.)])([ \t]*)")
_QUOTE = re.compile(r" {0,3}> ?")
TAB = 4


def _width(prefix: str, start: int = 0) -> int:
    col = start
    for ch in prefix:
        col = (col // TAB + 1) * TAB if ch == "\t" else col + 1
    return col


def strip_quotes(line: str, depth: int) -> str:
    """Remove up to `depth` leading `>` markers (lazy continuation lines have fewer)."""
    for _ in range(depth):
        match = _QUOTE.match(line)
        if match is None:
            break
        line = line[match.end():]
    return line


def item_content_col(first_line: str, quotes: int) -> int:
    """The column where a list item's content starts (CommonMark: marker width plus 1-4 spaces)."""
    line = strip_quotes(first_line, quotes)
    match = _MARKER.match(line)
    if match is None:
        return 0
    marker_end = _width(match.group(1) + match.group(2))
    gap = _width(match.group(3), marker_end) - marker_end
    return marker_end + (gap if 1 <= gap <= 4 else 1)


def dedent(line: str, col: int) -> str:
    """Remove up to `col` columns of leading whitespace, expanding a tab that straddles `col`."""
    width = i = 0
    while i < len(line) and width < col and line[i] in " \t":
        width = (width // TAB + 1) * TAB if line[i] == "\t" else width + 1
        i += 1
    rest = line[i:]
    return " " * (width - col) + rest if width > col else rest


def trim_blank(lines: list[str]) -> str:
    """Join lines, dropping blank lines at either end (indentation of the first kept line stays)."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[start:end])


@dataclass
class Region:
    """A run of source lines [start, end) that becomes a phase's, section's or the intro's guidance."""

    start: int = 0
    end: int = 0

    def text(self, lines: list[str]) -> str:
        return trim_blank(lines[self.start:self.end]) if self.end > self.start else ""


@dataclass(eq=False)
class StepRec:
    """A step while the parser walks; ids are assigned once every explicit id is known."""

    line: int
    col: int
    text: str
    checked: bool
    item_start: int
    item_end: int
    para_end: int
    quotes: int
    content_col: int
    parent: StepRec | None
    depth: int
    section: str | None = None
    explicit_id: str | None = None
    id: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    holes: list[tuple[int, int]] = field(default_factory=list)

    def guidance(self, lines: list[str]) -> str:
        kept: list[str] = []
        pos = self.para_end
        for hole_start, hole_end in [*self.holes, (self.item_end, self.item_end)]:
            for raw in lines[pos:max(pos, hole_start)]:
                kept.append(dedent(strip_quotes(raw, self.quotes), self.content_col))
            pos = max(pos, hole_end)
        # Lines indented past the content column by less than a code block's 4 spaces
        # (a tab after `- `, say) read the same with that common extra removed.
        extra = min((len(k) - len(k.lstrip(" ")) for k in kept if k.strip()), default=0)
        if 0 < extra < 4:
            kept = [k[extra:] if k.strip() else k for k in kept]
        return trim_blank(kept)

    def to_step(self, phase_id: str, lines: list[str]) -> Step:
        return Step(
            id=self.id,
            text=self.text,
            line=self.line,
            phase_id=phase_id,
            section=self.section,
            parent_id=self.parent.id if self.parent is not None else None,
            depth=self.depth,
            role=self.attrs.get("role") or None,
            attrs=MappingProxyType(self.attrs),
            guidance=self.guidance(lines),
            checked_in_source=self.checked,
            explicit_id=self.explicit_id is not None,
        )
