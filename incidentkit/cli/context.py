"""What every command shares: paths, the actor, the playbook folders, and a lazily opened store."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from incidentkit.core.paths import AppPaths


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or "unknown"


@dataclass
class AppContext:
    paths: AppPaths
    actor: str
    extra_playbook_dirs: tuple[Path, ...] = ()
    _store: object | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls, *, data_dir: str | None, actor: str | None, extra_playbooks: tuple[str, ...] = ()
    ) -> AppContext:
        return cls(
            paths=AppPaths.resolve(data_dir),
            actor=actor or default_actor(),
            extra_playbook_dirs=tuple(Path(p) for p in extra_playbooks),
        )

    @property
    def store(self):  # -> incidentkit.core.store.Store (imported lazily: `validate` needs no database)
        if self._store is None:
            from incidentkit.core.store import Store

            self.paths.ensure()
            self._store = Store.open(self.paths)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
