"""Why an obligation applies or not: its reason, clock, the law's words, unknowns, the notice sent and
its sources as links. Everything shown is escaped; a click opens only http and https links."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from incidentkit.core.deadlines.describe import DISCLAIMER, STATUS_WORDS, VERIFY, countdown
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.core.deadlines.records import iso
from incidentkit.ui.deadlines.model import deadline_text
from incidentkit.ui.widgets.times import local_time

WEB_SCHEMES = frozenset({"http", "https"})


def obligation_html(o: Obligation, now: datetime) -> str:
    e = escape
    parts = [f"<h3>{e(o.title)}</h3>",
             f"<p><b>{e(STATUS_WORDS[o.status])}</b> · {e(deadline_text(o) or 'no deadline')}"
             + (f" · {e(countdown(o.deadline, now))}" if o.deadline and o.status != "not-applicable" else "")
             + "</p>",
             f"<p>Tell <b>{e(o.recipient_detail or o.recipient)}</b> ({e(o.jurisdiction or 'playbook')}) "
             f"under {e(o.regime)}; rule <code>{e(o.rule_id)}</code></p>",
             f"<p><b>Why:</b> {e(o.reason)}</p>"]
    if o.clock_start is not None and o.clock_start.at is not None:
        note = f" ({e(o.clock_start.note)})" if o.clock_start.note else ""
        parts.append(f"<p><b>Clock:</b> from {e(o.clock_start.milestone)} at "
                     f"{e(local_time(iso(o.clock_start.at) or ''))}{note}</p>")
    if o.wording:
        parts.append(f"<p><b>The law says:</b> {e(o.wording)}</p>")
    if o.notification is not None:
        n = o.notification
        proof = f"; file {e(n.file_name)} sha256 {e(n.sha256)}" if n.sha256 else ""
        parts.append(f"<p><b>Sent:</b> {e(local_time(iso(n.at) or ''))}, reference {e(n.reference)}"
                     f"{' via ' + e(n.channel) if n.channel else ''}{proof}</p>")
    if o.verify:
        items = "".join(f"<li>{e(fact)}</li>" for fact in o.verify)
        parts.append(f"<p><b>Unknown: {e(VERIFY)}</b></p><ul>{items}</ul>")
    if o.sources:
        items = []
        for s in o.sources:
            cite = e(s.citation)
            if s.url and QUrl(s.url).scheme().lower() in WEB_SCHEMES:
                cite = f'<a href="{e(s.url, quote=True)}">{cite}</a>'
            note = f" — {e(s.note)}" if s.note else ""
            items.append(f"<li>{cite} ({e(s.type)}, as of {e(s.as_of)}){note}</li>")
        parts.append(f"<p><b>Sources</b></p><ul>{''.join(items)}</ul>")
    parts.append(f"<p><i>{e(DISCLAIMER)}</i></p>")
    return "".join(parts)


class ObligationDetail(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open)
        self.setPlaceholderText("Select a deadline to see why it applies and where the rule comes from.")

    def show_obligation(self, o: Obligation | None, now: datetime) -> None:
        if o is None:
            self.clear()
        else:
            self.setHtml(obligation_html(o, now))

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - nothing is ever fetched
        return None

    @staticmethod
    def _open(url: QUrl) -> None:
        if url.scheme().lower() in WEB_SCHEMES:
            QDesktopServices.openUrl(url)
