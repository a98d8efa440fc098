"""A JSON cache of parsed rules files, so a command need not parse YAML on every run.

Each file's entry is keyed by its label and the sha256 of its bytes; the whole cache by
a fingerprint over the reader's own modules and PyYAML's version. The file is one
header line (format, fingerprint, the sha256 of the rest) and the payload: a table of
the model's objects, each written once however many rules share it (a source cited by
four rules, a threshold), in an order where an object's parts come before it, and per
file the table rows of its rules. The payload names each class's fields and how each is
stored (`schema`), so reading builds the objects straight from the rows without working
the annotations out; the checksum and the fingerprint are what make that safe: a file
this code did not write whole, or another version of the reader wrote, is not used.
Anything in doubt means "parse again"; JSON, never pickle, so reading it executes
nothing; deleting the file is always safe.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from incidentkit.core.deadlines import model
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.playbook.cache import code_fingerprint
from incidentkit.core.playbook.model import Diagnostic

FORMAT = 3  # 3: one table of shared objects, a schema, and a checksum line
CACHE_NAME = "rules-cache.json"
_READER_MODULES = (*(f"incidentkit.core.deadlines.{name}" for name in (
    "model", "reader", "reader_parts", "fields", "duration", "vocabulary", "cache")),
    "incidentkit.core.yaml_nodes", "incidentkit.core.team_files")
_CLASSES: dict[str, type] = {c.__name__: c for c in (
    model.Rule, model.Clock, model.Conditions, model.Contact, model.Content, model.DataCondition, model.Duration,
    model.OrganisationCondition, model.Source, model.Threshold)}
_fingerprint: str | None = None


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
        self._doc: dict[str, Any] = {}
        self._objects: list[Any] | None = None
        self._used: dict[str, tuple[list[Rule], list[Diagnostic]]] = {}
        self._dirty = False
        if self.path is None or not reader_fingerprint():
            self.path = None
            return
        try:
            data = self.path.read_bytes()
            end = data.index(b"\n")
            head = json.loads(data[:end])
            payload = data[end + 1:]
            if (isinstance(head, dict) and head.get("format") == FORMAT and head.get("reader") == reader_fingerprint()
                    and head.get("sha256") == hashlib.sha256(payload).hexdigest()):
                doc = json.loads(payload)
                if isinstance(doc, dict) and isinstance(doc.get("files"), dict):
                    self._doc = doc
        except (OSError, ValueError):
            pass

    @staticmethod
    def key(label: str, data: bytes) -> str:
        return f"{hashlib.sha256(data).hexdigest()} {label}"

    def get(self, key: str) -> tuple[list[Rule], list[Diagnostic]] | None:
        if not self._doc:
            return None
        try:
            entry = self._doc["files"].get(key)
            if entry is None:
                return None
            objects = self._table()
            rules = [objects[i] for i in entry["rules"]]
            diagnostics = [Diagnostic(*row) for row in entry["diagnostics"]]
            if not all(type(r) is Rule for r in rules):
                raise TypeError("not a rule")
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            self._doc = {}  # written by no version of this code: parse everything again
            return None
        self._used[key] = (rules, diagnostics)
        return rules, diagnostics

    def put(self, key: str, rules: list[Rule], diagnostics: list[Diagnostic]) -> None:
        self._used[key] = (rules, diagnostics)
        self._dirty = True

    def save(self) -> None:
        """Write the cache when it changed; a failure to write is ignored (it is only an optimisation)."""
        old = set(self._doc["files"]) if self._doc else set()
        if self.path is None or not (self._dirty or set(self._used) != old):
            return
        from incidentkit.core.atomic_file import replace_atomically

        table = _Writer()
        files = {key: {"rules": [table.add(r) for r in rules],
                       "diagnostics": [to_jsonable(d, packed=True) for d in diagnostics]}
                 for key, (rules, diagnostics) in self._used.items()}
        payload = json.dumps({"schema": table.schema, "objects": table.rows, "files": files},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head = json.dumps({"format": FORMAT, "reader": reader_fingerprint(),
                           "sha256": hashlib.sha256(payload).hexdigest()}).encode()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            replace_atomically(self.path, lambda raw: raw.write(head + b"\n" + payload), prefix=".rules-cache-")
        except OSError:
            pass
        self._dirty = False

    def _table(self) -> list[Any]:
        """Every object of the payload, built once, parts before the objects made of them."""
        if self._objects is None:
            plans = [_plan(name, fields) for name, fields in self._doc["schema"]]
            objects: list[Any] = []
            new, append = object.__new__, objects.append
            for row in self._doc["objects"]:
                cls, names, converters = plans[row[0]]
                obj = new(cls)
                # Set as the model's own frozen __init__ would, without its per-field __setattr__.
                obj.__dict__.update(zip(names, [value if convert is None else convert(value, objects)
                                                for convert, value in zip(converters, row[1:], strict=True)]))
                append(obj)
            self._objects = objects
        return self._objects


# How a field is stored: as it is (text, numbers, flags, None), or converted on reading.
_CONVERTERS: dict[str, Callable[[Any, list[Any]], Any] | None] = {
    "value": None,
    "tuple": lambda v, _o: tuple(v),
    "set": lambda v, _o: frozenset(v),
    "sets": lambda v, _o: tuple(map(frozenset, v)),
    "date": lambda v, _o: None if v is None else date.fromisoformat(v),
    "object": lambda v, o: None if v is None else o[v],
    "objects": lambda v, o: tuple([o[i] for i in v]),
}


def _plan(name: str, fields: list[list[str]]) -> tuple[type, list[str], list[Any]]:
    cls = _CLASSES[name]
    names = [f for f, _how in fields]
    if names != [f.name for f in dataclasses.fields(cls)]:
        raise ValueError(f"{name}: fields changed")
    return cls, names, [_CONVERTERS[how] for _f, how in fields]


class _Writer:
    """The payload's table: each distinct object once, its parts first."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self.schema: list[list[Any]] = []
        self._index: dict[Any, int] = {}
        self._classes: dict[type, tuple[int, list[tuple[str, str]]]] = {}

    def add(self, obj: Any) -> int:
        found = self._index.get(obj)
        if found is not None:
            return found
        number, fields = self._class(type(obj))
        row: list[Any] = [number]
        for name, how in fields:
            value = getattr(obj, name)
            if how == "object":
                row.append(None if value is None else self.add(value))
            elif how == "objects":
                row.append([self.add(v) for v in value])
            else:
                row.append(to_jsonable(value))
        self._index[obj] = len(self.rows)
        self.rows.append(row)
        return len(self.rows) - 1

    def _class(self, cls: type) -> tuple[int, list[tuple[str, str]]]:
        found = self._classes.get(cls)
        if found is None:
            import typing

            hints = typing.get_type_hints(cls)
            fields = [(f.name, _how(hints[f.name])) for f in dataclasses.fields(cls)]
            found = self._classes[cls] = (len(self.schema), fields)
            self.schema.append([cls.__name__, [list(f) for f in fields]])
        return found


def _how(hint: Any) -> str:
    """The `_CONVERTERS` key for a field annotated `hint`."""
    import types
    import typing

    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = args
        if dataclasses.is_dataclass(inner):
            return "object"
        return "date" if inner is date else "value"
    if dataclasses.is_dataclass(hint):
        return "object"
    if hint is date:
        return "date"
    if origin is frozenset:
        return "set"
    if origin is tuple:
        if dataclasses.is_dataclass(args[0]):
            return "objects"
        return "sets" if typing.get_origin(args[0]) is frozenset else "tuple"
    return "value"


def to_jsonable(value: Any, *, packed: bool = False) -> Any:
    """A model value (dataclasses, dates, sets, tuples) as plain JSON values: each dataclass an
    object of its fields, or with `packed` the list of their values in order."""
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
