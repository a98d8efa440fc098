"""The programs and system files the tests need, each named with the Debian package that has it.

Outside CI a test that lacks one is skipped with that name. Under CI (`CI=true`) it fails
instead: .ci/run installs every one of them, so a skip there would mean a test that never runs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def missing(what: str, package: str) -> None:
    """Skip the test for want of `what`; under CI, fail it."""
    message = f"{what} is not installed (Debian package: {package})"
    if under_ci():
        pytest.fail(f"{message}; CI must run every test: install {package} in .ci/run", pytrace=False)
    pytest.skip(message)


def need_tool(name: str, package: str) -> str:
    """The path of the program `name`; the test is skipped (failed under CI) without it."""
    path = shutil.which(name)
    if path is None:
        missing(name, package)
    return path


def has_tool(name: str, package: str) -> bool:
    """Whether `name` is there, for a test's optional extra check; under CI it must be."""
    if shutil.which(name) is None:
        if under_ci():
            missing(name, package)
        return False
    return True


def need_file(path: str | Path, package: str) -> Path:
    """A system file (a time zone, say) the test reads; skipped (failed under CI) without it."""
    path = Path(path)
    if not path.exists():
        missing(str(path), package)
    return path


def check_needs_tool_marks(item: pytest.Item) -> None:
    """`@pytest.mark.needs_tool("xwininfo", package="x11-utils")`: need_tool before the test runs."""
    for mark in item.iter_markers("needs_tool"):
        need_tool(*mark.args, **mark.kwargs)
