"""A first merge of two edits of one step note, for a person to check before it is saved.

When a note was edited in the window while someone else saved it, the window shows both
texts and a merge to start from: a line-by-line three-way merge from the note both
edits started from (`base`), as version control does (the diffs come from the standard
library's difflib). Lines changed on one side only are taken from that side; where both
sides changed the same or neighbouring lines, both versions are kept, theirs first, and
the merge says it is not clean. Nothing is lost, and nothing is decided for the person.
"""

from __future__ import annotations

import difflib
from typing import NamedTuple

_Edit = tuple[int, int, list[str], int]  # base lines [start, end) replaced by lines, and by which side


class NoteMerge(NamedTuple):
    text: str
    clean: bool  # no line was changed on both sides


def merge_notes(base: str, mine: str, theirs: str) -> NoteMerge:
    """Merge `mine` and `theirs`, two edits of `base` (see the module docstring)."""
    if mine == theirs or mine == base:
        return NoteMerge(theirs, True)
    if theirs == base:
        return NoteMerge(mine, True)
    lines = base.split("\n")
    edits = sorted(_edits(lines, theirs.split("\n"), 0) + _edits(lines, mine.split("\n"), 1),
                   key=lambda e: (e[0], e[1]))
    out: list[str] = []
    clean, pos, i = True, 0, 0
    while i < len(edits):
        group, end = [edits[i]], edits[i][1]
        i += 1
        while i < len(edits) and edits[i][0] <= end:  # overlapping or touching: decided together
            group.append(edits[i])
            end = max(end, edits[i][1])
            i += 1
        start = group[0][0]
        out += lines[pos:start]
        ours = _apply(lines, start, end, [e for e in group if e[3] == 1])
        their = _apply(lines, start, end, [e for e in group if e[3] == 0])
        if {e[3] for e in group} == {0, 1} and ours != their:
            clean = False
            out += their + ours
        else:
            out += their if any(e[3] == 0 for e in group) else ours
        pos = end
    out += lines[pos:]
    return NoteMerge("\n".join(out), clean)


def _edits(base: list[str], other: list[str], side: int) -> list[_Edit]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2], side) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _apply(base: list[str], start: int, end: int, edits: list[_Edit]) -> list[str]:
    """Base lines [start, end) with one side's edits (sorted, not overlapping) applied."""
    out, pos = [], start
    for first, last, replacement, _side in edits:
        out += base[pos:first] + replacement
        pos = last
    return out + base[pos:end]
