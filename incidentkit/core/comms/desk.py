"""The notice desk: one incident's record read, a template rendered with it, drafts checked.
What the CLI and the Communications tab share; the pure parts live in `context`, `checks`
and `sandbox`, the writes in `actions`.

    with Renderer() as renderer:
        desk = NoticeDesk(store, paths=app_paths, renderer=renderer)
        preview = desk.preview(incident_id, "customer-notice-email", values={"what_happened": "..."})
        draft = desk.draft(incident_id, "customer-notice-email", values=..., actor="ann")
        report = desk.check(incident_id, draft)

The scope profile comes from `deadlines.board.scope_profile_for` (the one place that
will read the scope import's fold) unless `profile_of` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from incidentkit.core.comms import markdown_text
from incidentkit.core.comms.actions import read_drafts, record_draft
from incidentkit.core.comms.checks import CheckReport, check_draft
from incidentkit.core.comms.context import IncidentRecord, audience_obligations, chronology, notice_context
from incidentkit.core.comms.details import read_details, with_defaults
from incidentkit.core.comms.library import TemplateLibrary
from incidentkit.core.comms.records import Draft
from incidentkit.core.comms.static import reads_timeline
from incidentkit.core.comms.templates import FieldSpec, NoticeTemplate
from incidentkit.core.comms.vocabulary import PLACEHOLDER_START
from incidentkit.core.comms.worker import Rendered, Renderer
from incidentkit.core.deadlines.board import read_board, scope_profile_for
from incidentkit.core.deadlines.model import Rule
from incidentkit.core.errors import IncidentKitError
from incidentkit.core.paths import AppPaths
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.core.store import Store


@dataclass(frozen=True)
class Preview:
    """A template rendered with the incident's record, not yet recorded."""

    template: NoticeTemplate
    rendered: Rendered
    context: dict[str, Any]
    record: IncidentRecord
    jurisdictions: tuple[str, ...]

    @property
    def title(self) -> str:
        return markdown_text.title(self.rendered.text) or self.template.title

    @property
    def unfilled(self) -> tuple[str, ...]:
        plain = markdown_text.plain_text(self.rendered.text, width=10_000)
        labels = []
        for part in plain.split(PLACEHOLDER_START)[1:]:
            label = part.split("]", 1)[0].strip()
            if label not in labels:
                labels.append(label)
        return tuple(labels)


@dataclass(frozen=True)
class PreviewJob:
    template: NoticeTemplate
    fields: tuple[FieldSpec, ...]
    sources: dict[str, tuple[str, str]]
    record: IncidentRecord
    context: dict[str, Any]
    jurisdictions: tuple[str, ...]
    values: dict[str, str]

    def run(self, renderer: Renderer) -> Preview:
        rendered = renderer.render(self.template, sources=self.sources, context=self.context, values=self.values,
                                   fields=self.fields)
        return Preview(self.template, rendered, self.context, self.record, self.jurisdictions)


