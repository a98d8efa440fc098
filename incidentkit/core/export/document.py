"""The document every human-readable export renders: title block, rows, step summary, footer.

Built once here, in plain strings, so Markdown, HTML, PDF and CSV say the same thing and
each format module only worries about its own syntax and escaping. Rows are produced
lazily (`iter_rows`) with progress ticks, so large timelines stream.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo
from typing import NamedTuple

from incidentkit.core import events as ev
from incidentkit.core.events import parse_ts
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn, Ticker
from incidentkit.core.export.source import ExportData
from incidentkit.core.projections import TimelineItem

# Items per progress report (and cancellation check): cheap on 100,000 events, prompt on a cancel.
TICK_EVERY = 250


def human_time(at: datetime, zone: tzinfo) -> str:
    """`2026-11-29 03:44:47 UTC`, or with the offset (`+01:00`) in any other zone."""
    local = at.astimezone(zone)
    if zone is timezone.utc:
        return local.strftime("%Y-%m-%d %H:%M:%S UTC")
    return local.isoformat(sep=" ", timespec="seconds")


def is_canonical_utc(text: str) -> bool:
    # The store writes `format_ts` text: `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`.
    return len(text) == 32 and text[10] == "T" and text.endswith("+00:00")


def human_ts(text: str | None, zone: tzinfo) -> str:
    """`human_time` of stored ISO text; slicing instead of parsing for the store's own UTC text,
    which is what 100,000-event exports spend their time on."""
    if not text:
        return ""
    if zone is timezone.utc and is_canonical_utc(text):
        return f"{text[:10]} {text[11:19]} UTC"
    try:
        return human_time(parse_ts(text), zone)
    except ValueError:
        return text  # an imported payload's time that does not parse is shown as written


class Row(NamedTuple):
    """One timeline event, ready to print. `occurred_at` is the effective (amended) time as
    stored, `when` its human form in the export's zone; `recorded_at` is stored text too.
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
    original: str
    event_id: str
    hash: str

    def amendment_lines(self) -> list[str]:
        """The correction and the original values, for an amended event (else nothing)."""
        if not self.amended_by:
            return []
        ids = ", ".join(i[:12] for i in self.amended_by.split(", "))
        lines = [f"Amended by event {ids}"]
        if self.original:
            lines.append(f"Originally: {self.original}")
        return lines


NO_ROWS = "No events match this export."


@dataclass(frozen=True)
class StepLine:
    text: str
    status: str
    note: str


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

    `human=False` (machine formats) leaves `when` empty and original times as stored."""
    zone = options.zone
    for item in selected_items(data, options, progress):
        event = item.event
        yield Row(
            event.seq,
            item.occurred_at,
            human_ts(item.occurred_at, zone) if human else "",
            item.title,
            item.detail,
            event.kind,
            item.category,
            event.step_id or "",
            event.actor,
            event.recorded_at,
            amended_by_text(item),
            original_text(item, zone if human else None),
            event.id,
            event.hash,
        )


def title_fields(data: ExportData, options: ExportOptions) -> list[tuple[str, str]]:
    """The title block as (label, value) pairs; the incident title is shown separately."""
    zone = options.zone
    state, pb = data.state, data.playbook
    fields = [
        ("Incident id", data.incident.id),
        ("Playbook", f"{pb.title} ({pb.id}, version {pb.version})"),
        ("Aware at", human_ts(state.aware_at or data.incident.aware_at, zone)),
        ("Status", state.status),
        ("Progress", f"{state.finished} of {state.total} steps finished ({state.percent}%): "
                     f"{state.done} done, {state.skipped} skipped"),
    ]
    if state.closed_at and state.status == "closed":
        fields.insert(4, ("Closed at", human_ts(state.closed_at, zone)))
    fields.append(("Contents", options.describe()))
    fields.append(("Times shown in", options.tz))
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


def phase_summaries(data: ExportData, options: ExportOptions) -> list[PhaseSummary]:
    """Per phase: its progress and each step's status (and latest note, when notes are included)."""
    zone = options.zone
    progress = {p.phase_id: p for p in data.state.phases}
    out = []
    for phase in data.playbook.phases:
        p = progress.get(phase.id)
        lines = []
        for step in phase.steps:
            st = data.state.steps.get(step.id)
            note = st.note if (st is not None and options.include_notes) else ""
            lines.append(StepLine(step.text, _status_text(st, zone), note))
        done = f"{p.finished} of {p.total} finished" if p else f"0 of {len(phase.steps)} finished"
        out.append(PhaseSummary(phase.title, done, tuple(lines)))
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


def footer(data: ExportData, exported: int) -> Footer:
    return Footer(
        event_count=data.event_count,
        exported=exported,
        generated_at=ev.format_ts(data.generated_at),
        head_hash=data.head_hash,
        incident_id=data.incident.id,
    )
