"""Import a full-fidelity JSON export (`incidentkit export --format json`) into a store.

The file is untrusted: every field is type-checked, the playbook snapshot must match its
sha256 and parse, and the hash chain is recomputed event by event. A file whose chain
does not verify is refused, naming the first bad event. So is an incident (or any of its
event ids) that this database already holds, unless `as_new` is given.

`as_new` imports a copy: the incident and every event get fresh ids, every payload value
that named an old event id (an amendment's `target`) is rewritten to the new id, and the
chain is recomputed from the genesis hash. Everything else (playbook snapshot, seq,
kinds, actors, payloads, occurred_at, recorded_at) is kept as it was. The copy is marked,
so it cannot pass for the original: its title gets `COPY_SUFFIX`, and one more event
(`incident.imported`, by the importing actor, now) says where it came from: the file's
name and sha256, the original incident id and the original chain's head hash. Either way
the whole import is one transaction: it lands completely or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from incidentkit.core.errors import IncidentKitError, PlaybookError
from incidentkit.core.events import (
    GENESIS_HASH,
    INCIDENT_IMPORTED,
    INCIDENT_PLAYBOOK_UPGRADED,
    Event,
    chain_hash,
    format_ts,
    new_id,
    parse_ts,
    utc_now,
)
from incidentkit.core.export.json_full import FORMAT, SCHEMA_VERSION
from incidentkit.core.store import AlreadyStored, Incident, Store
from incidentkit.core.store.queries import event_rows, verify_chain
from incidentkit.core.text import check_event, event_problem, problem, visible

_EVENT_STR = ("id", "incident_id", "kind", "actor", "occurred_at", "recorded_at", "prev_hash", "hash")
# Ids are what the store writes (uuid4 hex); hashes are sha256 hex. Anything else is refused,
# so an id can never smuggle a formula or markup into an export.
_ID = re.compile(r"[0-9a-f]{32}")
_HASH = re.compile(r"[0-9a-f]{64}")
_NOT_UNICODE = "contains text that is not valid Unicode (an unpaired surrogate such as \\ud800)"
COPY_SUFFIX = " (imported copy)"


class ImportRefused(IncidentKitError):
    """The file cannot be imported; the message names the file and the reason."""


def _shown(value: Any) -> str:
    """A value quoted in an error line, cut short: a hostile file's field can be megabytes."""
    text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


def read_document(path: Path) -> dict[str, Any]:
    """The parsed JSON of `path`; one-line errors for unreadable, non-UTF-8 or invalid JSON."""
    return parse_json(read_bytes(path), path)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; one-line errors for a device or an unreadable file."""
    try:
        # A device such as /dev/zero or /dev/urandom would be read until memory runs out;
        # a regular file or a pipe (`cat x.json | incidentkit import /dev/stdin`) ends.
        mode = os.stat(path).st_mode
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise ImportRefused(f"{path}: not a file (a device)")
        return Path(path).read_bytes()
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot read: {exc.strerror or exc}") from None


def parse_json(raw: bytes, path: Path | str) -> dict[str, Any]:
    """The JSON object in `raw`; one-line errors naming `path` for non-UTF-8 or invalid JSON."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise ImportRefused(f"{path}: JSON nested too deeply") from None
    if not isinstance(doc, dict):
        raise ImportRefused(f"{path}: not an IncidentKit export (expected a JSON object)")
    return doc


def _incident(doc: Mapping[str, Any], where: str) -> Incident:
    data = doc.get("incident")
    if not isinstance(data, dict):
        raise ImportRefused(f"{where}: no \"incident\" object")
    values = {}
    for f in fields(Incident):
        value = data.get(f.name)
        if not isinstance(value, str) or (f.name in ("id", "title") and not value.strip()):
            raise ImportRefused(f"{where}: incident.{f.name} is missing or not a string")
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ImportRefused(f"{where}: incident.{f.name} {_NOT_UNICODE}") from None
        reason = problem(value, multiline=False)
        if reason:
            raise ImportRefused(f"{where}: incident.{f.name} {reason}")
        values[f.name] = value
    for key in ("aware_at", "created_at"):
        _check_time(values[key], f"incident.{key}", where)
    return Incident(**values)


def _check_time(value: str, name: str, where: str) -> None:
    try:
        parse_ts(value)
    except ValueError:
        raise ImportRefused(f"{where}: {name} is not an ISO 8601 time: {_shown(value)}") from None


