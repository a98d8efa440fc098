"""What every command shares: paths, the actor, the playbook folders, and a lazily opened store.

A command that changes the database asks for `store`: the database is made when there
is none, and that is said once on stderr. A command that only reads asks for
`read_store`: it never makes a database (a mistyped `--data-dir` is an error, not a new
empty one), and it opens a write-protected copy read-only. `--read-only` opens
read-only whatever the permissions; then every change is refused with one line.
"""

from __future__ import annotations

import getpass
import os
import sys
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
    read_only: bool = False
    _store: object | None = field(default=None, repr=False)

    @classmethod
    def create(
        cls, *, data_dir: str | None, actor: str | None, extra_playbooks: tuple[str, ...] = (),
        read_only: bool = False,
    ) -> AppContext:
        return cls(
            paths=AppPaths.resolve(data_dir),
            actor=actor or default_actor(),
            extra_playbook_dirs=tuple(Path(p) for p in extra_playbooks),
            read_only=read_only,
        )

    @property
    def store(self):  # -> incidentkit.core.store.Store (imported lazily: `validate` needs no database)
        """The store for a command that changes the database, made (and said so on stderr) when there is none."""
        if self._store is None:
            store = self._open_for_writing()
            if store.created:
                sys.stderr.write(f"incidentkit: created a new IncidentKit database at {store.path}\n")
        return self._store

    def _open_for_writing(self):  # -> incidentkit.core.store.Store
        if self.read_only:
            return self.read_store  # its writes are refused with one line
        from incidentkit.core.store import Store
        from incidentkit.core.store.database import has_data

        if not has_data(self.paths.db_path):
            self.paths.ensure()  # a new data folder's layout first: nothing is made when a part cannot be
        store = self._store = Store.open(self.paths)
        return store

    @property
    def read_store(self):  # -> incidentkit.core.store.Store
        """The store for a command that only reads: never made; read-only when write-protected or --read-only."""
        if self._store is None:
            from incidentkit.core.store import Store

            self._store = Store.open(self.paths, create=False, read_only=True if self.read_only else None)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
