"""The `incidentkit` command line: a thin click layer over the core.

Each command parses its arguments, calls one core function and prints. Domain errors
(`IncidentKitError`) become one line on stderr and exit 1; usage errors exit 2.
Plain `incidentkit` with global options only opens the window without importing click
(`global_options.window_only` reads the line, `window.open_window` opens it); anything
else goes to the click group `cli` in `cli/group.py`.
"""

from __future__ import annotations

import errno
import os
import sys

from incidentkit.cli.global_options import window_only
from incidentkit.cli.window import open_window
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.gc_pause import pause_during_startup


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning domain errors into one clear line and exit 1."""
    pause_during_startup()  # ended when a command runs, or when the window has painted
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        params = window_only(args)
        if params is None:
            from incidentkit.cli.group import run

            rc = run(args)
        else:
            rc = open_window(params)
        if rc:
            sys.exit(rc)
    except IncidentKitError as exc:
        _say(f"incidentkit: error: {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        if exc.errno not in _OUTPUT_ERRNOS:
            raise
        _drop_stdout()
        if exc.errno != errno.EPIPE:  # the reader left (`| head`): nothing to report
            _say(f"incidentkit: error: cannot write the output: {exc.strerror}")
        sys.exit(1)
    sys.exit(0)


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


# Failures writing to stdout (a full disk, a closed pipe, a dead terminal), not bugs.
_OUTPUT_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EDQUOT}


def _drop_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush of what is still buffered
    cannot fail again with an "Exception ignored" message."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
