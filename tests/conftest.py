"""Shared fixtures. Qt runs offscreen unless a test asks for a real display."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from incident_helpers import open_store, tiny_playbook

from incidentkit.core import operations as ops
from incidentkit.core.playbook.model import Playbook
from incidentkit.core.store import Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
BUILTIN_PLAYBOOKS = REPO / "playbooks"


@pytest.fixture(autouse=True, scope="session")
def _qt_application(qapp):
    """Create the QApplication before any test runs. The PDF exporter creates a bare
    QGuiApplication when none exists; if it ran first, every later widget test would
    find that instead of a QApplication and Qt would abort the whole run."""
    return qapp


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty IncidentKit data folder under tmp_path."""
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """A real store in `data_dir`, closed after the test."""
    with open_store(data_dir) as s:
        yield s


@pytest.fixture
def playbook() -> Playbook:
    """The small playbook (incident_helpers.MARKDOWN): confirm, count, notify."""
    return tiny_playbook()


@pytest.fixture
def incident(store: Store, playbook: Playbook) -> str:
    """The id of an incident opened by ann on the small playbook in `store`."""
    return ops.open_incident(store, playbook=playbook, title="Vendor breach", actor="ann").id


@pytest.fixture
def run_cli(data_dir: Path):
    """Run the real CLI as a subprocess against `data_dir`; returns CompletedProcess (text)."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None,
            check: bool = False, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, "INCIDENTKIT_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
        if env:
            full_env.update(env)
        proc = subprocess.run(
            [sys.executable, "-m", "incidentkit", *args],
            input=input,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"incidentkit {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
        return proc

    return run
