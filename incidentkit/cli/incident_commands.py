"""`incidentkit incident|step|note|timeline|verify`: incidents and their event log, headless.

Each command resolves ids, calls one function of `incidentkit.core.operations` (or a
store read plus a projection) and prints. Ids may be abbreviated to any unambiguous prefix.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from incidentkit.cli import incident_output as out
from incidentkit.cli.context import AppContext
from incidentkit.cli.group import cli
from incidentkit.cli.note_input import note_text
from incidentkit.cli.params import Timestamp
from incidentkit.core import operations as ops
from incidentkit.core.deciding import read_state
from incidentkit.core.projections import IncidentState, timeline
from incidentkit.core.text import shown


def _at_option(help_text: str) -> Any:
    return click.option("--at", "at", type=Timestamp(happened=True), help=help_text)


def _warn_before_awareness(app: AppContext, incident_id: str, at: datetime | None) -> None:
    """A warning line (never a refusal) for a time before the incident's awareness time."""
    from incidentkit.core.times import awareness_warning

    warning = awareness_warning(app.store, incident_id, at)
    if warning:
        click.echo(f"incidentkit: warning: {warning}", err=True)


def _json_option() -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Output as JSON (shape in docs/cli.md).")


def _print_json(value: object) -> None:
    click.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _state(store: Any, incident_id: str) -> IncidentState:
    """The incident's state from its deciding events (the window's way), not its whole log."""
    return read_state(store, store.playbook(incident_id), incident_id)


def _print_event_id(event: Any) -> None:
    if event is not None:
        click.echo(event.id)


# incident ------------------------------------------------------------------------------
@cli.group()
def incident() -> None:
    """Open, list, show, close, reopen and rename incidents."""


@incident.command("new")
@click.option("--playbook", "playbook_id", required=True, help="Id of the playbook to follow (see `incidentkit playbooks`).")
@click.option("--title", required=True, help="The incident's title.")
@_at_option("When the organisation became aware of the incident. Default: now.")
@click.option("--builtin", is_flag=True,
              help="Use the built-in playbook with this id, even where a user or --playbooks file overrides it.")
@click.pass_obj
def incident_new(app: AppContext, playbook_id: str, title: str, at: datetime | None, builtin: bool) -> None:
    """Open an incident from a playbook; prints only the new incident's id.

    A user or --playbooks file that overrides a built-in playbook but does not load is
    refused with its error, never silently replaced by the built-in one: fix it, or
    pass --builtin."""
    from incidentkit.core.playbook.library import PlaybookLibrary

    library = PlaybookLibrary.discover(None) if builtin else \
        PlaybookLibrary.discover(app.paths, app.extra_playbook_dirs)
    playbook = library.get(playbook_id)
    created = ops.open_incident(app.store, playbook=playbook, title=title, actor=app.actor, aware_at=at)
    click.echo(created.id)


@incident.command("list")
@_json_option()
@click.pass_obj
def incident_list(app: AppContext, as_json: bool) -> None:
    """List incidents: id, status, steps finished, awareness time and title."""
    store = app.store
    rows = [(i, _state(store, i.id)) for i in store.incidents()]
    if as_json:
        _print_json([out.incident_json(i, state) for i, state in rows])
        return
    if not rows:
        click.echo("No incidents yet: start one with `incidentkit incident new`.")
    for i, state in rows:
        click.echo(shown(out.incident_line(i, state)))


@incident.command("show")
@click.argument("incident_id")
@_json_option()
@click.pass_obj
def incident_show(app: AppContext, incident_id: str, as_json: bool) -> None:
    """Show an incident: its phases and each step's id, state, who and when, reason, assignee and note."""
    store = app.store
    found = store.incident(incident_id)
    playbook = store.playbook(found.id)
    state = _state(store, found.id)
    if as_json:
        _print_json(out.show_json(found, playbook, state))
    else:
        click.echo(shown("\n".join(out.show_text(found, playbook, state))))


@incident.command("aware")
@click.argument("incident_id")
@click.option("--at", "at", type=Timestamp(), required=True,
              help="When the organisation really became aware of the incident.")
@click.option("--reason", required=True, help="Why the awareness time is corrected (required).")
@click.pass_obj
def incident_aware(app: AppContext, incident_id: str, at: datetime, reason: str) -> None:
    """Correct when the organisation became aware (the time kept is shown as corrected); prints the event id."""
    _print_event_id(ops.correct_awareness(app.store, incident_id=incident_id, aware_at=at, reason=reason,
                                          actor=app.actor))


