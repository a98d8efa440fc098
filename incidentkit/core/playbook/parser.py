"""Markdown text -> immutable `Playbook`, with every problem as a `Diagnostic`.

Usage:

    from incidentkit.core.playbook.parser import parse_playbook
    playbook = parse_playbook(text, path="vendor.md")   # raises PlaybookError on any error
    playbook.warnings                                    # the warnings of a playbook that loaded

`parse_playbook` raises nothing but `PlaybookError` (whose `.diagnostics` lists every
problem, errors first). Files go through `playbook_loader.load_playbook(path)`, which
handles bytes (BOM, invalid UTF-8, binary, size) first.

How it works: one markdown-it-py pass (CommonMark + tables, raw HTML off, inline
parsing switched off because only the block structure matters here) and one walk over
the flat token stream. Step text is the first paragraph's raw inline source; guidance
is sliced from the source lines using the tokens' line maps, so the window can render
it exactly as written. The format is described in docs/playbook-format.md.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath
from types import MappingProxyType

from markdown_it import MarkdownIt

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.due import DueError, parse_due
from incidentkit.core.playbook.frontmatter import read_front_matter
from incidentkit.core.playbook.ids import (
    KNOWN_STEP_ATTRS,
    RULE_PATTERN,
    SEVERITIES,
    IdAllocator,
    check_id,
    slugify,
    split_attr_block,
    text_slug,
)
from incidentkit.core.playbook.model import Diagnostic, Phase, Playbook, Section
from incidentkit.core.playbook.source import Region, StepRec, item_content_col

MAX_CHARS = 5 * 1024 * 1024
# markdown-it stops descending at this depth (and drops what is deeper); we say so.
MAX_NESTING = 40
NO_STEPS = "no task items (`- [ ] ...`) found"
NESTED_TOO_DEEP = (
    f"nested deeper than {MAX_NESTING} levels (about {MAX_NESTING // 2} list levels): "
    "what is deeper is not read as steps or headings"
)

_TASK = re.compile(r"\[([ xX])\](?=\s|\Z)[ \t]*")
_md: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _md
    if _md is None:
        md = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
        md.disable("inline")
        _md = md
    return _md


def block_tokens(text: str) -> list:
    """markdown-it's block tokens for `text`, with line maps, as the parser reads them (the converter's input)."""
    return _markdown().parse(text)


def is_task(inline: str) -> bool:
    """Whether a list item's first paragraph starts with a task checkbox (`[ ]`, `[x]`)."""
    return _TASK.match(inline) is not None


class _Diags:
    def __init__(self, path: str):
        self.path = path
        self.items: list[Diagnostic] = []

    def add(self, severity: str, line: int, message: str, col: int = 1) -> None:
        self.items.append(Diagnostic(self.path, max(line, 1), max(col, 1), severity, message))  # type: ignore[arg-type]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.severity != "error", d.line, d.col))


# (title, level, line, guidance region, steps under it)
_SectionRec = tuple[str, int, int, Region, list[StepRec]]


class _PhaseRec:
    def __init__(self, title: str, line: int, explicit_id: str | None = None, implicit: bool = False):
        self.title, self.line, self.explicit_id, self.implicit = title, line, explicit_id, implicit
        self.guidance = Region()
        self.sections: list[_SectionRec] = []
        self.steps: list[StepRec] = []


def parse_playbook(text: str, path: str = "<string>") -> Playbook:
    """Parse playbook markdown; raises PlaybookError listing every problem when there is an error."""
    diags = _Diags(path)
    try:
        return _parse(text, path, diags)
    except RecursionError:
        diags.add("error", 1, "markdown nested too deeply to read")
    raise PlaybookError(diags.sorted())


def _parse(text: str, path: str, diags: _Diags) -> Playbook:
    if len(text) > MAX_CHARS:
        size, limit = len(text) / 1_000_000, MAX_CHARS // 1024 // 1024
        diags.add("error", 1, f"playbook too large ({size:.1f} MB; the limit is {limit} MB)")
        raise PlaybookError(diags.sorted())
    try:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError as exc:
        diags.add("error", text.count("\n", 0, exc.start) + 1, "text contains an unpaired surrogate character")
        raise PlaybookError(diags.sorted()) from None
    norm = text[1:] if text.startswith("\ufeff") else text
    norm = norm.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    lines = norm.split("\n")
    fm = read_front_matter(lines)
    for severity, line, col, message in fm.problems:
        diags.add(severity, line, message, col)
    body = "\n" * fm.lines + "\n".join(lines[fm.lines:])
    walker = _Walker(lines, diags, fm.roles)
    walker.walk(_markdown().parse(body), fm.lines)

    title = fm.title or walker.title
    if not title:
        diags.add("error", 1, "missing title: add `title:` to the front matter or a `# Title` heading")
    if not walker.step_count:
        diags.add("error", 1, NO_STEPS)
    phases = walker.build(title or "Steps")
    if diags.errors:
        raise PlaybookError(diags.sorted())
    playbook_id = fm.id or slugify(PurePath(path).stem) or "playbook"
    return Playbook(
        id=playbook_id,
        title=title or "",
        version=fm.version or "0",
        summary=fm.summary or "",
        phases=phases,
        markdown=text,
        sha256=digest,
        path=path,
        tags=fm.tags,
        roles=MappingProxyType(dict(fm.roles or {})),
        warnings=tuple(diags.sorted()),
        intro=walker.intro.text(lines),
    )


