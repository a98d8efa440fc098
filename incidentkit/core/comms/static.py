"""What a template's source refers to, read without running it: the variables it reads (with
their lines), the templates it includes, the fields it uses.

Jinja's parser only reads the source; nothing runs here, so it is safe in this process.
`validate` reports what these find with `path:line`; the notice desk asks whether a
template reads the timeline (building the counsel's chronology only when one does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment, TemplateSyntaxError, nodes

# The context's top-level variables (docs/notices.md), and the names Jinja and the sandbox add.
VARIABLES = ("organisation", "vendor", "incident", "today", "now", "time_zone", "scope", "audience", "deadlines",
             "obligations", "notices_sent", "milestones", "timeline", "fields", "disclaimer")
CONTEXT_NAMES = frozenset({*VARIABLES, "range", "dict", "loop", "self", "varargs", "kwargs", "caller"})


@dataclass
class Reads:
    names: list[tuple[str, int]] = field(default_factory=list)      # top-level names read, with lines
    includes: list[tuple[str, int]] = field(default_factory=list)   # template ids included, with lines
    fields: list[tuple[str, int]] = field(default_factory=list)     # `fields.x` read, with lines
    error: tuple[int, str] | None = None                            # a syntax error: line, message


def reads(body: str) -> Reads:
    found = Reads()
    try:
        tree = Environment(trim_blocks=True, lstrip_blocks=True).parse(body)
    except TemplateSyntaxError as exc:
        found.error = (exc.lineno or 1, exc.message or "syntax error")
        return found
    except RecursionError:
        found.error = (1, "the template nests too deeply")
        return found
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    assigned |= {n.name for n in tree.find_all(nodes.Macro)}
    found.names = [(n.name, n.lineno) for n in tree.find_all(nodes.Name)
                   if n.ctx == "load" and n.name not in assigned]
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
            found.includes.append((node.template.value, node.lineno))
        else:
            found.includes.append(("", node.lineno))
    found.fields = [(n.attr, n.lineno) for n in tree.find_all(nodes.Getattr)
                    if isinstance(n.node, nodes.Name) and n.node.name == "fields"]
    return found


def reads_timeline(body: str, sources: dict[str, tuple[str, str]], seen: frozenset[str] = frozenset()) -> bool:
    """Whether the template, or one it includes, reads `timeline`."""
    found = reads(body)
    if any(name == "timeline" for name, _ in found.names):
        return True
    return any(reads_timeline(sources[i][0], sources, seen | {i}) for i, _ in found.includes
               if i in sources and i not in seen)
