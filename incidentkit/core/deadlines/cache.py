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
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from incidentkit.core.deadlines.model import Rule
from incidentkit.core.playbook.cache import code_fingerprint
from incidentkit.core.playbook.model import Diagnostic

FORMAT = 2  # 2: each dataclass as the list of its fields in order (half the size of objects)
CACHE_NAME = "rules-cache.json"
_READER_MODULES = (*(f"incidentkit.core.deadlines.{name}" for name in (
    "model", "reader", "reader_parts", "fields", "duration", "vocabulary", "cache")),
    "incidentkit.core.yaml_nodes", "incidentkit.core.team_files")
_fingerprint: str | None = None


class _Stale(Exception):
    """The entry does not decode into the model."""


def reader_fingerprint() -> str:
    """sha256 over the reader's modules and PyYAML's version file ("" when unreadable)."""
    global _fingerprint
    if _fingerprint is None:
        _fingerprint = code_fingerprint(f"incidentkit-rules-cache-{FORMAT}", _READER_MODULES, ("yaml",))
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
        self._used[key] = {"rules": [to_jsonable(r, packed=True) for r in rules],
                           "diagnostics": [to_jsonable(d, packed=True) for d in diagnostics]}
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


def to_jsonable(value: Any, *, packed: bool = False) -> Any:
    """A model value (dataclasses, dates, sets, tuples) as plain JSON values: each dataclass an
    object of its fields, or with `packed` (the cache's form) the list of their values in order."""
    if dataclasses.is_dataclass(value):
        if packed:
            return [to_jsonable(getattr(value, f.name), packed=True) for f in dataclasses.fields(value)]
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [to_jsonable(v, packed=packed) for v in value]
    return value


def _list(value: object) -> list[Any]:
    if type(value) is not list:
        raise _Stale
    return value


_DECODERS: dict[Any, Callable[[object], Any]] = {}


def _decode(cls: type, value: object) -> Any:
    """`value` as an instance of dataclass `cls`, every field checked against its annotation."""
    return _decoder(cls)(value)


def _decoder(hint: Any) -> Callable[[object], Any]:
    """A function turning JSON for `hint` into its value (or raising _Stale), made once per type:
    a few hundred rules decode in milliseconds instead of walking the annotations per value."""
    found = _DECODERS.get(hint)
    if found is None:
        found = _DECODERS[hint] = _make_decoder(hint)
    return found


def _make_decoder(hint: Any) -> Callable[[object], Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        decode_inner = _decoder(inner)
        return lambda v: None if v is None else decode_inner(v)
    if origin in (tuple, frozenset):
        item, make = _decoder(args[0]), origin
        return lambda v: make(item(x) for x in _list(v))
    if origin is typing.Literal:
        allowed = frozenset(args)
        return lambda v: v if v in allowed else _fail()
    if dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    if hint is date:
        return lambda v: date.fromisoformat(v) if type(v) is str else _fail()
    if hint in (str, int, bool):
        return lambda v: v if type(v) is hint else _fail()
    raise TypeError(f"no decoder for {hint!r}")


def _dataclass_decoder(cls: type) -> Callable[[object], Any]:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    size = len(names)
    pending: list[tuple[str, Callable[[object], Any]]] = []
    new = object.__new__

    def decode(value: object) -> Any:
        if type(value) is not list or len(value) != size:
            raise _Stale
        if not pending:  # fields' decoders made on first use: a model type may refer to itself
            pending.extend((name, _decoder(hints[name])) for name in names)
        # The fields set directly, as projections.timeline does: a frozen dataclass's __init__
        # sets each through object.__setattr__, a third of the decoding time; the object is
        # the same (the model has no __post_init__).
        obj = new(cls)
        obj.__dict__.update({name: field(item) for (name, field), item in zip(pending, value)})
        return obj

    return decode


def _fail() -> Any:
    raise _Stale
