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
the first in path order wins (`team_files.merge_by_id`, as for rules and templates;
within a source, a file that loads comes before one that does not). A file that fails
to load still overrides by the id it
claims (its front matter's `id`, else its file name, as the parser would take it): the
team meant their version, so `get` refuses with the file's first error instead of
quietly handing out the built-in one (`failed`; `builtin(id)` is the explicit way back).
Folders are searched for `*.md` recursively, skipping hidden folders; a folder that does
not exist contributes nothing. The parser (with
markdown-it and PyYAML) is imported when a playbook is first loaded, not with this
module: the window imports it at start and discovers the library after its first paint.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from incidentkit.core.errors import IncidentKitError, NotFoundError, PlaybookError
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.model import Diagnostic, Playbook
from incidentkit.core.team_files import Source, find_files, folder_files, merge_by_id

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

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


@dataclass(frozen=True)
class FailedEntry:
    """A playbook file that did not load, under the id it claims, with why."""

    playbook_id: str
    source: Source
    path: str
    diagnostics: tuple[Diagnostic, ...]

    @property
    def error(self) -> Diagnostic:
        """The first error (the one `incidentkit validate` would print first)."""
        return next((d for d in self.diagnostics if d.severity == "error"), self.diagnostics[0])


class OverrideFailed(IncidentKitError):
    """The playbook asked for is one whose highest-precedence file does not load."""


def find_markdown_files(folder: Path, problems: list[Diagnostic] | None = None) -> list[Path]:
    """`*.md` files under `folder`, recursively, sorted; hidden folders skipped; unreadable folders reported."""
    return find_files(folder, (".md",), problems)


class PlaybookLibrary:
    """The playbooks available to this user, indexed by id."""

    def __init__(self, entries: Iterable[PlaybookEntry], problems: Iterable[Diagnostic] = (),
                 shadowed: Iterable[PlaybookEntry] = (), failed: Iterable[FailedEntry] = ()):
        self.playbooks: list[PlaybookEntry] = sorted(entries, key=lambda e: e.playbook.id)
        self.problems: list[Diagnostic] = list(problems)
        self.shadowed: list[PlaybookEntry] = list(shadowed)
        # Ids whose highest-precedence file does not load (and no file of its source does): not offered.
        self.failed: dict[str, FailedEntry] = {f.playbook_id: f for f in failed}
        self._by_id = {e.playbook.id: e for e in self.playbooks}

    @classmethod
    def discover(cls, paths: AppPaths | None, extra_dirs: Iterable[str | os.PathLike[str]] = (),
                 *, include_builtin: bool = True) -> PlaybookLibrary:
        """Load every playbook from the built-in set, `paths.playbooks_dir` and `extra_dirs`."""
        problems: list[Diagnostic] = []
        # Lowest precedence first; in each source the playbooks that load come first, so a file
        # that loads wins over one of the same source and id that does not.
        tiers: list[list[PlaybookEntry | FailedEntry]] = []
        if include_builtin:
            tiers.append(list(_load_builtin(problems)))
        if paths is not None:
            tiers.append(_load_folders([paths.playbooks_dir], "user", problems, missing_ok=True))
        tiers.append(_load_folders([Path(f) for f in extra_dirs], "extra", problems, missing_ok=False))
        chosen, shadowed = merge_by_id(tiers, key=_entry_id, duplicate=_duplicate, problems=problems)
        return cls((e for e in chosen.values() if isinstance(e, PlaybookEntry)), problems,
                   (e for e in shadowed if isinstance(e, PlaybookEntry)),
                   (e for e in chosen.values() if isinstance(e, FailedEntry)))

    def __iter__(self) -> Iterator[PlaybookEntry]:
        return iter(self.playbooks)

    def __len__(self) -> int:
        return len(self.playbooks)

    def ids(self) -> list[str]:
        return [e.playbook.id for e in self.playbooks]

    def entry(self, playbook_id: str) -> PlaybookEntry:
        """The entry for `playbook_id`; OverrideFailed with the file's first error when its file
        does not load, NotFoundError naming the known ids when there is none."""
        failure = self.failed.get(playbook_id)
        if failure is not None:
            raise OverrideFailed(self.failure_text(failure))
        try:
            return self._by_id[playbook_id]
        except KeyError:
            known = ", ".join(self.ids()) or "none"
            raise NotFoundError(f"no playbook with id '{playbook_id}' (known: {known})") from None

    def builtin(self, playbook_id: str) -> PlaybookEntry | None:
        """The built-in playbook with this id, overridden or not."""
        return next((e for e in (*self.playbooks, *self.shadowed)
                     if e.source == "builtin" and e.playbook.id == playbook_id), None)

    def failure_text(self, failure: FailedEntry) -> str:
        """One line: the file, its first error, and what to do."""
        errors = sum(d.severity == "error" for d in failure.diagnostics)
        more = f" (and {errors - 1} more: `incidentkit validate {failure.path}`)" if errors > 1 else ""
        if self.builtin(failure.playbook_id):
            return (f"playbook '{failure.playbook_id}' in {failure.path} overrides the built-in one but does not "
                    f"load: {failure.error.format()}{more}; fix it, or pass --builtin to use the built-in playbook")
        return f"playbook '{failure.playbook_id}' in {failure.path} does not load: {failure.error.format()}{more}"

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


def _load_folders(folders: Iterable[Path], source: Source, problems: list[Diagnostic], *,
                  missing_ok: bool) -> list[PlaybookEntry | FailedEntry]:
    """One source's playbooks: those that load, then those that do not (under the ids they claim)."""
    from incidentkit.core.playbook.loader import load_playbook

    loaded: list[PlaybookEntry | FailedEntry] = []
    failed: list[PlaybookEntry | FailedEntry] = []
    for folder in folders:
        for path in folder_files(folder, (".md",), "playbook", problems, missing_ok=missing_ok):
            try:
                loaded.append(PlaybookEntry(load_playbook(path), source, str(path)))
            except PlaybookError as exc:
                problems.extend(exc.diagnostics)
                failed.append(FailedEntry(claimed_id(path), source, str(path), tuple(exc.diagnostics)))
    return loaded + failed


def _entry_id(entry: PlaybookEntry | FailedEntry) -> str:
    return entry.playbook.id if isinstance(entry, PlaybookEntry) else entry.playbook_id


def _duplicate(entry: PlaybookEntry | FailedEntry, first: PlaybookEntry | FailedEntry) -> Diagnostic | None:
    """Two playbooks of one source with one id; a file that does not load has said why already."""
    if isinstance(entry, FailedEntry):
        return None
    return Diagnostic(entry.path, 1, 1, "error",
                      f"duplicate playbook id '{entry.playbook.id}' (already defined by {first.path})")


_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([^'\"#\s]+)", re.MULTILINE)


def claimed_id(path: Path) -> str:
    """The id a playbook that does not load would have: its front matter's `id` (read by a
    line match when the YAML itself is broken), else its file name, as the parser takes it."""
    from incidentkit.core.playbook.frontmatter import read_front_matter
    from incidentkit.core.playbook.ids import slugify
    from incidentkit.core.playbook.loader import read_playbook_text

    try:
        lines = read_playbook_text(path).replace("\r\n", "\n").split("\n")
    except PlaybookError:
        lines = []
    front = read_front_matter(lines)
    if front.id:
        return front.id
    found = _ID_LINE.search("\n".join(lines[1:front.lines])) if front.lines else None
    return found.group(1) if found else slugify(PurePath(path).stem) or "playbook"