def _event(data: Any, n: int, where: str) -> Event:
    if not isinstance(data, dict):
        raise ImportRefused(f"{where}: events[{n}] is not an object")
    for key in _EVENT_STR:
        if not isinstance(data.get(key), str):
            raise ImportRefused(f"{where}: events[{n}].{key} is missing or not a string")
    for key, pattern in (("id", _ID), ("incident_id", _ID), ("prev_hash", _HASH), ("hash", _HASH)):
        if not pattern.fullmatch(data[key]):
            raise ImportRefused(f"{where}: events[{n}].{key} is not a valid id or hash: {_shown(data[key])}")
    seq, step, payload = data.get("seq"), data.get("step_id"), data.get("payload")
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise ImportRefused(f"{where}: events[{n}].seq is not an integer")
    if step is not None and not isinstance(step, str):
        raise ImportRefused(f"{where}: events[{n}].step_id is not a string")
    if not isinstance(payload, dict):
        raise ImportRefused(f"{where}: events[{n}].payload is not an object")
    for key in ("occurred_at", "recorded_at"):
        _check_time(data[key], f"events[{n}].{key}", where)
    # The same rules as the operations: an imported event may not forge a line either.
    found = event_problem(data["actor"], payload, step_id=step, kind=data["kind"])
    if found:
        raise ImportRefused(f"{where}: events[{n}].{found[0]} {found[1]}")
    return Event(data["id"], data["incident_id"], seq, data["kind"], step, data["actor"],
                 data["occurred_at"], data["recorded_at"], payload, data["prev_hash"], data["hash"])


def _snapshots(doc: Mapping[str, Any], events: list[Event], opened: str, where: str) -> dict[str, str]:
    """The upgrades' snapshots (schema 2): each matches its sha256 and loads, and every snapshot an
    upgrade event names is there."""
    from incidentkit.core.playbook.parser import parse_playbook

    raw = doc.get("snapshots", [])
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        raise ImportRefused(f"{where}: snapshots is not a list of objects")
    found: dict[str, str] = {}
    for n, entry in enumerate(raw):
        sha, markdown = entry.get("sha256"), entry.get("markdown")
        if not isinstance(sha, str) or not isinstance(markdown, str) or not _HASH.fullmatch(sha):
            raise ImportRefused(f"{where}: snapshots[{n}] needs a sha256 and a markdown string")
        if hashlib.sha256(markdown.encode("utf-8")).hexdigest() != sha:
            raise ImportRefused(f"{where}: snapshots[{n}] does not match its sha256; the file was altered")
        try:
            parse_playbook(markdown, f"{where} (snapshot {sha[:12]})")
        except PlaybookError as exc:
            raise ImportRefused(f"{where}: snapshot {sha[:12]} does not load: {exc}") from None
        found[sha] = markdown
    for event in events:
        if event.kind != INCIDENT_PLAYBOOK_UPGRADED:
            continue
        named = [event.payload.get("to_sha256")]
        retired = event.payload.get("retired")
        named += [e.get("sha256") for e in retired if isinstance(e, dict)] if isinstance(retired, list) else []
        missing = [sha for sha in named if sha != opened and sha not in found]
        if missing:
            raise ImportRefused(f"{where}: the playbook upgrade at event {event.seq} names snapshot "
                                f"{_shown(missing[0])}, which the file does not hold")
    return found


def parse_document(doc: Mapping[str, Any], where: str) -> tuple[Incident, str, list[Event], dict[str, str]]:
    """Check an export document completely: structure, snapshot hashes, playbooks, hash chain;
    returns the incident, its opening snapshot, its events and its upgrades' snapshots."""
    if doc.get("format") != FORMAT:
        raise ImportRefused(f"{where}: not an IncidentKit incident export (format is {_shown(doc.get('format'))})")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportRefused(f"{where}: schema_version is missing or invalid")
    if version > SCHEMA_VERSION:
        raise ImportRefused(f"{where}: written by a newer IncidentKit (schema {version}; this one reads {SCHEMA_VERSION})")
    incident = _incident(doc, where)
    if not _ID.fullmatch(incident.id):
        raise ImportRefused(f"{where}: incident.id is not a valid id: {_shown(incident.id)}")
    playbook = doc.get("playbook")
    markdown = playbook.get("markdown") if isinstance(playbook, dict) else None
    if not isinstance(markdown, str):
        raise ImportRefused(f"{where}: playbook.markdown is missing")
    if hashlib.sha256(markdown.encode("utf-8")).hexdigest() != incident.snapshot_sha256:
        raise ImportRefused(f"{where}: the playbook snapshot does not match its sha256; the file was altered")
    from incidentkit.core.playbook.parser import parse_playbook

    try:
        parse_playbook(markdown, f"{where} (playbook snapshot)")
    except PlaybookError as exc:
        raise ImportRefused(f"{where}: the playbook snapshot does not load: {exc}") from None
    raw_events = doc.get("events")
    if not isinstance(raw_events, list) or not raw_events:
        raise ImportRefused(f"{where}: no events")
    events = [_event(data, n, where) for n, data in enumerate(raw_events)]
    strangers = [e for e in events if e.incident_id != incident.id]
    if strangers:
        raise ImportRefused(f"{where}: event {strangers[0].seq} belongs to another incident")
    if len({e.id for e in events}) != len(events):
        raise ImportRefused(f"{where}: two events share an id")
    result = verify_chain(event_rows(events))
    if not result["ok"]:
        raise ImportRefused(
            f"{where}: hash chain broken at event {result['bad_seq']} "
            f"({str(result['bad_event_id'])[:12]}): {result['problem']}"
        )
    if doc.get("head_hash", result["head_hash"]) != result["head_hash"]:
        raise ImportRefused(f"{where}: head_hash does not match the last event; the file was altered")
    return incident, markdown, events, _snapshots(doc, events, incident.snapshot_sha256, where)


