"""Notes, details and titles are markdown: one safe parse for every human-readable export.

Each text is parsed once with markdown-it-py (CommonMark with raw HTML off, plus GitHub's
tables, strikethrough, autolinks and task lists) and the tokens are made safe before any
format sees them (`safe_tokens`): a link keeps its target only when it is http, https or
mailto (anything else becomes its text), an image becomes its alt text (so nothing is
ever loaded), headings move down three levels so that a note's `# heading` sits under the
export's own headings, and a line break inside a paragraph stays a line break (people type
notes as lines). HTML renders those tokens with markdown-it's own renderer, the Markdown
export with mdformat's (which escapes whatever would otherwise turn into markup, raw HTML
included), and the PDF walks them itself (`pdf_markdown`).

Most text has no markup at all; `is_plain` finds that out with one regex, and every format
then writes it directly without parsing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

SAFE_SCHEMES = ("http:", "https:", "mailto:")
# mdformat takes about a millisecond per paragraph and, in a list, time growing with the
# square of its items (17 s for 2,000). Beyond these a note goes into the Markdown export
# verbatim, in a fence (safe, and still readable), rather than stall the export.
REWRITE_LIMIT = 50_000  # characters
LIST_ITEMS_LIMIT = 300
HEADING_SHIFT = 3  # a note's h1 becomes an h4: below the export's title, sections and phases

# Anything that can start markup inline, or at the start of a line (after indentation):
# a heading, quote, list item, thematic break, setext underline, fence or table row; or
# an indented code block. Text without any of it renders as itself.
_MARKUP = re.compile(
    r"[\\`*_\[\]<>!&~|@]|://|www\.|^[ \t]*(?:[#>+=-]|\d{1,9}[.)])|^(?: {4}|\t)", re.MULTILINE)


def is_plain(text: str) -> bool:
    """True when `text` holds no markdown syntax at all: its lines are its content."""
    return _MARKUP.search(text) is None


def safe_url(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The one parser: CommonMark, raw HTML off, GitHub's extensions through mdformat-gfm's plugin
    (the same the Markdown export's renderer knows how to write back)."""
    import mdformat.plugins

    md = MarkdownIt("commonmark", {"html": False})
    md.options["parser_extension"] = []
    md.options["mdformat"] = {}
    gfm = mdformat.plugins.PARSER_EXTENSIONS["gfm"]
    md.options["parser_extension"].append(gfm)
    gfm.update_mdit(md)
    # Every link and image parses (an image becomes its alt text whatever its address);
    # `safe_tokens` then turns a link that is not http, https or mailto into its text.
    md.validateLink = lambda url: True
    return md


_LINK_OPEN = ("link_open", "gfm_autolink_open")
_LINK_CLOSE = ("link_close", "gfm_autolink_close")


def _alt_text(token: Token) -> Token:
    text = Token("text", "", 0)
    text.content = token.content or "".join(c.content for c in token.children or ())
    return text


def _safe_inline(children: Sequence[Token]) -> list[Token]:
    out: list[Token] = []
    dropped = 0  # link_open tokens turned back into text, whose link_close must go too
    for token in children:
        if token.type == "image":
            out.append(_alt_text(token))
        elif token.type in _LINK_OPEN and not safe_url(str(token.attrs.get("href", ""))):
            dropped += 1
        elif token.type in _LINK_CLOSE and dropped:
            dropped -= 1
        elif token.type == "softbreak":
            token.type, token.tag = "hardbreak", "br"
            out.append(token)
        else:
            out.append(token)
    return out


def safe_tokens(text: str) -> list[Token]:
    """The block tokens of `text`, made safe (see the module docstring)."""
    # A fence left open at the very end closes on a line of its own only after a newline.
    tokens = parser().parse(text if text.endswith("\n") else text + "\n")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag, token.markup = f"h{level}", "#" * level
        elif token.type == "inline" and token.children:
            token.children = _safe_inline(token.children)
    return tokens


def inline_tokens(text: str) -> list[Token]:
    """`text` as one paragraph's worth of inline markup (a title: never a heading or a list)."""
    inline = parser().parseInline(text)[0]
    inline.children = _safe_inline(inline.children or [])
    return [Token("paragraph_open", "p", 1), inline, Token("paragraph_close", "p", -1)]


# HTML ------------------------------------------------------------------------------

def _render_html(tokens: list[Token]) -> str:
    md = parser()
    for token in tokens:
        for child in token.children or ():
            if child.type in _LINK_OPEN:
                child.attrSet("rel", "noopener noreferrer")
    return md.renderer.render(tokens, md.options, {})


def html_block(text: str) -> str:
    """Markdown text as safe HTML blocks (`<p>`, `<ul>`, `<table>`...)."""
    if is_plain(text):
        paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]
        return "".join(f"<p>{'<br>'.join(escape(line) for line in p.splitlines())}</p>\n" for p in paragraphs)
    return _render_html(safe_tokens(text))


@lru_cache(maxsize=4096)
def html_inline(text: str) -> str:
    """A one-line text (a title) as safe inline HTML."""
    if is_plain(text):
        return escape(text)
    return _render_html(inline_tokens(text)).strip().removeprefix("<p>").removesuffix("</p>")


# Markdown ----------------------------------------------------------------------------

def _render_markdown(tokens: list[Token]) -> str:
    from mdformat.renderer import MDRenderer

    env: dict[str, Any] = {}
    return MDRenderer().render(tokens, parser().options, env)


def markdown_block(text: str, indent: str = "") -> str:
    """Markdown text, made safe and written back as markdown, each line indented by `indent`
    (so that it stays inside the list item it belongs to). Ends with a newline."""
    if is_plain(text):
        paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]
        body = "\n\n".join("\\\n".join(line.strip() for line in p.splitlines())
                           for p in paragraphs)
    else:
        tokens = safe_tokens(text) if len(text) <= REWRITE_LIMIT else []
        if tokens and sum(t.type == "list_item_open" for t in tokens) <= LIST_ITEMS_LIMIT:
            body = _render_markdown(tokens).strip("\n")
        else:
            body = verbatim(text)
    return "\n".join(indent + line if line else "" for line in body.split("\n")) + "\n"


def verbatim(text: str) -> str:
    """`text` as a fenced block that nothing in it can close: shown exactly as written."""
    longest = max((len(run) for run in re.findall(r"~+", text)), default=0)
    fence = "~" * max(3, longest + 1)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return f"{fence}\n{lines}\n{fence}"


@lru_cache(maxsize=4096)
def markdown_inline(text: str) -> str:
    """A one-line text (a title) as safe inline markdown."""
    if is_plain(text):
        return text
    return _render_markdown(inline_tokens(text)).strip("\n").replace("\n", " ")
