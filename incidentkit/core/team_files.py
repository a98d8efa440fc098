"""Files a team keeps beside the built-in ones (playbooks, rules, notice templates): read with
care, found in folders, and gathered by id into a library where a team's file overrides.

Reading: such a file is untrusted. `read_file` stats it before opening it (opening a FIFO
or a device named `*.md` would block or never end) and refuses one over its limit unread;
`decode` takes bytes to text (UTF-8, a BOM dropped; UTF-16/32, NUL bytes and invalid UTF-8
refused, saying where). A problem is a `FileProblem` holding its one `Diagnostic`.

Finding: `find_files` lists a folder's files by suffix, recursively, hidden folders
skipped; `folder_files` does that for a library's folder, where a missing user folder
contributes nothing and a missing extra folder is a problem.

Overriding: `merge_by_id` takes a library's sources lowest precedence first ("builtin",
"user", "extra"). An item whose id matches one from a lower source replaces it (kept as
shadowed); two items with one id in the same source are a problem, and the first in path
order wins.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, TypeVar

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.playbook.model import Diagnostic

Source = Literal["builtin", "user", "extra"]
T = TypeVar("T")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FileProblem(IncidentKitError):
    """A file that cannot be read or decoded; `diagnostic` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def _problem(path: str, message: str, line: int = 1, col: int = 1) -> FileProblem:
    return FileProblem(Diagnostic(path, line, col, "error", message))


def size_words(n: int) -> str:
    """`10.5 MB`, `256 KB`: a file's size in a message."""
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} KB"


def _too_large(path: str, size: int, limit: int) -> FileProblem:
    return _problem(path, f"file too large ({size_words(size)}; the limit is {size_words(limit)})")


def read_file(path: str | os.PathLike[str], *, limit: int, what: str) -> bytes:
    """The file's bytes; FileProblem when it is no regular file (`what` says what it should be,
    e.g. "playbook file"), cannot be read, or is larger than `limit` bytes."""
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            raise _problem(name, f"is a folder, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise _problem(name, "not a regular file")
        if info.st_size > limit:
            raise _too_large(name, info.st_size, limit)
        with open(name, "rb") as fh:
            data = fh.read(limit + 1)  # a file that grew since the stat is still refused below
    except FileNotFoundError:
        raise _problem(name, "no such file (or a broken link)") from None
    except PermissionError:
        raise _problem(name, "cannot read the file: permission denied") from None
    except OSError as exc:
        raise _problem(name, f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _too_large(name, len(data), limit)
    return data


def decode(data: bytes, path: str, *, limit: int, what: str) -> str:
    """`data` as UTF-8 text without its BOM; FileProblem for a file over `limit` bytes, UTF-16 or
    UTF-32, NUL bytes (a binary file, not the `what` it should be) or invalid UTF-8 (where)."""
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    if data.startswith(_WIDE_BOMS):
        raise _problem(path, "file is UTF-16 or UTF-32 encoded; save it as UTF-8")
    nul = data.find(b"\0")
    if nul >= 0:
        raise _problem(path, f"binary file (NUL byte at offset {nul}), not a {what}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _problem(path, f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); save the "
                             "file as UTF-8", line, col) from None
    return text.removeprefix("\ufeff")


def find_files(folder: Path, suffixes: tuple[str, ...], problems: list[Diagnostic] | None = None) -> list[Path]:
    """Files under `folder` whose names end with one of `suffixes` (lower case), recursively,
    sorted; hidden files and folders skipped; a folder that cannot be read is a problem."""
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        if problems is not None:
            where = exc.filename or str(folder)
            problems.append(Diagnostic(str(where), 1, 1, "error", f"cannot read the folder: {exc.strerror or exc}"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / n for n in names if n.lower().endswith(suffixes) and not n.startswith("."))
    return sorted(found)


def folder_files(folder: Path, suffixes: tuple[str, ...], what: str, problems: list[Diagnostic], *,
                 missing_ok: bool) -> list[Path]:
    """A library folder's files (`find_files`); a folder that is not there is "`what` folder not
    found" unless `missing_ok` (the user's folder, which a team may never have made)."""
    if not folder.is_dir():
        if not missing_ok:
            problems.append(Diagnostic(str(folder), 1, 1, "error", f"{what} folder not found"))
        return []
    return find_files(folder, suffixes, problems)


def merge_by_id(tiers: Iterable[Iterable[T]], *, key: Callable[[T], str],
                duplicate: Callable[[T, T], Diagnostic | None], problems: list[Diagnostic]) -> tuple[dict[str, T],
                                                                                                  list[T]]:
    """The items that stand, by id, and those they override, from `tiers` (one per source,
    lowest precedence first). `duplicate(item, first)` is the problem to report for a second
    item with `first`'s id in one tier (None: left out without a word)."""
    chosen: dict[str, T] = {}
    shadowed: list[T] = []
    for tier in tiers:
        seen: dict[str, T] = {}
        for item in tier:
            item_id = key(item)
            if item_id in seen:
                problem = duplicate(item, seen[item_id])
                if problem is not None:
                    problems.append(problem)
                continue
            seen[item_id] = item
            if item_id in chosen:
                shadowed.append(chosen[item_id])
            chosen[item_id] = item
    return chosen, shadowed
