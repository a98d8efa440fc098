"""A JSON cache of parsed pinned playbooks, so opening an incident need not parse markdown.

A pinned snapshot never changes (its sha256 names it), so its parse can be kept: opening
an incident then reads one small JSON file instead of loading markdown-it and PyYAML and
walking the document, on every window start and every CLI command that shows an incident.

The cache is derived data and trusted no further than that. It is JSON, never pickle, so
reading it executes nothing. An entry names the snapshot's sha256, the source label and
the parser that produced it (a fingerprint over the parser's own modules and the
markdown-it and PyYAML it ran on), and it is used only when all three match and every
field has the type the model expects; anything else, a damaged or foreign file
included, means "parse again". Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path
from types import MappingProxyType
from typing import Any

from incidentkit.core.playbook.model import Diagnostic, Phase, Playbook, Section, Step

FORMAT = 1
# Everything whose code decides what `parse_playbook` returns.
_PARSER_MODULES = tuple(f"incidentkit.core.{name}" for name in (
    "playbook.parser", "playbook.frontmatter", "playbook.ids", "playbook.source", "playbook.model", "playbook.cache",
    "playbook.due", "yaml_nodes"))
_LIBRARIES = ("markdown_it", "yaml")  # their __init__ carries their version
_HEX = frozenset("0123456789abcdef")
_fingerprint: str | None = None


class _Stale(Exception):
    """The entry does not describe this snapshot as this parser would read it."""


def parser_fingerprint() -> str:
    """sha256 over the parser's modules and its libraries' version files ("" when unreadable)."""
    global _fingerprint
    if _fingerprint is None:
        _fingerprint = code_fingerprint(f"incidentkit-playbook-cache-{FORMAT}", _PARSER_MODULES, _LIBRARIES)
    return _fingerprint


def code_fingerprint(seed: str, modules: tuple[str, ...], libraries: tuple[str, ...]) -> str:
    """sha256 over `seed`, the source of our `modules` (dotted names) and each library's
    `__init__` (which carries its version): what a derived cache depends on. "" when a file
    cannot be read (a frozen build without sources): no cache then."""
    files: list[Path] = []
    for name in (*modules, *libraries):
        spec = find_spec(name)
        if spec is None or not spec.origin:
            return ""
        files.append(Path(spec.origin))
    digest = hashlib.sha256(seed.encode())
    try:
        for path in files:
            digest.update(path.read_bytes())
    except OSError:
        return ""
    return digest.hexdigest()


def entry_path(folder: Path, sha256: str) -> Path:
    if len(sha256) != 64 or not set(sha256) <= _HEX:  # it names a file: never a path of its own
        raise ValueError(f"not a sha256: {sha256!r}")
    return folder / f"playbook-{sha256}.json"


def save(folder: Path, playbook: Playbook) -> None:
    """Keep `playbook`'s parse; a failure to write is ignored (the cache is only an optimisation)."""
    fingerprint = parser_fingerprint()
    if not fingerprint:
        return
    doc = {"format": FORMAT, "parser": fingerprint, "playbook": _encode_playbook(playbook)}
    from incidentkit.core.atomic_file import replace_atomically  # with tempfile: only when a parse is kept

    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        replace_atomically(entry_path(folder, playbook.sha256), lambda raw: raw.write(data), prefix=".playbook-")
    except OSError:
        pass


def load(folder: Path, markdown: str, sha256: str, path: str) -> Playbook | None:
    """The cached parse of `markdown` (whose sha256 the caller knows) labelled `path`, or None."""
    fingerprint = parser_fingerprint()
    if not fingerprint:
        return None
    try:
        doc = json.loads(entry_path(folder, sha256).read_text(encoding="utf-8"))
        if not (isinstance(doc, dict) and doc.get("format") == FORMAT and doc.get("parser") == fingerprint):
            raise _Stale
        playbook = _decode_playbook(doc.get("playbook"), markdown)
    except (OSError, ValueError, _Stale):
        return None
    # Bound to the text itself, not only to the name it was filed under.
    if playbook.sha256 != sha256 or playbook.path != path or _sha256(markdown) != sha256:
        return None
    return playbook


