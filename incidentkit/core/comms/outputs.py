"""A draft written out: Markdown, plain text, an HTML email, an `.eml` message, a PDF letter.

    write_draft(draft, Path("notice.eml"))       # the format follows the suffix

Every format is made from the draft's Markdown, the text that was hashed and approved:
`.md` is that text byte for byte (so `sha256sum notice.md` is the draft's sha256). HTML
comes from markdown-it with raw HTML off, images off and only http, https and mailto
links, every style inline (email clients drop style sheets). The `.eml` is built by the
standard library's `email` package: a multipart/alternative message whose headers are
one line each (a value with a line break cannot add a header) and which names the
draft and its sha256. Files are replaced atomically.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from incidentkit.core.atomic_file import replace_atomically
from incidentkit.core.comms import markdown_text
from incidentkit.core.comms.records import Draft
from incidentkit.core.comms.vocabulary import OUTPUT_SUFFIXES, PLACEHOLDER_START
from incidentkit.core.errors import IncidentKitError

_FONT = "font-family:Arial,Helvetica,sans-serif;"
_STYLES = {
    "h1": "font-size:22px;line-height:1.3;margin:0 0 16px;color:#111111;",
    "h2": "font-size:17px;line-height:1.3;margin:24px 0 8px;color:#111111;",
    "h3": "font-size:15px;line-height:1.3;margin:18px 0 6px;color:#111111;",
    "p": "margin:0 0 12px;",
    "ul": "margin:0 0 12px;padding-left:24px;",
    "ol": "margin:0 0 12px;padding-left:24px;",
    "li": "margin:0 0 6px;",
    "blockquote": "margin:0 0 12px;padding:8px 12px;border-left:4px solid #b3261e;background:#fdf3f2;",
    "table": "border-collapse:collapse;margin:0 0 12px;font-size:14px;",
    "th": "border:1px solid #cccccc;padding:4px 8px;text-align:left;vertical-align:top;background:#f2f2f2;",
    "td": "border:1px solid #cccccc;padding:4px 8px;text-align:left;vertical-align:top;",
    "a": "color:#0b57d0;",
    "hr": "border:0;border-top:1px solid #cccccc;margin:16px 0;",
    "code": "font-family:Consolas,Menlo,monospace;",
}
_BODY = f"{_FONT}font-size:15px;line-height:1.5;color:#222222;max-width:640px;margin:0 auto;padding:16px;"
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


@lru_cache(maxsize=1)
def _html_parser() -> Any:  # a MarkdownIt for HTML: built once, it holds no state between renders
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    md.validateLink = lambda url: url.strip().lower().startswith(("http://", "https://", "mailto:"))
    return md


def _style(tokens: list[Any]) -> None:
    for token in tokens:
        style = _STYLES.get(token.tag)
        if style and token.nesting >= 0:
            token.attrSet("style", style + str(token.attrs.get("style", "")))
        if token.children:
            _style(token.children)


def html_body(text: str) -> str:
    md = _html_parser()
    tokens = md.parse(text)
    _style(tokens)
    return md.renderer.render(tokens, md.options, {})


def html_document(text: str) -> str:
    """A whole HTML page (the .html output and an email's HTML part), every style inline."""
    title = escape(markdown_text.title(text) or "Notice")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{title}</title>\n</head>\n<body style=\"margin:0;padding:0;background:#ffffff;\">\n"
            f"<div style=\"{_BODY}\">\n{html_body(text)}</div>\n</body>\n</html>\n")


def one_line(text: str) -> str:
    """A header value: every run of whitespace (line breaks included) one space."""
    return " ".join(text.split())


def eml_bytes(draft: Draft, *, now: datetime | None = None) -> bytes:
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime

    message = EmailMessage(policy=SMTP)
    message["Subject"] = one_line(draft.title or draft.template_title)
    sender, name = draft.details.get("email", ""), draft.details.get("organisation", "")
    if sender and not sender.startswith(PLACEHOLDER_START):
        login, _, domain = one_line(sender).rpartition("@")
        message["From"] = Address(display_name=one_line(name), username=login, domain=domain)
    message["Date"] = format_datetime(now or datetime.now(timezone.utc))
    message["X-IncidentKit-Draft"] = draft.id
    message["X-IncidentKit-SHA256"] = draft.sha256
    message.set_content(markdown_text.plain_text(draft.text), charset="utf-8")
    message.add_alternative(html_document(draft.text), subtype="html", charset="utf-8")
    return message.as_bytes()


def draft_bytes(draft: Draft, suffix: str, *, paper: str = "A4") -> bytes:
    """The draft in the format of `suffix` (`.md`, `.txt`, `.html`, `.eml`, `.pdf`)."""
    suffix = suffix.lower()
    if suffix == ".md":
        return draft.text.encode("utf-8")
    if suffix == ".txt":
        return markdown_text.plain_text(draft.text).encode("utf-8")
    if suffix == ".html":
        return html_document(draft.text).encode("utf-8")
    if suffix == ".eml":
        return eml_bytes(draft)
    if suffix == ".pdf":
        from incidentkit.core.comms.letter_pdf import letter_pdf

        return letter_pdf(draft.text, title=draft.title or draft.template_title, paper=paper)
    raise IncidentKitError(f"cannot write a notice as '{suffix or '(no suffix)'}': use one of "
                           f"{', '.join(OUTPUT_SUFFIXES)}")


def write_draft(draft: Draft, path: Path, *, paper: str = "A4") -> int:
    """Write the draft to `path` in the format its suffix names; the bytes written."""
    data = draft_bytes(draft, path.suffix, paper=paper)
    try:
        replace_atomically(path, lambda raw: raw.write(data), prefix=".notice-")
    except OSError as exc:
        raise IncidentKitError(f"{path}: cannot write the file: {exc.strerror or exc}") from None
    return len(data)
