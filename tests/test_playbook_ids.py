"""Step and phase ids: the same results as the simple rules, in linear time on hostile text.

IdAllocator gives the ids counting suffixes from 2 would; `unlink` equals the link regex.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from incidentkit.core.playbook.ids import IdAllocator, unlink


def reference_take(used: set[str], base: str) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate = f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


@given(st.lists(st.sampled_from(["s", "s-2", "s-3", "a", "a-2", "s-2-2", "b"]), max_size=60),
       st.lists(st.sampled_from(["s", "s-4", "a-3", "b-2"]), max_size=4))
@settings(max_examples=300, deadline=None)
def test_property_ids_equal_the_counting_rule(bases, reserved):
    allocator, used = IdAllocator(reserved), set(reserved)
    assert [allocator.take(b) for b in bases] == [reference_take(used, b) for b in bases]


def test_many_equal_bases_are_linear():
    allocator = IdAllocator()
    ids = [allocator.take("step") for _ in range(100_000)]
    assert ids[:3] == ["step", "step-2", "step-3"] and ids[-1] == "step-100000"
    assert len(set(ids)) == len(ids)


LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@given(st.text(alphabet="[]()!ab \n", max_size=40))
@settings(max_examples=3000, deadline=None)
def test_property_unlink_equals_the_link_regex(text):
    assert unlink(text) == LINK.sub(r"\1", text)


def test_unlink_examples_and_a_hostile_line():
    assert unlink("See [the guide](https://x.example/a) and ![logo](l.png).") == "See the guide and logo."
    assert unlink("x[a [b](u)") == "xa [b" and unlink("[a](b") == "[a](b" and unlink("a]b[c") == "a]b[c"
    # No `]` after the brackets, then no `)` after a `](`: nothing is a link (the regex took minutes).
    for hostile in ("[" * 300_000 + "x", "[" * 300_000 + "](" + "(" * 300_000):
        assert unlink(hostile) == hostile
