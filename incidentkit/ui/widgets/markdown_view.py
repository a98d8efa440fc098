"""A read-only view of untrusted markdown (step guidance) that never executes or fetches anything.

Playbooks come from other people's git repositories, so the rendered text is treated
as hostile. Qt's own markdown importer (md4c, in C++: no Python parser to import on
the window's start path) reads GitHub-flavoured markdown with `MarkdownNoHTML`, so raw
HTML is shown as text, never interpreted. Images become their alt text, no resource is
ever loaded (`loadResource` answers nothing for every URL, so neither `file:` nor
network images are read), and a click on a link opens it in the system browser only
when it is http, https or mailto.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QImage,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_FEATURES = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML

# A Pandoc/MkDocs attribute block (`{#step-id role=legal}`) at the end of a line: the
# app reads it, the responder never needs to see it.
_ATTR_BLOCK = re.compile(r"[ \t]*\{#[^{}\n]*\}[ \t]*$", re.MULTILINE)

# Qt's importer drops an image with an empty alt text altogether, so `![]` gets this
# private-use character as its alt before import (and loses it again wherever it was
# literal text, e.g. in code) so the responder still sees `[image]`.
_NO_ALT = "\ue000"

# What Qt's importer puts on an image: none of it may stay on the text that replaces it.
_IMAGE_PROPERTIES = tuple(getattr(QTextFormat.Property, name) for name in (
    "ObjectType", "ImageName", "ImageTitle", "ImageAltText", "ImageWidth", "ImageHeight", "ImageQuality",
    "ImageMaxWidth"))

# A link Qt's importer made that may not open becomes plain text (no colour either).
_LINK_PROPERTIES = tuple(getattr(QTextFormat.Property, name) for name in (
    "IsAnchor", "AnchorHref", "AnchorName", "ForegroundBrush"))

# Qt's importer sizes only a heading's first run of text (a bold word or a link after it
# comes out body-sized) and gives headings no space around them; these are the sizes and
# margins Qt's HTML importer gives <h1>..<h5> (markdown-it's HTML went through it), and
# <h6> one size smaller again.
_HEADING_SIZE = {1: 3, 2: 2, 3: 1, 4: 0, 5: -1, 6: -2}
_HEADING_MARGINS = {1: (18, 12), 2: (16, 12), 3: (14, 12), 4: (12, 12), 5: (12, 4), 6: (12, 4)}


def strip_attr_blocks(text: str) -> str:
    """The text without trailing `{#id key=value}` blocks."""
    return _ATTR_BLOCK.sub("", text)


def is_safe_link(url: QUrl) -> bool:
    """Whether a link may be handed to the system browser: http, https or mailto, nothing else."""
    return url.isValid() and url.scheme().lower() in SAFE_SCHEMES and not url.isLocalFile()


def render_markdown(document: QTextDocument, text: str) -> None:
    """Replace `document`'s content with `text` as GitHub markdown: raw HTML as text, images as `[alt]`."""
    text = strip_attr_blocks(text).replace(_NO_ALT, "").replace("![]", f"![{_NO_ALT}]")
    document.setMarkdown(text, _FEATURES)
    headings, links, images = _scan(document)
    cursor = QTextCursor(document)
    for start, end, fmt in links:  # first: it sets each link's whole format, as found
        _style_link(_select(cursor, start, end), fmt)
    for start, end, level in headings:
        _style_heading(_select(cursor, start, end), level)
    # Last, and from the end backwards: replacing an image shifts everything after it.
    for start, end, labels in reversed(_image_runs(images)):
        _select(cursor, start, end)
        text_format = cursor.charFormat().toCharFormat()  # the image's own, as a heading may have sized it
        for prop in _IMAGE_PROPERTIES:
            text_format.clearProperty(prop)
        cursor.insertText("".join(f"[{label.replace(_NO_ALT, '').strip() or 'image'}]" for label in labels),
                          text_format)
    found = document.find(_NO_ALT) if _NO_ALT in text else QTextCursor()
    while not found.isNull():
        found.removeSelectedText()
        found = document.find(_NO_ALT, found)


def _select(cursor: QTextCursor, start: int, end: int) -> QTextCursor:
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def _style_heading(cursor: QTextCursor, level: int) -> None:
    heading = QTextCharFormat()
    heading.setFontWeight(700)
    heading.setProperty(QTextFormat.Property.FontSizeAdjustment, _HEADING_SIZE.get(level, 0))
    cursor.mergeCharFormat(heading)
    margins = QTextBlockFormat()
    top, bottom = _HEADING_MARGINS.get(level, (12, 4))
    margins.setTopMargin(top)
    margins.setBottomMargin(bottom)
    cursor.mergeBlockFormat(margins)


def _style_link(cursor: QTextCursor, fmt: QTextCharFormat) -> None:
    """Underline a link that may open; make any other (javascript:, file:, relative) plain text."""
    if is_safe_link(QUrl(fmt.anchorHref())):
        fmt.setFontUnderline(True)
    else:
        for prop in _LINK_PROPERTIES:
            fmt.clearProperty(prop)
    cursor.setCharFormat(fmt)


def _scan(document: QTextDocument) -> tuple[list, list, list]:
    """Heading blocks (start, end, level), links (start, end, format), images (start, length, src, alt)."""
    headings, links, images = [], [], []
    block = document.begin()
    while block.isValid():  # every block in document order, table cells included
        level = block.blockFormat().headingLevel()
        if level:
            headings.append((block.position(), block.position() + block.length() - 1, level))
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                image = fmt.toImageFormat()
                images.append((fragment.position(), fragment.length(), image.name(),
                               image.stringProperty(QTextFormat.Property.ImageAltText)))
            elif fmt.isAnchor():
                links.append((fragment.position(), fragment.position() + fragment.length(), fmt))
            it += 1
        block = block.next()
    return headings, links, images


def _image_runs(images: list) -> list[tuple[int, int, list[str]]]:
    """The images as runs to replace: (start, end, one alt text per image).

    Qt's importer inserts one image per piece of alt text, so `![a **b**](x)` arrives as
    two adjoining images of the same source: those join into one. Identical adjoining
    images share a fragment (its length is their count) and stay one label each.
    """
    runs: list[tuple[int, int, str, list[str]]] = []
    for start, length, src, alt in images:
        if length == 1 and runs and runs[-1][1] == start and runs[-1][2] == src:
            begin, _end, _src, labels = runs[-1]
            runs[-1] = (begin, start + 1, src, [*labels[:-1], labels[-1] + alt])
        else:
            runs.append((start, start + length, src, [alt] * length))
    return [(start, end, labels) for start, end, _src, labels in runs]


def _blank_image() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    return image


class MarkdownView(QTextBrowser):
    """Shows markdown; follows no link itself and loads no resource."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.anchorClicked.connect(self._open_link)

    def set_markdown(self, text: str) -> None:
        render_markdown(self.document(), text)
        # The view's own cursor moved along with the imported text to its end, and the
        # view scrolls to keep it in sight: put it back at the top.
        self.setTextCursor(QTextCursor(self.document()))

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
