"""`incidentkit rules|deadlines|milestone|notify`: notification rules, the deadlines board, its inputs."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from incidentkit.cli.context import AppContext
from incidentkit.cli.group import cli
from incidentkit.cli.params import Timestamp
from incidentkit.core.deadlines.describe import DISCLAIMER, VERIFY, duty_words, in_force_words, rule_json
from incidentkit.core.deadlines.library import RulesLibrary


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Output as JSON (shape in docs/cli.md).")
@click.pass_obj
def rules(app: AppContext, as_json: bool) -> None:
    """List the notification rules (built-in and the data folder's rules/), with sources and as-of dates."""
    library = RulesLibrary.discover(app.paths)
    if as_json:
        payload = {
            "rules": [rule_json(e.rule, e.source) for e in library.entries],
            "overridden": [{"id": e.rule.id, "source": e.source, "path": e.rule.path} for e in library.shadowed],
            "problems": [d.to_json() for d in library.problems],
            "disclaimer": DISCLAIMER,
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if not library.entries:
        click.echo("No rules found.")
    for entry in library.entries:
        rule = entry.rule
        status = "" if rule.status == "in-force" else f"  [{rule.status}]"
        click.echo(f"{rule.id}  {rule.jurisdiction}  {rule.recipient}{status}  {rule.title}")
        click.echo(f"    {duty_words(rule)}")
        if in_force_words(rule):
            click.echo(f"    {in_force_words(rule)}")
        for fact in rule.verify():
            click.echo(f"    unknown ({VERIFY}): {fact}")
        for source in rule.sources:
            click.echo(f"    source: {source.citation} ({source.type}, as of {source.as_of})")
        if entry.source != "builtin":
            click.echo(f"    from: {entry.source} {rule.path}")
    for entry in library.shadowed:
        click.echo(f"overridden: {entry.rule.id} ({entry.source} {entry.rule.path})")
    if library.problems:
        click.echo("Problems:")
        for diagnostic in library.problems:
            click.echo(f"    {diagnostic.format()}")
    click.echo(DISCLAIMER)


def _zone(name: str | None):  # -> ZoneInfo | None (the computer's own zone)
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"unknown time zone '{name}' (an IANA name such as Europe/Paris)",
                                 param_hint="--tz") from None


@cli.command()
@click.argument("incident_id")
@click.option("--json", "as_json", is_flag=True, help="Output as JSON (shape in docs/cli.md).")
@click.option("--all", "show_all", is_flag=True, help="Also list the rules that do not apply, with the reason.")
@click.option("--tz", "zone_name", metavar="ZONE", help="Show times in this IANA time zone (default: this computer's).")
@click.option("--ics", is_flag=True, help="Write the dated deadlines as an iCalendar file (needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="The file --ics writes.")
@click.pass_obj
def deadlines(app: AppContext, incident_id: str, as_json: bool, show_all: bool, zone_name: str | None, ics: bool,
              output: Path | None) -> None:
    """Every notification deadline of an incident, most urgent first, with why each applies and its sources."""
    from incidentkit.cli import deadline_output as out
    from incidentkit.core.deadlines.board import read_board

    if ics != (output is not None):
        raise click.UsageError("--ics and -o FILE go together: `incidentkit deadlines ID --ics -o deadlines.ics`")
    zone = _zone(zone_name)
    board = read_board(app.store, incident_id, rules=RulesLibrary.discover(app.paths).rules)
    if ics:
        from incidentkit.core.atomic_file import replace_atomically
        from incidentkit.core.deadlines.ics import calendar_bytes
        from incidentkit.core.errors import IncidentKitError

        data = calendar_bytes(board)
        try:
            replace_atomically(output, lambda raw: raw.write(data), prefix=".deadlines-")
        except OSError as exc:
            raise IncidentKitError(f"{output}: cannot write the file: {exc.strerror or exc}") from None
        click.echo(f"{output}: {data.count(b'BEGIN:VEVENT')} deadlines")
        return
    if as_json:
        # Compact: json's C encoder runs only without `indent`; indented, the Python one took longer
        # than computing the board. `python -m json.tool` or `jq .` shows it indented.
        click.echo(json.dumps(out.board_json(board, show_all=show_all, zone_name=zone_name or "local"),
                              ensure_ascii=False, separators=(",", ":")))
    else:
        click.echo("\n".join(out.board_text(board, show_all=show_all, zone=zone)))


@cli.command()
@click.argument("incident_id")
@click.argument("name")
@click.option("--at", "at", type=Timestamp(), required=True, help="When it happened (ISO 8601; backdate freely).")
@click.option("--reason", default="", help="Why we say so: the evidence, the decision, who decided.")
@click.option("--level", type=click.Choice(["unlikely", "risk", "high"]),
              help="For risk-assessed: what the assessment found.")
@click.pass_obj
def milestone(app: AppContext, incident_id: str, name: str, at: datetime, reason: str, level: str | None) -> None:
    """Record a milestone that starts legal clocks (discovered, breach-determined, materiality-determined,
    classified-major, risk-assessed, ransom-paid, incident-handled); recording it again corrects it. Prints
    the event id."""
    from incidentkit.core.deadlines.actions import record_milestone

    event = record_milestone(app.store, incident_id=incident_id, name=name, at=at, actor=app.actor, reason=reason,
                             level=level or "")
    click.echo(event.id)


@cli.command()
@click.argument("incident_id")
@click.argument("rule_id")
@click.option("--at", "at", type=Timestamp(), required=True, help="When the notice was sent (ISO 8601).")
@click.option("--reference", required=True, help="The receipt, case number or message id of the notice.")
@click.option("--channel", default="", help="How it was sent (portal, email, post).")
@click.option("--recipient", default="", help="Who it went to (default: the rule's recipient).")
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path),
              help="The notice as sent: its sha256 is recorded as proof.")
@click.pass_obj
def notify(app: AppContext, incident_id: str, rule_id: str, at: datetime, reference: str, channel: str,
           recipient: str, file: Path | None) -> None:
    """Record that the notice a rule requires was sent (with proof); prints the event id."""
    from incidentkit.core.deadlines.actions import record_notification

    rule = RulesLibrary.discover(app.paths).get(rule_id)
    event = record_notification(app.store, incident_id=incident_id, rule=rule, at=at, reference=reference,
                                actor=app.actor, channel=channel, recipient=recipient, file=file)
    click.echo(event.id)
