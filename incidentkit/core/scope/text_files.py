"""Text files as vendors send them: which encoding, which delimiter, and the file's evidence.

One pass over the bytes (`examine`) takes the size and sha256 and settles the
encoding: a BOM (UTF-8, UTF-16, UTF-32), UTF-16 without one (NUL bytes in every other
place), else UTF-8 if every byte decodes, else Windows-1252, or ISO 8859-1 when a byte
Windows-1252 leaves undefined appears. The delimiter is the one of `, ; TAB |` that
splits the first lines into the same number of fields most consistently (csv.Sniffer
guesses from character frequencies and gives up on a one-column file).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import stat
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from incidentkit.core.errors import IncidentKitError

BLOCK = 1 << 20
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_LINES = 50
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (little-endian, with BOM)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (big-endian, with BOM)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (little-endian, with BOM)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (big-endian, with BOM)"),
)
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_MAGIC = ((b"PK\x03\x04", "zip"), (b"%PDF", "pdf"), (b"\xd0\xcf\x11\xe0", "ole"))


class SourceError(IncidentKitError):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class FileFacts:
    """What a file is, as evidence and for decoding. `encoding` is a Python codec name
    ("" for a binary file), `label` how the report names it."""

    size: int
    sha256: str
    encoding: str
    label: str
    magic: str = ""                # "zip" (XLSX, ODS), "pdf", "ole" (old .xls) for binary files


def _open_checked(path: Path):
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise SourceError(f"{path}: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise SourceError(f"{path}: not a regular file")
        return open(path, "rb")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _wide_without_bom(head: bytes) -> str | None:
    """utf-16-le/-be when NUL bytes fill every other place of the start, as in UTF-16 text."""
    if len(head) < 4 or b"\0" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def examine(path: Path, progress: Callable[[int], None] | None = None) -> FileFacts:
    """Size, sha256 and encoding of the file at `path`, in one pass over its bytes."""
    digest = hashlib.sha256()
    size = 0
    with _open_checked(path) as fh:
        head = fh.read(BLOCK)
        magic = next((name for prefix, name in _MAGIC if head.startswith(prefix)), "")
        encoding, label = "", ""
        if not magic:
            bom = next(((enc, lab) for b, enc, lab in _BOMS if head.startswith(b)), None)
            wide = None if bom else _wide_without_bom(head[:4096])
            if bom:
                encoding, label = bom
            elif wide:
                encoding, label = wide, f"UTF-16 ({'little' if wide.endswith('le') else 'big'}-endian, no BOM)"
            else:
                encoding, label = "utf-8", "UTF-8"
        decoder = codecs.getincrementaldecoder(encoding)() if encoding else None
        eight_bit = undefined = False
        block = head
        while block:
            digest.update(block)
            size += len(block)
            if encoding == "utf-8":  # until proved otherwise; note what an 8-bit reading would need
                undefined = undefined or any(b in block for b in _CP1252_UNDEFINED)
            if decoder is not None:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    if encoding != "utf-8":
                        raise SourceError(f"{path}: not valid {label} text (near byte {size - len(block) + exc.start})") from None
                    decoder, eight_bit = None, True
            if progress is not None:
                progress(size)
            block = fh.read(BLOCK)
        if decoder is not None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                if encoding != "utf-8":
                    raise SourceError(f"{path}: not valid {label} text (it ends in the middle of a character)") from None
                eight_bit = True
    if eight_bit:
        encoding, label = ("latin-1", "Latin-1 (ISO 8859-1)") if undefined else ("cp1252", "Latin-1 (Windows-1252)")
    return FileFacts(size, digest.hexdigest(), encoding, label, magic)


def _field_counts(lines: list[str], delimiter: str) -> list[int]:
    rows = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter, strict=False)
    try:
        return [len(r) for r in rows if r]
    except csv.Error:
        return []


def detect_delimiter(sample: str, complete: bool) -> str:
    """The delimiter that splits the sample's lines most consistently into more than one
    field; a comma when none does. `complete` is False when the sample may end mid-line."""
    lines = [line for line in sample.splitlines() if line.strip()]
    if not complete and len(lines) > 1:
        lines = lines[:-1]
    lines = lines[:_SAMPLE_LINES]
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = _field_counts(lines, delimiter)
        if not counts:
            continue
        width, rows = Counter(counts).most_common(1)[0]
        if width < 2:
            continue
        score = (rows / len(counts), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_sample(path: Path, encoding: str) -> tuple[str, bool]:
    """The file's first characters, and whether that is the whole file."""
    with open(path, encoding=encoding, newline="") as fh:
        sample = fh.read(_SAMPLE_CHARS)
        return sample, not fh.read(1)
