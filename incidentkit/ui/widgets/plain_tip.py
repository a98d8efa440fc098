"""Tooltips over untrusted text (titles, step text, notes, playbook summaries) shown literally.

Qt shows a tooltip as rich text when its first line looks like it holds an HTML tag, so
an incident titled `<img src="file:///...">` would have its tooltip interpreted (and
the image read from disk). Such text is escaped into a small HTML paragraph that keeps
its line breaks; anything else is returned unchanged (no cost for ordinary text).
"""

from __future__ import annotations

from PySide6.QtGui import Qt


def plain_tip(text: str) -> str:
    if not Qt.mightBeRichText(text):
        return text
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # html.escape(quote=False)
    return f"<p style='white-space:pre-wrap'>{escaped}</p>"