def _sha256(text: str) -> str:
    try:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:
        return ""


# encoding ------------------------------------------------------------------------------
def _encode_step(s: Step) -> list[Any]:
    return [s.id, s.text, s.line, s.phase_id, s.section, s.parent_id, s.depth, s.role, dict(s.attrs), s.guidance,
            s.checked_in_source, s.explicit_id]


def _encode_playbook(p: Playbook) -> dict[str, Any]:
    return {
        "id": p.id, "title": p.title, "version": p.version, "summary": p.summary, "sha256": p.sha256,
        "path": p.path, "tags": list(p.tags), "roles": dict(p.roles), "intro": p.intro,
        "warnings": [[d.path, d.line, d.col, d.severity, d.message] for d in p.warnings],
        "phases": [
            {"id": ph.id, "title": ph.title, "line": ph.line, "guidance": ph.guidance,
             "sections": [[s.title, s.level, s.line, s.guidance, list(s.step_ids)] for s in ph.sections],
             "steps": [_encode_step(s) for s in ph.steps]}
            for ph in p.phases
        ],
    }


# decoding: every value is checked, so a damaged entry is a miss, never a malformed model
def _str(value: object) -> str:
    if type(value) is not str:
        raise _Stale
    return value


def _opt_str(value: object) -> str | None:
    return None if value is None else _str(value)


def _int(value: object) -> int:
    if type(value) is not int:
        raise _Stale
    return value


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise _Stale
    return value


def _list(value: object, length: int | None = None) -> list[Any]:
    if type(value) is not list or (length is not None and len(value) != length):
        raise _Stale
    return value


def _obj(value: object) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Stale
    return value


def _str_map(value: object) -> Mapping[str, str]:
    return MappingProxyType({_str(k): _str(v) for k, v in _obj(value).items()})


def _decode_step(value: object) -> Step:
    (sid, text, line, phase_id, section, parent_id, depth, role, attrs, guidance, checked,
     explicit) = _list(value, 12)
    return Step(_str(sid), _str(text), _int(line), _str(phase_id), _opt_str(section), _opt_str(parent_id),
                _int(depth), _opt_str(role), _str_map(attrs), _str(guidance), _bool(checked), _bool(explicit))


def _decode_section(value: object) -> Section:
    title, level, line, guidance, step_ids = _list(value, 5)
    return Section(_str(title), _int(level), _int(line), _str(guidance), tuple(_str(i) for i in _list(step_ids)))


def _decode_phase(value: object) -> Phase:
    d = _obj(value)
    return Phase(_str(d.get("id")), _str(d.get("title")), _int(d.get("line")), _str(d.get("guidance")),
                 tuple(_decode_section(s) for s in _list(d.get("sections"))),
                 tuple(_decode_step(s) for s in _list(d.get("steps"))))


def _decode_warning(value: object) -> Diagnostic:
    path, line, col, severity, message = _list(value, 5)
    if severity not in ("error", "warning"):
        raise _Stale
    return Diagnostic(_str(path), _int(line), _int(col), severity, _str(message))


def _decode_playbook(value: object, markdown: str) -> Playbook:
    d = _obj(value)
    return Playbook(
        id=_str(d.get("id")), title=_str(d.get("title")), version=_str(d.get("version")),
        summary=_str(d.get("summary")),
        phases=tuple(_decode_phase(p) for p in _list(d.get("phases"))),
        markdown=markdown, sha256=_str(d.get("sha256")), path=_str(d.get("path")),
        tags=tuple(_str(t) for t in _list(d.get("tags"))), roles=_str_map(d.get("roles")),
        warnings=tuple(_decode_warning(w) for w in _list(d.get("warnings"))), intro=_str(d.get("intro")),
    )
