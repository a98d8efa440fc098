"""A playbook's front matter is read by the one reader of untrusted YAML (`core/yaml_nodes.py`), as
rules files and notice templates are: each problem at the line and column where it is."""

from __future__ import annotations

from incidentkit.core.comms.templates import parse_template
from incidentkit.core.errors import PlaybookError
from incidentkit.core.playbook.parser import parse_playbook

BODY = "# Title\n\n## Phase\n\n- [ ] Do it\n"


def problems(text: str) -> list[tuple[str, int, int, str]]:
    try:
        found = parse_playbook(text, "p.md").warnings
    except PlaybookError as exc:
        found = tuple(exc.diagnostics)
    return [(d.severity, d.line, d.col, d.message) for d in found]


def test_an_unknown_key_is_warned_about_on_its_own_line_not_a_nested_key_of_its_name():
    text = "---\nroles:\n  owner: Incident owner\nowner: sam\n---\n" + BODY
    [(severity, line, col, message)] = problems(text)
    assert (severity, line, col) == ("warning", 4, 1) and message.startswith("unknown front matter key 'owner'")


def test_a_key_given_twice_is_an_error_where_it_is_given_again():
    assert problems("---\nversion: 1.0\ntitle: T\nversion: 2.0\n---\n" + BODY) == [
        ("error", 4, 1, "duplicate key 'version' (first given on line 2)")]


def test_aliases_are_refused_the_same_way_in_playbooks_and_templates():
    [(severity, line, _col, message)] = problems("---\ntitle: &t Laughs\nsummary: *t\n---\n" + BODY)
    assert (severity, line, message) == ("error", 3, "malformed front matter: aliases (`*name`) are not allowed")
    template = "---\ntitle: &t Laughs\nsummary: *t\naudience: individuals\n---\nHello\n"
    _, found = parse_template(template, "t.md.j2")
    assert [(d.line, d.message) for d in found] == [(3, "malformed front matter: aliases (`*name`) are not allowed")]
