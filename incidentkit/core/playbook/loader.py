"""Playbook files -> text -> `Playbook`: the byte-level checks before parsing.

Usage:

    from incidentkit.core.playbook.loader import load_playbook, decode_playbook
    playbook = load_playbook("playbooks/vendor-data-breach.md")  # PlaybookError on any problem
    text = decode_playbook(data, path)                            # bytes -> str, same checks

A file that cannot be read (missing, a folder, permission denied), is larger than
`MAX_BYTES`, is binary (NUL bytes, or UTF-16/32) or is not valid UTF-8 raises
`PlaybookError` with one diagnostic that says where (`team_files.read_file` and `decode`,
as for rules and templates); a UTF-8 BOM is dropped. CRLF and lone CR line endings are
left to the parser, which reads them as newlines.
"""

from __future__ import annotations

import os

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.playbook.parser import MAX_CHARS, parse_playbook
from incidentkit.core.team_files import FileProblem, decode, read_file

MAX_BYTES = MAX_CHARS
_WHAT = "playbook file"


def decode_playbook(data: bytes, path: str = "<bytes>") -> str:
    """Decode playbook bytes as UTF-8 (BOM dropped); PlaybookError for binary or invalid bytes."""
    try:
        return decode(data, path, limit=MAX_BYTES, what=_WHAT)
    except FileProblem as exc:
        raise PlaybookError([exc.diagnostic]) from None


def read_playbook_text(path: str | os.PathLike[str]) -> str:
    """Read and decode a playbook file; PlaybookError (never OSError) when it cannot be read."""
    name = os.fspath(path)
    try:
        return decode(read_file(name, limit=MAX_BYTES, what=_WHAT), name, limit=MAX_BYTES, what=_WHAT)
    except FileProblem as exc:
        raise PlaybookError([exc.diagnostic]) from None


def load_playbook(path: str | os.PathLike[str]) -> Playbook:
    """Read, decode and parse one playbook file; PlaybookError on any problem."""
    name = os.fspath(path)
    return parse_playbook(read_playbook_text(name), path=name)


def load_playbook_bytes(data: bytes, path: str) -> Playbook:
    """Decode and parse playbook bytes that came from somewhere other than a file (package data)."""
    return parse_playbook(decode_playbook(data, path), path=path)
