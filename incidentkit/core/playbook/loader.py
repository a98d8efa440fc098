"""Playbook files -> text -> `Playbook`: the byte-level checks before parsing.

Usage:

    from incidentkit.core.playbook.loader import load_playbook, decode_playbook
    playbook = load_playbook("playbooks/vendor-data-breach.md")  # PlaybookError on any problem
    text = decode_playbook(data, path)                            # bytes -> str, same checks

A file that cannot be read (missing, a folder, permission denied), is larger than
`MAX_BYTES`, is binary (NUL bytes, or UTF-16/32) or is not valid UTF-8 raises
`PlaybookError` with one diagnostic that says where; a UTF-8 BOM is dropped. CRLF and
lone CR line endings are left to the parser, which reads them as newlines.
"""

from __future__ import annotations

import os
import stat

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.model import Diagnostic, Playbook
from incidentkit.core.playbook.parser import MAX_CHARS, parse_playbook

MAX_BYTES = MAX_CHARS
_SNIFF = 8192
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _fail(path: str, message: str, line: int = 1, col: int = 1) -> PlaybookError:
    return PlaybookError([Diagnostic(path, line, col, "error", message)])


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def decode_playbook(data: bytes, path: str = "<bytes>") -> str:
    """Decode playbook bytes as UTF-8 (BOM dropped); PlaybookError for binary or invalid bytes."""
    if len(data) > MAX_BYTES:
        raise _fail(path, f"file too large ({_size(len(data))}; the limit is {_size(MAX_BYTES)})")
    if data.startswith(_WIDE_BOMS):
        raise _fail(path, "file is UTF-16 or UTF-32 encoded; save it as UTF-8")
    if b"\0" in data[:_SNIFF]:
        offset = data.index(b"\0")
        raise _fail(path, f"binary file (NUL byte at offset {offset}), not a markdown playbook")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start]
        raise _fail(
            path, f"invalid UTF-8 at byte offset {exc.start} (byte 0x{bad:02x}); save the file as UTF-8", line, col
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_playbook_text(path: str | os.PathLike[str]) -> str:
    """Read and decode a playbook file; PlaybookError (never OSError) when it cannot be read."""
    name = os.fspath(path)
    try:
        # stat before open: opening a FIFO or device named *.md would block or never end.
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise _fail(name, "is a folder, not a playbook file")
        if not stat.S_ISREG(info.st_mode):
            raise _fail(name, "not a regular file")
        if info.st_size > MAX_BYTES:
            raise _fail(name, f"file too large ({_size(info.st_size)}; the limit is {_size(MAX_BYTES)})")
        with open(name, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise _fail(name, "no such file (or a broken link)") from None
    except PermissionError:
        raise _fail(name, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise _fail(name, f"cannot read the file: {exc.strerror or exc}") from None
    return decode_playbook(data, name)


def load_playbook(path: str | os.PathLike[str]) -> Playbook:
    """Read, decode and parse one playbook file; PlaybookError on any problem."""
    name = os.fspath(path)
    return parse_playbook(read_playbook_text(name), path=name)


def load_playbook_bytes(data: bytes, path: str) -> Playbook:
    """Decode and parse playbook bytes that came from somewhere other than a file (package data)."""
    return parse_playbook(decode_playbook(data, path), path=path)

