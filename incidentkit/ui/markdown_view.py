"""A read-only view of untrusted markdown (step guidance) that never executes or fetches anything.

Playbooks come from other people's git repositories, so the rendered text is treated
as hostile: markdown-it runs with `html` off (raw HTML is escaped and shown as text),
images become their alt text, no resource is ever loaded (`loadResource` answers
nothing for every URL, so neither `file:` nor network images are read), and a click on
a link opens it in the system browser only when it is http, https or mailto.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# A Pandoc/MkDocs attribute block (`{#step-id role=legal}`) at the end of a line: the
# app reads it, the responder never needs to see it.
_ATTR_BLOCK = re.compile(r"[ \t]*\{#[^{}\n]*\}[ \t]*$", re.MULTILINE)


def strip_attr_blocks(text: str) -> str:
    """The text without trailing `{#id key=value}` blocks."""
    return _ATTR_BLOCK.sub("", text)


def is_safe_link(url: QUrl) -> bool:
    """Whether a link may be handed to the system browser: http, https or mailto, nothing else."""
    return url.isValid() and url.scheme().lower() in SAFE_SCHEMES and not url.isLocalFile()


def _render_image_as_text(self, tokens, idx, options, env) -> str:
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return f"[{html.escape(alt or 'image')}]"


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    return image


def make_renderer() -> MarkdownIt:
    """CommonMark with GitHub tables and strikethrough, raw HTML escaped, images as text."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])
    md.add_render_rule("image", _render_image_as_text)
    return md


def render_markdown(md: MarkdownIt, text: str) -> str:
    """HTML for `text`, safe to give a QTextBrowser whose resources are never loaded."""
    return md.render(strip_attr_blocks(text))


class MarkdownView(QTextBrowser):
    """Shows markdown; follows no link itself and loads no resource."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._md = make_renderer()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.anchorClicked.connect(self._open_link)

    def set_markdown(self, text: str) -> None:
        self.setHtml(render_markdown(self._md, text))

    def loadResource(self, kind: int, url: QUrl) -> QByteArray | QImage:  # noqa: N802 (Qt override)
        # Nothing a playbook references is ever read: not file:, not qrc:, not http.
        # The answer must not be null: on a null answer QTextDocument reads local files
        # itself, and on a null image Qt's image handler loads the file directly; so an
        # image gets a blank 1x1 picture and everything else empty data.
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return _blank_image()
        return QByteArray()

    def setSource(self, url: QUrl, kind=None) -> None:  # noqa: N802 (Qt override)
        # Navigation inside the view would load the target as a document; never do it.
        return

    def _open_link(self, url: QUrl) -> None:
        if is_safe_link(url):
            QDesktopServices.openUrl(url)
