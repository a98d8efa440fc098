"""Finding playbooks: the built-in ones, the user's folder and extra folders, by id.

Usage:

    from incidentkit.core.playbook.library import PlaybookLibrary, builtin_playbook_dir
    library = PlaybookLibrary.discover(app_paths, extra_dirs=[Path("team-playbooks")])
    for entry in library.playbooks:        # PlaybookEntry(playbook, source, path), sorted by id
        print(entry.playbook.id, entry.source, entry.path)
    library.problems                       # Diagnostics of the files that failed to load
    playbook = library.get("vendor-data-breach")   # NotFoundError when unknown

Sources, from lowest to highest precedence: "builtin" (package data of
`incidentkit.playbooks`, read with importlib.resources so a wheel install finds them),
"user" (`AppPaths.playbooks_dir`) and "extra" (folders given with `--playbooks`). A
playbook whose `id` matches one from a lower source overrides it (the overridden one
is kept in `shadowed`). Two files with the same id in the same source are a problem:
the first in path order wins. Folders are searched for `*.md` recursively, skipping
hidden folders; a folder that does not exist contributes nothing. The parser (with
markdown-it and PyYAML) is imported when a playbook is first loaded, not with this
module: the window imports it at start and discovers the library after its first paint.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from incidentkit.core.errors import NotFoundError, PlaybookError
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.model import Diagnostic, Playbook

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

Source = Literal["builtin", "user", "extra"]
BUILTIN_PACKAGE = "incidentkit.playbooks"


def builtin_playbook_dir() -> Traversable:
    """The folder (inside the installed package) holding the built-in playbooks."""
    from importlib.resources import files  # loaded on the first discovery, after the window paints

    return files(BUILTIN_PACKAGE)


@dataclass(frozen=True)
class PlaybookEntry:
    """A playbook that loaded, with where it came from."""

    playbook: Playbook
    source: Source
    path: str

    def to_json(self) -> dict[str, object]:
        p = self.playbook
        return {
            "id": p.id,
            "version": p.version,
            "title": p.title,
            "summary": p.summary,
            "phases": [ph.title for ph in p.phases],
            "steps": p.step_count,
            "source": self.source,
            "path": self.path,
            "warnings": [w.to_json() for w in p.warnings],
        }


def find_markdown_files(folder: Path, problems: list[Diagnostic] | None = None) -> list[Path]:
    """`*.md` files under `folder`, recursively, sorted; hidden folders skipped; unreadable folders reported."""
    found: list[Path] = []

    def unreadable(exc: OSError) -> None:
        if problems is not None:
            where = exc.filename or str(folder)
            problems.append(Diagnostic(str(where), 1, 1, "error", f"cannot read the folder: {exc.strerror or exc}"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / n for n in names if n.lower().endswith(".md") and not n.startswith("."))
    return sorted(found)


class PlaybookLibrary:
    """The playbooks available to this user, indexed by id."""

    def __init__(self, entries: Iterable[PlaybookEntry], problems: Iterable[Diagnostic] = (),
                 shadowed: Iterable[PlaybookEntry] = ()):
        self.playbooks: list[PlaybookEntry] = sorted(entries, key=lambda e: e.playbook.id)
        self.problems: list[Diagnostic] = list(problems)
        self.shadowed: list[PlaybookEntry] = list(shadowed)
        self._by_id = {e.playbook.id: e for e in self.playbooks}

    @classmethod
    def discover(cls, paths: AppPaths | None, extra_dirs: Iterable[str | os.PathLike[str]] = (),
                 *, include_builtin: bool = True) -> PlaybookLibrary:
        """Load every playbook from the built-in set, `paths.playbooks_dir` and `extra_dirs`."""
        problems: list[Diagnostic] = []
        chosen: dict[str, PlaybookEntry] = {}
        shadowed: list[PlaybookEntry] = []
        # Lowest precedence first: a later tier's playbook replaces an earlier one with its id.
        tiers: list[list[PlaybookEntry]] = []
        if include_builtin:
            tiers.append(list(_load_builtin(problems)))
        if paths is not None:
            tiers.append(list(_load_folder(paths.playbooks_dir, "user", problems, missing_ok=True)))
        extra: list[PlaybookEntry] = []
        for folder in extra_dirs:
            extra.extend(_load_folder(Path(folder), "extra", problems, missing_ok=False))
        tiers.append(extra)
        for entries in tiers:
            seen: dict[str, PlaybookEntry] = {}
            for entry in entries:
                pid = entry.playbook.id
                if pid in seen:
                    problems.append(Diagnostic(entry.path, 1, 1, "error",
                                               f"duplicate playbook id '{pid}' (already defined by {seen[pid].path})"))
                    continue
                seen[pid] = entry
                if pid in chosen:
                    shadowed.append(chosen[pid])
                chosen[pid] = entry
        return cls(chosen.values(), problems, shadowed)

    def __iter__(self) -> Iterator[PlaybookEntry]:
        return iter(self.playbooks)

    def __len__(self) -> int:
        return len(self.playbooks)

    def ids(self) -> list[str]:
        return [e.playbook.id for e in self.playbooks]

    def entry(self, playbook_id: str) -> PlaybookEntry:
        """The entry for `playbook_id`; NotFoundError naming the known ids when there is none."""
        try:
            return self._by_id[playbook_id]
        except KeyError:
            known = ", ".join(self.ids()) or "none"
            raise NotFoundError(f"no playbook with id '{playbook_id}' (known: {known})") from None

    def get(self, playbook_id: str) -> Playbook:
        return self.entry(playbook_id).playbook


def _load_builtin(problems: list[Diagnostic]) -> Iterator[PlaybookEntry]:
    from incidentkit.core.playbook.loader import load_playbook_bytes

    try:
        items = sorted((t for t in builtin_playbook_dir().iterdir() if t.name.endswith(".md")), key=lambda t: t.name)
    except (ModuleNotFoundError, OSError) as exc:
        problems.append(Diagnostic(BUILTIN_PACKAGE, 1, 1, "error", f"cannot list the built-in playbooks: {exc}"))
        return
    for item in items:
        name = str(item)
        try:
            yield PlaybookEntry(load_playbook_bytes(item.read_bytes(), name), "builtin", name)
        except PlaybookError as exc:
            problems.extend(exc.diagnostics)
        except OSError as exc:
            problems.append(Diagnostic(name, 1, 1, "error", f"cannot read the file: {exc.strerror or exc}"))


def _load_folder(folder: Path, source: Source, problems: list[Diagnostic], *, missing_ok: bool) -> Iterator[PlaybookEntry]:
    from incidentkit.core.playbook.loader import load_playbook

    if not folder.is_dir():
        if not missing_ok:
            problems.append(Diagnostic(str(folder), 1, 1, "error", "playbook folder not found"))
        return
    for path in find_markdown_files(folder, problems):
        try:
            yield PlaybookEntry(load_playbook(path), source, str(path))
        except PlaybookError as exc:
            problems.extend(exc.diagnostics)
