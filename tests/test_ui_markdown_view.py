"""Untrusted guidance is shown, never executed, fetched or followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from incidentkit.ui.widgets.markdown_view import MarkdownView


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """What would have been handed to the system browser (Qt's openUrl, recorded instead)."""
    calls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: calls.append(url.toString()) or True))
    return calls


@pytest.fixture
def view(qtbot) -> MarkdownView:
    v = MarkdownView()
    qtbot.addWidget(v)
    v.resize(600, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_raw_html_is_shown_as_text(view):
    view.set_markdown('Before <script>alert("x")</script> <b>bold</b> <a href="https://evil.example">a</a> after')
    text = view.toPlainText()
    assert '<script>alert("x")</script>' in text
    assert "<b>bold</b>" in text
    assert '<a href="https://evil.example">a</a>' in text
    assert "evil.example" not in _anchors(view)
    assert _fragments(view, lambda f: f.fontWeight() > 400) == []


def test_raw_html_blocks_are_shown_as_text(view):
    block = ('<script>\nalert(1)\n</script>\n\n<div style="color:red">\n<img src="https://evil.example/t.png">\n'
             '<a href="file:///etc/passwd">x</a>\n</div>\n\n<!-- hidden -->')
    view.set_markdown(block)
    text = view.toPlainText()
    for literal in ("<script>", "alert(1)", '<div style="color:red">', '<img src="https://evil.example/t.png">',
                    '<a href="file:///etc/passwd">x</a>', "<!-- hidden -->"):
        assert literal in text
    assert _anchors(view) == [] and _images(view) == []


def test_markdown_still_renders(view):
    view.set_markdown("## Heading\n\n- **strong** item\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    html = view.toHtml()
    assert "Heading" in view.toPlainText() and "**" not in view.toPlainText()
    assert "font-weight" in html and "<table" in html


def test_github_tables_strikethrough_lists_and_code_are_structure_not_text(view):
    view.set_markdown("| Law | Clock |\n|---|---|\n| GDPR | 72 h |\n\n~~draft~~ and `code`\n\n"
                      "1. one\n   - nested\n2. two")
    cursor = QTextCursor(view.document())
    assert cursor.movePosition(QTextCursor.MoveOperation.NextBlock)  # into the table's first cell
    table = cursor.currentTable()
    assert isinstance(table, QTextTable) and (table.rows(), table.columns()) == (2, 2)
    assert table.cellAt(1, 1).firstCursorPosition().block().text() == "72 h"
    assert _fragments(view, lambda f: f.fontStrikeOut()) == ["draft"]
    assert _fragments(view, lambda f: "monospace" in (f.fontFamilies() or [])) == ["code"]
    lists = {block.text(): block.textList() for block in _blocks(view) if block.textList()}
    assert set(lists) == {"one", "nested", "two"}
    assert lists["one"] is not None and lists["one"].format().indent() == 1
    assert lists["nested"].format().indent() == 2
    assert "|" not in view.toPlainText() and "~~" not in view.toPlainText() and "`" not in view.toPlainText()


def test_a_heading_is_one_size_and_bold_throughout(view):
    view.set_markdown("### Tell the [regulator](https://ico.org.uk) **today** ![logo](x.png)\n\nBody")
    heading, body = _blocks(view)[:2]
    assert heading.blockFormat().headingLevel() == 3 and heading.text() == "Tell the regulator today [logo]"
    sizes = {_format_at(view, heading.position() + i).property(QTextFormat.Property.FontSizeAdjustment)
             for i in range(len(heading.text()))}
    weights = {_format_at(view, heading.position() + i).fontWeight() for i in range(len(heading.text()))}
    assert sizes == {1} and weights == {700}
    assert _format_at(view, body.position()).fontWeight() == 400
    assert heading.blockFormat().topMargin() > 0 and heading.blockFormat().bottomMargin() > 0


def test_attribute_block_is_never_shown(view):
    view.set_markdown("### Confirm the breach {#confirm role=legal}\n\nCall the vendor. {#x}")
    assert "{#" not in view.toPlainText()
    assert "Confirm the breach" in view.toPlainText()


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "ftp://example.com/x",
    "relative/path.md", "qrc:/icons/x.svg", "#anchor",
])
def test_unsafe_links_are_not_followed(view, opened, href):
    view.anchorClicked.emit(QUrl(href))
    assert opened == []
    assert view.source().isEmpty()  # nothing navigated inside the view either


@pytest.mark.parametrize("href", ["https://ico.org.uk/report", "http://example.com/", "mailto:dpo@example.com"])
def test_web_and_mail_links_open_in_the_system_browser(view, opened, href):
    view.anchorClicked.emit(QUrl(href))
    assert opened == [href]
    assert view.source().isEmpty()


