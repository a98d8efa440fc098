"""Replacing a file atomically: a temporary file beside it, fsync'ed, then `os.replace`.

Readers see the old file or the whole new one, never a part; on any failure the
temporary file is removed and nothing else changed. Exports (`export/writer.py`) and
the parsed-playbook cache (`playbook_cache.py`) both write this way.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_atomically(dest: Path, write: Callable[[BinaryIO], None], *, prefix: str) -> None:
    """Make `dest` hold what `write(raw)` writes; OSError (and whatever `write` raises) propagates."""
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with open(fd, "wb") as raw:
            write(raw)
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(dest.parent)


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp creates 0600 files; the result should get the permissions a plain `open` would.
# Read once at import: os.umask is process-wide, so toggling it later could race a thread.
_UMASK = _read_umask()


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible on every platform (Windows), which is fine.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
