"""What `incidentkit scope` prints: an import's summary and problem lines, and the profile.

No line holds a person's identifier: problem lines name the file's line and the reason,
and quote only a location value that was not understood.
"""

from __future__ import annotations

from collections.abc import Iterator

from incidentkit.core.scope.importer import ImportSummary
from incidentkit.core.scope.profile import ScopeProfile
from incidentkit.core.scope.vocabulary import ENCRYPTION_STATES, UNKNOWN_JURISDICTION, threshold_text


def conflicts_text(n: int) -> str:
    """What `n` people seen at two different known locations means for the counts."""
    who = "1 person was" if n == 1 else f"{n:,} people were"
    return (f"{who} seen at two different locations (in one file's rows, or against an earlier file); "
            "each is counted where first located")


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def _by_code(counts: dict[str, int]) -> str:
    return ", ".join(f"{code} {n:,}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summary_lines(s: ImportSummary) -> Iterator[str]:
    c = s.count
    verb = "would import" if s.event is None else "imported"
    yield f"{verb} {s.path.name} ({s.detail}; {_mb(s.size)}; sha256 {s.sha256})"
    header = "" if s.header else " (no header row)"
    yield "columns: " + ", ".join(f"{field} = {name!r}" for field, name in s.columns.items()) + header
    yield (f"rows: {c.rows_read:,} read, {c.rows_counted:,} counted, {c.rows_rejected:,} rejected, "
           f"{c.rows_unlocated:,} with a location not understood, {c.blank_rows:,} blank")
    yield (f"people: {s.people_in_file:,} distinct in the file, {s.people_added:,} new to the incident"
           + (f", {sum(s.located.values()):,} located who were unknown" if s.located else ""))
    if s.added:
        yield f"new by jurisdiction: {_by_code(dict(s.added))}"
    if s.located:
        yield f"located: {_by_code(dict(s.located))}"
    if s.location_conflicts:
        yield f"location differs: {conflicts_text(s.location_conflicts)}"
    if s.event is not None:
        yield f"event {s.event.id}"


def profile_lines(profile: ScopeProfile) -> Iterator[str]:
    yield f"People: {profile.people:,} distinct" + (
        f" ({profile.people_imported:,} imported, {sum(profile.stated.values()):,} stated by the vendor)"
        if profile.stated else "")
    if profile.may_double_count:
        yield ("  Some imports were counted in another database (an export carries no hashes): "
               "a person in two of those files may be counted twice.")
    unknown = profile.unknown
    if unknown:
        yield f"  LOCATION UNKNOWN: {unknown:,} (they may live anywhere)"
    if profile.location_conflicts:
        yield f"  Location differs: {conflicts_text(profile.location_conflicts)}"
    yield "By jurisdiction (imported / stated / counted):"
    rows = profile.by_jurisdiction
    if not rows:
        yield "  none yet: import the vendor's file with `incidentkit scope import`"
    for code, n in sorted(rows.items(), key=lambda kv: (kv[0] == UNKNOWN_JURISDICTION, -kv[1], kv[0])):
        note = threshold_text(n)
        yield (f"  {code:<8} {profile.imported.get(code, 0):>10,} {profile.stated.get(code, 0):>10,} {n:>10,}"
               + (f"  {note}" if note else ""))
    elements = ", ".join(sorted(profile.elements)) if profile.elements_known else "not yet recorded"
    yield f"Data elements: {elements or 'none'}"
    yield f"Encrypted: {ENCRYPTION_STATES.get(profile.encrypted, profile.encrypted)}"
    flags = ", ".join(sorted(profile.organisation)) if profile.organisation_known else "not yet recorded"
    yield f"Organisation: {flags or 'none of the listed'}"
    yield f"Imports: {len(profile.imports)}"
    for r in profile.imports:
        moved = f", {r.location_conflicts:,} at another location" if r.location_conflicts else ""
        yield (f"  {r.at[:19].replace('T', ' ')} {r.file_name} by {r.by}: {r.rows_read:,} rows, "
               f"{r.rows_rejected:,} rejected, {r.people_added:,} people added{moved}; sha256 {r.sha256}")
