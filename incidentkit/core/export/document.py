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
from datetime import datetime, timezone, tzinfo
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from incidentkit.core import events as ev
from incidentkit.core.events import parse_ts
from incidentkit.core.export.options import ExportOptions
from incidentkit.core.export.progress import ProgressFn, Ticker
from incidentkit.core.export.source import ExportData
from incidentkit.core.projections import TimelineItem
from incidentkit.core.text import needs_shown, shown

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
    original: str      # human rows: `amendment_lines` joined by newlines; machine rows: `original_text`
    event_id: str
    hash: str
    corrections: tuple[str, ...] = ()  # human rows: `amendment_notes`

    def amendment_lines(self) -> list[str]:
        """For an amended event, what each correction replaced and who made it, when and why."""
        return list(self.corrections)


NO_ROWS = "No events match this export."
# The fields of a `Row` that hold text from people or files.
_TEXT_NAMES = ("title", "detail", "kind", "category", "step_id", "actor", "original")
_texts_of = attrgetter(*_TEXT_NAMES)


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

    `human=False` (machine formats) leaves `when` empty, original times as stored and text
    as recorded; otherwise text is `shown`."""
    zone = options.zone
    for chunk in selected_chunks(data, options, progress):
        rows = []
        for item in chunk:
            event = item.event
            notes = tuple(amendment_notes(item, zone)) if human and item.amended_by else ()
            rows.append(Row(
                event.seq,
                item.occurred_at,
                human_ts(item.occurred_at, zone) if human else "",
                item.title,
                item.detail,
                item.event.kind,
                item.category,
                item.event.step_id or "",
                item.event.actor,
                item.event.recorded_at,
                amended_by_text(item),
                "\n".join(notes) if human else original_text(item, None),
                event.id,
                event.hash,
                notes,
            ))
        # One scan of the chunk's text (`original` holds the corrections' lines); nearly
        # always it has nothing to show escaped.
        if human and needs_shown(chain.from_iterable(map(_texts_of, rows))):
            rows = [r._replace(corrections=tuple(map(shown, r.corrections)),
                               **{f: shown(getattr(r, f)) for f in _TEXT_NAMES}) for r in rows]
        yield from rows


def shown_title(data: ExportData) -> str:
    """The incident's title as people read it (`shown`)."""
    return shown(data.title)


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
    fields.append(("Contents", options.describe()))
    fields.append(("Times shown in", options.tz))
    return fields


def aware_fields(data: ExportData, zone: tzinfo) -> list[tuple[str, str]]:
    """When the organisation became aware and, when that was corrected, what it was before each
    correction, who corrected it, when and why."""
    state = data.state
    aware = human_ts(state.aware_at or data.incident.aware_at, zone)
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
            lines.append(StepLine(shown(step.text), shown(_status_text(st, zone)), shown(note)))
        done = f"{p.finished} of {p.total} finished" if p else f"0 of {len(phase.steps)} finished"
        out.append(PhaseSummary(shown(phase.title), done, tuple(lines)))
    return out


def footer(data: ExportData, exported: int) -> Footer:
    return Footer(
        event_count=data.event_count,
        exported=exported,
        generated_at=ev.format_ts(data.generated_at),
        head_hash=data.head_hash,
        incident_id=data.incident.id,
    )