def test_links_in_rendered_guidance_are_only_the_safe_ones(view):
    view.set_markdown("[a](javascript:alert(1)) [b](file:///etc/passwd) [c](https://example.com) [d](mailto:x@y.z) "
                      "[e](relative/page.md) [f](#top) <https://angle.example> www.example.org")
    assert _anchors(view) == ["https://example.com", "mailto:x@y.z", "https://angle.example", "http://www.example.org"]
    assert view.toPlainText().startswith("a b c d e f ")  # unsafe links stay readable, as plain text
    assert _fragments(view, lambda f: f.fontUnderline()) == ["c", "d", "https://angle.example", "www.example.org"]
    plain = _format_at(view, 1)  # the "a" of the javascript: link
    assert not plain.isAnchor() and not plain.hasProperty(QTextFormat.Property.ForegroundBrush)


def test_images_are_never_loaded(qtbot, view, tmp_path: Path):
    image = tmp_path / "secret.png"
    picture = QImage(8, 8, QImage.Format.Format_RGB32)
    picture.fill(0x336699)
    assert picture.save(str(image))
    view.set_markdown(f"![local]({image.as_uri()}) ![plain]({image}) ![web](https://example.com/t.png)")
    assert "<img" not in view.toHtml() and _images(view) == []
    assert view.toPlainText() == "[local] [plain] [web]"
    # Even an <img> that reaches the document some other way loads nothing: not the
    # view's loadResource, and not QTextDocument's own fallback that reads local files.
    view.setHtml(f'<p><img src="{image.as_uri()}"> <img src="{image}"> <img src="qrc:/x.png"></p>')
    qtbot.wait(50)
    for url in (image.as_uri(), str(image)):
        loaded = view.document().resource(QTextDocument.ResourceType.ImageResource.value, QUrl(url))
        assert isinstance(loaded, QImage) and loaded.size().width() == 1  # the blank stand-in, not the file
    for url in (image.as_uri(), str(image), "https://example.com/t.png", "qrc:/x.png"):
        blank = view.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl(url))
        assert blank.size().width() == 1 and blank.pixelColor(0, 0).alpha() == 0
        for kind in (QTextDocument.ResourceType.HtmlResource, QTextDocument.ResourceType.StyleSheetResource):
            assert view.loadResource(kind.value, QUrl(url)).isEmpty()


@pytest.mark.parametrize(("markdown", "shown"), [
    ("![](x.png)", "[image]"),
    ("![ ](x.png)", "[image]"),
    ("![Figure **1**: flow](x.png)", "[Figure 1: flow]"),  # Qt imports one image per piece of alt text
    ("![a](x.png)![a](x.png) ![b](y.png)", "[a][a] [b]"),
    ("[![badge](b.png)](https://ci.example)", "[badge]"),
    ("| pic |\n|---|\n| ![in a cell](c.png) |", "pic\n[in a cell]"),
    ("`![](code.png)` and ![](real.png)", "![](code.png) and [image]"),
    ("```\n![](fenced.png)\n```", "![](fenced.png)"),
    ("[![](b.png)](https://ci.example)", "[image]"),
    ("private \ue000 use", "private  use"),
])
def test_images_show_as_their_alt_text(view, markdown, shown):
    view.set_markdown(markdown)
    assert view.toPlainText().strip() == shown
    assert _images(view) == []


def test_nothing_navigates_inside_the_view(view, tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("# Somewhere else")
    view.set_markdown("Guidance")
    view.setSource(QUrl.fromLocalFile(str(page)))
    view.setSource(QUrl("https://example.com/"))
    assert view.toPlainText() == "Guidance" and view.source().isEmpty()


def test_guidance_starts_at_the_top(qtbot):
    view = MarkdownView()  # as in the window: the first guidance is set before the view is shown
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.set_markdown("\n\n".join(f"Paragraph {n}" for n in range(200)))
    view.show()
    qtbot.waitExposed(view)
    assert view.verticalScrollBar().value() == 0
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    view.set_markdown("\n\n".join(f"Other {n}" for n in range(200)))
    view.resize(500, 250)
    qtbot.wait(20)
    assert view.verticalScrollBar().value() == 0
    assert view.cursorForPosition(view.viewport().rect().topLeft()).block().text() == "Other 0"


def _blocks(view: MarkdownView) -> list[QTextBlock]:
    found, block = [], view.document().begin()
    while block.isValid():
        found.append(block)
        block = block.next()
    return found


def _fragments(view: MarkdownView, wanted) -> list[str]:
    """The text of each fragment whose char format `wanted` accepts, in order."""
    found = []
    for block in _blocks(view):
        it = block.begin()
        while not it.atEnd():
            if wanted(it.fragment().charFormat()):
                found.append(it.fragment().text())
            it += 1
    return found


def _format_at(view: MarkdownView, position: int) -> QTextCharFormat:
    cursor = QTextCursor(view.document())
    cursor.setPosition(position + 1)
    return cursor.charFormat()


def _images(view: MarkdownView) -> list[str]:
    return _fragments(view, lambda f: f.isImageFormat())


def _anchors(view: MarkdownView) -> list[str]:
    found = []
    for block in _blocks(view):
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href and href not in found:
                found.append(href)
            it += 1
    return found