@incident.command("close")
@click.argument("incident_id")
@_at_option("When the incident was closed. Default: now.")
@click.pass_obj
def incident_close(app: AppContext, incident_id: str, at: datetime | None) -> None:
    """Close an incident (no more changes until it is reopened); prints the event id."""
    _print_event_id(ops.close_incident(app.store, incident_id=incident_id, actor=app.actor, occurred_at=at))


@incident.command("reopen")
@click.argument("incident_id")
@click.pass_obj
def incident_reopen(app: AppContext, incident_id: str) -> None:
    """Reopen a closed incident; prints the event id."""
    _print_event_id(ops.reopen_incident(app.store, incident_id=incident_id, actor=app.actor))


@incident.command("rename")
@click.argument("incident_id")
@click.argument("title")
@click.pass_obj
def incident_rename(app: AppContext, incident_id: str, title: str) -> None:
    """Give an incident a new title (the old one stays in its log); prints the event id."""
    _print_event_id(ops.rename_incident(app.store, incident_id=incident_id, title=title, actor=app.actor))


@incident.command("upgrade")
@click.argument("incident_id")
@click.option("--to", "to", metavar="PATH_OR_ID",
              help="A playbook file, or a playbook id from the library. Default: the library's playbook with "
                   "the incident's playbook id.")
@click.option("--dry-run", is_flag=True, help="Print what would change, and change nothing.")
@_json_option()
@click.pass_obj
def incident_upgrade(app: AppContext, incident_id: str, to: str | None, dry_run: bool, as_json: bool) -> None:
    """Move an incident onto a newer version of its playbook; prints the step diff.

    Step states, notes, assignees and history carry over by step id; new steps start
    open; a removed step with a history stays as retired; one event records it all.
    """
    from incidentkit.core import upgrade
    from incidentkit.core.playbook.library import PlaybookLibrary

    store = app.store
    found = store.incident(incident_id)
    target = upgrade.resolve_target(lambda: PlaybookLibrary.discover(app.paths, app.extra_playbook_dirs),
                                    found.playbook_id, to)
    event = None
    if dry_run:
        plan = upgrade.plan_upgrade(store, incident_id=found.id, playbook=target)
    else:
        plan, event = upgrade.upgrade_incident(store, incident_id=found.id, playbook=target, actor=app.actor)
    if as_json:
        _print_json({**plan.to_json(), "dry_run": dry_run, "event_id": event.id if event else None})
        return
    click.echo(f"incident {found.id[:12]}: {plan.headline()}")
    for line in plan.lines():
        click.echo(f"  {line}")
    click.echo("dry run: nothing was changed" if event is None else f"upgraded: event {event.id}")


# step and note ---------------------------------------------------------------------------
@cli.group()
def step() -> None:
    """Complete, reopen, skip or assign a step of an incident."""


@step.command("done")
@click.argument("incident_id")
@click.argument("step_id")
@_at_option("When the step was done. Default: now.")
@click.pass_obj
def step_done(app: AppContext, incident_id: str, step_id: str, at: datetime | None) -> None:
    """Mark a step done; prints the event id."""
    _print_event_id(ops.complete_step(app.store, incident_id=incident_id, step_id=step_id,
                                      actor=app.actor, occurred_at=at))
    _warn_before_awareness(app, incident_id, at)


@step.command("reopen")
@click.argument("incident_id")
@click.argument("step_id")
@click.pass_obj
def step_reopen(app: AppContext, incident_id: str, step_id: str) -> None:
    """Open a done or skipped step again; prints the event id."""
    _print_event_id(ops.reopen_step(app.store, incident_id=incident_id, step_id=step_id, actor=app.actor))


@step.command("skip")
@click.argument("incident_id")
@click.argument("step_id")
@click.option("--reason", required=True, help="Why the step does not apply (required).")
@_at_option("When the step was skipped. Default: now.")
@click.pass_obj
def step_skip(app: AppContext, incident_id: str, step_id: str, reason: str, at: datetime | None) -> None:
    """Skip a step, with a reason; prints the event id."""
    _print_event_id(ops.skip_step(app.store, incident_id=incident_id, step_id=step_id, reason=reason,
                                  actor=app.actor, occurred_at=at))
    _warn_before_awareness(app, incident_id, at)


