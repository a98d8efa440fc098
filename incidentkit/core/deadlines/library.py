"""Finding rules: the built-in ones and the team's own `rules/` folder, by id.

Usage:

    from incidentkit.core.deadlines.library import RulesLibrary
    library = RulesLibrary.discover(app_paths)       # built-in + <data folder>/rules/
    library.rules                                    # every Rule in force for this team, sorted by id
    library.entries, library.shadowed, library.problems
    library.get("us-ca-individuals")                 # NotFoundError when unknown

Sources, lowest precedence first: "builtin" (`resources/rules/`, the package data of
`incidentkit.resources`), "user" (`rules/` in the data folder: a team's contractual duties
and its overrides) and "extra" (folders given by the caller). A rule whose id matches
one from a lower source replaces it (kept in `shadowed`); two rules with one id in the
same source are a problem and the first in path order wins (`team_files.merge_by_id`, as
for playbooks and templates). Parsed files are kept in a JSON cache (`cache.py`) under the
data folder, so YAML is parsed once per file content.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from incidentkit.core.deadlines.cache import RulesCache
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.deadlines.vocabulary import MAX_FILE_BYTES
from incidentkit.core.errors import NotFoundError
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.model import Diagnostic
from incidentkit.core.team_files import FileProblem, Source, folder_files, merge_by_id, read_file

BUILTIN_PACKAGE = "incidentkit.resources"
RULE_SUFFIXES = (".yaml", ".yml")


def builtin_rules_dir() -> Path:
    # The package is a folder of real files however IncidentKit is installed (editable, wheel,
    # PyInstaller), so its path is read directly, as ui/widgets/icons.py does: importlib.resources
    # would load zipfile and tempfile, about 8 ms of every deadlines command.
    import incidentkit.resources

    return Path(incidentkit.resources.__file__).parent / "rules"


def user_rules_dir(paths: AppPaths) -> Path:
    return paths.data_dir / "rules"


@dataclass(frozen=True)
class RuleEntry:
    """A rule that loaded, with where it came from."""

    rule: Rule
    source: Source


class RulesLibrary:
    """The rules that apply for this team, indexed by id."""

    def __init__(self, entries: Iterable[RuleEntry], problems: Iterable[Diagnostic] = (),
                 shadowed: Iterable[RuleEntry] = ()) -> None:
        self.entries: list[RuleEntry] = sorted(entries, key=lambda e: e.rule.id)
        self.problems: list[Diagnostic] = list(problems)
        self.shadowed: list[RuleEntry] = list(shadowed)
        self._by_id = {e.rule.id: e for e in self.entries}
        self.rules: tuple[Rule, ...] = tuple(e.rule for e in self.entries)

    @classmethod
    def discover(cls, paths: AppPaths | None, extra_dirs: Iterable[str | os.PathLike[str]] = (), *,
                 include_builtin: bool = True) -> RulesLibrary:
        problems: list[Diagnostic] = []
        cache = RulesCache(paths.data_dir / "cache" if paths is not None else None)
        tiers: list[tuple[Source, list[Rule]]] = []
        if include_builtin:
            tiers.append(("builtin", list(_builtin(cache, problems))))
        if paths is not None:
            tiers.append(("user", list(_folder(user_rules_dir(paths), cache, problems, missing_ok=True))))
        extra: list[Rule] = []
        for folder in extra_dirs:
            extra.extend(_folder(Path(folder), cache, problems, missing_ok=False))
        tiers.append(("extra", extra))
        cache.save()
        return cls.merge(tiers, problems)

    @classmethod
    def merge(cls, tiers: Iterable[tuple[Source, Iterable[Rule]]], problems: list[Diagnostic]) -> RulesLibrary:
        chosen, shadowed = merge_by_id(([RuleEntry(rule, source) for rule in rules] for source, rules in tiers),
                                       key=lambda e: e.rule.id, duplicate=_duplicate, problems=problems)
        problems.extend(check_references(e.rule for e in chosen.values()))
        return cls(chosen.values(), problems, shadowed)

    def __iter__(self) -> Iterator[RuleEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def ids(self) -> list[str]:
        return [e.rule.id for e in self.entries]

    def entry(self, rule_id: str) -> RuleEntry:
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise NotFoundError(f"no rule with id '{rule_id}' (see `incidentkit rules`)") from None

    def get(self, rule_id: str) -> Rule:
        return self.entry(rule_id).rule


def _duplicate(entry: RuleEntry, first: RuleEntry) -> Diagnostic:
    rule, earlier = entry.rule, first.rule
    return Diagnostic(rule.path, rule.line, 1, "error",
                      f"duplicate rule id '{rule.id}' (already defined at {earlier.path}:{earlier.line})")


def check_references(rules: Iterable[Rule]) -> list[Diagnostic]:
    """An error for each `after_notice` or `ongoing_at` naming a rule that is not among `rules`."""
    listed = list(rules)
    known = {r.id for r in listed}
    found = [(r, "after_notice", ref) for r in listed for clock in r.clocks for ref in clock.after_notice]
    found += [(r, "ongoing_at", r.conditions.ongoing_at) for r in listed if r.conditions.ongoing_at]
    return [Diagnostic(r.path, r.line, 1, "error", f"rule '{r.id}': '{key}' names '{ref}', which is not a known rule")
            for r, key, ref in found if ref not in known]


def _parse(label: str, data: bytes, cache: RulesCache) -> tuple[list[Rule], list[Diagnostic]]:
    key = cache.key(label, data)
    found = cache.get(key)
    if found is None:
        from incidentkit.core.deadlines.reader import read_rules_bytes  # PyYAML only on a cache miss

        found = read_rules_bytes(data, label)
        cache.put(key, *found)
    return found


def _builtin(cache: RulesCache, problems: list[Diagnostic]) -> Iterator[Rule]:
    try:
        items = sorted(_walk(builtin_rules_dir()), key=lambda pair: pair[0])
    except (ModuleNotFoundError, OSError) as exc:
        problems.append(Diagnostic(f"{BUILTIN_PACKAGE}/rules", 1, 1, "error", f"cannot list the built-in rules: {exc}"))
        return
    for label, item in items:
        try:
            rules, found = _parse(label, item.read_bytes(), cache)
        except OSError as exc:
            problems.append(Diagnostic(label, 1, 1, "error", f"cannot read the file: {exc.strerror or exc}"))
            continue
        problems.extend(found)
        yield from rules


def _walk(folder: Path, prefix: str = "rules") -> Iterator[tuple[str, Path]]:
    for item in folder.iterdir():
        label = f"{prefix}/{item.name}"
        if item.is_dir() and not item.name.startswith((".", "__")):
            yield from _walk(item, label)
        elif item.name.lower().endswith(RULE_SUFFIXES):
            yield label, item


def _folder(folder: Path, cache: RulesCache, problems: list[Diagnostic], *, missing_ok: bool) -> Iterator[Rule]:
    for path in folder_files(folder, RULE_SUFFIXES, "rules", problems, missing_ok=missing_ok):
        try:
            data = read_file(path, limit=MAX_FILE_BYTES, what="rules file")
        except FileProblem as exc:
            problems.append(exc.diagnostic)
            continue
        rules, found = _parse(str(path), data, cache)
        problems.extend(found)
        yield from rules
