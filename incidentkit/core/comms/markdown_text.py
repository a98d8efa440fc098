"""A draft's Markdown: escaping values into it, tidying it, and reading it back as blocks.

A rendered notice is Markdown (CommonMark with tables, raw HTML off): the one text that
is hashed and approved, from which every output is made. `escape` is what the sandbox
applies to each value a template prints, so that a value ("Acme [click](http://x)",
"# Urgent", "1. Reply now") is always plain text in every output. `blocks` reads the
text into a flat list of `Block`s that the plain-text, PDF and readability code share.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLOCK_START = re.compile(r"[#>+=-]")
_ORDERED = re.compile(r"(\d{1,9})([.)])")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n+")
_BLANK_RUNS = re.compile(r"\n{3,}")


class Trusted(str):
    """Markdown our own filters made from escaped values: printed as it is."""


def escape(value: Any) -> str:
    """`value` as Markdown that shows exactly its text. Line breaks stay line breaks and
    blank lines paragraph breaks; leading spaces go (four would make a code block)."""
    if isinstance(value, Trusted):
        return value
    text = value if isinstance(value, str) else str(value)
    if not text:
        return text
    paragraphs = _PARAGRAPHS.split(text.replace("\r\n", "\n").replace("\r", "\n").strip("\n"))
    # A line break is two spaces and a newline: a hard break in a paragraph, and nothing at the
    # end of a heading (a backslash there would be shown).
    return "\n\n".join("  \n".join(_escape_line(line.strip()) for line in p.split("\n")) for p in paragraphs)


def _escape_line(line: str) -> str:
    line = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", line))
    if _BLOCK_START.match(line):
        return "\\" + line
    ordered = _ORDERED.match(line)
    if ordered:
        return f"{ordered.group(1)}\\{line[len(ordered.group(1)):]}"
    return line


def tidy(text: str) -> str:
    """Whitespace-only lines emptied, runs of blank lines cut to one, one final newline."""
    lines = ["" if not line.strip() else line for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"


@lru_cache(maxsize=1)
def parser() -> Any:  # a MarkdownIt; built once, it holds no state between parses
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Block:
    """One block of a notice. `text` is plain (escapes resolved); hard breaks are newlines."""

    kind: str                         # heading | paragraph | item | table | rule | code
    text: str = ""
    level: int = 0                    # heading level; list depth for an item (1 = top)
    marker: str = ""                  # "- " or "3. " for an item
    rows: tuple[tuple[str, ...], ...] = ()   # a table's rows, the header first
    line: int = 0                     # 1-based line in the Markdown
    quoted: bool = False


def inline_text(token: Any) -> str:
    """An inline token's plain text: markup dropped, a link as `text (address)`."""
    out: list[str] = []
    href = ""
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
        elif kind == "link_close" and href:
            out.append(f" ({href})")
            href = ""
        elif kind == "image":
            out.append(child.content)
    return "".join(out)


def blocks(text: str) -> list[Block]:
    found: list[Block] = []
    depth = 0
    quoted = 0
    markers: list[str] = []
    numbers: list[int] = []
    pending = ""
    row: list[str] = []
    rows: list[tuple[str, ...]] = []
    table_line = 0
    tokens = parser().parse(text)
    for i, tok in enumerate(tokens):
        kind = tok.type
        line = tok.map[0] + 1 if tok.map else 0
        if kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            markers.append("-" if kind == "bullet_list_open" else ".")
            numbers.append(int(tok.attrs.get("start", 1) or 1) - 1)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            markers.pop()
            numbers.pop()
        elif kind == "list_item_open":
            numbers[-1] += 1
            pending = "- " if markers[-1] == "-" else f"{numbers[-1]}. "
        elif kind == "blockquote_open":
            quoted += 1
        elif kind == "blockquote_close":
            quoted -= 1
        elif kind == "inline" and i and tokens[i - 1].type == "heading_open":
            found.append(Block("heading", inline_text(tok), level=int(tokens[i - 1].tag[1]), line=line))
        elif kind == "inline" and i and tokens[i - 1].type == "paragraph_open":
            if depth and pending:
                found.append(Block("item", inline_text(tok), level=depth, marker=pending, line=line, quoted=bool(quoted)))
                pending = ""
            else:
                found.append(Block("paragraph", inline_text(tok), level=depth, line=line, quoted=bool(quoted)))
        elif kind == "inline":  # a table cell
            row.append(inline_text(tok).replace("\n", " "))
        elif kind == "table_open":
            rows, table_line = [], line
        elif kind == "tr_close":
            rows.append(tuple(row))
            row = []
        elif kind == "table_close":
            found.append(Block("table", rows=tuple(rows), line=table_line))
        elif kind == "hr":
            found.append(Block("rule", line=line))
        elif kind in ("fence", "code_block"):
            found.append(Block("code", tok.content.rstrip("\n"), line=line))
    return found


def title(text: str) -> str:
    """The notice's title: its first level-1 heading, on one line ("" when it has none)."""
    first = next((b for b in blocks(text) if b.kind == "heading" and b.level == 1), None)
    return " ".join(first.text.split()) if first else ""


def plain_text(text: str, width: int = 72) -> str:
    """The notice as plain text (the .txt output and an email's text part)."""
    out: list[str] = []
    previous = ""
    for b in blocks(text):
        if b.kind == "heading":
            underline = {1: "=", 2: "-"}.get(b.level, "")
            chunk = b.text + (f"\n{underline * min(len(b.text), width)}" if underline else "")
        elif b.kind in ("paragraph", "item"):
            # An item's marker hangs at its depth; a list's later paragraph sits under the item's text.
            lead = "  " * max(b.level - 1, 0) + b.marker if b.kind == "item" else "  " * b.level
            chunk = "\n".join(textwrap.fill(part, width, initial_indent=lead if n == 0 else " " * len(lead),
                                            subsequent_indent=" " * len(lead), break_long_words=False,
                                            break_on_hyphens=False) or lead.rstrip()
                              for n, part in enumerate(b.text.split("\n")))
            if b.quoted:
                chunk = "\n".join("> " + line for line in chunk.split("\n"))
        elif b.kind == "table":
            chunk = "\n".join(" | ".join(cells) for cells in b.rows)
        elif b.kind == "rule":
            chunk = "-" * min(width, 40)
        else:
            chunk = textwrap.indent(b.text, "    ")
        tight = b.kind == "item" and previous == "item"
        out.append(("\n" if tight else "\n\n") + chunk if out else chunk)
        previous = b.kind
    return "".join(out).strip("\n") + "\n"
