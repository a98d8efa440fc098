"""Markdown for the PDF: `markup`'s safe tokens as paragraphs of styled runs, no Qt needed.

The PDF draws text itself (see `pdf_layout`), so the tokens become `Para`s: one line of
text each before wrapping, as runs of (style, text), with an indent in points. Lists get
their bullet or number, quotes and nested lists an indent, code its monospaced lines,
a table one line per row with its cells side by side, a link its text and, when that
differs, its address (a printed page cannot be clicked).
"""

from __future__ import annotations

from typing import NamedTuple

from incidentkit.core.export.markup import inline_tokens, is_plain, safe_tokens

Run = tuple[str, str]  # (style name, text)
INDENT = 12.0  # points per level of list or quote
_STYLE = {  # (bold, italic, code) -> style name
    (False, False, False): "body", (True, False, False): "bold", (False, True, False): "italic",
    (True, True, False): "bolditalic",
}


class Para(NamedTuple):
    runs: tuple[Run, ...]
    indent: float = 0.0  # points
    space: float = 0.0  # points above
    code: bool = False  # monospaced, broken anywhere rather than between words


def plain_paras(text: str, style: str = "body", indent: float = 0.0) -> list[Para]:
    """Text without markup: a paragraph per line, a little space where a blank line was."""
    out: list[Para] = []
    gap = 0.0
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            out.append(Para(((style, line.rstrip()),), indent, gap if out else 0.0))
            gap = 0.0
        else:
            gap = 3.0
    return out


class _Walker:
    def __init__(self, indent: float) -> None:
        self.out: list[Para] = []
        self.indent = indent
        self.lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self.prefix = ""  # a list item's marker, for its first paragraph
        self.space = 0.0
        self.heading = False

    def para(self, runs: list[Run], *, code: bool = False) -> None:
        if self.prefix:
            runs = [("body", self.prefix), *runs]
            self.prefix = ""
        merged: list[Run] = []
        for style, text in runs:  # one drawing call per change of style, not per token
            if merged and merged[-1][0] == style:
                merged[-1] = (style, merged[-1][1] + text)
            elif text:
                merged.append((style, text))
        if merged:
            self.out.append(Para(tuple(merged), self.indent, self.space if self.out else 0.0, code))
        self.space = 0.0

    def inline(self, children, *, base_bold: bool = False) -> None:
        """Inline tokens as paragraphs: a line break starts the next one."""
        runs: list[Run] = []
        bold = italic = 0
        href: list[str] = []
        for token in children:
            kind = token.type
            if kind == "text":
                runs.append((_STYLE[(bool(bold) or base_bold, bool(italic), False)], token.content))
            elif kind == "code_inline":
                runs.append(("mono", token.content))
            elif kind in ("strong_open", "strong_close"):
                bold += 1 if kind.endswith("open") else -1
            elif kind in ("em_open", "em_close"):
                italic += 1 if kind.endswith("open") else -1
            elif kind in ("link_open", "gfm_autolink_open"):
                href.append(str(token.attrs.get("href", "")))
            elif kind in ("link_close", "gfm_autolink_close") and href:
                url, text = href.pop(), "".join(t for _, t in runs[-3:])
                if url and url.removeprefix("mailto:") not in text:
                    runs.append(("small", f" <{url}>"))
            elif kind == "hardbreak":
                self.para(runs)
                runs = []
            elif kind == "html_inline" and "task-list-item-checkbox" in token.content:
                runs.append(("body", "☑" if "checked" in token.content else "☐"))
        self.para(runs)

    def walk(self, tokens) -> list[Para]:
        row: list[str] | None = None
        header = False
        for token in tokens:
            kind = token.type
            if kind in ("paragraph_open", "heading_open", "table_open", "hr"):
                self.space = max(self.space, 3.0)
            if kind == "inline" and row is None:
                self.inline(token.children or [], base_bold=self.heading)
            elif kind in ("heading_open", "heading_close"):
                self.heading = kind == "heading_open"
            elif kind in ("fence", "code_block"):
                self.space = max(self.space, 3.0)
                for line in token.content.rstrip("\n").split("\n"):
                    self.para([("mono", line or " ")], code=True)
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.lists.append([int(token.attrs.get("start", 1) or 1)] if kind.startswith("ordered") else [])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                numbers = self.lists[-1] if self.lists else []
                self.prefix = f"{numbers[0]}. " if numbers else "• "
                if numbers:
                    numbers[0] += 1
                self.indent += INDENT
            elif kind == "list_item_close":
                self.indent -= INDENT
                self.prefix = ""
            elif kind == "blockquote_open":
                self.indent += INDENT
            elif kind == "blockquote_close":
                self.indent -= INDENT
            elif kind == "hr":
                self.para([("small", "—" * 12)])
            elif kind == "thead_open":
                header = True
            elif kind == "thead_close":
                header = False
            elif kind == "tr_open":
                row = []
            elif kind == "inline" and row is not None:
                row.append("".join(c.content for c in token.children or () if c.type in ("text", "code_inline")))
            elif kind == "tr_close" and row is not None:
                self.para([("bold" if header else "body", "  │  ".join(row))])
                row = None
        return self.out


def markdown_paras(text: str, indent: float = 0.0) -> list[Para]:
    """Markdown text as paragraphs to lay out; text without markup takes the short way."""
    if is_plain(text):
        return plain_paras(text, indent=indent)
    return _Walker(indent).walk(safe_tokens(text))


def inline_runs(text: str, style: str = "body") -> tuple[Run, ...]:
    """A one-line text (a title) as styled runs; `style` for the text that has none."""
    if is_plain(text):
        return ((style, text),)
    walker = _Walker(0.0)
    walker.inline(inline_tokens(text)[1].children or [], base_bold=style == "bold")
    runs = tuple(run for para in walker.out for run in para.runs)
    return tuple((style if name == "body" else name, part) for name, part in runs)
