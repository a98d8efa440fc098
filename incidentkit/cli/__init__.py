"""The `incidentkit` command line: a thin click layer over the core.

Each command parses its arguments, calls one core function and prints. Domain errors
(`IncidentKitError`) become one line on stderr and exit 1; usage errors exit 2. The
click group is `cli` in `cli/group.py`; plain `incidentkit` opens the window through it.
A desktop launcher runs `incidentkit-gui` instead (`ui/launch.py`), which loads no click.
"""

from __future__ import annotations

import errno
import os
import sys

from incidentkit.core.errors import IncidentKitError
from incidentkit.core.gc_pause import pause_during_startup, startup_done


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning domain errors into one clear line and exit 1."""
    # A command is a short-lived process whose bulk reads (a whole log and its timeline)
    # make objects that reference counting frees: it runs with the cycle collector
    # paused (see gc_pause). The window ends the pause once it has painted.
    pause_during_startup()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        from incidentkit.cli.group import run

        rc = run(args)
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
    finally:
        startup_done()
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
