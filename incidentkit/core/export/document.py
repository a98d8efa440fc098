"""The document every human-readable export renders: title block, rows, step summary, footer.

Built once here, in plain strings, so Markdown, HTML, PDF and CSV say the same thing and
each format module only worries about its own syntax and escaping. Rows are produced
lazily (`iter_rows`) with progress ticks, so large timelines stream. Text for people
goes through `core.text.shown` here (bidi controls as `<U+202E>`), before any format's
escaping; machine rows (`human=False`, Timesketch) keep it as recorded.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from incidentkit.core import events as ev
from incidentkit.core.corrections import awareness_time
from incidentkit.core.events import parse_ts
from incidentkit.core.export.human_times import human_time, human_ts, recorded_text
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn, Ticker
from incidentkit.core.export.source import ExportData
from incidentkit.core.playbook.due import deadline
from incidentkit.core.projections import TimelineItem
from incidentkit.core.text import needs_shown, shown
from incidentkit.core.titles import amendment_detail
from incidentkit.core.versions import version_spans

__all__ = ["human_time", "human_ts"]  # re-exported: the CSV writer and tests read them here

# Items per progress report (and cancellation check): cheap on 100,000 events, prompt on a cancel.
TICK_EVERY = 250


def for_humans(text: str) -> str:
    """Text a human-readable export shows: `core.text.shown` (bidi controls and stray control
    characters made visible). JSON and Timesketch keep text exactly as recorded."""
    return shown(text)


class Row(NamedTuple):
    """One timeline event, ready to print. `occurred_at` is the effective (amended) time as
    stored, `when` its human form in the export's zone; `recorded_at` is stored text too;
    `recorded` says when and by whom an event was written down long after (or before) the
    time it gives ("" otherwise). `detail_is_markdown`: the detail is a person's markdown
    (an entry's), not text we made (a note's summary, an amendment's changes).
    A NamedTuple, not a frozen dataclass: it is built once per event on every export."""

    seq: int
    occurred_at: str
    when: str
    title: str
    detail: str
    kind: str
    category: str
    step_id: str
    actor: str
    recorded_at: str
    amended_by: str
    original: str      # human rows: `amendment_lines` joined by newlines; machine rows: `original_text`
    event_id: str
    hash: str
    corrections: tuple[str, ...] = ()  # human rows: `amendment_notes`
    recorded: str = ""
    detail_is_markdown: bool = False

    def amendment_lines(self) -> list[str]:
        """For an amended event, what each correction replaced and who made it, when and why."""
        return list(self.corrections)


NO_ROWS = "No events match this export."
# The fields of a `Row` that hold text from people or files.
_TEXT_NAMES = ("title", "detail", "kind", "category", "step_id", "actor", "original", "recorded")
_texts_of = attrgetter(*_TEXT_NAMES)


@dataclass(frozen=True)
class StepLine:
    text: str
    status: str
    note: str
    note_by: str = ""  # "bob, 2026-11-20 08:06:00 UTC": who wrote the note, and when


@dataclass(frozen=True)
class PhaseSummary:
    title: str
    progress: str
    steps: tuple[StepLine, ...]


@dataclass(frozen=True)
class Footer:
    event_count: int
    exported: int
    generated_at: str
    head_hash: str
    incident_id: str

    def lines(self) -> list[tuple[str, str]]:
        return [
            ("Events in the chain", str(self.event_count)),
            ("Events in this export", str(self.exported)),
            ("Generated at", self.generated_at),
            ("Chain head hash", self.head_hash),
            ("Check with", f"incidentkit verify {self.incident_id}"),
        ]


def _original_text(original: Mapping[str, object], zone: tzinfo | None) -> str:
    parts = []
    for key, value in original.items():
        if key == "occurred_at" and isinstance(value, str) and value and zone is not None:
            value = human_ts(value, zone)
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


def selected_chunks(data: ExportData, options: ExportOptions,
                    progress: ProgressFn | None = None) -> Iterator[list[TimelineItem]]:
    """The timeline items the options select, chronological, in lists of at most `TICK_EVERY`.

    Every format's rows come from here, so all include exactly the same events. Progress
    is reported (and cancellation checked) before each list; writers of large formats loop
    over the lists, which costs less per item than resuming a generator for each."""
    items = data.items
    ranged = options.since is not None or options.until is not None
    everything = not ranged and options.wants_every_kind()
    wanted: dict[str, bool] = {}

    def keep(item: TimelineItem) -> bool:
        kind = item.event.kind
        if kind not in wanted:
            wanted[kind] = options.wants_kind(kind)
        return wanted[kind] and not (ranged and not options.wants_time(parse_ts(item.occurred_at)))

    ticker = Ticker(progress, len(items), every=TICK_EVERY)
    for start in range(0, len(items), TICK_EVERY):
        chunk = items[start:start + TICK_EVERY]
        ticker.tick(len(chunk))
        if not everything:
            chunk = [item for item in chunk if keep(item)]
        yield chunk
    ticker.finish()


def selected_items(data: ExportData, options: ExportOptions,
                   progress: ProgressFn | None = None) -> Iterator[TimelineItem]:
    """The items of `selected_chunks`, one by one."""
    for chunk in selected_chunks(data, options, progress):
        yield from chunk


def full_detail(item: TimelineItem) -> str:
    """The detail as recorded: for a note event its full text (the timeline's detail is a
    summary of the change), unless an amendment replaced it."""
    if item.event.kind == ev.STEP_NOTED and "detail" not in item.original:
        return str(item.event.payload.get("text", ""))
    return item.detail


def final_note_ids(data: ExportData) -> frozenset[str]:
    """The ids of the note events that hold each step's current note (the latest per step)."""
    latest: dict[str | None, str] = {}
    for event in data.events:  # in seq order
        if event.kind == ev.STEP_NOTED:
            latest[event.step_id] = event.id
    return frozenset(latest.values())
def _was(key: str, value: object, zone: tzinfo) -> str:
    if key == "occurred_at":
        return f"time {human_ts(str(value), zone)}"
    return f"{key} “{value}”" if value != "" else f"{key} (empty)"


def amendment_notes(item: TimelineItem, zone: tzinfo) -> list[str]:
    """One line per correction of an amended item: "was: ..." (the values it replaced), then who
    corrected it, when and why, so a reader sees the original next to the correction."""
    lines = []
    for fix in item.amendments:
        was = "; ".join(_was(key, value, zone) for key, value in fix.was.items()) or "(nothing it could change)"
        lines.append(f"was: {was} — corrected by {fix.by} at {human_ts(fix.at, zone)} (event {fix.event_id[:12]});"
                     f" reason: {fix.reason or 'none given'}")
    return lines


def amended_by_text(item: TimelineItem) -> str:
    """The ids of the events that amend this one, comma-separated ("" when none)."""
    return ", ".join(item.amended_by) if item.amended_by else ""


def original_text(item: TimelineItem, zone: tzinfo | None) -> str:
    """The original values of an amended event ("" when none); times shown in `zone`, or as
    stored when `zone` is None."""
    return _original_text(item.original, zone) if item.amended_by else ""


def iter_rows(data: ExportData, options: ExportOptions, progress: ProgressFn | None = None,
              *, human: bool = True) -> Iterator[Row]:
    """`Row`s of the `selected_items`.

    `human=False` (machine formats) leaves `when` and `recorded` empty, original times as
    stored and text as recorded (a note's full text as its detail); otherwise text is
    `shown` (see `for_humans`)."""
    if not human:
        for item in selected_items(data, options, progress):
            event = item.event
            yield Row(event.seq, item.occurred_at, "", item.title, full_detail(item), event.kind, item.category,
                      event.step_id or "", event.actor, event.recorded_at, amended_by_text(item),
                      original_text(item, None), event.id, event.hash)
        return
    zone = options.zone
    for chunk in selected_chunks(data, options, progress):
        rows = []
        for item in chunk:
            event = item.event
            kind = event.kind
            detail = item.detail
            if kind == ev.TIMELINE_AMENDED:  # its new time in the export's zone, like every other time
                detail = amendment_detail(event.payload, lambda text: human_ts(text, zone))
            notes = tuple(amendment_notes(item, zone)) if item.amended_by else ()
            rows.append(Row(
                event.seq,
                item.occurred_at,
                human_ts(item.occurred_at, zone),
                item.title,
                detail,
                kind,
                item.category,
                event.step_id or "",
                event.actor,
                event.recorded_at,
                amended_by_text(item),
                "\n".join(notes),
                event.id,
                event.hash,
                notes,
                recorded_text(item.occurred_at, event.recorded_at, event.actor, zone),
                kind == ev.TIMELINE_ENTRY,
            ))
        # One scan of the chunk's text (`original` holds the corrections' lines); nearly
        # always it has nothing to show escaped.
        if needs_shown(chain.from_iterable(map(_texts_of, rows))):
            rows = [r._replace(corrections=tuple(map(shown, r.corrections)),
                               **{f: shown(getattr(r, f)) for f in _TEXT_NAMES}) for r in rows]
        yield from rows


def incident_title(data: ExportData) -> str:
    return for_humans(" ".join(data.title.split())) or "Untitled incident"


def title_fields(data: ExportData, options: ExportOptions) -> list[tuple[str, str]]:
    """The title block as (label, value) pairs; the incident title is shown separately."""
    zone = options.zone
    state, pb = data.state, data.playbook
    fields = [
        ("Incident id", data.incident.id),
        ("Playbook", shown(f"{pb.title} ({pb.id}, version {pb.version})")),
        *aware_fields(data, zone),
        ("Status", state.status),
    ]
    if state.closed_at and state.status == "closed":
        fields.append(("Closed at", human_ts(state.closed_at, zone)))
    fields.append(("Progress", f"{state.finished} of {state.total} steps finished ({state.percent}%): "
                               f"{state.done} done, {state.skipped} skipped"))
    spans = version_spans(data.events)
    if len(spans) > 1:  # upgraded: say which version each event was recorded under
        fields.insert(2, ("Playbook versions", shown("; ".join(
            span.describe() + ("" if n == 0 else f", upgraded {human_ts(span.since, zone)} by {span.by}")
            for n, span in enumerate(spans)))))
    fields.append(("Contents", options.describe()))
    fields.append(("Times shown in", options.describe_zone(*_span(data))))
    return fields


def _span(data: ExportData) -> list:
    """The instants whose zone offsets the title block names: awareness and the latest record."""
    out = []
    for text in (awareness_time(data.incident, data.state), data.events[-1].recorded_at if data.events else ""):
        try:
            out.append(parse_ts(text))
        except (ValueError, TypeError, AttributeError):
            pass
    return out
def aware_fields(data: ExportData, zone: tzinfo) -> list[tuple[str, str]]:
    """When the organisation became aware and, when that was corrected, what it was before each
    correction, who corrected it, when and why."""
    state = data.state
    aware = human_ts(awareness_time(data.incident, state), zone)
    if not state.aware_corrections:
        return [("Aware at", aware)]
    fields = [("Aware at", f"{aware} (corrected)")]
    for fix in state.aware_corrections:
        fields.append(("Awareness corrected", shown(f"was {human_ts(fix.previous, zone)} — corrected by {fix.by} at "
                                                    f"{human_ts(fix.at, zone)}; reason: {fix.reason or 'none given'}")))
    return fields


def _status_text(step_state, zone: tzinfo) -> str:  # StepState | None
    if step_state is None or step_state.status == "open":
        text = "open"
    else:
        text = step_state.status
        if step_state.by:
            text += f" by {step_state.by}"
        if step_state.at:
            text += f" at {human_ts(step_state.at, zone)}"
        if step_state.status == "skipped" and step_state.reason:
            text += f" (reason: {step_state.reason})"
    if step_state is not None and step_state.assignee:
        text += f"; assigned to {step_state.assignee}"
    return text


def _step_facts(step, step_state, aware_at: str | None, zone: tzinfo) -> str:  # Step, StepState | None
    """What the playbook says of the step beyond its text: severity, due time, retired, changed."""
    facts = [f"severity {step.severity}"] if step.severity else []
    if step.attrs.get("due"):
        when = deadline(step.due, aware_at)
        facts.append(f"due {human_time(when, zone)} ({step.due.describe()} after awareness)" if when
                     else f"due {step.attrs['due']}")
    if step.retired:
        facts.append(f"retired from {step.section}" if step.section else "retired")
    if step_state is not None and step_state.revised:
        facts.append(f"text changed in version {step_state.revised}")
    return "".join(f"; {fact}" for fact in facts)


def phase_summaries(data: ExportData, options: ExportOptions) -> list[PhaseSummary]:
    """Per phase: its progress and each step's status (and latest note, when notes are included)."""
    zone = options.zone
    progress = {p.phase_id: p for p in data.state.phases}
    aware_at = awareness_time(data.incident, data.state)
    out = []
    for phase in data.playbook.phases:
        p = progress.get(phase.id)
        lines = []
        for step in phase.steps:
            st = data.state.steps.get(step.id)
            note = st.note if (st is not None and options.include_notes) else ""
            note_by = f"{st.note_by}, {human_ts(st.note_at, zone)}" if note and st.note_by else ""
            lines.append(StepLine(shown(step.text), shown(_status_text(st, zone) + _step_facts(step, st, aware_at, zone)),
                                  shown(note), shown(note_by)))
        done = f"{p.finished} of {p.total} finished" if p else f"0 of {len(phase.steps)} finished"
        if phase.retired:
            done = "kept for their history, not counted in progress"
        out.append(PhaseSummary(shown(phase.title), done, tuple(lines)))
    return out


@dataclass(frozen=True)
class ScopeSection:
    """The breach profile as exports show it: facts, people per jurisdiction, imported files."""

    facts: tuple[tuple[str, str], ...]
    jurisdictions: tuple[tuple[str, ...], ...]   # code, name, people, imported, stated, threshold
    imports: tuple[tuple[str, ...], ...]         # when, file, rows read, rejected, people added, by, sha256

    JURISDICTION_HEADERS = ("Jurisdiction", "Name", "People", "Imported", "Stated", "Threshold")
    IMPORT_HEADERS = ("When", "File", "Rows", "Rejected", "People added", "By", "sha256")


def scope_section(data: ExportData, options: ExportOptions) -> ScopeSection | None:
    """The incident's breach profile (see core/scope), or None when nothing about it was recorded."""
    from incidentkit.core.scope import scope_profile
    from incidentkit.core.scope.vocabulary import DATA_ELEMENTS, ENCRYPTION_STATES, ORGANISATION_FLAGS, threshold_text

    if not any(e.kind in ev.SCOPE_KINDS for e in data.events):
        return None
    from incidentkit.core.scope.locations import jurisdiction_name

    p = scope_profile(data.events)
    facts = [("People affected", f"{p.people:,}"),
             ("Location unknown", f"{p.unknown:,} (they may live anywhere)" if p.unknown else "0")]
    if p.may_double_count:
        facts.append(("Note", "some imports were counted in another database; a person in two files may be "
                              "counted twice"))
    elements = ", ".join(DATA_ELEMENTS.get(t, t) for t in sorted(p.elements)) or "none"
    facts.append(("Data exposed", elements if p.elements_known else "not yet recorded"))
    facts.append(("Encrypted", ENCRYPTION_STATES.get(p.encrypted, p.encrypted)))
    flags = "; ".join(ORGANISATION_FLAGS.get(t, t) for t in sorted(p.organisation)) or "none of the listed"
    facts.append(("Organisation", flags if p.organisation_known else "not yet recorded"))
    rows = sorted(p.by_jurisdiction.items(), key=lambda kv: (-kv[1], kv[0]))
    jurisdictions = tuple(
        (code, jurisdiction_name(code), f"{n:,}", f"{p.imported.get(code, 0):,}", f"{p.stated.get(code, 0):,}",
         "may live anywhere" if code == "unknown" else threshold_text(n)) for code, n in rows)
    imports = tuple((human_ts(r.at, options.zone), r.file_name, f"{r.rows_read:,}", f"{r.rows_rejected:,}",
                     f"{r.people_added:,}", r.by, r.sha256) for r in p.imports)
    return ScopeSection(tuple(facts), jurisdictions, imports)


def footer(data: ExportData, exported: int, zone: tzinfo | None = None) -> Footer:
    """`zone`: the export's (human formats); without it the time of generation is ISO UTC."""
    return Footer(
        event_count=data.event_count,
        exported=exported,
        generated_at=human_time(data.generated_at, zone) if zone is not None else ev.format_ts(data.generated_at),
        head_hash=data.head_hash,
        incident_id=data.incident.id,
    )
