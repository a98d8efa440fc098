"""Where `incidentkit note` reads the note from: the TEXT argument, a file, or standard input.

A long note (minutes of a call, a pasted email) does not fit in an argument list, so
`--file PATH` and `-` (standard input, as TEXT or as `--file -`) read it instead. The
text must be UTF-8; a byte-order mark is dropped and Windows line ends become `\\n`, as
the window's editor would store them.
"""

from __future__ import annotations

import os
import stat
import sys

import click

from incidentkit.core.errors import IncidentKitError


def note_text(text: str | None, path: str | None) -> str:
    """The note to save: `text`, or what `path` (or `-` as either) holds."""
    if text is not None and path is not None:
        raise click.UsageError("give the note as TEXT or with --file, not both")
    if text is None and path is None:
        raise click.UsageError("give the note as TEXT, as - to read standard input, or with --file PATH")
    if path is None and text != "-":
        return str(text)
    source = path if path is not None else "-"
    if source == "-":
        return _decode(sys.stdin.buffer.read(), "standard input")
    return _decode(_read_file(source), source)


def _read_file(path: str) -> bytes:
    try:
        # A device such as /dev/zero would be read until memory runs out.
        mode = os.stat(path).st_mode
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise IncidentKitError(f"{path}: not a file (a device); use --file - to read standard input")
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise IncidentKitError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _decode(raw: bytes, where: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IncidentKitError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n")
