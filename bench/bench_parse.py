"""Parse benchmark: markdown -> Playbook, as a ratio over markdown-it-py tokenizing the same text.

A generated playbook of about 200 KB with about 3,000 steps (sections, attribute blocks,
guidance paragraphs, tables, code, sub-steps). The floor is
`MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)`, the full
tokenizer the window renders with, timed in the same run. Goal: at most 1.5x.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from markdown_it import MarkdownIt  # noqa: E402

from bench.common import median_time, report  # noqa: E402
from incidentkit.core.playbook.parser import parse_playbook  # noqa: E402

GOAL = 1.5


def generate(phases: int = 10, sections: int = 6, steps: int = 45) -> str:
    """A realistic-shaped playbook: phases of sections of steps, some with guidance and sub-steps."""
    out = [
        "---", "id: bench", "title: Bench playbook", "version: 1",
        "roles:", "  lead: Incident lead", "  legal: Legal counsel", "---", "",
        "# Bench playbook", "", "Generated for the parse benchmark.", "",
    ]
    n = 0
    for p in range(phases):
        out += [f"## Phase {p + 1}: work stream {p}", "", f"What phase {p + 1} is for, in one *short* paragraph.", ""]
        for s in range(sections):
            out += [f"### Section {p + 1}.{s + 1}", "", "Context for the section with a [link](https://example.org).", ""]
            for k in range(steps):
                n += 1
                attrs = f" {{#s{n} role={'lead' if k % 2 else 'legal'}}}" if k % 5 == 0 else ""
                out.append(f"- [ ] Check item {n} of the **vendor** record `{k}`{attrs}")
                if k % 4 == 0:
                    out += ["", f"  Guidance for item {n}: ask for it in writing.", ""]
                if k % 10 == 3:
                    out.append(f"  - [ ] Sub-check {n}")
                if k % 25 == 7:
                    out += ["", "  | field | count |", "  |---|---|", "  | email | 10 |", ""]
            out.append("")
    return "\n".join(out) + "\n"


def main() -> None:
    text = generate()
    playbook = parse_playbook(text, "bench.md")
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    floor = median_time(lambda: md.parse(text))
    ours = median_time(lambda: parse_playbook(text, "bench.md"))
    size = f"({len(text.encode()) // 1024} KB, {playbook.step_count} steps, {ours * 1000:.0f} ms vs {floor * 1000:.0f} ms)"
    report("parse", ours / floor, GOAL, size)


if __name__ == "__main__":
    main()
