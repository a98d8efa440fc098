"""Step titles with inline markdown (`**Amazon Macie** enabled with `s3-...``) in the step tree.

A title without markup stays plain text in the model's DisplayRole, painted by Qt alone.
A title with markup shows its text without the markers in DisplayRole (what the filter,
the tooltip and accessibility read) and keeps its markdown in `RICH_ROLE`; the tree gets
`RichTitleDelegate` on its Step column only when the incident's playbook has such a title,
and the delegate paints those rows from a QTextDocument made once per title (Qt's own
markdown importer via `render_markdown`: raw HTML as text, images as their alt text) and
hands every other row to Qt's own painting. So a playbook without markup in its titles
never runs Python while the tree paints.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from incidentkit.ui.widgets.markdown_view import render_markdown

RICH_ROLE = Qt.ItemDataRole.UserRole + 6  # a step title's markdown, on rows whose title has markup

_MARKUP = re.compile(r"[*_`~\[<&\\]")


def has_markup(text: str) -> bool:
    return _MARKUP.search(text) is not None


def title_document(text: str) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    render_markdown(document, " ".join(text.split()))  # one line: never a list or a heading
    return document


def plain_title(text: str) -> str:
    """The title's text without its markdown markers."""
    return " ".join(title_document(text).toPlainText().split()) if has_markup(text) else text


class RichTitleDelegate(QStyledItemDelegate):
    """Paints the rows whose title has markup (see the module docstring); Qt paints the rest."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._documents: dict[str, QTextDocument] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        markdown = index.data(RICH_ROLE)
        if not markdown:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        document = self._documents.get(markdown)
        if document is None:
            document = self._documents[markdown] = title_document(markdown)
        document.setDefaultFont(opt.font)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        group = QPalette.ColorGroup.Normal if opt.state & QStyle.StateFlag.State_Active else \
            QPalette.ColorGroup.Inactive
        role = QPalette.ColorRole.HighlightedText if opt.state & QStyle.StateFlag.State_Selected else \
            QPalette.ColorRole.Text
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        context.palette.setColor(QPalette.ColorRole.Text, foreground.color() if foreground is not None and not (
            opt.state & QStyle.StateFlag.State_Selected) else opt.palette.color(group, role))
        painter.save()
        top = rect.top() + max(0.0, (rect.height() - document.size().height()) / 2)
        painter.translate(rect.left() + 2, top)
        painter.setClipRect(QRectF(0, 0, rect.width() - 2, rect.height()))
        context.clip = QRectF(0, 0, rect.width() - 2, rect.height())
        document.documentLayout().draw(painter, context)
        painter.restore()
