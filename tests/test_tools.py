"""A test that needs a missing program is skipped, naming the Debian package; under CI it fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tools import has_tool, need_file, need_tool

NOWHERE = "incidentkit-no-such-tool"
TESTS = Path(__file__).resolve().parent


def test_a_missing_tool_skips_the_test_naming_its_package(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=rf"^{NOWHERE} is not installed \(Debian package: x11-utils\)$"):
        need_tool(NOWHERE, package="x11-utils")
    assert has_tool(NOWHERE, package="x11-utils") is False


@pytest.mark.parametrize("ci", ["true", "TRUE", "1"])
def test_under_ci_a_missing_tool_fails_the_test_naming_its_package(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=rf"^{NOWHERE} is not installed \(Debian package: x11-utils\); "
                                                     r"CI must run every test: install x11-utils in \.ci/run$"):
        need_tool(NOWHERE, package="x11-utils")
    with pytest.raises(pytest.fail.Exception, match="install x11-utils"):
        has_tool(NOWHERE, package="x11-utils")
    with pytest.raises(pytest.fail.Exception, match=r"^/nonexistent/zone is not installed \(Debian package: tzdata\)"):
        need_file("/nonexistent/zone", package="tzdata")


def test_a_tool_that_is_there_is_found_under_ci_too(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert need_tool("sh", package="dash") == shutil.which("sh")
    assert has_tool("sh", package="dash") is True


@pytest.mark.parametrize("ci, outcome", [("", {"skipped": 1}), ("true", {"errors": 1})])
def test_the_needs_tool_mark_skips_or_under_ci_fails(pytester, monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    pytester.syspathinsert(TESTS)
    pytester.makeconftest("from tools import check_needs_tool_marks as pytest_runtest_setup\n")
    pytester.makepyfile(f"""
        import pytest

        @pytest.mark.needs_tool("{NOWHERE}", package="x11-utils")
        def test_needs_it():
            pass
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:pytest-qt", "-rs",
                                          "-W", "ignore::pytest.PytestUnknownMarkWarning")
    result.assert_outcomes(**outcome)
    result.stdout.fnmatch_lines([f"*{NOWHERE} is not installed (Debian package: x11-utils)*"])