def _remap(value: Any, ids: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [_remap(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _remap(v, ids) for k, v in value.items()}
    return value


def as_new_copy(incident: Incident, events: list[Event]) -> tuple[Incident, list[Event]]:
    """Fresh incident and event ids, event references rewritten, the chain recomputed."""
    new_incident = replace(incident, id=new_id())
    ids = {e.id: new_id() for e in events}
    ids[incident.id] = new_incident.id
    prev = GENESIS_HASH
    out = []
    for e in events:
        fresh = replace(e, id=ids[e.id], incident_id=new_incident.id, payload=_remap(e.payload, ids),
                        prev_hash=prev, hash="")
        prev = chain_hash(prev, fresh)
        out.append(replace(fresh, hash=prev))
    return new_incident, out


@dataclass(frozen=True)
class CopySource:
    """Where an `as_new` copy came from, for its mark: the file's name and sha256, and who imports it."""

    file: str
    sha256: str
    actor: str


def mark_copy(incident: Incident, events: list[Event], *, original: Incident, original_head: str,
              title: str, source: CopySource) -> tuple[Incident, list[Event]]:
    """The copy's title suffixed and its `incident.imported` event appended (chained, by `source.actor`, now)."""
    marked = replace(incident, title=title + COPY_SUFFIX)
    payload = {"title": marked.title, "file": visible(source.file), "sha256": source.sha256,
               "original_incident_id": original.id, "original_head_hash": original_head}
    check_event(source.actor, payload)
    now = format_ts(utc_now())
    last = events[-1]
    mark = Event(new_id(), marked.id, last.seq + 1, INCIDENT_IMPORTED, None, source.actor, now, now, payload,
                 last.hash)
    return marked, [*events, replace(mark, hash=chain_hash(last.hash, mark))]


def import_document(store: Store, doc: Mapping[str, Any], *, where: str = "<document>",
                    as_new: bool = False, source: CopySource | None = None) -> Incident:
    """Verify `doc` and write it into `store` in one transaction; returns the incident as stored.

    `source` names the file an `as_new` copy is marked with (default: `where`, its sha256
    unknown)."""
    try:
        return _import(store, doc, where, as_new, source or CopySource(where, "", "unknown"))
    except UnicodeEncodeError:
        # json.loads turns an escaped lone surrogate ("\ud800") into a str that cannot be
        # encoded: hashing or storing it fails, before anything is committed.
        raise ImportRefused(f"{where}: the file {_NOT_UNICODE}") from None


def _import(store: Store, doc: Mapping[str, Any], where: str, as_new: bool, source: CopySource) -> Incident:
    incident, markdown, events, snapshots = parse_document(doc, where)
    if as_new:
        from incidentkit.core.playbook.parser import parse_playbook
        from incidentkit.core.projections import project

        title = project(parse_playbook(markdown, where), events).title or incident.title
        original, head = incident, events[-1].hash
        incident, events = as_new_copy(incident, events)
        incident, events = mark_copy(incident, events, original=original, original_head=head, title=title,
                                     source=source)
    try:
        store.import_incident(incident, markdown, events, snapshots)
    except AlreadyStored as exc:
        if exc.what == "incident":
            raise ImportRefused(
                f"{where}: incident {incident.id[:12]} already exists in this database; "
                "use --as-new to import a copy with new ids"
            ) from None
        raise ImportRefused(f"{where}: its events already exist in this database; use --as-new") from None
    return incident


def import_file(store: Store, path: Path, *, as_new: bool = False, actor: str = "unknown") -> Incident:
    """Import the JSON export at `path` (see the module docstring for what `as_new` does;
    `actor` is who the copy's mark names)."""
    raw = read_bytes(path)
    source = CopySource(Path(path).name, hashlib.sha256(raw).hexdigest(), actor)
    return import_document(store, parse_json(raw, path), where=str(path), as_new=as_new, source=source)
