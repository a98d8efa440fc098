"""Text that cannot mislead: what the core accepts from people and files, and how text is shown.

Two rules, kept here so every way in (every write of the core, through `writes.py`; the
JSON importer; the actor setting) and every way out (the window, the human-readable
exports, the CLI's text output) apply the same ones:

- `check_line` and `check_event` (`event_problem` for the importer) refuse C0 and C1
  control characters (and DEL) at the core's boundary. A newline in an actor or a title
  forges a line in `timeline list`; BEL, BS, NUL and ESC reach terminals and exports.
  Notes, details and the other fields of `MULTILINE_FIELDS` may hold tabs and line breaks
  (LF, and CR of a pasted CRLF text, which every output reads as a line break too);
  titles, actors, names, reasons and categories are one line (U+2028 and U+2029, which
  editors show as line breaks, are refused there too).
- `shown` makes bidirectional overrides, isolates and marks visible as `<U+202E>`, so
  "gnp.exe" written with a right-to-left override cannot pass for "exe.png". They are
  not refused: marks have honest uses in right-to-left text. The original stays in the
  log, the JSON export and Timesketch; only what people read is escaped. `shown` also
  escapes any control character that older records may still hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from incidentkit.core.errors import IncidentKitError

# Payload fields that may span lines (and hold tabs), with everything nested in them. Every
# other string in an event is one line; a new event kind with a multi-line field names that
# field here. `text`: a note, a notice's rendered Markdown, a step's text in an upgrade (as
# `old_text` and `new_text`); `detail`: a timeline entry's or an amendment's; `fields`: a
# notice draft's field values (a template marks which are multi-line; the form keeps the
# others to one line); `details`: the notice details (an address, a signature block:
# `comms.details.check_details` holds the others to one line); `columns`: the header names
# of an imported file, as the vendor wrote them (a spreadsheet's header may wrap).
MULTILINE_FIELDS = frozenset({"text", "detail", "old_text", "new_text", "fields", "details", "columns"})

# C0 (but tab, LF and CR), DEL and C1: refused in multi-line text.
_MULTILINE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same plus tab, newline and the Unicode line and paragraph separators: refused in one line.
_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What `shown` escapes: bidi embeddings/overrides (U+202A-202E), isolates (U+2066-2069),
# marks (LRM, RLM, ALM) and the controls above but tab, newline and carriage return, which
# every output handles itself.
BIDI_CHARS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_SHOWN_BAD = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CHARS}]")
_ASCII_HARMLESS = bytes(range(0x20, 0x7F)) + b"\t\n\r"
_LINE_BREAKS = {"\n": "a line break", "\r": "a carriage return", "\u2028": "a line separator",
                "\u2029": "a paragraph separator", "\x85": "a line break (NEL)"}
# Readable names for the payload fields an error names.
_FIELD_NAMES = {"title": "the title", "text": "the note", "detail": "the detail", "category": "the category",
                "reason": "the reason", "assignee": "the assignee's name", "file_name": "the file name"}
# ... where another kind of event means something else by a field's name ...
_KIND_FIELD_NAMES = {"notice.drafted": {"text": "the notice's text"},
                     "incident.playbook_upgraded": {"text": "a step's text", "old_text": "a step's text",
                                                    "new_text": "a step's text"}}
# ... and the values of a payload's mappings, by the mapping's field.
_ITEM_NAMES = {"fields": "the field '{}'", "details": "the notice detail '{}'",
               "columns": "the header of the '{}' column"}


class TextRefused(IncidentKitError):
    """Text holding a control character (or a line break where one line is expected)."""


def codepoint(char: str) -> str:
    """`U+202E`: how a character is named in errors and shown in place of an invisible one."""
    return f"U+{ord(char):04X}"


# Control characters have no name in unicodedata; these are the ones people meet.
_CONTROL_NAMES = {"\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION",
                  "\x0c": "FORM FEED", "\x1b": "ESCAPE", "\x7f": "DELETE", "\x9b": "CONTROL SEQUENCE INTRODUCER"}


def _describe(char: str) -> str:
    if char in _LINE_BREAKS:
        return _LINE_BREAKS[char]
    import unicodedata  # only for an error message: not loaded on the window's way to its first paint

    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "")
    return f"a control character ({codepoint(char)}{' ' + name if name else ''})"


def problem(value: str, *, multiline: bool) -> str | None:
    """Why `value` cannot be stored, e.g. "contains a line break at character 12: it must be one
    line"; None when it is fine."""
    if value.isprintable():  # no control character, no line break, no tab: nearly every value, quickly
        return None
    found = (_MULTILINE_BAD if multiline else _LINE_BAD).search(value)
    if found is None:
        return None
    char, at = found.group(), found.start() + 1
    if not multiline and (char in _LINE_BREAKS or char == "\t"):
        what = "a tab" if char == "\t" else _describe(char)
        return f"contains {what} at character {at}: it must be one line"
    return f"contains {_describe(char)} at character {at}; remove it"


