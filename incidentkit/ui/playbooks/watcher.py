"""Reloads the playbook library when a playbook file or folder changes on disk.

QFileSystemWatcher watches the user's playbooks folder, the extra folders, their
subfolders and every `*.md` file in them. Editors often save by writing a new file and
renaming it over the old one, after which the watcher has silently dropped the path; so
after each reload every existing path is watched again. Bursts of changes (a save
touches the file and its folder, a `git checkout` touches many) are debounced into one
reload. Running incidents are untouched: they keep the playbook snapshot they pinned.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.library import PlaybookLibrary, find_markdown_files

DEBOUNCE_MS = 300


class LibraryWatcher(QObject):
    """`library` is the latest discovery; `library_changed(library)` fires after each reload."""

    library_changed = Signal(object)

    def __init__(self, paths: AppPaths, extra_dirs: Iterable[Path | str] = (), parent: QObject | None = None,
                 *, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.paths = paths
        self.extra_dirs = [Path(d) for d in extra_dirs]
        self.watcher = QFileSystemWatcher(self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(debounce_ms)
        self.timer.timeout.connect(self.reload)
        self.watcher.fileChanged.connect(self._changed)
        self.watcher.directoryChanged.connect(self._changed)
        self.library = PlaybookLibrary.discover(paths, self.extra_dirs)
        self._rewatch()

    def set_extra_dirs(self, dirs: Iterable[Path | str]) -> None:
        """New extra folders (from Settings): reload at once."""
        self.extra_dirs = [Path(d) for d in dirs]
        self.reload()

    def roots(self) -> list[Path]:
        return [self.paths.playbooks_dir, *self.extra_dirs]

    def reload(self) -> PlaybookLibrary:
        self.timer.stop()
        self.library = PlaybookLibrary.discover(self.paths, self.extra_dirs)
        self._rewatch()
        self.library_changed.emit(self.library)
        return self.library

    def _changed(self, _path: str) -> None:
        self.timer.start()

    def _wanted(self) -> set[str]:
        """Every folder under the roots (a new file may appear in any) and every playbook file."""
        wanted: set[str] = set()
        for root in self.roots():
            if root.is_dir():
                for folder, dirs, _names in os.walk(root):
                    dirs[:] = [d for d in dirs if not d.startswith(".")]
                    wanted.add(folder)
                wanted.update(str(f) for f in find_markdown_files(root))
            else:
                # Not there yet (first run): watch the nearest folder that exists, where it will appear.
                ancestor = next((p for p in root.parents if p.is_dir()), None)
                if ancestor is not None:
                    wanted.add(str(ancestor))
        return wanted

    def _rewatch(self) -> None:
        wanted = self._wanted()
        watched = set(self.watcher.files()) | set(self.watcher.directories())
        stale = sorted(watched - wanted)
        if stale:
            self.watcher.removePaths(stale)
        missing = sorted(wanted - watched)
        if missing:
            self.watcher.addPaths(missing)
