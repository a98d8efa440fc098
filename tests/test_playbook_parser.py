"""The parser builds the right model: phases, sections, steps, sub-steps, guidance, ids, lines."""

from __future__ import annotations

import textwrap

import pytest
from conftest import REPO

from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.parser import parse_playbook

EXAMPLE = textwrap.dedent(
    """\
    ---
    id: vendor-demo
    title: Vendor demo
    version: 2
    summary: A short demo.
    tags: [vendor, breach]
    roles:
      lead: Incident lead
      legal: Legal counsel
    ---
    # Vendor demo

    Read this first.

    ## Scope

    Work out what leaked.

    - [ ] Get written confirmation from the vendor {#confirm role=lead due="24 hours"}

      Ask for:

      | field | needed |
      |---|---|
      | dates | yes |

      - [ ] Ask for the record count {#count}
      - A plain bullet stays guidance.
      - [x] Ask for the forensic report

    ### By jurisdiction

    Count customers per state.

    1. [ ] Export the affected list {role=legal}
    2. [ ] Export the affected list

    ## Notify

    - [ ] Tell the regulator
    """
)


@pytest.fixture(scope="module")
def playbook():
    return parse_playbook(EXAMPLE, "demo.md")


def test_front_matter(playbook):
    assert (playbook.id, playbook.title, playbook.version, playbook.summary) == (
        "vendor-demo", "Vendor demo", "2", "A short demo.")
    assert playbook.tags == ("vendor", "breach")
    assert dict(playbook.roles) == {"lead": "Incident lead", "legal": "Legal counsel"}
    assert playbook.intro == "Read this first."
    assert playbook.warnings == ()
    assert playbook.markdown == EXAMPLE
    assert len(playbook.sha256) == 64


def test_phases_sections_and_lines(playbook):
    assert [(p.id, p.title, p.line) for p in playbook.phases] == [("scope", "Scope", 15), ("notify", "Notify", 38)]
    scope = playbook.phases[0]
    assert scope.guidance == "Work out what leaked."
    assert [(s.title, s.level, s.line, s.guidance) for s in scope.sections] == [
        ("By jurisdiction", 3, 31, "Count customers per state.")]
    assert scope.sections[0].step_ids == ("export-the-affected-list", "export-the-affected-list-2")


def test_steps_ids_attrs_and_nesting(playbook):
    steps = list(playbook.steps())
    assert [s.id for s in steps] == [
        "confirm", "count", "ask-for-the-forensic-report",
        "export-the-affected-list", "export-the-affected-list-2", "tell-the-regulator",
    ]
    confirm = playbook.step("confirm")
    assert confirm.text == "Get written confirmation from the vendor"
    assert confirm.role == "lead" and dict(confirm.attrs) == {"role": "lead", "due": "24 hours"}
    assert confirm.explicit_id and confirm.line == 19 and confirm.depth == 0 and confirm.parent_id is None
    count = playbook.step("count")
    assert (count.parent_id, count.depth, count.phase_id) == ("confirm", 1, "scope")
    report = playbook.step("ask-for-the-forensic-report")
    assert report.checked_in_source and not report.explicit_id
    assert playbook.step("export-the-affected-list").section == "By jurisdiction"
    assert playbook.step("export-the-affected-list").role == "legal"
    assert playbook.step("tell-the-regulator").phase_id == "notify"


def test_step_guidance_is_dedented_source_without_sub_steps(playbook):
    assert playbook.step("confirm").guidance == textwrap.dedent(
        """\
        Ask for:

        | field | needed |
        |---|---|
        | dates | yes |

        - A plain bullet stays guidance."""
    )
    assert playbook.step("count").guidance == ""


def test_guidance_keeps_blank_line_after_sub_step():
    text = "# T\n## P\n- [ ] Parent\n\n  Before.\n  - [ ] Child\n\n  After the child.\n"
    assert parse_playbook(text).step("parent").guidance == "Before.\n\nAfter the child."


def test_no_front_matter_uses_file_name_and_first_heading():
    playbook = parse_playbook("# Phishing response\n\n## Triage\n\n- [ ] Pull the headers\n", "/x/My Playbook.md")
    assert (playbook.id, playbook.title, playbook.version, playbook.summary) == (
        "my-playbook", "Phishing response", "0", "")


def test_slugs_never_collide_with_explicit_ids():
    text = "# T\n## P\n- [ ] Call legal\n- [ ] Something {#call-legal}\n- [ ] Call legal\n"
    assert [s.id for s in parse_playbook(text).steps()] == ["call-legal-2", "call-legal", "call-legal-3"]


def test_slug_folds_accents_strips_markdown_and_truncates():
    text = (
        "# T\n## P\n- [ ] Résumé **café** [naïve](https://x.org) `code`\n"
        "- [ ] " + "word " * 30 + "\n"
    )
    ids = [s.id for s in parse_playbook(text).steps()]
    assert ids[0] == "resume-cafe-naive-code"
    assert len(ids[1]) <= 48 and ids[1].startswith("word-word") and not ids[1].endswith("-")


