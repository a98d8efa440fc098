"""A draft checked against the law: each content requirement of the obligations it serves, met or
missing with its source, and plain language (a readability grade and the long sentences).

    report = check_draft(text, obligations=serves, rules=rules_by_id, context=context)
    report.requirements     # Requirement(rule_id, kind, what, met, detail, sources), in rule order
    report.missing          # how many are not met (forbidden content found counts as not met)

A pure function of the Markdown, the obligations, their rules' `content:` blocks and the
context the draft was rendered with. Facts are found in the text by their values (the
organisation's name, the data elements in words, the dates as the context wrote them);
narrative facts ("what happened", "what you can do") by the value of the field of the
same name (`what-happened` is the field `what_happened`). Forbidden content is found by
the same values and by words that describe it; a finding is a warning to read the draft
again, with its line, never an edit. Guidance, not legal advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from incidentkit.core.comms import markdown_text
from incidentkit.core.comms.readability import Readability, readability
from incidentkit.core.comms.vocabulary import PLACEHOLDER_START
from incidentkit.core.deadlines.model import Content, Rule, Source
from incidentkit.core.deadlines.obligations import Obligation
from incidentkit.core.deadlines.vocabulary import CONTENT_FIELDS, FORBIDDEN_CONTENT

# Words that state how a breach happened (Massachusetts forbids that in the notice to residents).
_NATURE = re.compile(r"\b(hack(?:ed|er|ers|ing)?|cyber[- ]?attack\w*|attack(?:ed|er|ers)?|intrusions?|malware|"
                     r"ransomware|exfiltrat\w+|unauthori[sz]ed (?:access|acquisition|use|person|persons|party|"
                     r"parties)|broke into|gained access)\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")
_CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")
_UNFILLED = re.compile(re.escape(PLACEHOLDER_START) + r" ([^\]]+)\]")


@dataclass(frozen=True)
class Requirement:
    rule_id: str
    jurisdiction: str
    kind: str                      # title | heading | order | field | phrase | contact | forbidden
    what: str                      # in words: `the heading "What Happened"`
    met: bool
    detail: str = ""               # why it is missing, or where forbidden content was found
    sources: tuple[Source, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "jurisdiction": self.jurisdiction, "kind": self.kind, "what": self.what,
                "met": self.met, "detail": self.detail, "sources": [s.to_json() for s in self.sources]}


@dataclass(frozen=True)
class CheckReport:
    requirements: tuple[Requirement, ...]
    readability: Readability
    unfilled: tuple[str, ...]
    without_content: tuple[str, ...] = ()      # rules served that say nothing about content
    serves: tuple[str, ...] = field(default=())

    @property
    def missing(self) -> int:
        return sum(not r.met for r in self.requirements)

    def to_json(self) -> dict[str, Any]:
        return {"serves": list(self.serves), "requirements": [r.to_json() for r in self.requirements],
                "missing": self.missing, "without_content": list(self.without_content),
                "unfilled": list(self.unfilled), "readability": self.readability.to_json()}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _get(context: Mapping[str, Any], path: str) -> Any:
    value: Any = context
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


# Where the value of each fact a notice must state is found in the context; a narrative
# fact is the field of its own name.
_FACT_PATHS: dict[str, tuple[str, ...]] = {
    "organisation-name": ("organisation.name",),
    "contact-details": ("organisation.phone", "organisation.email", "organisation.website",
                        "organisation.notice_page", "organisation.postal_address"),
    "dpo-contact": ("organisation.dpo_contact",),
    "breach-date": ("incident.breach_window",),
    "discovery-date": ("milestones.discovered.date", "incident.aware_date"),
    "notice-date": ("today",),
    "people-affected": ("audience.people_text", "scope.people_text"),
}


class _Draft:
    def __init__(self, text: str, context: Mapping[str, Any]) -> None:
        self.blocks = markdown_text.blocks(text)
        self.lines = [(b.line, b.text if b.kind != "table" else " | ".join(" | ".join(r) for r in b.rows))
                      for b in self.blocks]
        self.plain = _norm("\n".join(t for _, t in self.lines))
        self.title = markdown_text.title(text)
        self.headings = [(b.line, b.text) for b in self.blocks if b.kind == "heading" and b.level > 1]
        self.context = context

    def has(self, value: object) -> bool:
        text = _norm(str(value or ""))
        return bool(text) and not text.startswith(PLACEHOLDER_START) and text in self.plain

    def line_of(self, pattern: re.Pattern[str] | str) -> list[tuple[int, str]]:
        found = []
        for line, text in self.lines:
            if isinstance(pattern, str):
                if _norm(pattern) and _norm(pattern) in _norm(text):
                    found.append((line, pattern))
            else:
                found.extend((line, m.group(0)) for m in pattern.finditer(text))
        return found


def check_draft(text: str, *, obligations: Sequence[Obligation], rules: Mapping[str, Rule],
                context: Mapping[str, Any]) -> CheckReport:
    draft = _Draft(text, context)
    found: list[Requirement] = []
    bare: list[str] = []
    for o in obligations:
        rule = rules.get(o.rule_id)
        content = rule.content if rule is not None else None
        if content is None:
            bare.append(o.rule_id)
            continue
        sources = content.sources or (rule.sources if rule else ())
        found.extend(Requirement(o.rule_id, o.jurisdiction, kind, what, met, detail, sources)
                     for kind, what, met, detail in _content(content, draft, o))
    plain = markdown_text.plain_text(text, width=10_000)
    unfilled = tuple(dict.fromkeys(m.group(1) for m in _UNFILLED.finditer(plain)))
    return CheckReport(tuple(found), readability(draft.blocks), unfilled, tuple(bare),
                       tuple(o.rule_id for o in obligations))


def _content(content: Content, d: _Draft, o: Obligation) -> Iterable[tuple[str, str, bool, str]]:
    if content.title:
        ok = _norm(d.title) == _norm(content.title)
        yield "title", f'the title "{content.title}"', ok, "" if ok else f'the title is "{d.title or "(none)"}"'
    headings = [_norm(h.rstrip(":")) for _, h in d.headings]
    for heading in content.headings:
        ok = _norm(heading) in headings
        yield "heading", f'the heading "{heading}"', ok, "" if ok else "no heading with these words"
    if content.headings_in_order and all(_norm(h) in headings for h in content.headings):
        order = [headings.index(_norm(h)) for h in content.headings]
        ok = order == sorted(order)
        yield "order", "the headings in the order the law gives", ok, "" if ok else "the headings are out of order"
    for name in content.fields:
        if name == "reasons-for-delay" and o.status not in ("overdue", "met-late"):
            yield "field", CONTENT_FIELDS[name], True, "not late: none needed"
            continue
        yield ("field", CONTENT_FIELDS.get(name, name), *_fact(name, d))
    for phrase in content.phrases:
        ok = d.has(phrase)
        yield "phrase", f'the words "{phrase}"', ok, "" if ok else "not found"
    for contact in content.contacts:
        parts = [p for p in (contact.name, contact.phone, contact.address, contact.url) if p]
        absent = [p for p in parts if not d.has(p)]
        yield "contact", f"the contact details of {contact.name}", not absent, \
            "" if not absent else "missing: " + "; ".join(absent)
    for kind in content.forbidden:
        hits = _forbidden(kind, d, o.jurisdiction)
        yield "forbidden", f"no {FORBIDDEN_CONTENT.get(kind, kind)}", not hits, "; ".join(
            f"line {line}: {what}" if line else what for line, what in hits[:5])


def _fact(name: str, d: _Draft) -> tuple[bool, str]:
    if name == "data-elements":
        listed = _get(d.context, "scope.elements") or []
        absent = [e for e in listed if not d.has(e)]
        if not listed:
            return False, "the scope records no data elements"
        return not absent, "" if not absent else "not named: " + ", ".join(absent)
    paths = _FACT_PATHS.get(name, (f"fields.{name.replace('-', '_')}",))
    values = [v for v in (_get(d.context, p) for p in paths) if isinstance(v, str)]
    if any(d.has(v) for v in values):
        return True, ""
    if not any(v and not v.startswith(PLACEHOLDER_START) for v in values):
        where = " or ".join(p.replace("fields.", "the field ").replace("organisation.", "the notice detail ")
                            for p in paths)
        return False, f"no value: fill in {where}"
    return False, "the draft does not state it"


def _forbidden(kind: str, d: _Draft, jurisdiction: str) -> list[tuple[int, str]]:
    if kind == "nature-of-breach":
        hits = [(line, f'the heading "{h}"') for line, h in d.headings if _norm(h) == "what happened"]
        story = _get(d.context, "fields.what_happened")
        if isinstance(story, str) and d.has(story):
            hits.append((0, "the text of the field what_happened"))
        return hits + [(line, f'"{w}"') for line, w in d.line_of(_NATURE)]
    if kind == "number-affected":
        places = [j for j in _get(d.context, "scope.jurisdictions") or [] if j.get("code") == jurisdiction]
        counts = {n for n in [_get(d.context, "scope.people"), _get(d.context, "audience.people")] +
                  [j.get("people") for j in places] if isinstance(n, int) and n > 1}
        # A number on its own: not part of a phone number, a date or a longer number.
        pattern = re.compile(r"(?<![\w,.\-])(" + "|".join(f"{n:,}|{n}" for n in sorted(counts, reverse=True)) +
                             r")(?![\w\-]|[,.]\d)") if counts else None
        return [(line, f"the number {w}") for line, w in d.line_of(pattern)] if pattern else []
    if kind == "personal-information":
        ours = {_domain(_get(d.context, f"organisation.{k}")) for k in ("email", "website", "phishing_report",
                                                                       "sending_domain", "notice_page")}
        hits = [(line, f"the address {w}") for line, w in d.line_of(_EMAIL) if _domain(w) not in ours]
        return hits + [(line, "a number like a Social Security number") for line, _ in d.line_of(_SSN)] + \
            [(line, "a number like a payment card number") for line, _ in d.line_of(_CARD)]
    return []


def _domain(value: object) -> str:
    text = str(value or "").strip().lower()
    text = text.split("@")[-1].split("//")[-1].split("/")[0]
    return text.removeprefix("www.")
