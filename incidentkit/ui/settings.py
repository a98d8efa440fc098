"""The user's preferences, typed, over a QSettings the caller passes in.

Nothing is read or written at import time and there is no global instance: the app
builds one `Settings(QSettings(...))`, tests build one on an ini file under tmp_path.
Lists are stored as JSON text so every QSettings backend round-trips them the same.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ACTOR_KEY = "identity/display_name"
ORGANISATION_KEY = "notices/organisation"
EXTRA_DIRS_KEY = "playbooks/extra_folders"
ORGANISATION_KEY = "scope/organisation_defaults"
GEOMETRY_PREFIX = "geometry/"


def os_user() -> str:
    """The operating-system user name: the actor when none is set."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"


class Settings:
    """Display name recorded as actor, the organisation's name, extra playbook folders, and saved
    window geometry blobs."""

    def __init__(self, qsettings: QSettings) -> None:
        self.qsettings = qsettings

    # the actor -------------------------------------------------------------------
    def display_name(self) -> str:
        """What events record as their actor: the saved display name, else the OS user."""
        return self.saved_display_name() or os_user()

    def saved_display_name(self) -> str:
        value = self.qsettings.value(ACTOR_KEY, "")
        return str(value).strip() if value else ""

    def set_display_name(self, name: str) -> None:
        """An empty name goes back to the OS user."""
        name = " ".join(name.split())
        if name:
            self.qsettings.setValue(ACTOR_KEY, name)
        else:
            self.qsettings.remove(ACTOR_KEY)

    # notices ----------------------------------------------------------------------
    def organisation_name(self) -> str:
        """The organisation's name, offered to notices until an incident records its own."""
        value = self.qsettings.value(ORGANISATION_KEY, "")
        return " ".join(str(value).split()) if value else ""

    def set_organisation_name(self, name: str) -> None:
        name = " ".join(name.split())
        if name:
            self.qsettings.setValue(ORGANISATION_KEY, name)
        else:
            self.qsettings.remove(ORGANISATION_KEY)

    # playbook folders ------------------------------------------------------------
    def _texts(self, key: str) -> list[str]:
        """The non-blank strings of a list stored as JSON under `key` (none when unreadable)."""
        raw = self.qsettings.value(key, "")
        try:
            values = json.loads(str(raw)) if raw else []
        except json.JSONDecodeError:
            return []
        return [v for v in values if isinstance(v, str) and v.strip()] if isinstance(values, list) else []

    def extra_playbook_dirs(self) -> list[Path]:
        return [Path(v) for v in self._texts(EXTRA_DIRS_KEY)]

    def set_extra_playbook_dirs(self, dirs: list[Path] | list[str]) -> None:
        unique: list[str] = []
        for d in dirs:
            text = str(Path(d).expanduser())
            if text not in unique:
                unique.append(text)
        self.qsettings.setValue(EXTRA_DIRS_KEY, json.dumps(unique))

    # the organisation profile a new incident starts from ---------------------------
    def organisation_defaults(self) -> list[str]:
        """Organisation flags (see core/scope/vocabulary.py) an incident's profile starts from."""
        return sorted(set(self._texts(ORGANISATION_KEY)))

    def set_organisation_defaults(self, flags: list[str]) -> None:
        self.qsettings.setValue(ORGANISATION_KEY, json.dumps(sorted(set(flags))))

    # window geometry and state -----------------------------------------------------
    def geometry(self, name: str) -> QByteArray | None:
        """Saved bytes of `saveGeometry()` / `saveState()` under `name`, or None."""
        value = self.qsettings.value(GEOMETRY_PREFIX + name)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        if isinstance(value, (bytes, bytearray)) and value:
            return QByteArray(bytes(value))
        return None

    def set_geometry(self, name: str, data: QByteArray | bytes) -> None:
        self.qsettings.setValue(GEOMETRY_PREFIX + name, QByteArray(bytes(data)) if isinstance(data, bytes) else data)

    def sync(self) -> None:
        self.qsettings.sync()
