"""Hypothesis: whatever markdown comes in, the parser returns a consistent Playbook or raises PlaybookError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.ids import ID_PATTERN
from incidentkit.core.playbook.loader import decode_playbook
from incidentkit.core.playbook.parser import parse_playbook

PIECES = [
    "- [ ] ", "* [x] ", "+ [X] ", "1. [ ] ", "2) [ ] ", "- ", "[ ]", "  ", "    ", "\t", "> ", ">",
    "# ", "## ", "### ", "#### ", "```", "~~~", "---", "...", "{#", "{#a}", "{#a-1 role=legal}",
    "{role=x due=\"1 day\"}", "{.c}", "}", "{", "=", "\"", "'", "| a | b |", "|---|---|",
    "title: ", "id: ", "roles:", "  legal: Legal", "tags: [", "]", ":", "\\", "<b>", "&amp;",
    "Notify", "Step", "café", "Уведомить", "通知", "🚨", "\u200b", "\ufeff", "\0", " ",
]
LINE = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=8).map("".join)
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])
BODY = st.lists(st.tuples(LINE, NEWLINE), max_size=40).map(lambda rows: "".join(a + b for a, b in rows))
# Half the documents start like a real playbook, so the success path gets exercised too.
HEAD = st.sampled_from(["", "", "# Title\n## Phase\n- [ ] first\n", "---\ntitle: T\nroles: {legal: Legal}\n---\n## P\n- [ ] a\n"])
DOCUMENT = st.tuples(HEAD, BODY).map("".join)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str) -> None:
    try:
        playbook = parse_playbook(text, "fuzz.md")
    except PlaybookError as exc:
        assert exc.diagnostics and any(d.severity == "error" for d in exc.diagnostics)
        assert all(d.line >= 1 and d.col >= 1 for d in exc.diagnostics)
        return
    steps = list(playbook.steps())
    assert steps and playbook.title
    ids = [s.id for s in steps]
    assert len(ids) == len(set(ids))
    assert all(ID_PATTERN.match(i) for i in ids)
    assert len({p.id for p in playbook.phases}) == len(playbook.phases)
    line_count = text.count("\n") + text.count("\r") + 1
    for step in steps:
        assert step.text.strip()
        assert 1 <= step.line <= line_count
        assert step.parent_id is None or playbook.has_step(step.parent_id)
    assert all(d.severity == "warning" for d in playbook.warnings)


@FAST
@given(DOCUMENT)
def test_markdown_shaped_input_never_escapes_as_another_exception(text):
    check(text)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    check(text)


@FAST
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data):
    try:
        text = decode_playbook(data, "fuzz.md")
    except PlaybookError:
        return
    check(text)


def outcome(text: str) -> object:
    """What a parse yields, minus the raw text: the model's shape or the error messages."""
    try:
        playbook = parse_playbook(text, "fuzz.md")
    except PlaybookError as exc:
        return sorted((d.line, d.message) for d in exc.diagnostics)
    return [(p.id, p.title, p.guidance, [(s.id, s.line, s.text, s.guidance, s.parent_id, dict(s.attrs)) for s in p.steps])
            for p in playbook.phases]


# No CR of its own and no leading BOM, so the CRLF and BOM variants below are exact.
LF_LINE = LINE.map(lambda line: line.replace("\r", ""))
LF_DOCUMENT = st.tuples(HEAD, st.lists(LF_LINE, max_size=30).map("\n".join)).map("".join).map(
    lambda text: text.lstrip("\ufeff"))


@settings(max_examples=150, deadline=None)
@given(LF_DOCUMENT)
def test_line_endings_and_bom_do_not_change_the_result(text):
    expected = outcome(text)
    assert outcome(text.replace("\n", "\r\n")) == expected
    assert outcome("\ufeff" + text) == expected