@step.command("assign")
@click.argument("incident_id")
@click.argument("step_id")
@click.argument("name")
@_at_option("When the step was assigned. Default: now.")
@click.pass_obj
def step_assign(app: AppContext, incident_id: str, step_id: str, name: str, at: datetime | None) -> None:
    """Assign a step to a person (an empty NAME unassigns it); prints the event id."""
    _print_event_id(ops.assign_step(app.store, incident_id=incident_id, step_id=step_id, assignee=name,
                                    actor=app.actor, occurred_at=at))
    _warn_before_awareness(app, incident_id, at)


@cli.command("note")
@click.argument("incident_id")
@click.argument("step_id")
@click.argument("text", required=False)
@click.option("--file", "path", metavar="PATH", help="Read the note from a UTF-8 file, or standard input for -.")
@click.option("--if-unchanged", "based_on", metavar="EVENT_ID",
              help="Save only if the note is still this note event (\"\" for no note yet), as `incident show --json` gives.")
@_at_option("When the note was written. Default: now.")
@click.pass_obj
def note(app: AppContext, incident_id: str, step_id: str, text: str | None, path: str | None,
         based_on: str | None, at: datetime | None) -> None:
    """Set a step's note to TEXT (- or --file: read it), replacing the previous note; prints the event id, or nothing if unchanged."""
    text = note_text(text, path)
    _print_event_id(ops.note_step(app.store, incident_id=incident_id, step_id=step_id, text=text, actor=app.actor,
                                  based_on=based_on, occurred_at=at))
    _warn_before_awareness(app, incident_id, at)


# timeline and verify ----------------------------------------------------------------------
@cli.group("timeline")
def timeline_group() -> None:
    """Add to, correct and list an incident's timeline."""


@timeline_group.command("add")
@click.argument("incident_id")
@click.option("--title", required=True, help="What happened, in one line.")
@_at_option("When it happened in the world (may be in the past). Default: now.")
@click.option("--detail", default="", help="More detail.")
@click.option("--category", default="", help="A category, e.g. vendor, regulator, customer.")
@click.pass_obj
def timeline_add(app: AppContext, incident_id: str, title: str, at: datetime | None, detail: str,
                 category: str) -> None:
    """Record something that happened; prints only the new event's id once it is committed."""
    _print_event_id(ops.add_timeline_entry(app.store, incident_id=incident_id, title=title, actor=app.actor,
                                           occurred_at=at, detail=detail, category=category))
    _warn_before_awareness(app, incident_id, at)


@timeline_group.command("amend")
@click.argument("incident_id")
@click.argument("event_id")
@click.option("--title", default=None, help="The corrected title (timeline entries only).")
@click.option("--detail", default=None, help="The corrected detail.")
@click.option("--category", default=None, help="The corrected category (timeline entries only).")
@_at_option("The corrected time at which it happened.")
@click.option("--reason", required=True, help="Why the correction was made (required).")
@click.pass_obj
def timeline_amend(app: AppContext, incident_id: str, event_id: str, title: str | None, detail: str | None,
                   category: str | None, at: datetime | None, reason: str) -> None:
    """Correct an earlier event, giving a reason (the original stays in the log); prints the amendment's event id."""
    _print_event_id(ops.amend_event(app.store, incident_id=incident_id, event_id=event_id, actor=app.actor,
                                    reason=reason, title=title, detail=detail, category=category, occurred_at=at))
    _warn_before_awareness(app, incident_id, at)


@timeline_group.command("list")
@click.argument("incident_id")
@_json_option()
@click.pass_obj
def timeline_list(app: AppContext, incident_id: str, as_json: bool) -> None:
    """List an incident's events: chronologically as text, or every raw event (with hashes) in seq order as JSON."""
    store = app.store
    found = store.incident(incident_id)
    events = store.events(found.id)
    if as_json:
        _print_json([out.event_json(e) for e in events])
    else:
        click.echo(shown("\n".join(out.timeline_text(timeline(store.playbook(found.id), events)))))


@cli.command()
@click.argument("incident_id")
@click.pass_obj
def verify(app: AppContext, incident_id: str) -> None:
    """Recompute an incident's hash chain: exit 0 with the head hash, or exit 1 naming the first bad event."""
    store = app.store
    result = store.verify(store.incident(incident_id).id)
    if result.ok:
        click.echo(f"ok: {result.count} events, head {result.head_hash}")
        return
    click.echo(f"TAMPERED: event seq {result.bad_seq} ({result.bad_event_id}): {result.problem}")
    # SystemExit, not ctx.exit: main() runs click with standalone_mode=False.
    raise SystemExit(1)
