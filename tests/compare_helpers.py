"""Comparing what a cache gives back with what parsing gives: equal down to the type of every part."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from types import MappingProxyType


def assert_identical(a: object, b: object, where: str = "value") -> None:
    """Equal, and of the same types all the way down (a list where a tuple belongs would compare unequal
    only sometimes, and a set equals a frozenset)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if is_dataclass(a):
        for f in fields(a):
            assert_identical(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_identical(x, y, f"{where}[{i}]")
    elif isinstance(a, MappingProxyType):
        assert dict(a) == dict(b), where
    elif isinstance(a, frozenset):
        assert a == b, where
        for x in a:
            assert_identical(x, next(y for y in b if y == x), f"{where}{{{x!r}}}")
    else:
        assert a == b, where
