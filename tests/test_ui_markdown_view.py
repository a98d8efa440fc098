"""Untrusted guidance is shown, never executed, fetched or followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument

from incidentkit.ui.markdown_view import MarkdownView


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


def test_markdown_still_renders(view):
    view.set_markdown("## Heading\n\n- **strong** item\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    html = view.toHtml()
    assert "Heading" in view.toPlainText() and "**" not in view.toPlainText()
    assert "font-weight" in html and "<table" in html


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
    view.set_markdown("[a](javascript:alert(1)) [b](file:///etc/passwd) [c](https://example.com) [d](mailto:x@y.z)")
    assert _anchors(view) == ["https://example.com", "mailto:x@y.z"]


def test_images_are_never_loaded(qtbot, view, tmp_path: Path):
    image = tmp_path / "secret.png"
    picture = QImage(8, 8, QImage.Format.Format_RGB32)
    picture.fill(0x336699)
    assert picture.save(str(image))
    view.set_markdown(f"![local]({image.as_uri()}) ![plain]({image}) ![web](https://example.com/t.png)")
    assert "<img" not in view.toHtml()
    assert "[local]" in view.toPlainText() and "[web]" in view.toPlainText()
    # Even an <img> that reaches the document some other way loads nothing: not the
    # view's loadResource, and not QTextDocument's own fallback that reads local files.
    view.setHtml(f'<p><img src="{image.as_uri()}"> <img src="{image}"> <img src="qrc:/x.png"></p>')
    qtbot.wait(50)
    for url in (image.as_uri(), str(image)):
        loaded = view.document().resource(QTextDocument.ResourceType.ImageResource.value, QUrl(url))
        assert isinstance(loaded, QImage) and loaded.size().width() == 1  # the blank stand-in, not the file
    for kind in (QTextDocument.ResourceType.HtmlResource, QTextDocument.ResourceType.StyleSheetResource):
        assert view.loadResource(kind.value, QUrl(image.as_uri())).isEmpty()


def _anchors(view: MarkdownView) -> list[str]:
    found = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            href = fragment.charFormat().anchorHref()
            if href and href not in found:
                found.append(href)
            it += 1
        block = block.next()
    return found
