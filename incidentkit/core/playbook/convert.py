"""Turning an existing runbook (numbered lists and bullets under headings) into a playbook.

Usage:

    from incidentkit.core.playbook.convert import convert_file
    result = convert_file("runbook.md")     # PlaybookError when it cannot be read or has no lists
    result.markdown                          # the playbook, which `incidentkit validate` accepts
    result.playbook, result.report.lines()   # its parse, and what was done and not placed

The runbook's own lines are kept and edited in place, from markdown-it's block tokens
and their line maps (the parser's reading of the file), so tables, code, links and
everything the converter does not touch stay byte for byte:

- front matter is written anew: title (front matter, else the first heading, else the
  file name), id (front matter, else the file name slugged, as the library would),
  version, summary (or MkDocs' `description`); other keys are dropped and named;
- headings move so that the level below the title is `##`, the phases (a runbook whose
  sections are `#` headings gets `##` phases, `###` sections...); with no heading below
  the title, a `## Steps` phase is added before the first list;
- each top-level list item (ordered or not) that starts with text becomes a step (`[ ] `
  after its marker); what is nested under it is its guidance. A list before the first
  phase, and a list whose every item is a link (references), stay text;
- a runbook that has task items already keeps exactly those as steps;
- every step without an explicit id gets one (`{#slug}`), the slug the parser would
  give it, so converting a playbook keeps its step ids and later edits keep progress.

Text after a section's last step is kept but belongs to no step in the app: the report
lists it with its line, as "could not place".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.convert_report import ConvertReport, plural
from incidentkit.core.playbook.frontmatter import read_front_matter
from incidentkit.core.playbook.ids import IdAllocator, slugify, split_attr_block, text_slug
from incidentkit.core.playbook.model import Diagnostic, Playbook
from incidentkit.core.playbook.parser import block_tokens, is_task, parse_playbook

DEFAULT_VERSION = "1.0.0"
_LINK_ITEM = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_BLOCKS = ("paragraph_open", "table_open", "fence", "code_block", "blockquote_open", "html_block")


@dataclass(frozen=True)
class Conversion:
    markdown: str
    playbook: Playbook
    report: ConvertReport


@dataclass
class _Item:
    start: int                 # 0-based line of the item's marker
    para: int | None           # 0-based first line of its first paragraph, when it starts with one
    first: str = ""            # that paragraph's first line of text
    task: bool = False


@dataclass
class _List:
    line: int
    ordered: bool
    region: int                # index of the heading before it (-1: before any heading)
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Heading:
    start: int
    end: int
    level: int
    text: str


class _Scan:
    """One pass over the block tokens: headings, top-level lists, task items, top-level blocks."""

    def __init__(self, tokens: list) -> None:
        self.headings: list[_Heading] = []
        self.lists: list[_List] = []
        self.tasks: list[tuple[_Item, int]] = []  # task items at any depth, with their region
        self.blocks: list[tuple[int, int]] = []  # (line, region) of top-level text blocks
        current: _List | None = None
        for i, tok in enumerate(tokens):
            if tok.type == "list_item_open" and tok.map:
                item = _item(tokens, i)
                if item.task:
                    self.tasks.append((item, len(self.headings) - 1))
                if tok.level == 1 and current is not None:
                    current.items.append(item)
            if tok.level != 0 or not tok.map:
                continue
            if tok.type == "heading_open":
                self.headings.append(_Heading(tok.map[0], tok.map[1], int(tok.tag[1]), tokens[i + 1].content))
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                current = _List(tok.map[0], tok.type == "ordered_list_open", len(self.headings) - 1)
                self.lists.append(current)
            elif tok.type in _BLOCKS:
                self.blocks.append((tok.map[0], len(self.headings) - 1))


def _item(tokens: list, i: int) -> _Item:
    start = tokens[i].map[0]
    if i + 2 < len(tokens) and tokens[i + 1].type == "paragraph_open" and tokens[i + 1].map:
        inline = tokens[i + 2].content
        return _Item(start, tokens[i + 1].map[0], inline.split("\n", 1)[0], is_task(inline))
    return _Item(start, None)


def convert_file(path: str) -> Conversion:
    """Read (with the loader's checks: binary, size, encoding) and convert one runbook file."""
    from incidentkit.core.playbook.loader import read_playbook_text

    return convert_runbook(read_playbook_text(path), path)


def convert_runbook(text: str, path: str = "<string>") -> Conversion:
    """The playbook made of `text`; PlaybookError (naming the file) when no step can be found."""
    return _Converter(text, path).run()


class _Converter:
    def __init__(self, text: str, path: str) -> None:
        norm = text[1:] if text.startswith("\ufeff") else text
        self.lines = norm.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd").split("\n")
        self.path = path
        self.report = ConvertReport(PurePath(path).name if path != "<string>" else path)
        self.fm = read_front_matter(self.lines)
        body = "\n" * self.fm.lines + "\n".join(self.lines[self.fm.lines:])
        try:
            self.scan = _Scan(block_tokens(body))
        except RecursionError:
            raise PlaybookError([Diagnostic(path, 1, 1, "error", "markdown nested too deeply to read")]) from None
        self.edits: dict[int, str] = {}      # line -> its new text
        self.dropped: set[int] = set()       # lines removed (setext underlines)
        self.before: dict[int, list[str]] = {}  # lines inserted before a line
        self.placeholders: dict[str, int] = {}  # placeholder id -> source line of its step

    def run(self) -> Conversion:
        title_index = self._title_heading()
        self._front_matter(title_index)
        self._headings(title_index)
        steps = self._steps(title_index)
        if not steps:
            raise PlaybookError([Diagnostic(self.path, 1, 1, "error",
                                            "no list items that could become steps (numbered or bulleted lists "
                                            "under headings); nothing to convert")])
        self._orphans(steps)
        return self._finish()

    # front matter and title -----------------------------------------------------------
    def _title_heading(self) -> int | None:
        heads = self.scan.headings
        firsts = [k for k, h in enumerate(heads) if h.level == 1]
        if firsts:
            return firsts[0]
        if len(heads) > 1:
            top = min(h.level for h in heads)
            if [k for k, h in enumerate(heads) if h.level == top] == [0]:
                return 0  # one heading above all others, first: the title written one level down
        return None

    def _front_matter(self, title_index: int | None) -> None:
        fm, report = self.fm, self.report
        errors = [msg for severity, _line, _col, msg in fm.problems if severity == "error"]
        if errors:
            report.front_matter_problem = errors[0]
            fm = type(fm)(lines=fm.lines)
        stem = PurePath(self.path).stem if self.path != "<string>" else ""
        if fm.title:
            report.title, report.title_from = fm.title, "front matter"
        elif title_index is not None:
            heading = self.scan.headings[title_index]
            report.title, report.title_from = split_attr_block(heading.text)[0].strip(), "the first heading"
        if not report.title:
            words = " ".join(stem.replace("_", " ").replace("-", " ").split())
            report.title, report.title_from = (words[:1].upper() + words[1:]) or "Converted runbook", "the file name"
        report.playbook_id = fm.id or slugify(stem) or slugify(report.title) or "playbook"
        report.version = fm.version or DEFAULT_VERSION
        summary = fm.summary
        if summary:
            report.summary_from = "front matter summary"
        elif isinstance(fm.extra.get("description"), str) and fm.extra["description"].strip():
            summary, report.summary_from = fm.extra["description"].strip(), "front matter description"
        report.dropped_keys = [k for k in fm.extra if not (k == "description" and report.summary_from)]
        out = ["---", f"id: {report.playbook_id}", f"title: {_yaml(report.title)}", f"version: {_yaml(report.version)}"]
        if summary:
            out.append(f"summary: {_yaml(summary)}")
        if fm.tags:
            out.append(f"tags: [{', '.join(_yaml(t) for t in fm.tags)}]")
        if fm.roles:
            out.append("roles:")
            out.extend(f"  {_yaml(k)}: {_yaml(v)}" for k, v in fm.roles.items())
        out.append("---")
        self.front = out

    # headings ---------------------------------------------------------------------------
    def _headings(self, title_index: int | None) -> None:
        heads = self.scan.headings
        rest = [h for k, h in enumerate(heads) if k != title_index]
        level = min((h.level for h in rest), default=None)
        self.report.phase_level = level
        for k, heading in enumerate(heads):
            new = 1 if k == title_index else min(6, heading.level - level + 2)  # type: ignore[operator]
            if k != title_index:
                self.report.phases += new == 2
                self.report.sections += new > 2
            if new != heading.level:
                self.edits[heading.start] = "#" * new + " " + " ".join(heading.text.split("\n"))
                self.dropped.update(range(heading.start + 1, heading.end))

    # steps ------------------------------------------------------------------------------
    def _steps(self, title_index: int | None) -> list[tuple[int, int]]:
        """Mark the steps; returns (line, region) of each."""
        report, scan = self.report, self.scan
        if scan.tasks:
            report.from_tasks = len(scan.tasks)
            for item, _region in scan.tasks:
                self._id_block(item)
            return [(item.start, region) for item, region in scan.tasks]
        has_phases = len(scan.headings) > (title_index is not None)
        steps = self._plain_steps(title_index, has_phases, intro_steps=not has_phases)
        if not steps and has_phases:  # lists only before the first phase: better steps than nothing
            self.report.kept_as_text.clear()
            steps = self._plain_steps(title_index, has_phases, intro_steps=True)
        return steps

    def _plain_steps(self, title_index: int | None, has_phases: bool, *, intro_steps: bool) -> list[tuple[int, int]]:
        first_phase = (title_index + 1) if title_index is not None and title_index == 0 else 0
        steps: list[tuple[int, int]] = []
        for lst in self.scan.lists:
            in_intro = lst.region < first_phase or not has_phases
            if in_intro and not intro_steps:
                self.report.kept_as_text.append((lst.line + 1, f"a list before the first phase "
                                                                f"({plural(len(lst.items), 'item')})"))
                continue
            if all(it.para is not None and _LINK_ITEM.match(it.first) for it in lst.items):
                self.report.kept_as_text.append((lst.line + 1, f"a list of links ({plural(len(lst.items), 'item')})"))
                continue
            made = 0
            for item in lst.items:
                if not self._make_step(item):
                    self.report.kept_as_text.append((item.start + 1, "a list item that does not start with text"))
                    continue
                made += 1
                steps.append((item.start, lst.region))
                if lst.ordered:
                    self.report.from_numbered += 1
                else:
                    self.report.from_bullets += 1
            if in_intro and made and not self.report.steps_phase_added:  # not into an implicit phase
                self.report.steps_phase_added = True
                self.report.phases += 1
                self.before.setdefault(lst.line, []).extend(["## Steps", ""])
        return steps

    def _make_step(self, item: _Item) -> bool:
        if item.para is None:
            return False
        line = self.edits.get(item.para, self.lines[item.para])
        at = line.find(item.first, _marker_end(line) if item.para == item.start else 0)
        if at < 0 or not item.first.strip():
            return False
        self.edits[item.para] = line[:at] + "[ ] " + line[at:]
        self._id_block(item)
        return True

    def _id_block(self, item: _Item) -> None:
        line = self.edits.get(item.para, self.lines[item.para])  # type: ignore[arg-type]
        _text, block = split_attr_block(line)
        if block is not None and not block.problems and block.id is not None:
            return  # it has its id
        placeholder = f"convert-placeholder-{len(self.placeholders)}-{id(self)}"
        self.placeholders[placeholder] = item.start
        if block is not None and not block.problems:
            line = line[: block.col + 1] + f"#{placeholder} " + line[block.col + 1:]
        else:
            line = line.rstrip() + f" {{#{placeholder}}}"
        self.edits[item.para] = line  # type: ignore[index]

    def _orphans(self, steps: list[tuple[int, int]]) -> None:
        """Top-level text after a section's first step: kept, but no step holds it."""
        first_step = {}
        for line, region in steps:
            first_step.setdefault(region, line)
        step_lines = {line for line, _region in steps}
        step_lists = {lst.line for lst in self.scan.lists if any(it.start in step_lines for it in lst.items)}
        reported: set[int] = set()
        blocks = self.scan.blocks + [(lst.line, lst.region) for lst in self.scan.lists if lst.line not in step_lists]
        for line, region in sorted(blocks):
            if region in first_step and line > first_step[region] and region not in reported:
                reported.add(region)
                where = self.scan.headings[region].text if region >= 0 else self.report.title
                self.report.unplaced.append((line + 1, f"text after a step under \"{where}\" belongs to no step in "
                                                       "IncidentKit: nest it under a step, or move it above the first"))

    # output -------------------------------------------------------------------------------
    def _finish(self) -> Conversion:
        body: list[str] = []
        for n in range(self.fm.lines, len(self.lines)):
            body.extend(self.before.get(n, ()))
            if n not in self.dropped:
                body.append(self.edits.get(n, self.lines[n]))
        draft = "\n".join([*self.front, *body])
        try:
            parsed = parse_playbook(draft, self.path)
            ids = IdAllocator(s.id for s in parsed.steps() if s.id not in self.placeholders)
            real = {s.id: ids.take(text_slug(s.text)) for s in parsed.steps() if s.id in self.placeholders}
            markdown = re.sub(r"#(convert-placeholder-\d+-\d+)(?=[\s}])", lambda m: "#" + real[m.group(1)], draft)
            playbook = parse_playbook(markdown, self.path)
        except PlaybookError as exc:
            raise PlaybookError([Diagnostic(d.path, d.line, d.col, d.severity, f"in the converted playbook: {d.message}")
                                 for d in exc.diagnostics]) from None
        self.report.ids_added = len(real)
        self.report.warnings = playbook.warnings
        if not markdown.endswith("\n"):
            markdown += "\n"
        return Conversion(markdown, playbook, self.report)


def _marker_end(line: str) -> int:
    match = re.match(r"[ \t]*(?:[-+*]|\d{1,9}[.)])", line)
    return match.end() if match else 0


def _yaml(value: str) -> str:
    """A YAML scalar that reads back as `value` (JSON's double-quoted strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)
