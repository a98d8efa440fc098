"""What `playbooks convert` did to a runbook, and what it could not place, in words."""

from __future__ import annotations

from dataclasses import dataclass, field

from incidentkit.core.playbook.model import Diagnostic


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass
class ConvertReport:
    """Filled in by `convert.convert_runbook`. Line numbers are the source file's, 1-based."""

    source: str
    title: str = ""
    title_from: str = ""            # "front matter", "the first heading", "the file name"
    playbook_id: str = ""
    version: str = ""
    summary_from: str = ""          # "front matter summary", "front matter description", ""
    dropped_keys: list[str] = field(default_factory=list)
    front_matter_problem: str = ""  # why the source's front matter was replaced
    phase_level: int | None = None  # the source heading level that became the phases
    steps_phase_added: bool = False
    phases: int = 0
    sections: int = 0
    from_numbered: int = 0
    from_bullets: int = 0
    from_tasks: int = 0
    ids_added: int = 0
    kept_as_text: list[tuple[int, str]] = field(default_factory=list)
    unplaced: list[tuple[int, str]] = field(default_factory=list)
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def steps(self) -> int:
        return self.from_numbered + self.from_bullets + self.from_tasks

    def _headings(self) -> str:
        if self.steps_phase_added:
            return "no phase headings: the steps are in one phase, `## Steps`"
        if self.phase_level is None:
            return "no headings"
        marks = "#" * self.phase_level
        moved = {1: "; every deeper heading one level deeper", 2: ""}.get(
            self.phase_level, f"; they and every deeper heading moved up {self.phase_level - 2} level(s)")
        return f"`{marks}` headings are the phases{moved}"

    def lines(self) -> list[str]:
        """The report as the CLI prints it (the first line is the summary)."""
        out = [f"{self.source}: {plural(self.phases, 'phase')}, {plural(self.sections, 'section')}, "
               f"{plural(self.steps, 'step')}"]
        out.append(f"  title: {self.title!r} (from {self.title_from}); id: {self.playbook_id}; version: {self.version}")
        if self.summary_from:
            out.append(f"  summary: from the {self.summary_from}")
        if self.front_matter_problem:
            out.append(f"  front matter replaced: {self.front_matter_problem}")
        if self.dropped_keys:
            out.append(f"  front matter keys dropped: {', '.join(self.dropped_keys)}")
        out.append(f"  headings: {self._headings()}")
        if self.from_tasks:
            out.append(f"  steps: the {plural(self.from_tasks, 'task item')} already there (plain lists stay text)")
        else:
            out.append(f"  steps: {self.from_numbered} from numbered lists, {self.from_bullets} from bullet lists; "
                       "what is nested under an item is its guidance")
        if self.ids_added:
            out.append(f"  ids: {plural(self.ids_added, 'step')} got an explicit {{#id}} from its text, so later "
                       "edits to the text keep its progress")
        for title, entries in (("kept as text", self.kept_as_text), ("could not place", self.unplaced)):
            if entries:
                out.append(f"  {title}:")
                out.extend(f"    {self.source}:{line}: {what}" for line, what in entries)
        return out
