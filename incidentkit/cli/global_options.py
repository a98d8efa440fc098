"""The global options (`--data-dir`, `--actor`, `--playbooks`) and reading them without click.

`GLOBAL_OPTIONS` is the one table of them: the click group (`cli/group.py`) builds its
option decorators from it, and `window_only()` reads a command line made of nothing
but these options, so that plain `incidentkit` opens the window without importing
click (about 10 ms of the window's start). It gives up, returning None, on anything
it does not fully understand (a command, `--help`, `--version`, an unknown option, a
missing value, `--`, a path click would refuse or check further, a shell-completion
request): the caller then runs click, which behaves and words its errors as always.
So this is never more lenient than click; where it answers, it answers as click would
(`tests/test_cli_fast_start.py` compares the two on generated command lines).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from typing import NamedTuple

PROG_NAME = "incidentkit"
# click's shell completion runs when this is set (click derives it from the program name).
COMPLETE_VAR = f"_{PROG_NAME.replace('-', '_').replace('.', '_')}_COMPLETE".upper()


class GlobalOption(NamedTuple):  # a NamedTuple is made in a tenth of a frozen dataclass's ~1.5 ms
    flag: str
    dest: str  # the group callback's parameter (and AppContext.create's keyword)
    help: str
    folder: bool = False  # a folder path: click.Path(file_okay=False), which refuses a file
    envvar: str | None = None  # read as one value: not for a repeatable option (click splits those)
    multiple: bool = False


GLOBAL_OPTIONS: tuple[GlobalOption, ...] = (
    GlobalOption("--data-dir", "data_dir", folder=True, envvar="INCIDENTKIT_DATA_DIR",
                 help="Data folder (database, user playbooks, backups). Default: the platform's user data dir."),
    GlobalOption("--actor", "actor", help="Name recorded as the actor of each change. Default: the OS user."),
    GlobalOption("--playbooks", "extra_playbooks", folder=True, multiple=True,
                 help="An extra folder of playbooks (repeatable)."),
)


def _plain_folder_value(value: str) -> bool:
    """True when click.Path(file_okay=False) takes `value` as it is without a word: nothing
    is there (it need not exist), or a readable folder is. A file is refused and anything
    else (a device, a pipe, an unreadable folder) is checked further; both are left to click."""
    try:
        st = os.stat(value)
    except OSError:
        return True
    except ValueError:  # a NUL in the path (only possible from Python): whatever click makes of it
        return False
    return stat.S_ISDIR(st.st_mode) and os.access(value, os.R_OK)


def window_only(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> dict[str, object] | None:
    """The group callback's keyword arguments when `argv` is global options only (each as
    `--flag VALUE` or `--flag=VALUE`), else None: then click must read it."""
    if environ.get(COMPLETE_VAR):
        return None
    by_flag = {option.flag: option for option in GLOBAL_OPTIONS}
    given: dict[str, list[str]] = {}
    rest = list(argv)
    while rest:
        flag, has_value, value = rest.pop(0).partition("=")
        option = by_flag.get(flag)
        if option is None or not (has_value or rest):
            return None
        given.setdefault(option.dest, []).append(value if has_value else rest.pop(0))
    params: dict[str, object] = {}
    for option in GLOBAL_OPTIONS:
        values = given.get(option.dest, [])
        if not option.multiple:
            # Given twice, the last wins (only it is checked); not given, a non-empty variable.
            if not values and option.envvar and environ.get(option.envvar):
                values = [environ[option.envvar]]
            values = values[-1:]
        if option.folder and not all(_plain_folder_value(value) for value in values):
            return None
        params[option.dest] = tuple(values) if option.multiple else next(iter(values), None)
    return params
