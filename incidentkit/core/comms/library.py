"""Finding notice templates: the built-in ones and the team's `templates/` folder, by id.

    from incidentkit.core.comms.library import TemplateLibrary
    library = TemplateLibrary.discover(app_paths)     # built-in + <data folder>/templates/
    library.notices()                                  # the templates a draft can use, by id
    library.get("customer-notice-email")               # NotFoundError when unknown
    library.sources()                                  # every template's body by id, for the sandbox

Sources, lowest precedence first: "builtin" (`resources/templates/`, package data read with
importlib.resources), "user" (`templates/` in the data folder: a team's wording, a
template overridden by giving its id) and "extra" (folders given by the caller), merged
by id as playbooks and rules are (`team_files.merge_by_id`). Files are `*.j2`; a file that
does not load is a problem (`problems`) and the rest still load.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from incidentkit.core.comms.static import reads
from incidentkit.core.comms.templates import FieldSpec, NoticeTemplate, parse_template
from incidentkit.core.comms.vocabulary import MAX_TEMPLATE_BYTES, TEMPLATE_SUFFIX
from incidentkit.core.errors import NotFoundError
from incidentkit.core.paths import AppPaths
from incidentkit.core.playbook.model import Diagnostic
from incidentkit.core.team_files import FileProblem, Source, decode, folder_files, merge_by_id, read_file

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

BUILTIN_PACKAGE = "incidentkit.resources"
_WHAT = "notice template"


def builtin_templates_dir() -> Traversable:
    from importlib.resources import files

    return files(BUILTIN_PACKAGE) / "templates"


def user_templates_dir(paths: AppPaths) -> Path:
    return paths.data_dir / "templates"


def read_template_file(path: Path, origin: Source) -> tuple[NoticeTemplate | None, list[Diagnostic]]:
    """One template file from disk; every problem (unreadable, too large, binary) as a diagnostic."""
    try:
        data = read_file(path, limit=MAX_TEMPLATE_BYTES, what=_WHAT)
    except FileProblem as exc:
        return None, [exc.diagnostic]
    return _parse_bytes(data, str(path), origin)


def _parse_bytes(data: bytes, name: str, origin: Source) -> tuple[NoticeTemplate | None, list[Diagnostic]]:
    try:
        text = decode(data, name, limit=MAX_TEMPLATE_BYTES, what=_WHAT)
    except FileProblem as exc:
        return None, [exc.diagnostic]
    return parse_template(text, name, origin=origin)


def _usable(template: NoticeTemplate | None, diagnostics: list[Diagnostic]) -> bool:
    return template is not None and not any(d.severity == "error" for d in diagnostics)


class TemplateLibrary:
    """The templates that apply for this team, indexed by id."""

    def __init__(self, templates: Iterable[NoticeTemplate], problems: Iterable[Diagnostic] = (),
                 shadowed: Iterable[NoticeTemplate] = ()) -> None:
        self.templates: list[NoticeTemplate] = sorted(templates, key=lambda t: t.id)
        self.problems: list[Diagnostic] = list(problems)
        self.shadowed: list[NoticeTemplate] = list(shadowed)
        self._by_id = {t.id: t for t in self.templates}

    @classmethod
    def discover(cls, paths: AppPaths | None, extra_dirs: Iterable[str | os.PathLike[str]] = (), *,
                 include_builtin: bool = True) -> TemplateLibrary:
        problems: list[Diagnostic] = []
        tiers: list[list[NoticeTemplate]] = []
        if include_builtin:
            tiers.append(_builtin(problems))
        if paths is not None:
            tiers.append(_folder(user_templates_dir(paths), "user", problems, missing_ok=True))
        tiers.append([t for folder in extra_dirs for t in _folder(Path(folder), "extra", problems, missing_ok=False)])
        chosen, shadowed = merge_by_id(tiers, key=lambda t: t.id, duplicate=_duplicate, problems=problems)
        return cls(chosen.values(), problems, shadowed)

    def notices(self) -> list[NoticeTemplate]:
        """The templates a draft can be made from (partials are only included by them)."""
        return [t for t in self.templates if not t.partial]

    def find(self, template_id: str) -> NoticeTemplate | None:
        """The template (a partial too) with this id, or None."""
        return self._by_id.get(template_id)

    def get(self, template_id: str) -> NoticeTemplate:
        found = self._by_id.get(template_id)
        if found is None or found.partial:
            raise NotFoundError(f"no notice template '{template_id}' (see `incidentkit notice templates`)")
        return found

    def fields_of(self, template: NoticeTemplate) -> tuple[FieldSpec, ...]:
        """The template's fields, then those of the partials it includes (shared wording brings
        its fields along; the template's own win on a name)."""
        inherited: dict[str, FieldSpec] = {}
        seen = {template.id}
        pending = [template]
        while pending:
            for name, _line in reads(pending.pop(0).body).includes:
                included = self._by_id.get(name)
                if included is not None and name not in seen:
                    seen.add(name)
                    pending.append(included)
                    for spec in included.fields:
                        inherited.setdefault(spec.name, spec)
        own = {f.name for f in template.fields}
        return template.fields + tuple(f for name, f in inherited.items() if name not in own)

    def sources(self) -> dict[str, tuple[str, str]]:
        """Every template's (body, path) by id: all the sandbox's loader may serve."""
        return {t.id: (t.body, t.path) for t in self.templates}


def _duplicate(template: NoticeTemplate, first: NoticeTemplate) -> Diagnostic:
    return Diagnostic(template.path, 1, 1, "error",
                      f"duplicate template id '{template.id}' (already defined in {first.path})")


def _builtin(problems: list[Diagnostic]) -> list[NoticeTemplate]:
    try:
        items = sorted((i for i in builtin_templates_dir().iterdir() if i.name.endswith(TEMPLATE_SUFFIX)),
                       key=lambda i: i.name)
    except (ModuleNotFoundError, OSError) as exc:
        problems.append(Diagnostic(f"{BUILTIN_PACKAGE}/templates", 1, 1, "error", f"cannot list the built-in "
                                                                                  f"templates: {exc}"))
        return []
    found: list[NoticeTemplate] = []
    for item in items:
        template, diagnostics = _parse_bytes(item.read_bytes(), f"templates/{item.name}", "builtin")
        problems.extend(d for d in diagnostics if d.severity == "error")
        if _usable(template, diagnostics):
            found.append(template)
    return found


def _folder(folder: Path, origin: Source, problems: list[Diagnostic], *, missing_ok: bool) -> list[NoticeTemplate]:
    found: list[NoticeTemplate] = []
    for path in folder_files(folder, (TEMPLATE_SUFFIX,), "templates", problems, missing_ok=missing_ok):
        template, diagnostics = read_template_file(path, origin)
        problems.extend(d for d in diagnostics if d.severity == "error")
        if _usable(template, diagnostics):
            found.append(template)
    return found