def check_line(value: str, what: str) -> str:
    """`value` when it is one line without control characters; TextRefused naming `what` otherwise."""
    reason = problem(value, multiline=False)
    if reason:
        raise TextRefused(f"{what} {reason}")
    return value


def event_problem(actor: str, payload: Mapping[str, Any], *, step_id: str | None = None,
                  kind: str = "") -> tuple[str, str] | None:
    """The first field of an event that breaks the rules and why: (`payload.title`, reason)."""
    for name, value in (("kind", kind), ("actor", actor), ("step_id", step_id or "")):
        reason = problem(value, multiline=False)
        if reason:
            return name, reason
    return _payload_problem(payload, "payload", multiline=False)


def _payload_problem(value: Any, path: str, *, multiline: bool) -> tuple[str, str] | None:
    if isinstance(value, str):
        reason = problem(value, multiline=multiline)
        return (path, reason) if reason else None
    if isinstance(value, Mapping):
        for key, item in value.items():
            key_reason = problem(str(key), multiline=False)
            if key_reason:
                return f"{path} key", key_reason
            found = _payload_problem(item, f"{path}.{key}", multiline=multiline or key in MULTILINE_FIELDS)
            if found:
                return found
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found = _payload_problem(item, f"{path}[{n}]", multiline=multiline)
            if found:
                return found
    return None


def check_event(actor: str, payload: Mapping[str, Any], kind: str = "") -> None:
    """Refuse (TextRefused) an event about to be written (of `kind`) whose actor or text breaks the rules."""
    found = event_problem(actor, payload)
    if found is None:
        return
    field, reason = found
    raise TextRefused(f"{_field_words(field, kind)} {reason}")


def _field_words(field: str, kind: str) -> str:
    """`payload.details.email` -> "the notice detail 'email'": a payload field as an error names it."""
    if field == "actor":
        return "the actor name"
    *parents, key = re.sub(r"\[\d+\]", "", field).split(".")
    if parents and parents[-1] in _ITEM_NAMES:
        return _ITEM_NAMES[parents[-1]].format(key)
    names = _KIND_FIELD_NAMES.get(kind, {})
    return names.get(key) or _FIELD_NAMES.get(key, f"the {key.replace('_', ' ')}")


def visible(text: str) -> str:
    """`text` as one line: `shown`, and line breaks and tabs escaped too (a file name in a title)."""
    return _LINE_BAD.sub(_escape, shown(text))


def _escape(match: re.Match[str]) -> str:
    return f"<{codepoint(match.group())}>"


def _needs_shown(text: str) -> bool:
    if text.isascii():
        # Deleting every harmless byte (in C) leaves the controls: 7x faster than the regex.
        return bool(text.encode("ascii").translate(None, _ASCII_HARMLESS))
    return _SHOWN_BAD.search(text) is not None


def needs_shown(texts: Iterable[str]) -> bool:
    """Whether `shown` would change any of `texts`: one scan of them all, for large exports."""
    return _needs_shown("".join(texts))


def shown(text: str) -> str:
    """`text` as people see it: bidi controls (and stray control characters) as `<U+202E>`.

    Tabs, newlines and carriage returns are kept: every output lays those out itself."""
    return _SHOWN_BAD.sub(_escape, text) if _needs_shown(text) else text
