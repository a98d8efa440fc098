"""A JSON cache of parsed rules files, so a command need not parse YAML on every run.

Each entry is keyed by the file's label and the sha256 of its bytes, and the whole cache
by a fingerprint over the reader's own modules and PyYAML's version: an entry is used
only when all of them match and it decodes into the model's exact types (checked field
by field from the dataclasses' annotations); anything else means "parse again". JSON,
never pickle, so reading it executes nothing. Deleting the file is always safe.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from incidentkit.core.deadlines.model import Rule
from incidentkit.core.playbook.model import Diagnostic

FORMAT = 1
CACHE_NAME = "rules-cache.json"
_READER_MODULES = ("model", "reader", "reader_parts", "fields", "yaml_nodes", "duration", "vocabulary", "cache")
_fingerprint: str | None = None


class _Stale(Exception):
    """The entry does not decode into the model."""


def reader_fingerprint() -> str:
    """sha256 over the reader's modules and PyYAML's version file ("" when unreadable)."""
    global _fingerprint
    if _fingerprint is None:
        here = Path(__file__).resolve().parent
        files = [here / f"{name}.py" for name in _READER_MODULES]
        spec = find_spec("yaml")
        files.append(Path(spec.origin) if spec is not None and spec.origin else here / "missing")
        digest = hashlib.sha256(f"incidentkit-rules-cache-{FORMAT}".encode())
        try:
            for path in files:
                digest.update(path.read_bytes())
        except OSError:
            _fingerprint = ""  # a frozen build without sources: parse every time
        else:
            _fingerprint = digest.hexdigest()
    return _fingerprint


class RulesCache:
    """The entries of one cache file; `save()` writes the entries used since it was opened."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / CACHE_NAME if folder is not None else None
        self._old: dict[str, Any] = {}
        self._used: dict[str, Any] = {}
        self._dirty = False
        if self.path is None or not reader_fingerprint():
            self.path = None
            return
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(doc, dict) and doc.get("format") == FORMAT and doc.get("reader") == reader_fingerprint():
            entries = doc.get("files")
            self._old = entries if isinstance(entries, dict) else {}

    @staticmethod
    def key(label: str, data: bytes) -> str:
        return f"{hashlib.sha256(data).hexdigest()} {label}"

    def get(self, key: str) -> tuple[list[Rule], list[Diagnostic]] | None:
        entry = self._old.get(key)
        if entry is None:
            return None
        try:
            rules = [_decode(Rule, r) for r in _list(entry.get("rules"))]
            diagnostics = [_decode(Diagnostic, d) for d in _list(entry.get("diagnostics"))]
        except (_Stale, AttributeError, TypeError, ValueError):
            return None
        self._used[key] = entry
        return rules, diagnostics

    def put(self, key: str, rules: list[Rule], diagnostics: list[Diagnostic]) -> None:
        self._used[key] = {"rules": [to_jsonable(r) for r in rules], "diagnostics": [to_jsonable(d) for d in diagnostics]}
        self._dirty = True

    def save(self) -> None:
        """Write the cache when it changed; a failure to write is ignored (it is only an optimisation)."""
        if self.path is None or not (self._dirty or set(self._used) != set(self._old)):
            return
        from incidentkit.core.atomic_file import replace_atomically

        doc = {"format": FORMAT, "reader": reader_fingerprint(), "files": self._used}
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            replace_atomically(self.path, lambda raw: raw.write(data), prefix=".rules-cache-")
        except OSError:
            pass


def to_jsonable(value: Any) -> Any:
    """A model value (dataclasses, dates, sets, tuples) as plain JSON values; the cache stores this form."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [to_jsonable(v) for v in value]
    return value


def _list(value: object) -> list[Any]:
    if type(value) is not list:
        raise _Stale
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _decode(cls: type, value: object) -> Any:
    """`value` as an instance of dataclass `cls`, every field checked against its annotation."""
    if type(value) is not dict:
        raise _Stale
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    fields = [f.name for f in dataclasses.fields(cls)]
    if set(value) != set(fields):
        raise _Stale
    return cls(**{name: _as(hints[name], value[name]) for name in fields})


def _as(hint: Any, value: object) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _as(inner, value)
    if origin is tuple:
        return tuple(_as(args[0], v) for v in _list(value))
    if origin is frozenset:
        return frozenset(_as(args[0], v) for v in _list(value))
    if origin is typing.Literal:
        if value not in args:
            raise _Stale
        return value
    if dataclasses.is_dataclass(hint):
        return _decode(hint, value)
    if hint is date:
        return date.fromisoformat(typing.cast(str, value)) if type(value) is str else _fail()
    if hint in (str, int, bool) and type(value) is hint:
        return value
    raise _Stale


def _fail() -> Any:
    raise _Stale
