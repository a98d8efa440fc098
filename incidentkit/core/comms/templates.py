"""A notice template file: YAML front matter (what it is, the fields a person fills in) over a
Jinja body that writes Markdown.

    from incidentkit.core.comms.templates import parse_template
    template, diagnostics = parse_template(text, "templates/customer-notice-email.md.j2")

The front matter is read with the rules' positioned YAML reader, so each problem is a
`path:line:col` diagnostic; a typo in a key is an error, not a silently ignored line.
The body keeps the front matter's lines as blank lines (`NoticeTemplate.body`), so the
line numbers Jinja reports are the file's own. Reading never runs the template: the
sandbox (`sandbox.py`) does that, in its own process.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from incidentkit.core.comms.vocabulary import AUDIENCES, FORMATS, TEMPLATE_SUFFIX
from incidentkit.core.deadlines.fields import Fields, Problems, child
from incidentkit.core.playbook.ids import ID_PATTERN, ID_RULE
from incidentkit.core.playbook.model import Diagnostic
from incidentkit.core.yaml_nodes import Node, read_yaml

TEMPLATE_KEYS = ("id", "title", "version", "audience", "format", "summary", "partial", "fields")
FIELD_KEYS = ("label", "help", "default", "required", "multiline")
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}\Z")
_FENCE = "---"


@dataclass(frozen=True)
class FieldSpec:
    """A value a person fills in. `default` may use the template's variables: it is rendered in
    the sandbox like the body, and the person sees (and may change) the result."""

    name: str
    label: str
    help: str = ""
    default: str = ""
    required: bool = False
    multiline: bool = False

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "label": self.label, "help": self.help, "default": self.default,
                "required": self.required, "multiline": self.multiline}


@dataclass(frozen=True)
class NoticeTemplate:
    """One template. `partial` ones are only included by others (`{% include "id" %}`)."""

    id: str
    title: str
    version: str
    audience: str                  # a key of AUDIENCES ("" for a partial)
    format: str                    # a key of FORMATS
    summary: str
    fields: tuple[FieldSpec, ...]
    body: str                      # the Jinja source, front matter lines blanked
    path: str
    sha256: str                    # of the whole file's text, as UTF-8
    partial: bool = False
    origin: str = "builtin"        # builtin | user | extra

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "version": self.version, "audience": self.audience,
                "audience_words": AUDIENCES.get(self.audience, ""), "format": self.format,
                "summary": self.summary, "partial": self.partial, "fields": [f.to_json() for f in self.fields],
                "source": self.origin, "path": self.path, "sha256": self.sha256}


def template_id_from_path(name: str) -> str:
    """`customer-notice-email.md.j2` -> `customer-notice-email`."""
    stem = name.rsplit("/", 1)[-1]
    if stem.lower().endswith(TEMPLATE_SUFFIX):
        stem = stem[: -len(TEMPLATE_SUFFIX)]
    return stem.rsplit(".", 1)[0] if "." in stem else stem


def parse_template(text: str, path: str, *, origin: str = "builtin") -> tuple[NoticeTemplate | None, list[Diagnostic]]:
    """The template in `text` and every problem found; None when the front matter cannot be
    read at all. A template whose diagnostics include an error must not be used (the
    library leaves it out); `validate` still checks the rest of it."""
    problems = Problems(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        problems.error((1, 1), "a template starts with front matter: a `---` line, `title:`, `audience:`, "
                               "`format:`, then `---`")
        return None, problems.found
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == _FENCE), None)
    if end is None:
        problems.error((1, 1), "the front matter's `---` on line 1 is never closed by another `---` line")
        return None, problems.found
    # One blank line first, so the YAML reader's line numbers are the file's.
    root, found = read_yaml("\n" + "\n".join(lines[1:end]), path, what="front matter")
    problems.found.extend(found)
    if root is None:
        if not found:
            problems.error((1, 1), "empty front matter: `title:`, `audience:` and `format:` are required")
        return None, problems.found
    f = child(root, "front matter", problems, TEMPLATE_KEYS)
    if f is None:
        return None, problems.found
    template_id = f.text("id") or template_id_from_path(path)
    if not ID_PATTERN.match(template_id):
        f.error("id", f"invalid template id '{template_id}': {ID_RULE}")
    partial = bool(f.flag("partial", default=False))
    fields = _read_fields(f.mapping("fields"), problems)
    template = NoticeTemplate(
        id=template_id,
        title=f.text("title", required=True),
        version=f.text("version", default="1"),
        audience=f.choice("audience", AUDIENCES, required=not partial),
        format=f.choice("format", FORMATS, required=not partial, default="document"),
        summary=f.text("summary"),
        fields=fields,
        body="\n" * (end + 1) + "\n".join(lines[end + 1:]),
        path=path,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        partial=partial,
        origin=origin,
    )
    f.done()
    return template, problems.found


def _read_fields(node: Node | None, problems: Problems) -> tuple[FieldSpec, ...]:
    if node is None:
        return ()
    out: list[FieldSpec] = []
    for name, value in node.value.items():
        line, col = node.key_marks[name]
        if not FIELD_NAME.match(name):
            problems.error((line, col), f"field '{name}': a field name is lower-case letters, digits and `_`, "
                                        "starting with a letter")
            continue
        if value.value is None:
            problems.error((line, col), f"field '{name}' needs at least a `label:`")
            continue
        spec = child(value, f"field '{name}'", problems, FIELD_KEYS)
        if spec is None:
            continue
        out.append(_field(name, spec))
        spec.done()
    return tuple(out)


def _field(name: str, f: Fields) -> FieldSpec:
    return FieldSpec(name=name, label=f.text("label", required=True), help=f.text("help"),
                     default=f.text("default"), required=bool(f.flag("required", default=False)),
                     multiline=bool(f.flag("multiline", default=False)))