class NoticeDesk:
    def __init__(self, store: Store, *, paths: AppPaths | None, renderer: Renderer,
                 templates: TemplateLibrary | None = None, rules: Sequence[Rule] | None = None,
                 defaults: Mapping[str, str] | None = None,
                 profile_of: Callable[[Store, str], ScopeProfile] = scope_profile_for,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.store, self.paths, self.renderer = store, paths, renderer
        self._templates, self._rules = templates, tuple(rules) if rules is not None else None
        self.defaults = dict(defaults or {})
        self.profile_of, self.clock = profile_of, clock

    @property
    def templates(self) -> TemplateLibrary:
        if self._templates is None:
            self._templates = TemplateLibrary.discover(self.paths)
        return self._templates

    @property
    def rules(self) -> tuple[Rule, ...]:
        if self._rules is None:
            from incidentkit.core.deadlines.library import RulesLibrary

            self._rules = RulesLibrary.discover(self.paths).rules
        return self._rules

    def record(self, incident_id: str, *, timeline: bool = False) -> IncidentRecord:
        """The incident as a notice may describe it, as of now."""
        store = self.store
        incident = store.incident(incident_id)
        board = read_board(store, incident.id, rules=self.rules, now=self.clock(),
                           profile=self.profile_of(store, incident.id))
        details = with_defaults(read_details(store, incident.id), self.defaults)
        entries = None
        if timeline:
            from incidentkit.core.projections import timeline as timeline_items

            events = store.events(incident.id)
            entries = chronology(timeline_items(store.playbook(incident.id), events), events,
                                 details.get("time_zone", ""))
        return IncidentRecord(incident.id, board.state.title, board.state.status, board.state.opened_at or "",
                              board, details, entries)

    def job(self, incident_id: str, template_id: str, *, values: Mapping[str, str] | None = None,
            jurisdictions: Sequence[str] = ()) -> PreviewJob:
        """Everything a render needs, read from the store now (on the store's thread); `run` it
        anywhere (the window renders off its thread)."""
        template = self.templates.get(template_id)
        specs = self.templates.fields_of(template)
        values = dict(values or {})
        unknown = sorted(set(values) - {f.name for f in specs})
        if unknown:
            known = ", ".join(f.name for f in specs) or "none"
            raise IncidentKitError(f"template '{template.id}' has no field {', '.join(map(repr, unknown))} "
                                   f"(its fields: {known})")
        sources = self.templates.sources()
        record = self.record(incident_id, timeline=reads_timeline(template.body, sources))
        chosen = tuple(dict.fromkeys(j.strip() for j in jurisdictions if j.strip()))
        context = notice_context(record, audience=template.audience, jurisdictions=chosen)
        return PreviewJob(template, specs, sources, record, context, chosen, values)

    def preview(self, incident_id: str, template_id: str, *, values: Mapping[str, str] | None = None,
                jurisdictions: Sequence[str] = ()) -> Preview:
        """Render `template_id` with the incident's record and the fields given (the rest default)."""
        return self.job(incident_id, template_id, values=values, jurisdictions=jurisdictions).run(self.renderer)

    def draft(self, incident_id: str, template_id: str, *, actor: str, values: Mapping[str, str] | None = None,
              jurisdictions: Sequence[str] = (), based_on: str = "") -> Draft:
        """Render and record a draft (or return the identical one already recorded)."""
        preview = self.preview(incident_id, template_id, values=values, jurisdictions=jurisdictions)
        return self.record_preview(preview, actor=actor, based_on=based_on)

    def record_preview(self, preview: Preview, *, actor: str, based_on: str = "") -> Draft:
        details = {k: v for k, v in preview.record.details.items() if v}
        return record_draft(self.store, incident_id=preview.record.incident_id, template=preview.template,
                            rendered=preview.rendered, audience=preview.template.audience,
                            jurisdictions=preview.jurisdictions, details=details, unfilled=preview.unfilled,
                            title=preview.title, actor=actor, based_on=based_on)

    def drafts(self, incident_id: str) -> list[Draft]:
        return read_drafts(self.store, incident_id)

    def check(self, incident_id: str, draft: Draft | Preview, *, rule_ids: Sequence[str] = ()) -> CheckReport:
        """The draft checked against the content rules of the obligations it serves (or of `rule_ids`)."""
        if isinstance(draft, Preview):
            text, audience, chosen = draft.rendered.text, draft.template.audience, draft.jurisdictions
            record, fields = draft.record, draft.rendered.fields
        else:
            text, audience, chosen = draft.text, draft.audience, draft.jurisdictions
            now = self.record(incident_id)
            record, fields = replace(now, details={**now.details, **draft.details}), draft.fields
        context = notice_context(record, audience=audience, jurisdictions=chosen)
        context["fields"] = dict(fields)
        rules = {r.id: r for r in self.rules}
        unknown = [r for r in rule_ids if r not in rules]
        if unknown:
            raise IncidentKitError(f"no rule {', '.join(map(repr, unknown))} (see `incidentkit rules`)")
        if rule_ids:
            by_id = {o.rule_id: o for o in record.board.obligations}
            serves = [by_id[r] for r in rule_ids if r in by_id]
        else:
            serves = audience_obligations(record.board, audience, chosen)
        return check_draft(text, obligations=serves, rules=rules, context=context)