class _Walker:
    """One pass over the token stream, collecting phases, sections and step records."""

    def __init__(self, lines: list[str], diags: _Diags, roles: dict[str, str] | None):
        self.lines, self.diags, self.roles = lines, diags, roles
        self.title: str | None = None
        self.intro = Region()
        self.phases: list[_PhaseRec] = []
        self.step_count = 0
        self.explicit: dict[str, int] = {}
        self.phase_ids: dict[str, int] = {}
        self.orphans: list[StepRec] = []
        self.section: _SectionRec | None = None

    def walk(self, tokens: list, first_line: int) -> None:
        # `region` is the guidance being collected (intro, phase or section) until the
        # next heading or the first step; `items` the open list items (a StepRec or None).
        region: Region | None = self.intro
        self.intro.start = first_line
        items: list[StepRec | None] = []
        quotes = 0
        too_deep = False
        for i, tok in enumerate(tokens):
            kind = tok.type
            if tok.level >= MAX_NESTING - 1 and tok.map and not too_deep:
                too_deep = True
                self.diags.add("warning", tok.map[0] + 1, NESTED_TOO_DEEP)
            if kind == "heading_open" and tok.level == 0:
                if region is not None:
                    region.end = tok.map[0]
                region = self._heading(tok, tokens[i + 1].content)
            elif kind == "list_item_open":
                rec = self._task(tokens, i, items, quotes)
                if rec is not None:
                    if region is not None:
                        region.end = rec.item_start
                        region = None
                    self._current_phase(rec.line).steps.append(rec)
                    if self.section is not None:
                        rec.section = self.section[0]
                        self.section[4].append(rec)
                items.append(rec)
            elif kind == "list_item_close":
                items.pop()
            elif kind == "blockquote_open":
                quotes += 1
            elif kind == "blockquote_close":
                quotes -= 1
        if region is not None:
            region.end = len(self.lines)
        if self.orphans:
            first = self.orphans[0]
            self.diags.add(
                "warning", first.line,
                f"{len(self.orphans)} step(s) before the first `##` phase heading go into an implicit phase",
                first.col,
            )

    def _heading(self, tok, content: str) -> Region:
        """Start the intro, a phase or a section; returns the region its guidance fills."""
        start, end = tok.map
        level = int(tok.tag[1])
        title, block = split_attr_block(content)
        title = title.strip()
        explicit = self._heading_attrs(block, start + 1)
        if level == 1 and self.title is None:
            self.title = title
            region = self.intro
        elif level <= 2:
            if level == 1:
                self.diags.add("warning", start + 1,
                               "a second `#` heading: only the first is the title; this one starts a phase")
            if explicit is not None and explicit in self.phase_ids:
                self.diags.add("error", start + 1,
                               f"duplicate phase id '{explicit}' (first used on line {self.phase_ids[explicit]})")
            elif explicit is not None:
                self.phase_ids[explicit] = start + 1
            self.phases.append(_PhaseRec(title, start + 1, explicit))
            self.section = None
            region = self.phases[-1].guidance
        else:
            self.section = (title, level, start + 1, Region(), [])
            self._current_phase(start + 1).sections.append(self.section)
            region = self.section[3]
        region.start = end
        return region

    def _current_phase(self, line: int) -> _PhaseRec:
        if not self.phases:
            self.phases.append(_PhaseRec("", line, implicit=True))
        return self.phases[-1]

    def _heading_attrs(self, block, line: int) -> str | None:
        if block is None:
            return None
        for severity, message in block.problems:
            self.diags.add(severity, line, message, block.col + 1)
        for key in block.attrs:
            self.diags.add("warning", line, f"unknown heading attribute '{key}' (headings take only an #id)", block.col + 1)
        if block.id is not None and (reason := check_id(block.id)):
            self.diags.add("error", line, reason, block.col + 1)
            return None
        return block.id

    def _task(self, tokens: list, i: int, items: list[StepRec | None], quotes: int) -> StepRec | None:
        if i + 2 >= len(tokens) or tokens[i + 1].type != "paragraph_open":
            return None
        inline = tokens[i + 2].content
        match = _TASK.match(inline)
        if match is None:
            return None
        item_start, item_end = tokens[i].map
        para_end = tokens[i + 1].map[1]
        source = self.lines[item_start]
        rest = inline[match.end():]
        first, _, more = rest.partition("\n")
        first, block = split_attr_block(first)
        text = " ".join(part.strip() for part in [first, *more.split("\n")] if part.strip()) if rest else ""
        col = source.find("[") + 1
        parent = next((rec for rec in reversed(items) if rec is not None), None)
        rec = StepRec(
            line=item_start + 1, col=col, text=text, checked=match.group(1) != " ",
            item_start=item_start, item_end=item_end, para_end=para_end, quotes=quotes,
            content_col=item_content_col(source, quotes), parent=parent,
            depth=0 if parent is None else parent.depth + 1,
        )
        if parent is not None:
            # Blank lines that end the sub-step's item stay in the parent's guidance, so
            # the text after a sub-step is not glued onto whatever preceded it.
            hole_end = item_end
            while hole_end > para_end and not self.lines[hole_end - 1].strip():
                hole_end -= 1
            parent.holes.append((item_start, hole_end))
        if not text:
            self.diags.add("error", rec.line, "step has no text", col)
        if block is not None:
            self._step_attrs(rec, block, source)
        if not self.phases or self.phases[-1].implicit:
            self.orphans.append(rec)
        self.step_count += 1
        return rec

    def _step_attrs(self, rec: StepRec, block, source: str) -> None:
        col = source.rfind("{") + 1
        for severity, message in block.problems:
            self.diags.add(severity, rec.line, message, col)
        if block.id is not None:
            reason = check_id(block.id)
            if reason:
                self.diags.add("error", rec.line, reason, col)
            elif block.id in self.explicit:
                first = self.explicit[block.id]
                self.diags.add("error", rec.line, f"duplicate step id '{block.id}' (first used on line {first})", col)
            else:
                self.explicit[block.id] = rec.line
                rec.explicit_id = block.id
        for key, value in block.attrs.items():
            if key not in KNOWN_STEP_ATTRS:
                known = ", ".join(sorted(KNOWN_STEP_ATTRS))
                self.diags.add("warning", rec.line, f"unknown attribute '{key}' (known: {known})", col)
            elif key == "role" and self.roles is not None and value not in self.roles:
                self.diags.add("warning", rec.line, f"role '{value}' is not declared in the front matter `roles`", col)
            elif key == "severity" and value not in SEVERITIES:
                self.diags.add("warning", rec.line, f"severity '{value}' is not one of {', '.join(SEVERITIES)}", col)
            elif key == "due":
                try:
                    parse_due(value)
                except DueError as exc:
                    at = source.find("due=", col - 1)
                    self.diags.add("warning", rec.line, str(exc), at + 1 if at >= 0 else col)
            elif key == "rules":
                for word in value.split() or [value]:
                    if not RULE_PATTERN.match(word):
                        at = source.find("rules=", col - 1)
                        self.diags.add("warning", rec.line, f"rules: '{word}' is not a rule id (a-z, 0-9, '-', '_', "
                                                            "'.'; '*' for any characters)", at + 1 if at >= 0 else col)
        rec.attrs = dict(block.attrs)

    def build(self, fallback_title: str) -> tuple[Phase, ...]:
        step_ids = IdAllocator(self.explicit)
        phase_ids = IdAllocator(p.explicit_id for p in self.phases if p.explicit_id)
        for phase in self.phases:
            for rec in phase.steps:
                rec.id = rec.explicit_id or step_ids.take(text_slug(rec.text))
        built = []
        for phase in self.phases:
            title = phase.title or fallback_title
            pid = phase.explicit_id or phase_ids.take(text_slug(title, "phase"))
            steps = tuple(rec.to_step(pid, self.lines) for rec in phase.steps)
            sections = tuple(
                Section(title=t, level=lvl, line=ln, guidance=reg.text(self.lines), step_ids=tuple(r.id for r in recs))
                for t, lvl, ln, reg, recs in phase.sections
            )
            built.append(Phase(pid, title, phase.line, phase.guidance.text(self.lines), sections, steps))
        return tuple(built)

