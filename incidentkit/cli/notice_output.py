"""The notice commands' text and JSON: templates, drafts by audience, a draft's checks."""

from __future__ import annotations

from typing import Any

from incidentkit.core.comms.checks import CheckReport
from incidentkit.core.comms.library import TemplateLibrary
from incidentkit.core.comms.records import STATES, Draft
from incidentkit.core.comms.vocabulary import AUDIENCES, FORMATS
from incidentkit.core.deadlines.describe import DISCLAIMER


def templates_json(library: TemplateLibrary) -> dict[str, Any]:
    return {
        "templates": [{**t.to_json(), "fields": [f.to_json() for f in library.fields_of(t)]}
                      for t in library.notices()],
        "overridden": [{"id": t.id, "source": t.origin, "path": t.path} for t in library.shadowed],
        "problems": [d.to_json() for d in library.problems],
    }


def templates_text(library: TemplateLibrary) -> list[str]:
    lines: list[str] = []
    if not library.notices():
        lines.append("No notice templates found.")
    for t in library.notices():
        lines.append(f"{t.id}  v{t.version}  {t.title}")
        lines.append(f"    for {AUDIENCES.get(t.audience, t.audience)}; {FORMATS.get(t.format, t.format)}")
        fields = library.fields_of(t)
        if fields:
            lines.append("    fields: " + ", ".join(f.name + ("*" if f.required else "") for f in fields))
        if t.origin != "builtin":
            lines.append(f"    source: {t.origin} {t.path}")
    for t in library.shadowed:
        lines.append(f"overridden: {t.id} ({t.origin} {t.path})")
    if library.problems:
        lines.append("Failed to load:")
        lines.extend(f"    {d.format()}" for d in library.problems)
    lines.append("(* required)")
    return lines


def list_text(drafts: list[Draft]) -> list[str]:
    if not drafts:
        return ["No drafts yet: make one with `incidentkit notice draft ID TEMPLATE`."]
    lines: list[str] = []
    for audience in dict.fromkeys(d.audience for d in drafts):
        lines.append(f"For {AUDIENCES.get(audience, audience)}:")
        for d in (d for d in drafts if d.audience == audience):
            where = f" [{', '.join(d.jurisdictions)}]" if d.jurisdictions else ""
            lines.append(f"  {d.id[:12]}  {d.template_id} v{d.template_version}{where}  {STATES[d.state]}  "
                         f"sha256 {d.sha256[:12]}  {d.at[:16].replace('T', ' ')} by {d.by}")
            if d.based_on:
                lines.append(f"      edited from {d.based_on[:12]}")
            for a in d.approvals:
                role = f" as {a.role}" if a.role else ""
                lines.append(f"      approved by {a.by}{role} at {a.at[:16].replace('T', ' ')}")
            for s in d.sendings:
                flag = f"  WITHOUT APPROVAL: {s.reason}" if s.unapproved else ""
                lines.append(f"      sent to {s.audience}: {s.count:,} by {s.channel or '?'} (batch {s.batch}) at "
                             f"{s.at[:16].replace('T', ' ')}{flag}")
            if d.unfilled:
                lines.append(f"      still to fill in: {'; '.join(d.unfilled)}")
    return lines


def check_text(draft: Draft, report: CheckReport) -> list[str]:
    lines = [f"Draft {draft.id[:12]} ({draft.template_id}, sha256 {draft.sha256[:12]})"]
    if report.serves:
        lines.append(f"Serves: {', '.join(report.serves)}")
    else:
        lines.append("Serves no obligation that applies: no content rules to check.")
    for r in report.requirements:
        mark = "met    " if r.met else "MISSING"
        lines.append(f"  {mark}  {r.rule_id}: {r.what}" + (f" ({r.detail})" if r.detail else ""))
        for s in r.sources:
            lines.append(f"           source: {s.citation} ({s.type}, as of {s.as_of})")
    for rule_id in report.without_content:
        lines.append(f"  (no content rules)  {rule_id}")
    for label in report.unfilled:
        lines.append(f"  TO FILL  {label}")
    lines.append(report.readability.words_line())
    for s in report.readability.long_sentences:
        lines.append(f"  line {s.line}: {s.words} words: {s.text[:100]}{'…' if len(s.text) > 100 else ''}")
    lines.append(f"{report.missing} missing of {len(report.requirements)} requirements. {DISCLAIMER}")
    return lines