def test_non_latin_text_gets_a_stable_hash_slug():
    text = "# Тест\n## Фаза\n- [ ] Уведомить регулятора\n- [ ] 通知する 🚨\n"
    first = [s.id for s in parse_playbook(text).steps()]
    again = [s.id for s in parse_playbook("# Тест\n## Фаза\n- [ ] 通知する 🚨\n").steps()]
    assert first[0].startswith("step-") and len(first[0]) == len("step-") + 8
    assert again == first[1:]
    assert parse_playbook(text).phases[0].title == "Фаза"


def test_crlf_bom_and_tabs_parse_like_lf():
    lf = "# T\n\n## P\n\n- [ ] First {#first}\n\n\tGuidance.\n\n\t- [ ] Nested\n"
    crlf = "\ufeff" + lf.replace("\n", "\r\n")
    a, b = parse_playbook(lf), parse_playbook(crlf)
    assert [(s.id, s.line, s.text, s.guidance, s.parent_id) for s in a.steps()] == [
        (s.id, s.line, s.text, s.guidance, s.parent_id) for s in b.steps()]
    assert a.step("first").guidance == "Guidance."
    assert a.step("nested").parent_id == "first"


def test_all_task_markers_are_steps_and_braces_never_in_text():
    text = "# T\n## P\n- [ ] a\n* [ ] b\n+ [x] c\n1. [X] d\n2) [ ] e {#e}\n- [] not a task\n- [ ]not a task\n"
    playbook = parse_playbook(text)
    assert [s.text for s in playbook.steps()] == ["a", "b", "c", "d", "e"]
    assert [s.checked_in_source for s in playbook.steps()] == [False, False, True, True, False]


def test_braces_that_are_not_attributes_stay_in_the_text():
    playbook = parse_playbook("# T\n## P\n- [ ] Replace {name} with the vendor\n- [ ] Fill {placeholder}\n")
    assert [s.text for s in playbook.steps()] == ["Replace {name} with the vendor", "Fill {placeholder}"]


def test_steps_in_blockquotes_are_steps_with_guidance_unquoted():
    text = "# T\n## P\n> - [ ] Quoted step\n>\n>   Quoted guidance.\n"
    step = next(parse_playbook(text).steps())
    assert (step.text, step.guidance) == ("Quoted step", "Quoted guidance.")


def test_steps_before_first_phase_go_to_an_implicit_phase_with_a_warning():
    playbook = parse_playbook("# Checklist\n\n- [ ] One\n- [ ] Two\n\n## Later\n\n- [ ] Three\n")
    assert [(p.id, p.title, len(p.steps)) for p in playbook.phases] == [("checklist", "Checklist", 2), ("later", "Later", 1)]
    [warning] = playbook.warnings
    assert (warning.line, warning.severity) == (3, "warning")
    assert "2 step(s) before the first `##` phase heading" in warning.message


def test_heading_attribute_block_sets_the_phase_id():
    playbook = parse_playbook("# T\n## Notify the regulators {#notify}\n- [ ] Go\n")
    assert (playbook.phases[0].id, playbook.phases[0].title) == ("notify", "Notify the regulators")


def test_duplicate_phase_titles_get_unique_ids():
    playbook = parse_playbook("# T\n## Again\n- [ ] a\n## Again\n- [ ] b\n")
    assert [p.id for p in playbook.phases] == ["again", "again-2"]


def test_multi_line_step_text_is_joined_and_attrs_read_from_first_line():
    step = next(parse_playbook("# T\n## P\n- [ ] Ask the vendor {#ask}\n  for the full list\n").steps())
    assert (step.id, step.text) == ("ask", "Ask the vendor for the full list")


def test_task_items_in_code_blocks_are_not_steps():
    text = "# T\n## P\n```\n- [ ] not a step\n```\n- [ ] real\n"
    assert [s.text for s in parse_playbook(text).steps()] == ["real"]


def test_errors_raise_playbook_error_with_all_diagnostics():
    with pytest.raises(PlaybookError) as info:
        parse_playbook("- [ ]\n- [ ] x {#Bad}\n", "f.md")
    messages = [d.message for d in info.value.diagnostics]
    assert any(m.startswith("missing title") for m in messages)
    assert "step has no text" in messages
    assert str(info.value).startswith("f.md:")


def test_the_documented_example_is_what_the_docs_say():
    doc = (REPO / "docs" / "playbook-format.md").read_text(encoding="utf-8")
    example = doc.split("````markdown\n", 1)[1].split("\n````", 1)[0]
    playbook = parse_playbook(example, "leaked-api-key.md")
    assert playbook.warnings == ()
    assert [p.title for p in playbook.phases] == ["Contain", "Investigate", "Recover"]
    assert playbook.step_count == 9
    assert [s.id for s in playbook.steps() if s.parent_id == "takedown"] == ["takedown-repo", "takedown-paste"]
    assert len(playbook.phases[1].sections) == 2
