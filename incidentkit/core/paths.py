"""Where IncidentKit keeps its data: one `AppPaths` object, passed in, never global."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from incidentkit.core.errors import StoreError

APP_NAME = "incidentkit"
DATA_DIR_ENV = "INCIDENTKIT_DATA_DIR"


def default_data_dir() -> Path:
    """`INCIDENTKIT_DATA_DIR` when set, else the platform's user data dir."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs  # only this default needs it: not loaded when the folder is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class AppPaths:
    """The data folder and what lives in it. Nothing is created until `ensure()`."""

    data_dir: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        return cls(Path(data_dir).expanduser() if data_dir else default_data_dir())

    @property
    def db_path(self) -> Path:
        return self.data_dir / "incidentkit.db"

    @property
    def playbooks_dir(self) -> Path:
        return self.data_dir / "playbooks"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    def ensure(self) -> None:
        """Create the folders; StoreError (one line naming the folder) when one cannot be made."""
        for d in (self.data_dir, self.playbooks_dir, self.backups_dir):
            make_dir(d)


def make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # FileExistsError here means a file sits where the folder should be.
        reason = "a file is in the way" if isinstance(exc, FileExistsError) else exc.strerror or str(exc)
        raise StoreError(f"{path}: cannot create this folder: {reason}") from None
